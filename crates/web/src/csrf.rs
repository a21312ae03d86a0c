//! CSRF protection of every form (OWASP synchronizer token bound to the browser): the
//! browser holds a random secret in a cookie, set on its first page, before any sign-in;
//! each form carries a keyed hash of that secret, the browser's session cookie and the
//! form's purpose. A page of another site can neither read nor forge it, and a token
//! taken from one browser (even with its secret cookie planted elsewhere) fails in a
//! browser with another session, which covers the sign-in form too (login CSRF).

use crate::cookies;
use axum::http::{HeaderMap, HeaderValue};
use propusk_core::provider::Provider;

pub struct CsrfSeed {
    value: String,
    /// The browser's session cookie, empty without one.
    session: String,
    /// `Set-Cookie` to send when the cookie was missing.
    pub set_cookie: Option<HeaderValue>,
}

fn material(seed: &str, session: &str, purpose: &str) -> String {
    format!("{seed}\u{1f}{session}\u{1f}{purpose}")
}

impl CsrfSeed {
    /// Reads the browser's CSRF secret or makes a new one.
    pub fn ensure(provider: &Provider, headers: &HeaderMap) -> Self {
        let https = provider.config.is_https();
        let session = cookies::get(headers, cookies::SESSION, https).unwrap_or_default();
        match cookies::get(headers, cookies::CSRF, https) {
            Some(value) => Self {
                value,
                session,
                set_cookie: None,
            },
            None => {
                let value = provider.random(24);
                let set_cookie = Some(cookies::set(cookies::CSRF, &value, https, None));
                Self {
                    value,
                    session,
                    set_cookie,
                }
            }
        }
    }

    /// The token a form for `purpose` carries.
    pub fn token(&self, provider: &Provider, purpose: &str) -> String {
        provider
            .csrf
            .hash(&material(&self.value, &self.session, purpose))
    }
}

/// Checks a submitted token against the browser's cookies.
pub fn verify(
    provider: &Provider,
    headers: &HeaderMap,
    purpose: &str,
    submitted: Option<&str>,
) -> bool {
    let https = provider.config.is_https();
    let session = cookies::get(headers, cookies::SESSION, https).unwrap_or_default();
    match (cookies::get(headers, cookies::CSRF, https), submitted) {
        (Some(seed), Some(token)) => provider
            .csrf
            .verify(&material(&seed, &session, purpose), token),
        _ => false,
    }
}
