//! CSRF protection of every form (OWASP synchronizer token bound to a cookie): the browser
//! holds a random secret in a cookie; each form carries a keyed hash of that secret and
//! the form's purpose, so a page of another site can neither read nor forge it.

use crate::cookies;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use propusk_core::provider::Provider;

pub struct CsrfSeed {
    value: String,
    /// `Set-Cookie` to send when the cookie was missing.
    pub set_cookie: Option<HeaderValue>,
}

impl CsrfSeed {
    /// Reads the browser's CSRF secret or makes a new one.
    pub fn ensure(provider: &Provider, headers: &HeaderMap) -> Self {
        let https = provider.config.is_https();
        match cookies::get(headers, cookies::CSRF, https) {
            Some(value) => Self {
                value,
                set_cookie: None,
            },
            None => {
                let value = provider.random(24);
                let set_cookie = Some(cookies::set(cookies::CSRF, &value, https, None));
                Self { value, set_cookie }
            }
        }
    }

    /// The token a form for `purpose` carries.
    pub fn token(&self, provider: &Provider, purpose: &str) -> String {
        provider
            .csrf
            .hash(&format!("{}\u{1f}{purpose}", self.value))
    }
}

/// Checks a submitted token against the browser's cookie.
pub fn verify(
    provider: &Provider,
    headers: &HeaderMap,
    purpose: &str,
    submitted: Option<&str>,
) -> bool {
    let https = provider.config.is_https();
    match (cookies::get(headers, cookies::CSRF, https), submitted) {
        (Some(seed), Some(token)) => provider
            .csrf
            .verify(&format!("{seed}\u{1f}{purpose}"), token),
        _ => false,
    }
}

/// [`verify`] for a submitted form: its `csrf` field against the browser's cookie. A
/// handler answers `false` by showing the form again (or its page, with `e=expired`).
pub fn form_ok(
    state: &AppState,
    headers: &HeaderMap,
    purpose: &str,
    submitted: &Option<String>,
) -> bool {
    verify(&state.provider, headers, purpose, submitted.as_deref())
}
