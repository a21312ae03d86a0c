//! `AccountRevocationRepo`: what a password reset does to everything the account had
//! open, in one transaction each: sessions end; grants, refresh tokens and recorded
//! access tokens are revoked.

use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::store::{AccountRevocationRepo, StoreResult};

#[async_trait]
impl AccountRevocationRepo for SqlStore {
    async fn end_account_sessions(&self, account_id: &str, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET ended_at = $2 WHERE account_id = $1 AND ended_at IS NULL",
        )
        .bind(account_id)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn revoke_account_grants(&self, account_id: &str, now: Timestamp) -> StoreResult<u64> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        for statement in [
            "UPDATE refresh_tokens SET revoked_at = $2 WHERE revoked_at IS NULL AND grant_id IN \
             (SELECT id FROM grants WHERE account_id = $1)",
            "UPDATE access_tokens SET revoked_at = $2 WHERE revoked_at IS NULL AND grant_id IN \
             (SELECT id FROM grants WHERE account_id = $1)",
        ] {
            sqlx::query(statement)
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        let grants = sqlx::query(
            "UPDATE grants SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
        )
        .bind(account_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(grants.rows_affected())
    }
}
