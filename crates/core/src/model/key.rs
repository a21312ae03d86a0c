//! Signing keys as stored: the private key sealed with the master key, the public JWK,
//! and the window in which it is published and in which it signs.

use crate::clock::Timestamp;
use propusk_types::jwk::Jwk;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyRecord {
    pub kid: String,
    pub alg: String,
    /// PKCS#8 DER sealed by `MasterKey::seal` with the kid as associated data.
    pub sealed_private: Vec<u8>,
    pub public_jwk: Jwk,
    pub created_at: Timestamp,
    /// Published from `created_at`; signs from `active_from`.
    pub active_from: Timestamp,
    /// Stops signing at this time (a successor took over).
    pub retired_at: Option<Timestamp>,
    /// Leaves the JWKS at this time (every token it signed has expired).
    pub unpublish_at: Option<Timestamp>,
}
