//! Dynamic client registration records (RFC 7591 §3, RFC 7592 §1): the initial access
//! tokens an operator issues and the registration access token of each registered
//! client. Token values never appear here, only their keyed hashes.

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

/// An initial access token (RFC 7591 §3): lets its holder register clients until it
/// expires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationToken {
    pub token_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

impl RegistrationToken {
    pub fn is_valid_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

/// The binding of a registration access token to the one client it manages
/// (RFC 7592 §1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRegistration {
    pub client_id: String,
    pub access_token_hash: String,
    pub created_at: Timestamp,
}
