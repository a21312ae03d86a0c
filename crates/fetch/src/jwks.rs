//! Client key sets by URI, cached as the answer's `Cache-Control` allows: `no-store`
//! keeps nothing, `max-age` (at most a day) sets the freshness, five minutes without
//! either. A set that lacks the `kid` a caller needs is fetched again, but not sooner
//! than a minute after the last fetch of that URI.

use crate::Fetcher;
use async_trait::async_trait;
use propusk_core::clock::{Clock, Timestamp};
use propusk_core::fetch::{FetchError, JwksFetcher};
use propusk_core::model::client_metadata::public_jwks;
use propusk_types::jwk::JwkSet;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Freshness when the answer names none.
const DEFAULT_MAX_AGE: i64 = 300;
/// Longest freshness taken from an answer.
const LONGEST_MAX_AGE: i64 = 24 * 3600;
/// Shortest time between two fetches of one URI for an unknown `kid`.
const REFETCH_INTERVAL: i64 = 60;

struct Entry {
    keys: Option<JwkSet>,
    fetched_at: Timestamp,
    fresh_until: Timestamp,
}

pub struct JwksCache {
    fetcher: Fetcher,
    clock: Arc<dyn Clock>,
    entries: Mutex<HashMap<String, Entry>>,
}

impl JwksCache {
    pub fn new(fetcher: Fetcher, clock: Arc<dyn Clock>) -> Self {
        Self {
            fetcher,
            clock,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The cached set when it may serve this call.
    fn cached(&self, uri: &str, kid: Option<&str>, now: Timestamp) -> Option<JwkSet> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(uri)?;
        let keys = entry.keys.as_ref().filter(|_| now < entry.fresh_until)?;
        let has_kid = kid.is_none_or(|k| keys.keys.iter().any(|j| j.kid.as_deref() == Some(k)));
        (has_kid || now < entry.fetched_at + REFETCH_INTERVAL).then(|| keys.clone())
    }

    fn remember(&self, uri: &str, keys: Option<JwkSet>, now: Timestamp, max_age: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(
            uri.to_owned(),
            Entry {
                keys,
                fetched_at: now,
                fresh_until: now + max_age,
            },
        );
    }
}

#[async_trait]
impl JwksFetcher for JwksCache {
    async fn jwks(&self, uri: &str, kid: Option<&str>) -> Result<JwkSet, FetchError> {
        let now = self.clock.now();
        if let Some(keys) = self.cached(uri, kid, now) {
            return Ok(keys);
        }
        let fetched = self.fetcher.get(uri).await?;
        let value: serde_json::Value = serde_json::from_slice(&fetched.body)
            .map_err(|_| FetchError::Invalid(uri.to_owned(), "not JSON".into()))?;
        let keys =
            public_jwks(&value).map_err(|e| FetchError::Invalid(uri.to_owned(), e.description))?;
        if fetched.no_store {
            self.remember(uri, None, now, 0);
        } else {
            let max_age = fetched
                .max_age
                .unwrap_or(DEFAULT_MAX_AGE)
                .clamp(0, LONGEST_MAX_AGE);
            self.remember(uri, Some(keys.clone()), now, max_age);
        }
        Ok(keys)
    }
}
