//! `CounterRepo`: one upsert counts an event and starts a stale window over.

use super::get;
use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::Counter;
use propusk_core::store::{CounterRepo, StoreResult};
use sqlx::any::AnyRow;

fn counter(row: &AnyRow) -> StoreResult<Counter> {
    Ok(Counter {
        key: get(row, "key")?,
        count: get(row, "hits")?,
        window_start: get(row, "window_start")?,
        last_at: get(row, "last_at")?,
    })
}

#[async_trait]
impl CounterRepo for SqlStore {
    async fn hit_counter(&self, key: &str, now: Timestamp, window: i64) -> StoreResult<Counter> {
        let row = sqlx::query(
            "INSERT INTO counters (key, hits, window_start, last_at) VALUES ($1, 1, $2, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             hits = CASE WHEN counters.window_start <= $3 THEN 1 ELSE counters.hits + 1 END, \
             window_start = CASE WHEN counters.window_start <= $3 THEN $2 ELSE counters.window_start END, \
             last_at = $2 \
             RETURNING key, hits, window_start, last_at",
        )
        .bind(key)
        .bind(now)
        .bind(now - window)
        .fetch_one(&self.writer)
        .await
        .map_err(backend)?;
        counter(&row)
    }

    async fn get_counters(&self, keys: &[&str]) -> StoreResult<Vec<Counter>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=keys.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT key, hits, window_start, last_at FROM counters WHERE key IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for key in keys {
            query = query.bind(*key);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter().map(counter).collect()
    }

    async fn clear_counter(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM counters WHERE key = $1")
            .bind(key)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn purge_counters(&self, before: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM counters WHERE last_at < $1")
            .bind(before)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
