//! `ChallengeRepo`: the record as JSON beside the columns the store decides on
//! (`attempts`, `expires_at`); a guess is counted by one conditional update.

use super::get;
use crate::SqlStore;
use crate::error::{backend, conflict, corrupt};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::Challenge;
use propusk_core::store::{ChallengeRepo, StoreError, StoreResult};
use sqlx::any::AnyRow;

fn challenge(row: &AnyRow) -> StoreResult<Challenge> {
    let text: String = get(row, "data")?;
    let mut record: Challenge = serde_json::from_str(&text).map_err(|e| corrupt("data", &e))?;
    record.attempts = get(row, "attempts")?;
    Ok(record)
}

fn data(c: &Challenge) -> StoreResult<String> {
    serde_json::to_string(c).map_err(|e| StoreError::Backend(format!("challenge: {e}")))
}

#[async_trait]
impl ChallengeRepo for SqlStore {
    async fn create_challenge(&self, c: &Challenge) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO challenges (id_hash, account_id, data, attempts, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&c.id_hash)
        .bind(&c.account_id)
        .bind(data(c)?)
        .bind(c.attempts)
        .bind(c.expires_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "challenges", &[], "id"))?;
        Ok(())
    }

    async fn get_challenge(&self, id_hash: &str) -> StoreResult<Option<Challenge>> {
        let row = sqlx::query("SELECT data, attempts FROM challenges WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(challenge).transpose()
    }

    async fn update_challenge(&self, c: &Challenge) -> StoreResult<()> {
        sqlx::query(
            "UPDATE challenges SET account_id = $2, data = $3, attempts = $4, expires_at = $5 \
             WHERE id_hash = $1",
        )
        .bind(&c.id_hash)
        .bind(&c.account_id)
        .bind(data(c)?)
        .bind(c.attempts)
        .bind(c.expires_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn delete_challenge(&self, id_hash: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM challenges WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn count_challenge_attempt(&self, id_hash: &str, max: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE challenges SET attempts = attempts + 1 WHERE id_hash = $1 AND attempts < $2",
        )
        .bind(id_hash)
        .bind(max)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn purge_challenges(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM challenges WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
