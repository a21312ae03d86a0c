//! The one fetcher of URLs that clients give the provider (`jwks_uri` today): `https`
//! only, no redirects, a size and a total time limit, and no request to a loopback,
//! private, link-local, unspecified or multicast address. Host names are resolved
//! first, every address is checked, and the connection goes to exactly the addresses
//! that were checked (the client is pinned to them), so a second DNS answer cannot
//! slip an internal address in. Key sets are cached as `Cache-Control` allows
//! ([`JwksCache`]).
//!
//! Tests that serve keys on 127.0.0.1 turn on [`FetchPolicy::insecure_allow_loopback`],
//! off by default; the binary logs a warning at start when it is on.

mod address;
mod get;
mod jwks;

pub use address::is_public;
pub use get::{Fetched, Fetcher};
pub use jwks::JwksCache;

use std::time::Duration;

/// Limits of every fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchPolicy {
    /// Largest answer body read, in bytes.
    pub max_bytes: usize,
    /// Whole request, from resolving the name to the last byte of the body.
    pub timeout: Duration,
    /// Lets `http` URLs on loopback addresses through, for tests only; every other
    /// rule stays.
    pub insecure_allow_loopback: bool,
}

impl Default for FetchPolicy {
    /// 64 KiB, 5 seconds, loopback refused.
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024,
            timeout: Duration::from_secs(5),
            insecure_allow_loopback: false,
        }
    }
}
