//! The integrator cabinet's storage (`DeveloperRepo`): integrators, owners of clients,
//! api-key revocation and last use, requests for product scopes, logos, and usage counted
//! from the grants and access tokens of a client. A revocation empties the read cache (and
//! bumps the shared version by trigger); a last use is patched into the cached keys, so
//! that the next request does not record it again.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{
    ClientLogo, ClientOwner, ClientSecret, Integrator, ScopeRequest, ScopeRequestStatus, UsageDay,
};
use propusk_core::store::{DeveloperRepo, StoreError, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

const SCOPE_REQUEST_COLUMNS: &str =
    "id, client_id, audience, scope, status, requested_by, created_at, decided_at";

fn scope_request(row: &AnyRow) -> StoreResult<ScopeRequest> {
    let status: String = row.try_get("status").map_err(backend)?;
    Ok(ScopeRequest {
        id: row.try_get("id").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        audience: row.try_get("audience").map_err(backend)?,
        scope: row.try_get("scope").map_err(backend)?,
        status: ScopeRequestStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("unknown scope request status {status}")))?,
        requested_by: row.try_get("requested_by").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        decided_at: row.try_get("decided_at").map_err(backend)?,
    })
}

fn owner(row: &AnyRow) -> StoreResult<ClientOwner> {
    Ok(ClientOwner {
        client_id: row.try_get("client_id").map_err(backend)?,
        account_id: row.try_get("account_id").map_err(backend)?,
        added_at: row.try_get("added_at").map_err(backend)?,
    })
}

