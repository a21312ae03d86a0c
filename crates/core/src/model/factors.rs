//! The second factors of an account: a TOTP secret (sealed with a key derived from the
//! master key, RFC 6238), the last TOTP time step used (so a code cannot be used twice),
//! SMS to the verified phone, and single-use recovery codes stored as keyed hashes.

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factors {
    pub account_id: String,
    /// The TOTP secret sealed with the factor key; None when TOTP is off.
    pub totp_sealed: Option<Vec<u8>>,
    /// Last accepted TOTP time step.
    pub totp_last_step: Option<i64>,
    /// SMS codes to the verified phone as a second factor.
    pub sms: bool,
    /// The owner turned sign-in by phone + SMS code off.
    #[serde(default)]
    pub phone_sign_in_off: bool,
    pub updated_at: Timestamp,
}

impl Factors {
    pub fn any(&self) -> bool {
        self.totp_sealed.is_some() || self.sms
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCode {
    pub account_id: String,
    pub code_hash: String,
    pub created_at: Timestamp,
    pub used_at: Option<Timestamp>,
}
