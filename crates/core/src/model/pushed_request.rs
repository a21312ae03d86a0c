//! A pushed authorization request (RFC 9126 §2): the parameters a client posted, kept
//! under the keyed hash of the `request_uri` handed back, until the authorization
//! endpoint takes them once or they expire.

use crate::clock::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushedRequest {
    pub request_uri_hash: String,
    pub client_id: String,
    /// The parameters as posted, in order (repeated `resource` included).
    pub params: Vec<(String, String)>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}
