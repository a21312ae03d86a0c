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

/// Where `form-action 'self'` ends in [`DEFAULT_CSP`]: more origins are added there.
const CSP_FORM_ACTION_END: usize = 85;

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
    let (head, tail) = DEFAULT_CSP.split_at(CSP_FORM_ACTION_END);
    let mut csp = String::with_capacity(DEFAULT_CSP.len() + 40 * origins.len());
    csp.push_str(head);
    for origin in &origins {
        csp.push(' ');
        csp.push_str(origin);
    }
    csp.push_str(tail);
    csp
}

/// `csp` with our own scripts (`static/passkeys.js`) and their requests to us allowed.
pub fn csp_with_scripts(csp: &str) -> String {
    format!("{csp}; script-src 'self'; connect-src 'self'")
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
    let mut path = path.into();
    let mut separator = '?';
    for param in params.iter().filter(|p| !p.is_empty()) {
        path.push(separator);
        path.push_str(param);
        separator = '&';
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_leaves_out_empty_parameters() {
        assert_eq!(join("/a", &[]), "/a");
        assert_eq!(join("/a", &[String::new()]), "/a");
        assert_eq!(
            join(
                "/a",
                &["".into(), "x=1".into(), "".into(), "lang=en".into()]
            ),
            "/a?x=1&lang=en"
        );
    }

    #[test]
    fn form_action_names_self_then_each_web_origin_once() {
        assert!(DEFAULT_CSP[..CSP_FORM_ACTION_END].ends_with("form-action 'self'"));
        assert_eq!(
            csp_with_form_action(&[
                "https://b.example/cb?x=1",
                "https://a.example:8443/cb",
                "https://b.example/other",
                "com.example.app:/cb",
            ]),
            "default-src 'none'; style-src 'self'; img-src 'self' data: https:; \
             form-action 'self' https://a.example:8443 https://b.example; \
             frame-ancestors 'none'; base-uri 'none'"
        );
        assert_eq!(csp_with_form_action(&["com.example.app:/cb"]), DEFAULT_CSP);
    }
}
