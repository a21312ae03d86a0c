//! The audit trail for operators: every event, filtered by account, client, kind and
//! time range, newest first, in pages.

use super::{Admin, AdminResult, Page, decode_cursor, encode_cursor, invalid};
use crate::clock::Timestamp;
use crate::model::AuditEvent;
use crate::store::AuditFilter;

/// A filter and where the page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub cursor: Option<String>,
}

/// `at` and `id` of the last event of a page, as `at.id`.
fn parse_position(text: &str) -> Option<(Timestamp, String)> {
    let (at, id) = text.split_once('.')?;
    Some((at.parse().ok()?, id.to_owned()))
}

impl Admin {
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
