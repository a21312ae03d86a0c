//! A grant is what one authorization produced: the user's consent for one client to a
//! set of scopes in one session. Codes, refresh tokens and recorded access tokens all
//! point to their grant, so revoking the grant revokes the whole family
//! (RFC 6749 §4.1.2 code replay, RFC 9700 §4.14.2 refresh token reuse).

use crate::clock::Timestamp;
use propusk_types::scope::Scope;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub client_id: String,
    pub account_id: Option<String>,
    /// Public session id (`sid` claim) of the browser session the grant came from.
    pub session_id: Option<String>,
    pub scope: Scope,
    pub auth_time: Option<Timestamp>,
    pub acr: Option<String>,
    pub amr: Vec<String>,
    pub nonce: Option<String>,
    /// The `claims` request parameter (OIDC Core §5.5), kept for userinfo.
    pub claims: Option<serde_json::Value>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// An authorization code; the value itself is only known to the client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCode {
    pub code_hash: String,
    pub grant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// Outcome of an atomic attempt to redeem a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeRedemption {
    Redeemed(AuthCode),
    /// The code had been redeemed before: a replay.
    AlreadyUsed(AuthCode),
    NotFound,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshToken {
    pub id: String,
    pub token_hash: String,
    pub grant_id: String,
    pub client_id: String,
    pub scope: Scope,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// When it was exchanged for a successor (rotation).
    pub used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// The thumbprint of the DPoP key a public client's token is bound to (RFC 9449 §5).
    pub dpop_jkt: Option<String>,
}

/// Outcome of an atomic attempt to rotate a refresh token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefreshUse {
    Fresh(RefreshToken),
    /// Used before (or revoked): reuse, the family must be revoked.
    Reused(RefreshToken),
    NotFound,
}

/// An access token the provider remembers: every reference token (by hash), and JWT
/// access tokens issued for a grant (by `jti`) so that revoking the grant reaches them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessTokenRecord {
    pub jti: String,
    pub token_hash: Option<String>,
    pub grant_id: Option<String>,
    pub client_id: String,
    pub account_id: Option<String>,
    pub scope: Scope,
    /// The claims set the token stands for (reference tokens answer introspection from it).
    pub claims: serde_json::Value,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Remembered consent of a user for a client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub account_id: String,
    pub client_id: String,
    pub scope: Scope,
    pub updated_at: Timestamp,
}
