//! Where a sign-in outside an authorization request lands: the console page that sent
//! the browser to sign in, remembered for ten minutes in a cookie, else the cabinet.
//! Only plain console paths are remembered, so the cookie is never an open redirect.

use crate::answer::with_cookies;
use crate::cookies;
use crate::pages::PageContext;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use propusk_types::routes;

/// How long the page to come back to is remembered, seconds.
const NEXT_AGE: i64 = 600;

/// Whether `path` is a console page without query, dot segments or placeholders.
fn returnable(path: &str) -> bool {
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'));
    let inside = path == routes::ADMIN || path.starts_with("/admin/");
    plain && inside && !path.contains("//") && !path.contains("..")
}

/// `response`, a redirect to sign in, remembering `page` to come back to.
pub fn return_after_sign_in(context: &PageContext, response: Response, page: &str) -> Response {
    if response.status() != StatusCode::SEE_OTHER || !returnable(page) {
        return response;
    }
    let https = context.state.provider.config.is_https();
    with_cookies(
        response,
        [cookies::set(cookies::NEXT, page, https, Some(NEXT_AGE))],
    )
}

/// Where a finished sign-in goes, and the cookie that forgets it.
pub(super) fn landing(context: &PageContext) -> (String, Option<HeaderValue>) {
    let https = context.state.provider.config.is_https();
    match cookies::get(&context.headers, cookies::NEXT, https).filter(|p| returnable(p)) {
        Some(page) => (page, Some(cookies::set(cookies::NEXT, "", https, Some(0)))),
        None => (routes::ACCOUNT.to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::returnable;

    #[test]
    fn only_console_paths_come_back() {
        assert!(returnable("/admin"));
        assert!(returnable("/admin/users/u-1"));
        assert!(!returnable("/administrator"));
        assert!(!returnable("/admin/../account"));
        assert!(!returnable("//evil.example/admin"));
        assert!(!returnable("/admin/users?x=1"));
        assert!(!returnable("https://evil.example/admin"));
        assert!(!returnable("/admin/users/{id}"));
    }
}
