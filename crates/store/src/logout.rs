//! Logout bookkeeping (`LogoutRepo`): the grants of a session, and the back-channel
//! logout delivery queue. Workers claim due rows one conditional `UPDATE` at a time, so
//! two workers never send the same attempt.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::Grant;
use propusk_core::model::LogoutDelivery;
use propusk_core::store::{LogoutRepo, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, client_id, uri, sid, sub, attempts, next_attempt_at, created_at, \
     delivered_at, abandoned_at, last_error";

fn row_to_delivery(row: &AnyRow) -> StoreResult<LogoutDelivery> {
    Ok(LogoutDelivery {
        id: row.try_get("id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        uri: row.try_get("uri").map_err(backend)?,
        sid: row.try_get("sid").map_err(backend)?,
        sub: row.try_get("sub").map_err(backend)?,
        attempts: row.try_get("attempts").map_err(backend)?,
        next_attempt_at: row.try_get("next_attempt_at").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        delivered_at: row.try_get("delivered_at").map_err(backend)?,
        abandoned_at: row.try_get("abandoned_at").map_err(backend)?,
        last_error: row.try_get("last_error").map_err(backend)?,
    })
}

#[async_trait]
impl LogoutRepo for SqlStore {
    async fn session_grants(&self, session_id: &str) -> StoreResult<Vec<Grant>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(grant),
            " FROM grants WHERE session_id = $1 ORDER BY created_at, id"
        ))
        .bind(session_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::grant)
    }

    async fn insert_logout_delivery(&self, d: &LogoutDelivery) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO logout_deliveries ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        );
        sqlx::query(&sql)
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
            .execute(&self.writer)
            .await
            .map_err(|e| conflict(e, "logout_deliveries", &[], "id"))?;
        Ok(())
    }

    async fn claim_logout_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<LogoutDelivery>> {
        let due = sqlx::query(
            "SELECT id FROM logout_deliveries WHERE delivered_at IS NULL \
             AND abandoned_at IS NULL AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in due {
            let id: String = row.try_get("id").map_err(backend)?;
            let sql = format!(
                "UPDATE logout_deliveries SET next_attempt_at = $2 WHERE id = $1 \
                 AND delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= $3 \
                 RETURNING {COLUMNS}"
            );
            let taken = sqlx::query(&sql)
                .bind(&id)
                .bind(lease_until)
                .bind(now)
                .fetch_optional(&self.writer)
                .await
                .map_err(backend)?;
            if let Some(row) = taken {
                claimed.push(row_to_delivery(&row)?);
            }
        }
        Ok(claimed)
    }

    async fn update_logout_delivery(&self, d: &LogoutDelivery) -> StoreResult<()> {
        sqlx::query(
            "UPDATE logout_deliveries SET attempts = $2, next_attempt_at = $3, \
             delivered_at = $4, abandoned_at = $5, last_error = $6 WHERE id = $1",
        )
        .bind(&d.id)
        .bind(d.attempts)
        .bind(d.next_attempt_at)
        .bind(d.delivered_at)
        .bind(d.abandoned_at)
        .bind(&d.last_error)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_logout_deliveries(&self, client_id: &str) -> StoreResult<Vec<LogoutDelivery>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM logout_deliveries WHERE client_id = $1 \
             ORDER BY created_at DESC, id"
        );
        let found = sqlx::query(&sql)
            .bind(client_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        found.iter().map(row_to_delivery).collect()
    }
}
