//! Remembered consents (`ConsentRepo`): one row per account and client; giving consent
//! again replaces the scope. The personal cabinet lists an account's grants and takes a
//! client's access away in one transaction (consent, grants, tokens, logout deliveries).

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{Consent, Grant, LogoutDelivery};
use propusk_core::store::{ConsentRepo, StoreResult};
use sqlx::Row;

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

    async fn account_grants(&self, account_id: &str) -> StoreResult<Vec<Grant>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(grant),
            " FROM grants WHERE account_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::grant)
    }

    async fn last_refresh_by_client(
        &self,
        account_id: &str,
    ) -> StoreResult<Vec<(String, Timestamp)>> {
        let found = sqlx::query(
            "SELECT g.client_id AS client_id, MAX(r.created_at) AS at FROM refresh_tokens r \
             JOIN grants g ON g.id = r.grant_id WHERE g.account_id = $1 \
             GROUP BY g.client_id ORDER BY g.client_id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        found
            .iter()
            .map(|row| {
                let client: String = row.try_get("client_id").map_err(backend)?;
                let at: i64 = row.try_get("at").map_err(backend)?;
                Ok((client, at))
            })
            .collect()
    }

    async fn revoke_access(
        &self,
        account_id: &str,
        client_id: &str,
        deliveries: &[LogoutDelivery],
        now: Timestamp,
    ) -> StoreResult<u64> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        sqlx::query("DELETE FROM consents WHERE account_id = $1 AND client_id = $2")
            .bind(account_id)
            .bind(client_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        for statement in [
            "UPDATE refresh_tokens SET revoked_at = $3 WHERE revoked_at IS NULL AND grant_id IN \
             (SELECT id FROM grants WHERE account_id = $1 AND client_id = $2)",
            "UPDATE access_tokens SET revoked_at = $3 WHERE revoked_at IS NULL AND grant_id IN \
             (SELECT id FROM grants WHERE account_id = $1 AND client_id = $2)",
        ] {
            sqlx::query(statement)
                .bind(account_id)
                .bind(client_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        let grants = sqlx::query(
            "UPDATE grants SET revoked_at = $3 \
             WHERE account_id = $1 AND client_id = $2 AND revoked_at IS NULL",
        )
        .bind(account_id)
        .bind(client_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        for d in deliveries {
            queue_delivery(&mut tx, d).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(grants.rows_affected())
    }
}

/// Queues a back-channel logout inside a transaction of the caller.
pub(crate) async fn queue_delivery(
    tx: &mut crate::pool::Tx,
    d: &LogoutDelivery,
) -> StoreResult<()> {
    sqlx::query(concat!(
        "INSERT INTO logout_deliveries (id, client_id, uri, sid, sub, attempts, ",
        "next_attempt_at, created_at, delivered_at, abandoned_at, last_error) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&d.id)
    .bind(&d.client_id)
    .bind(&d.uri)
    .bind(&d.sid)
    .bind(&d.sub)
    .bind(d.attempts)
    .bind(d.next_attempt_at)
    .bind(d.created_at)
    .bind(d.delivered_at)
    .bind(d.abandoned_at)
    .bind(&d.last_error)
    .execute(&mut **tx)
    .await
    .map_err(|e| conflict(e, "logout_deliveries", &[], "id"))?;
    Ok(())
}
