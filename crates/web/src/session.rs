//! The browser's SSO session as the handlers see it: read from the cookie, set after a
//! sign-in. Storage failures while reading count as "no session" (and are logged).

use crate::cookies;
use axum::http::{HeaderMap, HeaderValue};
use propusk_core::model::Session;
use propusk_core::provider::Provider;

pub async fn current_session(provider: &Provider, headers: &HeaderMap) -> Option<Session> {
    let secret = cookies::get(headers, cookies::SESSION, provider.config.is_https())?;
    match provider.session_from_secret(&secret).await {
        Ok(session) => session,
        Err(error) => {
            tracing::error!(%error, "session lookup failed");
            None
        }
    }
}

/// The `Set-Cookie` for a new session (a browser-session cookie; the server enforces the
/// idle and absolute lifetimes).
pub fn session_cookie(provider: &Provider, secret: &str) -> HeaderValue {
    cookies::set(cookies::SESSION, secret, provider.config.is_https(), None)
}
