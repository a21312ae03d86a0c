//! A throttling counter as the store keeps it: a keyed hash of what it counts and the
//! events of its current window.

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

/// A counter as stored: events since `window_start`, the last at `last_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub key: String,
    pub count: i64,
    pub window_start: Timestamp,
    pub last_at: Timestamp,
}
