//! HTML pages: the page context every handler extracts, one typed context per template
//! (`views`), and the security headers every page carries (CSP with `frame-ancestors
//! 'none'`, no referrer, no caching).

mod context;
mod views;

pub use context::PageContext;
#[cfg(test)]
pub use context::{Frame, Switch, render_view};
pub use views::*;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a page whose form ends in a redirect to the client: browsers apply
/// `form-action` to every redirect after the submission (CSP 3 §6.4.1), so the client's
/// redirect URI origin must be allowed too.
pub fn csp_towards(redirect_uri: &str) -> String {
    csp_with_form_action(&[redirect_uri])
}

/// The web origins of the http(s) URIs among `uris`, sorted, each once: what a CSP
/// directive names to allow them.
pub fn web_origins<S: AsRef<str>>(uris: &[S]) -> Vec<String> {
    let mut origins: Vec<String> = uris
        .iter()
        .filter_map(|u| propusk_core::model::redirect_uri::web_origin(u.as_ref()))
        .collect();
    origins.sort();
    origins.dedup();
    origins
}

/// [`DEFAULT_CSP`] with the origins of `uris` added to `form-action`.
pub fn csp_with_form_action(uris: &[&str]) -> String {
    let origins = web_origins(uris);
    if origins.is_empty() {
        return DEFAULT_CSP.to_owned();
    }
    DEFAULT_CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {}", origins.join(" ")),
    )
}

/// An HTML answer with the headers every page carries.
pub fn with_page_headers(status: StatusCode, html: String, csp: &str) -> Response {
    let mut response = (status, axum::response::Html(html)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `path?a&b` with the empty parameters left out.
pub fn join(path: impl Into<String>, params: &[String]) -> String {
    let path = path.into();
    let params: Vec<&str> = params
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}
