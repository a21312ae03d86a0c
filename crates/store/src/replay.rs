//! The replay cache (`ReplayRepo`): one-time values such as client assertion `jti`s
//! (RFC 7523 §3). One upsert decides, so concurrent callers cannot both see "new".

use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::store::{ReplayRepo, StoreResult};

#[async_trait]
impl ReplayRepo for SqlStore {
    /// An entry counts as seen while `now < expires_at`; an expired one is replaced.
    async fn remember_once(
        &self,
        key: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO replay_cache (key, expires_at) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at \
             WHERE replay_cache.expires_at <= $3",
        )
        .bind(key)
        .bind(expires_at)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
