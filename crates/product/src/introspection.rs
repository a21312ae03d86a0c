//! Reference tokens checked at the provider's introspection endpoint (RFC 7662 §2) with
//! the product's credentials, and the answers kept for a while: an active one until the
//! earlier of the token's `exp` and the configured lifetime, an inactive one briefly.
//! Tokens are kept by their SHA-256, never as given.

use crate::principal::{Principal, TokenKind};
use crate::{Credentials, Refusal};
use propusk_core::crypto::sha256;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// The most answers kept; past it the expired ones go, then all.
const MAX_ENTRIES: usize = 10_000;

/// An answer of the provider: the caller, or why not.
pub(crate) type Answer = Result<Principal, &'static str>;

pub(crate) struct Introspections {
    answers: Mutex<HashMap<[u8; 32], (Answer, i64)>>,
}

impl Introspections {
    pub fn new() -> Self {
        Self {
            answers: Mutex::new(HashMap::new()),
        }
    }

    /// A kept answer for `token` still fresh at `now`.
    pub fn kept(&self, token: &str, now: i64) -> Option<Answer> {
        let answers = self.answers.lock().ok()?;
        let (answer, until) = answers.get(&sha256(token.as_bytes()))?;
        (*until > now).then(|| answer.clone())
    }

    pub fn keep(&self, token: &str, answer: Answer, until: i64, now: i64) {
        let Ok(mut answers) = self.answers.lock() else {
            return;
        };
        if answers.len() >= MAX_ENTRIES {
            answers.retain(|_, (_, kept_until)| *kept_until > now);
            if answers.len() >= MAX_ENTRIES {
                answers.clear();
            }
        }
        answers.insert(sha256(token.as_bytes()), (answer, until));
    }
}

/// Asks the provider about `token`. `Err` is a refusal of the request itself (the
/// provider unreachable or refusing our credentials); `Ok(Err(_))` an inactive token.
pub(crate) async fn ask(
    http: &reqwest::Client,
    endpoint: &str,
    credentials: &Credentials,
    token: &str,
    audience: &str,
) -> Result<Answer, Refusal> {
    let answer = http
        .post(endpoint)
        .basic_auth(
            encoded(&credentials.client_id),
            Some(encoded(&credentials.client_secret)),
        )
        .form(&[("token", token), ("token_type_hint", "access_token")])
        .send()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "introspection endpoint unreachable");
            Refusal::Unavailable
        })?;
    if !answer.status().is_success() {
        // 401 here means the product's own credentials are wrong: an operator's problem,
        // not the caller's.
        tracing::error!(
            status = answer.status().as_u16(),
            "introspection refused the product's credentials or failed"
        );
        return Err(Refusal::Unavailable);
    }
    let claims: Map<String, Value> = answer.json().await.map_err(|e| {
        tracing::warn!(error = %e, "introspection answered unreadable JSON");
        Refusal::Unavailable
    })?;
    Ok(judge(claims, audience))
}

/// A client id or secret as it goes into HTTP Basic credentials: form-urlencoded first
/// (RFC 6749 §2.3.1), so a `:` in a URI-shaped client id does not split it.
fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// An introspection answer read as RFC 7662 §2.2 defines it.
fn judge(claims: Map<String, Value>, audience: &str) -> Answer {
    if claims.get("active") != Some(&Value::Bool(true)) {
        return Err("inactive");
    }
    if !crate::validator::names_audience(claims.get("aud"), audience) {
        return Err("issued for another audience");
    }
    Principal::from_claims(claims, TokenKind::Reference).ok_or("incomplete introspection answer")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn answers_are_judged_by_activity_and_audience() {
        let active = json!({"active": true, "sub": "u", "client_id": "c", "scope": "a b", "exp": 9, "aud": ["api", "x"]});
        let principal = judge(map(active.clone()), "api");
        assert!(principal.is_ok_and(|p| p.scopes == ["a", "b"] && p.kind == TokenKind::Reference));
        assert_eq!(
            judge(map(active), "other").err(),
            Some("issued for another audience")
        );
        assert_eq!(
            judge(map(json!({"active": false})), "api").err(),
            Some("inactive")
        );
    }

    #[test]
    fn kept_answers_expire_and_are_keyed_by_hash() {
        let kept = Introspections::new();
        kept.keep("t", Err("inactive"), 10, 0);
        assert_eq!(kept.kept("t", 9), Some(Err("inactive")));
        assert_eq!(kept.kept("t", 10), None);
        assert_eq!(kept.kept("u", 0), None);
    }
}
