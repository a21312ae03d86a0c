//! Several nodes over one database behaving as one provider.
//!
//! - [`watch_cached_data`]: each node polls the version of cached data (clients,
//!   api-keys, products, signing keys) and drops its caches when another node or
//!   `propusk admin` changed them, so a change is used by the next request everywhere
//!   within one poll interval.
//! - [`Singleton`]: a background job that must run on one node at a time (housekeeping,
//!   scheduled key rotation) runs under a lease. The holder renews it every round; a node
//!   that dies stops renewing, its lease expires, and another node takes the job over.

use crate::clock::Clock;
use crate::crypto::{Rng, random_token};
use crate::store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How often a node asks whether cached data changed.
pub const WATCH_EVERY: Duration = Duration::from_millis(100);

/// Polls the version of cached data every `every` and makes the store forget its caches
/// when the version moved. While the database cannot be read the caches still expire by
/// their own TTL; when it answers again they are dropped, since what changed meanwhile is
/// unknown. Runs until its task is aborted.
pub async fn watch_cached_data(store: Arc<dyn Store>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seen: Option<i64> = None;
    let mut failing = false;
    loop {
        interval.tick().await;
        match store.cached_data_version().await {
            Ok(version) => {
                // The first answer also drops the caches: what was cached before it was
                // read against an unknown version.
                if seen.is_none_or(|v| v != version) || failing {
                    store.forget_cached();
                }
                if failing {
                    tracing::info!("cached data version readable again");
                }
                seen = Some(version);
                failing = false;
            }
            Err(error) => {
                if !failing {
                    tracing::warn!(%error, "cannot read the cached data version");
                }
                failing = true;
            }
        }
    }
}

/// A job that runs on one node at a time, every `every`, under the lease `name`.
pub struct Singleton {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    name: &'static str,
    /// This node's identity as a lease holder, random per process.
    holder: String,
    every: Duration,
}

impl Singleton {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        rng: &dyn Rng,
        name: &'static str,
        every: Duration,
    ) -> Self {
        Self {
            store,
            clock,
            name,
            holder: random_token(rng, 12),
            every,
        }
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Seconds a lease lasts: a round and a half, so the holder renews it in time, and a
    /// dead holder's job is taken over after at most that long.
    fn lease_seconds(&self) -> i64 {
        let seconds = i64::try_from(self.every.as_secs()).unwrap_or(i64::MAX / 4);
        (seconds + seconds / 2).max(2)
    }

    /// Takes or renews the lease; true when this node should run the job now.
    pub async fn acquire(&self) -> bool {
        let now = self.clock.now();
        let until = now.saturating_add(self.lease_seconds());
        match self
            .store
            .acquire_lease(self.name, &self.holder, now, until)
            .await
        {
            Ok(held) => held,
            Err(error) => {
                tracing::warn!(%error, job = self.name, "cannot take the job lease");
                false
            }
        }
    }

    /// Runs `job` every round in which this node holds the lease, forever.
    pub async fn run<F, Fut>(&self, mut job: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = ()>,
    {
        let mut interval = tokio::time::interval(self.every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if self.acquire().await {
                job().await;
            }
        }
    }

    /// Gives the lease up (on shutdown), so another node takes the job at once.
    pub async fn release(&self) {
        if let Err(error) = self.store.release_lease(self.name, &self.holder).await {
            tracing::warn!(%error, job = self.name, "cannot release the job lease");
        }
    }
}
