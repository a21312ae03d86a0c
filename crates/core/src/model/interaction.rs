//! A stored interaction: the validated authorization request waiting for the user to sign
//! in or consent. Pages only read and advance it, then resume the protocol by redirect.

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: String,
    pub client_id: String,
    /// The validated request as JSON text, written and read only by the engine (kept as
    /// text so that loading it parses once, straight into the request type).
    pub request: String,
    /// Set once the user signed in during this interaction (public session id).
    pub session_id: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}
