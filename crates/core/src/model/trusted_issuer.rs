//! A partner issuer whose JWT assertions the `jwt-bearer` grant accepts
//! ([RFC 7523 §3](https://www.rfc-editor.org/rfc/rfc7523#section-3)): its public keys, the
//! clients that may present them, and how its `sub` names an account.

use crate::clock::Timestamp;
use propusk_types::jwk::JwkSet;
use serde::{Deserialize, Serialize};

/// How the assertion's `sub` names an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectMapping {
    /// `sub` is the account's login (or e-mail or phone).
    Login,
    /// `sub` is the account id.
    Id,
}

impl SubjectMapping {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "login" => Some(Self::Login),
            "id" => Some(Self::Id),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Id => "id",
        }
    }
}

/// A partner issuer the operator registered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrustedIssuer {
    pub issuer: String,
    pub jwks: JwkSet,
    /// Clients that may present this issuer's assertions.
    pub client_ids: Vec<String>,
    pub subject: SubjectMapping,
    pub created_at: Timestamp,
}
