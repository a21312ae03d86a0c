//! A queued back-channel logout notification for one client and its delivery attempts
//! ([Back-Channel Logout 1.0 §2.7](https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest)).

use crate::clock::Timestamp;

/// One queued logout notification for one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogoutDelivery {
    pub id: String,
    pub client_id: String,
    pub uri: String,
    pub sid: String,
    pub sub: String,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    pub abandoned_at: Option<Timestamp>,
    pub last_error: Option<String>,
}
