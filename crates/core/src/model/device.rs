//! The stored state of one device authorization (RFC 8628 §3.1–§3.5): both codes as
//! keyed hashes, what the device asked for, the user's decision and the polling pace.

use crate::clock::Timestamp;
use propusk_types::scope::Scope;
use serde::{Deserialize, Serialize};

/// Where the authorization stands: the user has not decided, allowed, or denied; an
/// allowed one is redeemed once for tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    Redeemed,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Redeemed => "redeemed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Denied, Self::Redeemed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceAuthorization {
    pub device_code_hash: String,
    pub user_code_hash: String,
    pub client_id: String,
    pub scope: Scope,
    pub status: DeviceStatus,
    /// Set when the user decided.
    pub account_id: Option<String>,
    /// The grant recorded on approval; the tokens are issued from it.
    pub grant_id: Option<String>,
    /// Seconds the device must wait between polls; grows by 5 on `slow_down` (§3.5).
    pub interval: i64,
    pub last_polled_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// The user's decision, as the store records it on a pending authorization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceDecision {
    pub status: DeviceStatus,
    pub account_id: String,
    pub grant_id: Option<String>,
}
