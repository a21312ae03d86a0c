//! Grants and authorization codes (`GrantRepo`), revocation of a grant's whole token
//! family (RFC 6749 §4.1.2, RFC 9700 §4.14.2) and the purge of expired rows. Refresh and
//! access token statements live in `tokens`.
//!
//! Redeeming a code is one conditional `UPDATE … RETURNING`, so of any number of
//! concurrent attempts exactly one sees the unused row.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::holder::{self, holder_account_columns};
use crate::rows::{self, columns};
use crate::tokens;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::*;
use propusk_core::store::{GrantRepo, StoreResult};

/// A grant with nothing left pointing to it is purged only after this long, so that a
/// grant inserted just before its code or token is never taken for an empty one.
const EMPTY_GRANT_GRACE: i64 = 24 * 3600;

/// Purge of expired rows, each statement bound to `now`, run in one transaction.
const PURGE_EXPIRED: [&str; 5] = [
    "DELETE FROM auth_codes WHERE expires_at <= $1",
    "DELETE FROM refresh_tokens WHERE expires_at <= $1",
    "DELETE FROM access_tokens WHERE expires_at <= $1",
    "DELETE FROM interactions WHERE expires_at <= $1",
    "DELETE FROM replay_cache WHERE expires_at <= $1",
];

/// Then grants created before `$1` that no code or token points to any more.
const PURGE_EMPTY_GRANTS: &str = "DELETE FROM grants WHERE created_at <= $1 \
     AND NOT EXISTS (SELECT 1 FROM auth_codes c WHERE c.grant_id = grants.id) \
     AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = grants.id) \
     AND NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.grant_id = grants.id)";

#[async_trait]
impl GrantRepo for SqlStore {
    async fn insert_grant(&self, grant: &Grant) -> StoreResult<()> {
        let amr = rows::to_json(&grant.amr)?;
        let claims = grant.claims.as_ref().map(rows::to_json).transpose()?;
        let grant = grant.clone();
        self.writes
            .run(move |conn| {
                Box::pin(async move {
                    sqlx::query(concat!(
                        "INSERT INTO grants (",
                        columns!(grant),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                    ))
                    .bind(&grant.id)
                    .bind(&grant.client_id)
                    .bind(&grant.account_id)
                    .bind(&grant.session_id)
                    .bind(grant.scope.to_string())
                    .bind(grant.auth_time)
                    .bind(&grant.acr)
                    .bind(amr)
                    .bind(&grant.nonce)
                    .bind(claims)
                    .bind(grant.created_at)
                    .bind(grant.revoked_at)
                    .execute(conn)
                    .await
                    .map_err(|e| conflict(e, "grants", &[], "id"))?;
                    Ok(())
                })
            })
            .await
    }

    async fn get_grant(&self, id: &str) -> StoreResult<Option<Grant>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(grant),
            " FROM grants WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::grant)
    }

    async fn get_grant_with_account(
        &self,
        id: &str,
    ) -> StoreResult<Option<(Grant, Option<Account>)>> {
        let row = sqlx::query(concat!(
            "SELECT g.id, g.client_id, g.account_id, g.session_id, g.scope, g.auth_time, \
             g.acr, g.amr, g.nonce, g.claims, g.created_at, g.revoked_at, ",
            holder_account_columns!(),
            " FROM grants g LEFT JOIN accounts u ON u.id = g.account_id WHERE g.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| Ok((rows::grant(&row)?, holder::prefixed_account(&row)?)))
            .transpose()
    }

    async fn revoke_grant(&self, id: &str, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        for statement in [
            "UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            "UPDATE refresh_tokens SET revoked_at = $2 WHERE grant_id = $1 AND revoked_at IS NULL",
            "UPDATE access_tokens SET revoked_at = $2 WHERE grant_id = $1 AND revoked_at IS NULL",
        ] {
            sqlx::query(statement)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn insert_code(&self, code: &AuthCode) -> StoreResult<()> {
        let code = code.clone();
        self.writes
            .run(move |conn| {
                Box::pin(async move {
                    sqlx::query(concat!(
                        "INSERT INTO auth_codes (",
                        columns!(code),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(&code.code_hash)
                    .bind(&code.grant_id)
                    .bind(&code.client_id)
                    .bind(&code.redirect_uri)
                    .bind(&code.code_challenge)
                    .bind(code.created_at)
                    .bind(code.expires_at)
                    .bind(code.used_at)
                    .execute(conn)
                    .await
                    .map_err(|e| conflict(e, "auth_codes", &[], "code"))?;
                    Ok(())
                })
            })
            .await
    }

    async fn redeem_code(&self, code_hash: &str, now: Timestamp) -> StoreResult<CodeRedemption> {
        let hash = code_hash.to_owned();
        let redeemed = self
            .writes
            .run(move |conn| {
                Box::pin(async move {
                    let row = sqlx::query(concat!(
                        "UPDATE auth_codes SET used_at = $2 \
                         WHERE code_hash = $1 AND used_at IS NULL RETURNING ",
                        columns!(code)
                    ))
                    .bind(&hash)
                    .bind(now)
                    .fetch_optional(conn)
                    .await
                    .map_err(backend)?;
                    rows::maybe(row, rows::code)
                })
            })
            .await?;
        if let Some(code) = redeemed {
            return Ok(CodeRedemption::Redeemed(code));
        }
        let before = sqlx::query(concat!(
            "SELECT ",
            columns!(code),
            " FROM auth_codes WHERE code_hash = $1"
        ))
        .bind(code_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(match rows::maybe(before, rows::code)? {
            Some(code) => CodeRedemption::AlreadyUsed(code),
            None => CodeRedemption::NotFound,
        })
    }

    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()> {
        tokens::insert_refresh(&self.writes, token).await
    }

    async fn use_refresh_token(&self, token_hash: &str, now: Timestamp) -> StoreResult<RefreshUse> {
        tokens::use_refresh(&self.writes, &self.pool, token_hash, now).await
    }

    async fn find_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        tokens::find_refresh(&self.pool, token_hash).await
    }

    async fn insert_access_token(&self, token: &AccessTokenRecord) -> StoreResult<()> {
        tokens::insert_access(&self.writes, token).await
    }

    async fn find_access_token_by_jti(&self, jti: &str) -> StoreResult<Option<AccessTokenRecord>> {
        tokens::find_access(&self.pool, tokens::AccessKey::Jti, jti).await
    }

    async fn find_access_token_by_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<AccessTokenRecord>> {
        tokens::find_access(&self.pool, tokens::AccessKey::Hash, token_hash).await
    }

    async fn revoke_access_token(
        &self,
        record: &AccessTokenRecord,
        now: Timestamp,
    ) -> StoreResult<()> {
        tokens::revoke_access(&self.writer, record, now).await
    }

    async fn purge_expired(&self, now: Timestamp) -> StoreResult<u64> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let mut purged = 0;
        for statement in PURGE_EXPIRED {
            let done = sqlx::query(statement)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            purged += done.rows_affected();
        }
        let done = sqlx::query(PURGE_EMPTY_GRANTS)
            .bind(now.saturating_sub(EMPTY_GRANT_GRACE))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        purged += done.rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(purged)
    }
}