#[async_trait]
impl DeveloperRepo for SqlStore {
    async fn put_integrator(&self, integrator: &Integrator) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO integrators (account_id, terms_version, accepted_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE \
             SET terms_version = excluded.terms_version, accepted_at = excluded.accepted_at",
        )
        .bind(&integrator.account_id)
        .bind(&integrator.terms_version)
        .bind(integrator.accepted_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_integrator(&self, account_id: &str) -> StoreResult<Option<Integrator>> {
        let row = sqlx::query(
            "SELECT account_id, terms_version, accepted_at FROM integrators WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(Integrator {
                account_id: row.try_get("account_id").map_err(backend)?,
                terms_version: row.try_get("terms_version").map_err(backend)?,
                accepted_at: row.try_get("accepted_at").map_err(backend)?,
            })
        })
        .transpose()
    }

    async fn add_client_owner(&self, owner: &ClientOwner) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO client_owners (client_id, account_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (client_id, account_id) DO NOTHING",
        )
        .bind(&owner.client_id)
        .bind(&owner.account_id)
        .bind(owner.added_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn remove_client_owner(&self, client_id: &str, account_id: &str) -> StoreResult<bool> {
        let done =
            sqlx::query("DELETE FROM client_owners WHERE client_id = $1 AND account_id = $2")
                .bind(client_id)
                .bind(account_id)
                .execute(&self.writer)
                .await
                .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }

    async fn client_owners(&self, client_id: &str) -> StoreResult<Vec<ClientOwner>> {
        let found = sqlx::query(
            "SELECT client_id, account_id, added_at FROM client_owners \
             WHERE client_id = $1 ORDER BY added_at, account_id",
        )
        .bind(client_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        found.iter().map(owner).collect()
    }

    async fn owned_clients(&self, account_id: &str) -> StoreResult<Vec<String>> {
        let found = sqlx::query(
            "SELECT client_id FROM client_owners WHERE account_id = $1 ORDER BY added_at, client_id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        found
            .iter()
            .map(|row| row.try_get("client_id").map_err(backend))
            .collect()
    }

    async fn api_keys(&self, client_id: &str) -> StoreResult<Vec<ClientSecret>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(client_secret),
            " FROM client_secrets WHERE client_id = $1 ORDER BY created_at, id"
        ))
        .bind(client_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::client_secret)
    }

    async fn revoke_client_secret(
        &self,
        client_id: &str,
        secret_id: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE client_secrets SET revoked_at = $3 \
             WHERE id = $1 AND client_id = $2 AND revoked_at IS NULL",
        )
        .bind(secret_id)
        .bind(client_id)
        .bind(now)
        .execute(&self.writer)
        .await;
        self.cache.invalidate();
        Ok(done.map_err(backend)?.rows_affected() > 0)
    }

    async fn touch_client_secret(
        &self,
        client_id: &str,
        secret_id: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.cache.touch_secret(client_id, secret_id, now);
        let id = secret_id.to_owned();
        self.writes
            .run(move |conn| {
                Box::pin(async move {
                    sqlx::query("UPDATE client_secrets SET last_used_at = $2 WHERE id = $1")
                        .bind(&id)
                        .bind(now)
                        .execute(conn)
                        .await
                        .map_err(backend)?;
                    Ok(())
                })
            })
            .await
    }

    async fn insert_scope_request(&self, request: &ScopeRequest) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO scope_requests \
             (id, client_id, audience, scope, status, requested_by, created_at, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&request.id)
        .bind(&request.client_id)
        .bind(&request.audience)
        .bind(&request.scope)
        .bind(request.status.as_str())
        .bind(&request.requested_by)
        .bind(request.created_at)
        .bind(request.decided_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "scope_requests", &[], "id"))?;
        Ok(())
    }

    async fn list_scope_requests(
        &self,
        client_id: Option<&str>,
        status: Option<ScopeRequestStatus>,
    ) -> StoreResult<Vec<ScopeRequest>> {
        let sql = format!(
            "SELECT {SCOPE_REQUEST_COLUMNS} FROM scope_requests \
             WHERE ($1 IS NULL OR client_id = $1) AND ($2 IS NULL OR status = $2) \
             ORDER BY created_at, id"
        );
        let found = sqlx::query(&sql)
            .bind(client_id)
            .bind(status.map(ScopeRequestStatus::as_str))
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        found.iter().map(scope_request).collect()
    }

    async fn get_scope_request(&self, id: &str) -> StoreResult<Option<ScopeRequest>> {
        let sql = format!("SELECT {SCOPE_REQUEST_COLUMNS} FROM scope_requests WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(scope_request).transpose()
    }

    async fn decide_scope_request(
        &self,
        id: &str,
        status: ScopeRequestStatus,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE scope_requests SET status = $2, decided_at = $3 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }

    async fn put_client_logo(&self, logo: &ClientLogo) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO client_logos (client_id, content_type, data, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (client_id) DO UPDATE \
             SET content_type = excluded.content_type, data = excluded.data, \
             updated_at = excluded.updated_at",
        )
        .bind(&logo.client_id)
        .bind(&logo.content_type)
        .bind(&logo.data)
        .bind(logo.updated_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_client_logo(&self, client_id: &str) -> StoreResult<Option<ClientLogo>> {
        let row = sqlx::query(
            "SELECT client_id, content_type, data, updated_at FROM client_logos \
             WHERE client_id = $1",
        )
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(ClientLogo {
                client_id: row.try_get("client_id").map_err(backend)?,
                content_type: row.try_get("content_type").map_err(backend)?,
                data: row.try_get("data").map_err(backend)?,
                updated_at: row.try_get("updated_at").map_err(backend)?,
            })
        })
        .transpose()
    }

    async fn client_usage(&self, client_id: &str, since: Timestamp) -> StoreResult<Vec<UsageDay>> {
        let mut days: BTreeMap<i64, UsageDay> = BTreeMap::new();
        for (table, sign_ins) in [("grants", true), ("access_tokens", false)] {
            let sql = format!(
                "SELECT created_at / {DAY} AS day, COUNT(*) AS n FROM {table} \
                 WHERE client_id = $1 AND created_at >= $2 GROUP BY created_at / {DAY}"
            );
            let found = sqlx::query(&sql)
                .bind(client_id)
                .bind(since)
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
            for row in &found {
                let day: i64 = row.try_get("day").map_err(backend)?;
                let n: i64 = row.try_get("n").map_err(backend)?;
                let entry = days.entry(day).or_insert(UsageDay {
                    day,
                    sign_ins: 0,
                    tokens: 0,
                });
                if sign_ins {
                    entry.sign_ins += n;
                } else {
                    entry.tokens += n;
                }
            }
        }
        Ok(days.into_values().collect())
    }
}
