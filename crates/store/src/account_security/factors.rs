//! `FactorRepo`: an account's second factors, whether phone sign-in is off, and recovery
//! codes. A TOTP step and a
//! recovery code are each used by one conditional update.

use super::get;
use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{Factors, RecoveryCode};
use propusk_core::store::{FactorRepo, StoreResult};

#[async_trait]
impl FactorRepo for SqlStore {
    async fn get_factors(&self, account_id: &str) -> StoreResult<Option<Factors>> {
        let row = sqlx::query(
            "SELECT account_id, totp_sealed, totp_last_step, sms, phone_sign_in_off, updated_at \
             FROM account_factors WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(Factors {
                account_id: get(&row, "account_id")?,
                totp_sealed: get(&row, "totp_sealed")?,
                totp_last_step: get(&row, "totp_last_step")?,
                sms: get::<i64>(&row, "sms")? != 0,
                phone_sign_in_off: get::<i64>(&row, "phone_sign_in_off")? != 0,
                updated_at: get(&row, "updated_at")?,
            })
        })
        .transpose()
    }

    async fn put_factors(&self, f: &Factors) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO account_factors (account_id, totp_sealed, totp_last_step, sms, \
             phone_sign_in_off, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account_id) DO UPDATE SET \
             totp_sealed = excluded.totp_sealed, totp_last_step = excluded.totp_last_step, \
             sms = excluded.sms, phone_sign_in_off = excluded.phone_sign_in_off, \
             updated_at = excluded.updated_at",
        )
        .bind(&f.account_id)
        .bind(&f.totp_sealed)
        .bind(f.totp_last_step)
        .bind(i64::from(f.sms))
        .bind(i64::from(f.phone_sign_in_off))
        .bind(f.updated_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn use_totp_step(&self, account_id: &str, step: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE account_factors SET totp_last_step = $2 WHERE account_id = $1 \
             AND totp_sealed IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(account_id)
        .bind(step)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn replace_recovery_codes(
        &self,
        account_id: &str,
        codes: &[RecoveryCode],
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        for code in codes {
            sqlx::query(
                "INSERT INTO recovery_codes (account_id, code_hash, created_at, used_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(account_id)
            .bind(&code.code_hash)
            .bind(code.created_at)
            .bind(code.used_at)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn use_recovery_code(
        &self,
        account_id: &str,
        code_hash: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 \
             WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(account_id)
        .bind(code_hash)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn unused_recovery_codes(&self, account_id: &str) -> StoreResult<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(account_id)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        get(&row, "n")
    }
}
