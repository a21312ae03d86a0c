//! Browser sessions (the SSO session). The cookie carries a random secret; the store
//! keeps its keyed hash. `id` is the public session id used as the `sid` claim.

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub secret_hash: String,
    pub account_id: String,
    pub auth_time: Timestamp,
    pub acr: Option<String>,
    pub amr: Vec<String>,
    pub created_at: Timestamp,
    pub last_active_at: Timestamp,
    pub expires_at: Timestamp,
    pub ended_at: Option<Timestamp>,
}

impl Session {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.ended_at.is_none() && now < self.expires_at
    }
}

/// The browser and address a session began from (for the account's sessions page).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionDevice {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// Authentication context classes: one factor, and more than one (OIDC Core §2 `acr`).
pub const ACR_PASSWORD: &str = "urn:propusk:acr:1fa";
pub const ACR_MFA: &str = "urn:propusk:acr:mfa";
