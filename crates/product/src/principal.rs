//! Who called: what a validated access token says about the caller, for the handler.

use serde::Serialize;
use serde_json::{Map, Value};

/// How the token reached the product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A JWT access token checked locally (RFC 9068).
    Jwt,
    /// A reference token the provider vouched for at introspection (RFC 7662).
    Reference,
}

/// The caller of a request, from a validated access token.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Principal {
    /// `sub`: the person (as this product sees them), or the client itself for
    /// client-credentials tokens.
    pub subject: String,
    /// The application that obtained the token.
    pub client_id: String,
    pub scopes: Vec<String>,
    /// How the person authenticated (`pwd`, `otp`, `sms`, …; RFC 8176), when they did.
    pub amr: Vec<String>,
    /// `exp` of the token, seconds since the epoch.
    pub expires_at: i64,
    pub kind: TokenKind,
    /// Every claim of the token (or of the introspection answer).
    pub claims: Map<String, Value>,
}

impl Principal {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Whether the token was obtained by a person (not a client acting for itself).
    pub fn is_person(&self) -> bool {
        self.subject != self.client_id
    }

    pub(crate) fn from_claims(claims: Map<String, Value>, kind: TokenKind) -> Option<Self> {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        let subject = text("sub")?;
        let client_id = text("client_id")?;
        let scopes = text("scope")
            .map(|s| {
                s.split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let amr = claims
            .get("amr")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let expires_at = claims.get("exp").and_then(Value::as_i64)?;
        Some(Self {
            subject,
            client_id,
            scopes,
            amr,
            expires_at,
            kind,
            claims,
        })
    }
}
