//! `AuditRepo`: append-only events, listed newest first. Batches from the engine's
//! audit writer go in as multi-row `INSERT`s of at most [`CHUNK`] rows each.

use super::get;
use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{AuditEvent, AuditKind};
use propusk_core::store::{AuditRepo, StoreError, StoreResult};
use sqlx::any::AnyRow;

/// Columns of one event row.
const PARAMS: usize = 8;

/// Most events in one `INSERT` (8 parameters each).
const CHUNK: usize = 64;

/// `INSERT … VALUES ($1, …), (…)` for `rows` events.
fn insert_statement(rows: usize) -> String {
    let mut statement = String::with_capacity(96 + rows * 48);
    statement.push_str(
        "INSERT INTO audit_events (id, at, kind, account_id, ip, detail, actor, client_id) \
         VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            statement.push_str(", ");
        }
        statement.push('(');
        for p in 1..=PARAMS {
            if p > 1 {
                statement.push_str(", ");
            }
            statement.push('$');
            statement.push_str(&(row * PARAMS + p).to_string());
        }
        statement.push(')');
    }
    statement
}

pub(crate) fn event(row: &AnyRow) -> StoreResult<AuditEvent> {
    let kind: String = get(row, "kind")?;
    Ok(AuditEvent {
        id: get(row, "id")?,
        at: get(row, "at")?,
        kind: AuditKind::parse(&kind)
            .ok_or_else(|| StoreError::Backend(format!("unknown audit kind {kind}")))?,
        account_id: get(row, "account_id")?,
        ip: get(row, "ip")?,
        detail: get(row, "detail")?,
        actor: get(row, "actor")?,
        client_id: get(row, "client_id")?,
    })
}

#[async_trait]
impl AuditRepo for SqlStore {
    async fn record_audit(&self, e: &AuditEvent) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_events (id, at, kind, account_id, ip, detail, actor, client_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&e.id)
        .bind(e.at)
        .bind(e.kind.as_str())
        .bind(&e.account_id)
        .bind(&e.ip)
        .bind(&e.detail)
        .bind(&e.actor)
        .bind(&e.client_id)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn record_audit_batch(&self, events: &[AuditEvent]) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.map_err(backend)?;
        for chunk in events.chunks(CHUNK) {
            let statement = insert_statement(chunk.len());
            let mut query = sqlx::query(&statement);
            for e in chunk {
                query = query
                    .bind(&e.id)
                    .bind(e.at)
                    .bind(e.kind.as_str())
                    .bind(&e.account_id)
                    .bind(&e.ip)
                    .bind(&e.detail)
                    .bind(&e.actor)
                    .bind(&e.client_id);
            }
            query.execute(&mut *tx).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn list_audit(
        &self,
        account_id: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        let rows = sqlx::query(
            "SELECT id, at, kind, account_id, ip, detail, actor, client_id FROM audit_events \
             WHERE ($1 IS NULL OR account_id = $1) ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(account_id)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(event).collect()
    }

    async fn account_audit_page(
        &self,
        account_id: &str,
        before: Option<(Timestamp, &str)>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        let (at, id) = match before {
            Some((at, id)) => (Some(at), Some(id)),
            None => (None, None),
        };
        let rows = sqlx::query(
            "SELECT id, at, kind, account_id, ip, detail, actor, client_id FROM audit_events \
             WHERE account_id = $1 AND ($2 IS NULL OR at < $2 OR (at = $2 AND id < $3)) \
             ORDER BY at DESC, id DESC LIMIT $4",
        )
        .bind(account_id)
        .bind(at)
        .bind(id)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(event).collect()
    }
}
