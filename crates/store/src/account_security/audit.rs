//! `AuditRepo`: append-only events, listed newest first.

use super::get;
use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{AuditEvent, AuditKind};
use propusk_core::store::{AuditRepo, StoreError, StoreResult};
use sqlx::any::AnyRow;

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
