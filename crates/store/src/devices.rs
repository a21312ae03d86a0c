//! Device authorizations (`DeviceRepo`, RFC 8628 §3): rows keyed by the hash of the
//! device code, found also by the hash of the user code. The decision and the redemption
//! are conditional `UPDATE`s, so each happens once; the attempt counter is one upsert.

use crate::SqlStore;
use crate::error::{backend, conflict};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{DeviceAuthorization, DeviceDecision, DeviceStatus};
use propusk_core::store::{DeviceRepo, StoreError, StoreResult};
use propusk_types::scope::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "device_code_hash, user_code_hash, client_id, scope, status, account_id, \
     grant_id, interval_seconds, last_polled_at, created_at, expires_at";

fn corrupt_text(column: &str) -> StoreError {
    StoreError::Backend(format!("stored {column} is not valid"))
}

fn row_to_device(row: &AnyRow) -> StoreResult<DeviceAuthorization> {
    let text = |column: &str| row.try_get::<String, _>(column).map_err(backend);
    let status = text("status")?;
    Ok(DeviceAuthorization {
        device_code_hash: text("device_code_hash")?,
        user_code_hash: text("user_code_hash")?,
        client_id: text("client_id")?,
        scope: Scope::parse(&text("scope")?).map_err(|_| corrupt_text("scope"))?,
        status: DeviceStatus::parse(&status).ok_or_else(|| corrupt_text("status"))?,
        account_id: row.try_get("account_id").map_err(backend)?,
        grant_id: row.try_get("grant_id").map_err(backend)?,
        interval: row.try_get("interval_seconds").map_err(backend)?,
        last_polled_at: row.try_get("last_polled_at").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
    })
}

impl SqlStore {
    async fn device_where(
        &self,
        column: &str,
        value: &str,
    ) -> StoreResult<Option<DeviceAuthorization>> {
        let sql = format!("SELECT {COLUMNS} FROM device_authorizations WHERE {column} = $1");
        let row = sqlx::query(&sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(row_to_device).transpose()
    }
}

#[async_trait]
impl DeviceRepo for SqlStore {
    async fn insert_device_authorization(&self, a: &DeviceAuthorization) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO device_authorizations ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        );
        sqlx::query(&sql)
            .bind(&a.device_code_hash)
            .bind(&a.user_code_hash)
            .bind(&a.client_id)
            .bind(a.scope.to_string())
            .bind(a.status.as_str())
            .bind(&a.account_id)
            .bind(&a.grant_id)
            .bind(a.interval)
            .bind(a.last_polled_at)
            .bind(a.created_at)
            .bind(a.expires_at)
            .execute(&self.writer)
            .await
            .map_err(|e| {
                conflict(
                    e,
                    "device_authorizations",
                    &[("user_code_hash", "user_code")],
                    "device_code",
                )
            })?;
        Ok(())
    }

    async fn get_device_authorization(
        &self,
        device_code_hash: &str,
    ) -> StoreResult<Option<DeviceAuthorization>> {
        self.device_where("device_code_hash", device_code_hash)
            .await
    }

    async fn find_device_by_user_code(
        &self,
        user_code_hash: &str,
    ) -> StoreResult<Option<DeviceAuthorization>> {
        self.device_where("user_code_hash", user_code_hash).await
    }

    async fn decide_device(
        &self,
        user_code_hash: &str,
        decision: &DeviceDecision,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE device_authorizations SET status = $2, account_id = $3, grant_id = $4 \
             WHERE user_code_hash = $1 AND status = 'pending' AND expires_at > $5",
        )
        .bind(user_code_hash)
        .bind(decision.status.as_str())
        .bind(&decision.account_id)
        .bind(&decision.grant_id)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn record_device_poll(
        &self,
        device_code_hash: &str,
        now: Timestamp,
        interval: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE device_authorizations SET last_polled_at = $2, interval_seconds = $3 \
             WHERE device_code_hash = $1",
        )
        .bind(device_code_hash)
        .bind(now)
        .bind(interval)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn redeem_device(&self, device_code_hash: &str, now: Timestamp) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE device_authorizations SET status = 'redeemed', last_polled_at = $2 \
             WHERE device_code_hash = $1 AND status = 'approved'",
        )
        .bind(device_code_hash)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn count_attempt(&self, key: &str, window: i64, now: Timestamp) -> StoreResult<i64> {
        let row = sqlx::query(
            "INSERT INTO device_attempts (key, window_start, attempts) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
             attempts = CASE WHEN device_attempts.window_start <= $3 THEN 1 \
                             ELSE device_attempts.attempts + 1 END, \
             window_start = CASE WHEN device_attempts.window_start <= $3 THEN $2 \
                                 ELSE device_attempts.window_start END \
             RETURNING attempts",
        )
        .bind(key)
        .bind(now)
        .bind(now - window)
        .fetch_one(&self.writer)
        .await
        .map_err(backend)?;
        row.try_get("attempts").map_err(backend)
    }

    async fn purge_expired_devices(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM device_authorizations WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
