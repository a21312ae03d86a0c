//! Trusted partner issuers (`TrustedIssuerRepo`, RFC 7523 §3): one row per issuer, the
//! record as JSON (public keys, allowed clients, subject mapping).

use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::model::TrustedIssuer;
use propusk_core::store::{StoreError, StoreResult, TrustedIssuerRepo};
use sqlx::Row;
use sqlx::any::AnyRow;

fn row_to_issuer(row: &AnyRow) -> StoreResult<TrustedIssuer> {
    let text: String = row.try_get("data").map_err(backend)?;
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Backend(format!("stored trusted issuer is not valid: {e:?}")))
}

#[async_trait]
impl TrustedIssuerRepo for SqlStore {
    async fn upsert_trusted_issuer(&self, issuer: &TrustedIssuer) -> StoreResult<()> {
        let data = serde_json::to_string(issuer)
            .map_err(|e| StoreError::Backend(format!("cannot serialize an issuer: {e:?}")))?;
        sqlx::query(
            "INSERT INTO trusted_issuers (issuer, data, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (issuer) DO UPDATE SET data = excluded.data",
        )
        .bind(&issuer.issuer)
        .bind(data)
        .bind(issuer.created_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_trusted_issuer(&self, issuer: &str) -> StoreResult<Option<TrustedIssuer>> {
        let row = sqlx::query("SELECT data FROM trusted_issuers WHERE issuer = $1")
            .bind(issuer)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(row_to_issuer).transpose()
    }

    async fn list_trusted_issuers(&self) -> StoreResult<Vec<TrustedIssuer>> {
        let rows = sqlx::query("SELECT data FROM trusted_issuers ORDER BY issuer")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(row_to_issuer).collect()
    }

    async fn delete_trusted_issuer(&self, issuer: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM trusted_issuers WHERE issuer = $1")
            .bind(issuer)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
