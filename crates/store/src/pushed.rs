//! Pushed authorization requests (`PushedRequestRepo`, RFC 9126 §2): rows keyed by the
//! hash of the `request_uri`, the parameters as one JSON text. Taking one is a single
//! `DELETE … RETURNING` bound to its client and its lifetime, so it is used once even
//! when two authorization requests race for it.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::PushedRequest;
use propusk_core::store::{PushedRequestRepo, StoreError, StoreResult};
use sqlx::Row;

#[async_trait]
impl PushedRequestRepo for SqlStore {
    async fn insert_pushed_request(&self, request: &PushedRequest) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO pushed_requests \
             (request_uri_hash, client_id, params, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&request.request_uri_hash)
        .bind(&request.client_id)
        .bind(rows::to_json(&request.params)?)
        .bind(request.created_at)
        .bind(request.expires_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "pushed_requests", &[], "request_uri"))?;
        Ok(())
    }

    async fn take_pushed_request(
        &self,
        request_uri_hash: &str,
        client_id: &str,
        now: Timestamp,
    ) -> StoreResult<Option<PushedRequest>> {
        let row = sqlx::query(
            "DELETE FROM pushed_requests \
             WHERE request_uri_hash = $1 AND client_id = $2 AND expires_at > $3 \
             RETURNING params, created_at, expires_at",
        )
        .bind(request_uri_hash)
        .bind(client_id)
        .bind(now)
        .fetch_optional(&self.writer)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let params: String = row.try_get("params").map_err(backend)?;
        let params = serde_json::from_str(&params)
            .map_err(|_| StoreError::Backend("stored params are not valid".into()))?;
        Ok(Some(PushedRequest {
            request_uri_hash: request_uri_hash.to_owned(),
            client_id: client_id.to_owned(),
            params,
            created_at: row.try_get("created_at").map_err(backend)?,
            expires_at: row.try_get("expires_at").map_err(backend)?,
        }))
    }

    async fn purge_expired_pushed_requests(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM pushed_requests WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
