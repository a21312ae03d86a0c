//! User accounts (`AccountRepo`). Login, e-mail and phone are each unique; a clash is
//! reported as `Conflict` naming the identifier.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{Account, LogoutDelivery};
use propusk_core::store::{AccountRepo, StoreError, StoreResult};

const IDENTIFIERS: [(&str, &str); 3] = [("login", "login"), ("email", "email"), ("phone", "phone")];

/// The name operators search accounts by, lower-cased (`AdminRepo::search_accounts`).
fn search_name(account: &Account) -> Option<String> {
    account.profile.name.as_deref().map(str::to_lowercase)
}

fn identifier_conflict(err: sqlx::Error) -> StoreError {
    conflict(err, "accounts", &IDENTIFIERS, "id")
}

#[async_trait]
impl AccountRepo for SqlStore {
    async fn create_account(&self, account: &Account) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO accounts (",
            columns!(account),
            ", search_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(&account.id)
        .bind(&account.login)
        .bind(&account.email)
        .bind(&account.phone)
        .bind(&account.password_hash)
        .bind(rows::to_json(&account.profile)?)
        .bind(rows::flag(account.disabled))
        .bind(account.created_at)
        .bind(account.updated_at)
        .bind(search_name(account))
        .execute(&self.writer)
        .await
        .map_err(identifier_conflict)?;
        Ok(())
    }

    async fn update_account(&self, account: &Account) -> StoreResult<()> {
        sqlx::query(
            "UPDATE accounts SET login = $2, email = $3, phone = $4, password_hash = $5, \
             profile = $6, disabled = $7, updated_at = $8, search_name = $9 WHERE id = $1",
        )
        .bind(&account.id)
        .bind(&account.login)
        .bind(&account.email)
        .bind(&account.phone)
        .bind(&account.password_hash)
        .bind(rows::to_json(&account.profile)?)
        .bind(rows::flag(account.disabled))
        .bind(account.updated_at)
        .bind(search_name(account))
        .execute(&self.writer)
        .await
        .map_err(identifier_conflict)?;
        Ok(())
    }

    async fn get_account(&self, id: &str) -> StoreResult<Option<Account>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(account),
            " FROM accounts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::account)
    }

    async fn find_account(&self, identifier: &str) -> StoreResult<Option<Account>> {
        // A value may be one account's login and another's e-mail: the login wins, then
        // the e-mail, then the phone.
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(account),
            " FROM accounts WHERE login = $1 OR email = $1 OR phone = $1 \
             ORDER BY CASE WHEN login = $1 THEN 0 WHEN email = $1 THEN 1 ELSE 2 END LIMIT 1"
        ))
        .bind(identifier)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::account)
    }

    async fn list_accounts(&self, limit: i64, offset: i64) -> StoreResult<Vec<Account>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(account),
            " FROM accounts ORDER BY created_at, id LIMIT $1 OFFSET $2"
        ))
        .bind(limit.max(0))
        .bind(offset.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::account)
    }

    async fn erase_account(
        &self,
        account_id: &str,
        deliveries: &[LogoutDelivery],
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let erased = sqlx::query(
            "UPDATE accounts SET login = $2, email = NULL, phone = NULL, password_hash = NULL, \
             profile = $3, disabled = $4, updated_at = $5, search_name = NULL WHERE id = $1",
        )
        .bind(account_id)
        .bind(format!("deleted:{account_id}"))
        .bind("{}")
        .bind(rows::flag(true))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if erased.rows_affected() == 0 {
            return Ok(false);
        }
        for statement in [
            "UPDATE sessions SET ended_at = COALESCE(ended_at, $2), user_agent = NULL, ip = NULL \
             WHERE account_id = $1",
            "UPDATE refresh_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE grant_id IN \
             (SELECT id FROM grants WHERE account_id = $1)",
            "UPDATE access_tokens SET revoked_at = COALESCE(revoked_at, $2), claims = '{}' \
             WHERE account_id = $1 OR grant_id IN (SELECT id FROM grants WHERE account_id = $1)",
            "UPDATE grants SET revoked_at = COALESCE(revoked_at, $2), claims = NULL, nonce = NULL \
             WHERE account_id = $1",
            "UPDATE audit_events SET ip = NULL WHERE account_id = $1 AND at <= $2",
        ] {
            sqlx::query(statement)
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        for statement in [
            "DELETE FROM consents WHERE account_id = $1",
            "DELETE FROM account_factors WHERE account_id = $1",
            "DELETE FROM recovery_codes WHERE account_id = $1",
            "DELETE FROM challenges WHERE account_id = $1",
            "DELETE FROM certificate_bindings WHERE account_id = $1",
            "DELETE FROM certificate_challenges WHERE account_id = $1",
            "DELETE FROM passkeys WHERE account_id = $1",
        ] {
            sqlx::query(statement)
                .bind(account_id)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        for d in deliveries {
            crate::consents::queue_delivery(&mut tx, d).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }
}
