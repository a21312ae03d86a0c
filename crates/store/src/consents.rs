//! Remembered consents (`ConsentRepo`): one row per account and client; giving consent
//! again replaces the scope.

use crate::SqlStore;
use crate::error::backend;
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::model::Consent;
use propusk_core::store::{ConsentRepo, StoreResult};

#[async_trait]
impl ConsentRepo for SqlStore {
    async fn get_consent(&self, account_id: &str, client_id: &str) -> StoreResult<Option<Consent>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(consent),
            " FROM consents WHERE account_id = $1 AND client_id = $2"
        ))
        .bind(account_id)
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::consent)
    }

    async fn upsert_consent(&self, consent: &Consent) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO consents (",
            columns!(consent),
            ") VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, client_id) \
             DO UPDATE SET scope = excluded.scope, updated_at = excluded.updated_at"
        ))
        .bind(&consent.account_id)
        .bind(&consent.client_id)
        .bind(consent.scope.to_string())
        .bind(consent.updated_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn delete_consent(&self, account_id: &str, client_id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM consents WHERE account_id = $1 AND client_id = $2")
            .bind(account_id)
            .bind(client_id)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }

    async fn list_consents(&self, account_id: &str) -> StoreResult<Vec<Consent>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(consent),
            " FROM consents WHERE account_id = $1 ORDER BY client_id"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::consent)
    }
}
