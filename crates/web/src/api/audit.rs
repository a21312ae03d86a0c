//! `/api/v1/audit-events`: the audit trail filtered by account, client, kind and time
//! range, newest first, in cursor pages; as JSON Lines (one event per line) with
//! `?format=jsonl` or at `/api/v1/audit-events/export`, for SIEMs. Events carry no
//! secret, code or token.

use super::auth::Reader;
use super::extract::{ApiResult, Params, json};
use crate::error::problem::ApiProblem;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use propusk_core::admin::{Admin, AuditQuery, MAX_PAGE, page_size};
use propusk_core::model::{AuditEvent, AuditKind};
use propusk_core::store::AuditFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most events one export holds.
const MAX_EXPORT: usize = 100_000;

#[derive(Serialize, ToSchema)]
pub struct Event {
    pub id: String,
    /// Unix seconds.
    pub at: i64,
    /// What happened: `sign_in`, `account_blocked`, `client_created`, …
    pub kind: String,
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    /// Who acted: `operator:<account id>`, `client:<client id>` or `cli`.
    pub actor: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

impl From<AuditEvent> for Event {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id,
            at: e.at,
            kind: e.kind.as_str().to_owned(),
            account_id: e.account_id,
            client_id: e.client_id,
            actor: e.actor,
            ip: e.ip,
            detail: e.detail,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Json,
    Jsonl,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    /// An event kind such as `sign_in` or `account_blocked`.
    pub kind: Option<String>,
    /// From this unix time, inclusive.
    pub since: Option<i64>,
    /// Before this unix time.
    pub until: Option<i64>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `jsonl`: every matching event as JSON Lines instead of a page.
    pub format: Option<OutputFormat>,
}

fn query(q: &EventQuery) -> Result<AuditQuery, ApiProblem> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(text) => Some(
            AuditKind::parse(text).ok_or_else(|| ApiProblem::bad("kind", "not an event kind"))?,
        ),
    };
    let text = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    Ok(AuditQuery {
        filter: AuditFilter {
            account_id: text(&q.account_id),
            client_id: text(&q.client_id),
            kind,
            since: q.since,
            until: q.until,
        },
        cursor: text(&q.cursor),
    })
}

#[utoipa::path(get, path = "/api/v1/audit-events", tag = "audit", params(EventQuery),
    responses((status = 200, description = "A page of events, newest first; JSON Lines with format=jsonl",
        content((EventPage = "application/json"), (String = "application/jsonl")))))]
pub async fn list(Reader(admin): Reader, Params(q): Params<EventQuery>) -> ApiResult {
    let mut audit = query(&q)?;
    if matches!(q.format, Some(OutputFormat::Jsonl)) {
        audit.cursor = None;
        return lines(&admin, &audit).await;
    }
    let page = admin.audit_events(&audit, page_size(q.limit)?).await?;
    let page = EventPage {
        items: page.items.into_iter().map(Event::from).collect(),
        next_cursor: page.next_cursor,
    };
    Ok(json(StatusCode::OK, &page))
}

#[utoipa::path(get, path = "/api/v1/audit-events/export", tag = "audit", params(EventQuery),
    responses((status = 200, description = "Every matching event as JSON Lines, newest first",
        content((String = "application/jsonl")))))]
pub async fn export(Reader(admin): Reader, Params(q): Params<EventQuery>) -> ApiResult {
    let mut audit = query(&q)?;
    audit.cursor = None;
    lines(&admin, &audit).await
}

async fn lines(admin: &Admin, audit: &AuditQuery) -> ApiResult {
    let mut audit = audit.clone();
    let mut out = Vec::new();
    let mut count = 0;
    loop {
        let page = admin.audit_events(&audit, MAX_PAGE).await?;
        for event in page.items {
            let line = serde_json::to_vec(&Event::from(event))
                .map_err(|e| ApiProblem::Internal(e.to_string()))?;
            out.extend_from_slice(&line);
            out.push(b'\n');
            count += 1;
        }
        match page.next_cursor {
            Some(next) if count < MAX_EXPORT => audit.cursor = Some(next),
            _ => break,
        }
    }
    let mut response = (StatusCode::OK, out).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jsonl"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
