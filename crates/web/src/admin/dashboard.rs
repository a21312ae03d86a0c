//! GET `/admin`: today's sign-ins, failed sign-ins and lockouts, tokens issued by grant
//! type, and every other kind of event the audit trail holds for the day (UTC), each
//! linking to the audit log filtered to it.

use super::access::operator;
use super::views::{DashboardView, Tile};
use super::{encode, failure, nav};
use crate::pages::{PageContext, join};
use axum::extract::Extension;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::model::AuditKind;
use propusk_texts::key;
use propusk_types::routes;
use std::sync::Arc;

/// The events the dashboard shows as tiles.
const TILES: [(&str, AuditKind, &str); 3] = [
    ("sign-ins", AuditKind::SignIn, key!("admin-tile-sign-ins")),
    (
        "failures",
        AuditKind::SignInFailed,
        key!("admin-tile-failures"),
    ),
    ("lockouts", AuditKind::Lockout, key!("admin-tile-lockouts")),
];

/// The audit log of `kind` from `since` to `until`.
fn audit_href(context: &PageContext, kind: AuditKind, since: i64, until: i64) -> String {
    join(
        routes::ADMIN_AUDIT,
        &[
            context.lang_param(),
            format!("kind={}", encode(kind.as_str())),
            format!("since={}", encode(&super::audit::moment(since))),
            format!("until={}", encode(&super::audit::moment(until))),
        ],
    )
}

pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
) -> Response {
    let operator = match operator(&mut context, &accounts, routes::ADMIN).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let today = match operator.admin.today_counts().await {
        Ok(today) => today,
        Err(error) => return failure(&context, error, routes::ADMIN),
    };
    let tokens = match operator.admin.today_tokens().await {
        Ok(tokens) => tokens,
        Err(error) => return failure(&context, error, routes::ADMIN),
    };
    let until = today.since + 86_400;
    let tiles = TILES
        .iter()
        .map(|(id, kind, label)| Tile {
            id,
            label: context.text(label),
            count: today.of(*kind),
            href: audit_href(&context, *kind, today.since, until),
        })
        .collect();
    let kinds = today
        .counts
        .iter()
        .map(|(kind, n)| {
            let href = audit_href(&context, *kind, today.since, until);
            (kind.as_str().to_owned(), *n, href)
        })
        .collect();
    let view = DashboardView {
        nav: nav(&context, &operator, "dashboard"),
        day: crate::accounts::when(today.since)
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned(),
        tiles,
        kinds,
        tokens: tokens
            .into_iter()
            .map(|(grant, n)| {
                let href = audit_href(&context, AuditKind::TokenIssued, today.since, until);
                (grant, n, href)
            })
            .collect(),
    };
    context.page(routes::ADMIN).render(&view)
}
