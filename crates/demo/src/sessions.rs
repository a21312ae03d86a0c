//! Each demo site's own sessions: a random id in an `HttpOnly`, `SameSite=Lax` cookie
//! scoped to the site's path, and the state in memory (a restart signs everyone out of
//! the demo, not out of Propusk).

use crate::rp::{Pending, SignedIn};
use axum::http::HeaderMap;
use axum::http::header::{COOKIE, HeaderValue};
use openidconnect::CsrfToken;
use std::collections::HashMap;
use std::sync::Mutex;

/// What one browser holds at one site.
pub struct Session<T> {
    /// The authorization under way, taken by the callback.
    pub pending: Option<Pending>,
    pub signed_in: Option<SignedIn>,
    /// What the site keeps besides (the product: the account the person entered).
    pub extra: Option<T>,
}

impl<T> Default for Session<T> {
    fn default() -> Self {
        Self {
            pending: None,
            signed_in: None,
            extra: None,
        }
    }
}

pub struct Sessions<T> {
    cookie: &'static str,
    path: &'static str,
    all: Mutex<HashMap<String, Session<T>>>,
}

impl<T: Clone> Sessions<T> {
    pub fn new(cookie: &'static str, path: &'static str) -> Self {
        Self {
            cookie,
            path,
            all: Mutex::new(HashMap::new()),
        }
    }

    /// The session id the request's cookie names, if this site knows it.
    fn id(&self, headers: &HeaderMap) -> Option<String> {
        let id = cookie(headers, self.cookie)?;
        self.all
            .lock()
            .ok()?
            .contains_key(id)
            .then_some(id.to_owned())
    }

    /// Runs `f` on the request's session, made when there is none; with the `Set-Cookie`
    /// value of a new session.
    pub fn with<R>(
        &self,
        headers: &HeaderMap,
        f: impl FnOnce(&mut Session<T>) -> R,
    ) -> (R, Option<HeaderValue>) {
        let (id, set_cookie) = match self.id(headers) {
            Some(id) => (id, None),
            None => {
                let id = CsrfToken::new_random_len(32).into_secret();
                let value = format!(
                    "{}={id}; Path={}; HttpOnly; SameSite=Lax",
                    self.cookie, self.path
                );
                (id, HeaderValue::from_str(&value).ok())
            }
        };
        let mut all = self
            .all
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let result = f(all.entry(id).or_default());
        (result, set_cookie)
    }

    /// Runs `f` on the request's session, if this site knows it.
    pub fn update<R>(
        &self,
        headers: &HeaderMap,
        f: impl FnOnce(&mut Session<T>) -> R,
    ) -> Option<R> {
        let id = cookie(headers, self.cookie)?;
        let mut all = self
            .all
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        all.get_mut(id).map(f)
    }

    /// The signed-in state and the extra value of the request's session, if any.
    pub fn current(&self, headers: &HeaderMap) -> (Option<SignedIn>, Option<T>) {
        let Some(id) = cookie(headers, self.cookie) else {
            return (None, None);
        };
        let all = self
            .all
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match all.get(id) {
            Some(session) => (session.signed_in.clone(), session.extra.clone()),
            None => (None, None),
        }
    }
}

/// The value of the cookie `name` in the request.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
