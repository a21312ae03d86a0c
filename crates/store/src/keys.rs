//! Signing keys (`KeyRepo`): the sealed private key, the public JWK and the publication
//! and signing windows that key rotation moves.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::KeyRecord;
use propusk_core::store::{KeyRepo, StoreResult};

#[async_trait]
impl KeyRepo for SqlStore {
    async fn insert_key(&self, key: &KeyRecord) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO signing_keys (",
            columns!(key),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&key.kid)
        .bind(&key.alg)
        .bind(&key.sealed_private)
        .bind(rows::to_json(&key.public_jwk)?)
        .bind(key.created_at)
        .bind(key.active_from)
        .bind(key.retired_at)
        .bind(key.unpublish_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "signing_keys", &[], "kid"))?;
        Ok(())
    }

    async fn update_key(&self, key: &KeyRecord) -> StoreResult<()> {
        sqlx::query(
            "UPDATE signing_keys SET alg = $2, sealed_private = $3, public_jwk = $4, \
             active_from = $5, retired_at = $6, unpublish_at = $7 WHERE kid = $1",
        )
        .bind(&key.kid)
        .bind(&key.alg)
        .bind(&key.sealed_private)
        .bind(rows::to_json(&key.public_jwk)?)
        .bind(key.active_from)
        .bind(key.retired_at)
        .bind(key.unpublish_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_keys(&self) -> StoreResult<Vec<KeyRecord>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(key),
            " FROM signing_keys ORDER BY created_at, kid"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::key)
    }

    async fn delete_unpublished_keys(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM signing_keys WHERE unpublish_at IS NOT NULL AND unpublish_at <= $1",
        )
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
