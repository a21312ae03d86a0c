//! Records of the integrator cabinet: who accepted the integrator terms, who owns which
//! client, requests for a product's scopes and their decisions, uploaded client logos,
//! and the per-day usage figures of a client.

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

/// An account that accepted the integrator terms (version as the theme names it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integrator {
    pub account_id: String,
    pub terms_version: String,
    pub accepted_at: Timestamp,
}

/// An account that may manage a client; the first owner is its creator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientOwner {
    pub client_id: String,
    pub account_id: String,
    pub added_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeRequestStatus {
    Pending,
    Approved,
    Refused,
}

impl ScopeRequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Refused]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A client's request for one scope of a product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeRequest {
    pub id: String,
    pub client_id: String,
    /// The product (its audience) that owns the scope.
    pub audience: String,
    pub scope: String,
    pub status: ScopeRequestStatus,
    pub requested_by: String,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

/// An uploaded logo, already checked to be an image of `content_type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientLogo {
    pub client_id: String,
    pub content_type: String,
    pub data: Vec<u8>,
    pub updated_at: Timestamp,
}

/// Sign-ins (grants made) and access tokens issued for a client on one UTC day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UsageDay {
    /// Days since the Unix epoch.
    pub day: i64,
    pub sign_ins: i64,
    pub tokens: i64,
}
