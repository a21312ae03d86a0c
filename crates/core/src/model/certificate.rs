//! Certificates bound to accounts, and the one-time challenges of certificate sign-in.
//! A binding is found by the certificate's thumbprint (hex SHA-1 of the DER); a
//! challenge by the keyed hash of its random value, which only the key holder can read.

use crate::clock::Timestamp;
use propusk_certs::Identity;
use serde::{Deserialize, Serialize};

/// A certificate that signs its holder in to one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateBinding {
    /// Upper case hex SHA-1 of the DER.
    pub thumbprint: String,
    pub account_id: String,
    pub der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    /// Names and identifiers read from the certificate (INN, SNILS, OGRN…).
    pub identity: Identity,
    pub not_after: Timestamp,
    pub created_at: Timestamp,
}

/// How a challenge is to be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeMethod {
    /// The value was sent encrypted to the certificate's key; the answer is the value.
    Encrypted,
    /// The value was sent in the clear; the answer is a detached CMS signature over it
    /// made with the certificate's key (keys that can only sign).
    Signed,
}

impl ChallengeMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Encrypted => "encrypted",
            Self::Signed => "signed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Encrypted, Self::Signed]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// A random value for the holder of a bound certificate; answering it (once, before
/// `expires_at`, the way `method` says) signs the account in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateChallenge {
    /// Keyed hash of the value.
    pub value_hash: String,
    pub method: ChallengeMethod,
    pub thumbprint: String,
    /// The client that asked for it; only it may redeem it.
    pub client_id: String,
    pub account_id: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// Outcome of an atomic attempt to use a challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChallengeUse {
    Fresh(CertificateChallenge),
    /// Used before: a replay.
    AlreadyUsed(CertificateChallenge),
    NotFound,
}
