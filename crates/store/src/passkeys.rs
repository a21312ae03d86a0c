//! Passkeys of accounts (`PasskeyRepo`); transports as a JSON array, flags as 0/1.

use crate::SqlStore;
use crate::error::{backend, conflict, corrupt};
use crate::rows::{flag, to_json};
use async_trait::async_trait;
use propusk_core::model::{Passkey, PasskeyUse};
use propusk_core::store::{PasskeyRepo, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, account_id, user_handle, public_key, algorithm, sign_count, name, \
     transports, backup_eligible, backed_up, attestation_format, created_at, last_used_at";

fn passkey(row: &AnyRow) -> StoreResult<Passkey> {
    let transports: String = row.try_get("transports").map_err(backend)?;
    Ok(Passkey {
        id: row.try_get("id").map_err(backend)?,
        account_id: row.try_get("account_id").map_err(backend)?,
        user_handle: row.try_get("user_handle").map_err(backend)?,
        public_key: row.try_get("public_key").map_err(backend)?,
        algorithm: row.try_get("algorithm").map_err(backend)?,
        sign_count: row.try_get("sign_count").map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        transports: serde_json::from_str(&transports).map_err(|e| corrupt("transports", &e))?,
        backup_eligible: row.try_get::<i64, _>("backup_eligible").map_err(backend)? != 0,
        backed_up: row.try_get::<i64, _>("backed_up").map_err(backend)? != 0,
        attestation_format: row.try_get("attestation_format").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        last_used_at: row.try_get("last_used_at").map_err(backend)?,
    })
}

#[async_trait]
impl PasskeyRepo for SqlStore {
    async fn add_passkey(&self, p: &Passkey) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO passkeys ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&p.id)
        .bind(&p.account_id)
        .bind(&p.user_handle)
        .bind(&p.public_key)
        .bind(p.algorithm)
        .bind(p.sign_count)
        .bind(&p.name)
        .bind(to_json(&p.transports)?)
        .bind(flag(p.backup_eligible))
        .bind(flag(p.backed_up))
        .bind(&p.attestation_format)
        .bind(p.created_at)
        .bind(p.last_used_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "passkeys", &[], "credential_id"))?;
        Ok(())
    }

    async fn find_passkey(&self, id: &str) -> StoreResult<Option<Passkey>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM passkeys WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(passkey).transpose()
    }

    async fn account_passkeys(&self, account_id: &str) -> StoreResult<Vec<Passkey>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM passkeys WHERE account_id = $1 ORDER BY created_at, id"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(passkey).collect()
    }

    async fn use_passkey(&self, id: &str, used: PasskeyUse) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE passkeys SET sign_count = $2, backed_up = $3, last_used_at = $4 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(used.sign_count)
        .bind(flag(used.backed_up))
        .bind(used.at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn rename_passkey(&self, account_id: &str, id: &str, name: &str) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE passkeys SET name = $3 WHERE account_id = $1 AND id = $2")
            .bind(account_id)
            .bind(id)
            .bind(name)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_passkey(&self, account_id: &str, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM passkeys WHERE account_id = $1 AND id = $2")
            .bind(account_id)
            .bind(id)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
