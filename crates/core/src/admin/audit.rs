//! The audit trail for operators: every event, filtered by account, client, kind and
//! time range, newest first, in pages; and how many events of each kind a time range
//! holds, and tokens issued by grant type, for the console's dashboard.

use super::{Admin, AdminResult, Page, decode_cursor, encode_cursor, invalid};
use crate::clock::Timestamp;
use crate::model::{AuditEvent, AuditKind};
use crate::store::AuditFilter;

/// A filter and where the page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub cursor: Option<String>,
}

/// How many events of each kind happened from `since` (inclusive) to `until` (exclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCounts {
    pub since: Timestamp,
    pub until: Timestamp,
    pub counts: Vec<(AuditKind, i64)>,
}

impl AuditCounts {
    /// The events of `kind`, 0 when none.
    pub fn of(&self, kind: AuditKind) -> i64 {
        self.counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }
}

const DAY: Timestamp = 86_400;

/// `at` and `id` of the last event of a page, as `at.id`.
fn parse_position(text: &str) -> Option<(Timestamp, String)> {
    let (at, id) = text.split_once('.')?;
    Some((at.parse().ok()?, id.to_owned()))
}

impl Admin {
    /// Events by kind from `since` to `until`.
    pub async fn audit_counts(
        &self,
        since: Timestamp,
        until: Timestamp,
    ) -> AdminResult<AuditCounts> {
        if since > until {
            return Err(invalid("since", "must not be after `until`"));
        }
        let counts = self.provider.store.count_audit(since, until).await?;
        Ok(AuditCounts {
            since,
            until,
            counts,
        })
    }

    /// Events by kind of the current day, from midnight UTC to now.
    pub async fn today_counts(&self) -> AdminResult<AuditCounts> {
        let now = self.provider.now();
        let midnight = now - now.rem_euclid(DAY);
        self.audit_counts(midnight, now + 1).await
    }

    /// Tokens issued today (from midnight UTC to now) by grant type.
    pub async fn today_tokens(&self) -> AdminResult<Vec<(String, i64)>> {
        let now = self.provider.now();
        let midnight = now - now.rem_euclid(DAY);
        Ok(self
            .provider
            .store
            .count_audit_details(AuditKind::TokenIssued, midnight, now + 1)
            .await?)
    }

    pub async fn audit_events(
        &self,
        query: &AuditQuery,
        limit: i64,
    ) -> AdminResult<Page<AuditEvent>> {
        let filter = &query.filter;
        if filter
            .since
            .zip(filter.until)
            .is_some_and(|(since, until)| since > until)
        {
            return Err(invalid("since", "must not be after `until`"));
        }
        let before = match &query.cursor {
            None => None,
            Some(cursor) => Some(
                parse_position(&decode_cursor(cursor)?)
                    .ok_or_else(|| invalid("cursor", "not a cursor this list gave"))?,
            ),
        };
        let mut items = self
            .provider
            .store
            .search_audit(
                filter,
                before.as_ref().map(|(at, id)| (*at, id.as_str())),
                limit + 1,
            )
            .await?;
        let more = items.len() as i64 > limit;
        items.truncate(limit.max(0) as usize);
        let next_cursor = items
            .last()
            .filter(|_| more)
            .map(|e| encode_cursor(&format!("{}.{}", e.at, e.id)));
        Ok(Page { items, next_cursor })
    }
}
