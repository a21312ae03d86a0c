//! GET `/admin/audit`: the audit log, newest first, filtered by account, client, event
//! kind and time range (UTC, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` as a `datetime-local`
//! field sends it), in cursor pages. A filter that does not parse is said next to the
//! form with status 400.

use super::access::operator;
use super::views::{AuditView, EventLine};
use super::{encode, failure, item, nav};
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::{AdminError, AuditQuery};
use propusk_core::model::{AuditEvent, AuditKind};
use propusk_core::store::AuditFilter;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

/// Events on one page of the log.
const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct AuditParams {
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    cursor: Option<String>,
}

/// `at` as the filter form shows it: `YYYY-MM-DDTHH:MM` (UTC).
pub fn moment(at: i64) -> String {
    crate::accounts::when(at)
        .trim_end_matches(" UTC")
        .replacen(' ', "T", 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days-from-civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM` (UTC) as unix seconds.
fn parse_moment(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (hour, minute) = match time {
        None => (0, 0),
        Some(time) => {
            let mut hm = time.splitn(3, ':');
            let hour: i64 = hm.next()?.parse().ok()?;
            let minute: i64 = hm.next()?.parse().ok()?;
            if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
                return None;
            }
            (hour, minute)
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60)
}

/// The filter the parameters ask for, or the text of what is wrong with them.
fn filter(context: &PageContext, p: &AuditParams) -> Result<AuditFilter, String> {
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let kind = match text(&p.kind) {
        None => None,
        Some(kind) => Some(
            AuditKind::parse(&kind).ok_or_else(|| context.text(key!("admin-audit-bad-kind")))?,
        ),
    };
    let time = |v: &str| match text(v) {
        None => Ok(None),
        Some(v) => parse_moment(&v)
            .map(Some)
            .ok_or_else(|| context.text(key!("admin-audit-bad-time"))),
    };
    Ok(AuditFilter {
        account_id: text(&p.account_id),
        client_id: text(&p.client_id),
        kind,
        since: time(&p.since)?,
        until: time(&p.until)?,
    })
}

fn line(context: &PageContext, e: AuditEvent) -> EventLine {
    EventLine {
        at: crate::accounts::when(e.at),
        kind: e.kind.as_str().to_owned(),
        account_href: e
            .account_id
            .as_deref()
            .map(|id| item(context, routes::ADMIN_USER, id)),
        account: e.account_id.unwrap_or_default(),
        client: e.client_id.unwrap_or_default(),
        actor: e.actor.unwrap_or_default(),
        ip: e.ip.unwrap_or_default(),
        detail: e.detail.unwrap_or_default(),
    }
}

/// The link to the page after the one shown: the same filter and `cursor`.
fn next_href(context: &PageContext, p: &AuditParams, cursor: &str) -> String {
    let mut params = vec![context.lang_param()];
    for (name, value) in [
        ("account_id", &p.account_id),
        ("client_id", &p.client_id),
        ("kind", &p.kind),
        ("since", &p.since),
        ("until", &p.until),
    ] {
        if !value.trim().is_empty() {
            params.push(format!("{name}={}", encode(value.trim())));
        }
    }
    params.push(format!("cursor={}", encode(cursor)));
    join(routes::ADMIN_AUDIT, &params)
}

pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<AuditParams>,
) -> Response {
    let operator = match operator(&mut context, &accounts, routes::ADMIN_AUDIT).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let (events, next, error) = match filter(&context, &params) {
        Err(error) => (Vec::new(), None, Some(error)),
        Ok(filter) => {
            let query = AuditQuery {
                filter,
                cursor: params.cursor.clone().filter(|c| !c.is_empty()),
            };
            match operator.admin.audit_events(&query, PAGE).await {
                Ok(page) => (page.items, page.next_cursor, None),
                Err(AdminError::Invalid { .. }) => (
                    Vec::new(),
                    None,
                    Some(context.text(key!("admin-audit-bad-range"))),
                ),
                Err(error) => return failure(&context, error, routes::ADMIN_AUDIT),
            }
        }
    };
    let status = crate::error::form_status(error.is_some());
    let view = AuditView {
        nav: nav(&context, &operator, "audit"),
        action: routes::ADMIN_AUDIT.to_owned(),
        chosen_lang: context.chosen.map(|l| l.code()),
        kinds: AuditKind::ALL.iter().map(|k| k.as_str()).collect(),
        next_href: next.as_deref().map(|c| next_href(&context, &params, c)),
        events: events.into_iter().map(|e| line(&context, e)).collect(),
        account_id: params.account_id,
        client_id: params.client_id,
        kind: params.kind,
        since: params.since,
        until: params.until,
        error,
    };
    context
        .page(routes::ADMIN_AUDIT)
        .status(status)
        .render(&view)
}

#[cfg(test)]
mod tests {
    use super::{moment, parse_moment};

    #[test]
    fn moments_round_trip() {
        assert_eq!(parse_moment("1970-01-01"), Some(0));
        assert_eq!(
            parse_moment("2026-12-07T01:01"),
            Some(1_796_601_600 + 3_660)
        );
        assert_eq!(parse_moment("2000-02-29 00:00"), Some(11_016 * 86_400));
        assert_eq!(moment(1_796_601_600 + 3_660), "2026-12-07T01:01");
        for bad in ["", "2026-13-01", "yesterday", "2026-12-07T25:00", "2026-12"] {
            assert_eq!(parse_moment(bad), None, "{bad}");
        }
    }
}
