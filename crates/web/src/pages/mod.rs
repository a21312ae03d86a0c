//! HTML pages: one typed context per template, rendered with the security headers every
//! page carries (CSP with `frame-ancestors 'none'`, no referrer, no caching).

mod templates;

pub use templates::*;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Renders a page with the default policy (no scripts, forms post to ourselves).
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    render_with_csp(status, page, DEFAULT_CSP)
}

pub const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn render_with_csp(status: StatusCode, page: &impl Template, csp: &str) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, axum::response::Html(html)).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(csp) {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
            headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// `href` of the language switcher: the current path with `lang` set.
pub fn switch_href(path: &str, other: crate::i18n::Locale) -> String {
    format!("{path}?lang={}", other.code())
}
