//! `AdminRepo`: account search with keyset pages, the audit trail by filter and its
//! counts by kind, and the operator accounts (migration `0009_operators`). Searches
//! match any case on both
//! backends: logins and e-mails are stored lower-cased, names in `search_name`
//! lower-cased, the query is lower-cased, and `LIKE` wildcards in it are escaped.

use crate::SqlStore;
use crate::account_security::audit::event;
use crate::error::backend;
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{Account, AuditEvent, AuditKind};
use propusk_core::store::{AdminRepo, AuditFilter, StoreResult};
use sqlx::Row;

/// `%text%` for `LIKE … ESCAPE '\'`, lower-cased, with `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[async_trait]
impl AdminRepo for SqlStore {
    async fn search_accounts(
        &self,
        query: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Account>> {
        let pattern = query.map(contains_pattern);
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(account),
            " FROM accounts WHERE ($1 IS NULL OR id > $1) AND ($2 IS NULL \
             OR LOWER(login) LIKE $2 ESCAPE '\\' OR LOWER(COALESCE(email, '')) LIKE $2 ESCAPE '\\' \
             OR COALESCE(phone, '') LIKE $2 ESCAPE '\\' OR COALESCE(search_name, '') LIKE $2 ESCAPE '\\') \
             ORDER BY id LIMIT $3"
        ))
        .bind(after)
        .bind(pattern)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::account)
    }

    async fn search_audit(
        &self,
        filter: &AuditFilter,
        before: Option<(Timestamp, &str)>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        let (before_at, before_id) = match before {
            Some((at, id)) => (Some(at), Some(id)),
            None => (None, None),
        };
        let found = sqlx::query(
            "SELECT id, at, kind, account_id, ip, detail, actor, client_id FROM audit_events \
             WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR client_id = $2) \
             AND ($3 IS NULL OR kind = $3) AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5) \
             AND ($6 IS NULL OR at < $6 OR (at = $6 AND id < $7)) \
             ORDER BY at DESC, id DESC LIMIT $8",
        )
        .bind(filter.account_id.as_deref())
        .bind(filter.client_id.as_deref())
        .bind(filter.kind.map(|k| k.as_str()))
        .bind(filter.since)
        .bind(filter.until)
        .bind(before_at)
        .bind(before_id)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        found.iter().map(event).collect()
    }

    async fn count_audit(
        &self,
        since: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<(AuditKind, i64)>> {
        let found = sqlx::query(
            "SELECT kind, COUNT(*) AS n FROM audit_events WHERE at >= $1 AND at < $2 \
             GROUP BY kind ORDER BY kind",
        )
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut counts = Vec::with_capacity(found.len());
        for row in &found {
            let kind: String = row.try_get("kind").map_err(backend)?;
            let n: i64 = row.try_get("n").map_err(backend)?;
            if let Some(kind) = AuditKind::parse(&kind) {
                counts.push((kind, n));
            }
        }
        Ok(counts)
    }

    async fn count_audit_details(
        &self,
        kind: AuditKind,
        since: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<(String, i64)>> {
        let found = sqlx::query(
            "SELECT detail, COUNT(*) AS n FROM audit_events \
             WHERE kind = $1 AND at >= $2 AND at < $3 AND detail IS NOT NULL \
             GROUP BY detail ORDER BY detail",
        )
        .bind(kind.as_str())
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut counts = Vec::with_capacity(found.len());
        for row in &found {
            let detail: String = row.try_get("detail").map_err(backend)?;
            let n: i64 = row.try_get("n").map_err(backend)?;
            counts.push((detail, n));
        }
        Ok(counts)
    }

    async fn grant_operator(&self, account_id: &str, now: Timestamp) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO operators (account_id, granted_at) VALUES ($1, $2) \
             ON CONFLICT (account_id) DO NOTHING",
        )
        .bind(account_id)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }

    async fn revoke_operator(&self, account_id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM operators WHERE account_id = $1")
            .bind(account_id)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }

    async fn is_operator(&self, account_id: &str) -> StoreResult<bool> {
        let found = sqlx::query("SELECT account_id FROM operators WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(found.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn wildcards_are_taken_literally() {
        assert_eq!(contains_pattern("Al_i%ce\\"), "%al\\_i\\%ce\\\\%");
    }
}
