//! Coordination of nodes over one database (`CoordinationRepo`): the version of cached
//! data, bumped by triggers (migration 0005) in the transaction of each write, and job
//! leases taken with one conditional upsert, so at most one node holds a lease at a time
//! on either backend.

use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::store::{CoordinationRepo, StoreResult};
use sqlx::Row;

#[async_trait]
impl CoordinationRepo for SqlStore {
    async fn cached_data_version(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT version FROM changes WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        row.try_get::<i64, _>("version").map_err(backend)
    }

    fn forget_cached(&self) {
        self.cache.invalidate();
    }

    fn cache_generation(&self) -> u64 {
        self.cache.generation()
    }

    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
