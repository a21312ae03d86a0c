//! `OutboxRepo`: messages waiting for the delivery worker. A claim moves the next
//! attempt past the lease in the same statement that selects, and re-checks the due
//! condition on the row it updates, so two workers never send the same message. A
//! message delivered by a real adapter, or given up, loses its body (the code).

use super::get;
use crate::SqlStore;
use crate::error::backend;
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{Channel, OutboxMessage};
use propusk_core::store::{OutboxRepo, StoreResult};
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, channel, recipient, subject, body, attempts, next_attempt_at, created_at, sent_at, last_error";

fn message(row: &AnyRow) -> StoreResult<OutboxMessage> {
    let channel: String = get(row, "channel")?;
    Ok(OutboxMessage {
        id: get(row, "id")?,
        channel: if channel == "email" {
            Channel::Email
        } else {
            Channel::Sms
        },
        to: get(row, "recipient")?,
        subject: get(row, "subject")?,
        body: get(row, "body")?,
        attempts: get(row, "attempts")?,
        next_attempt_at: get(row, "next_attempt_at")?,
        created_at: get(row, "created_at")?,
        sent_at: get(row, "sent_at")?,
        last_error: get(row, "last_error")?,
    })
}

#[async_trait]
impl OutboxRepo for SqlStore {
    async fn enqueue_message(&self, m: &OutboxMessage) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO outbox ({COLUMNS}, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox))"
        ))
        .bind(&m.id)
        .bind(m.channel.as_str())
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.attempts)
        .bind(m.next_attempt_at)
        .bind(m.created_at)
        .bind(m.sent_at)
        .bind(&m.last_error)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
        max_attempts: i64,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1 \
             WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $4 AND id IN \
             (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
              AND attempts < $4 ORDER BY created_at LIMIT $3) \
             RETURNING {COLUMNS}"
        ))
        .bind(now)
        .bind(lease_until)
        .bind(limit.max(0))
        .bind(max_attempts)
        .fetch_all(&self.writer)
        .await
        .map_err(backend)?;
        rows.iter().map(message).collect()
    }

    async fn message_sent(&self, id: &str, now: Timestamp, erase_body: bool) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET sent_at = $2, last_error = NULL, \
             body = CASE WHEN $3 = 1 THEN '' ELSE body END WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(i64::from(erase_body))
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn message_failed(
        &self,
        id: &str,
        next_attempt_at: Timestamp,
        error: &str,
        erase_body: bool,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $2, last_error = $3, \
             body = CASE WHEN $4 = 1 THEN '' ELSE body END WHERE id = $1",
        )
        .bind(id)
        .bind(next_attempt_at)
        .bind(error)
        .bind(i64::from(erase_body))
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn erase_abandoned_bodies(&self, now: Timestamp, max_attempts: i64) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE outbox SET body = '' WHERE sent_at IS NULL AND attempts >= $2 \
             AND next_attempt_at <= $1 AND body <> ''",
        )
        .bind(now)
        .bind(max_attempts)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn recent_messages(&self, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM outbox ORDER BY seq DESC LIMIT $1"
        ))
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(message).collect()
    }
}
