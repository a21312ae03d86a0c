//! `/admin/trusted-issuers`: the partner issuers of the `jwt-bearer` grant (RFC 7523)
//! listed, added or replaced (public keys as a JWK set, the clients that may present
//! their assertions, how `sub` names an account) and removed; and
//! `/admin/scope-requests`: applications' requests for product scopes, approved or
//! refused.

use super::access::{operator, operator_form};
use super::views::{IssuerLine, IssuersView, RequestLine, RequestsView};
use super::{after, failure, here, item, nav, notice_text};
use crate::pages::PageContext;
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::AdminError;
use propusk_core::model::{ScopeRequestStatus, SubjectMapping};
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct NoticeParams {
    notice: Option<String>,
    /// `all`: decided requests too.
    show: Option<String>,
}

#[derive(Deserialize)]
pub struct IssuerBody {
    csrf: Option<String>,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    jwks: String,
    #[serde(default)]
    client_ids: String,
    #[serde(default)]
    subject: String,
}

#[derive(Deserialize)]
pub struct RemoveBody {
    csrf: Option<String>,
    #[serde(default)]
    issuer: String,
}

#[derive(Deserialize)]
pub struct DecideBody {
    csrf: Option<String>,
    #[serde(default)]
    decision: String,
}

/// GET `/admin/trusted-issuers`.
pub async fn issuers(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<NoticeParams>,
) -> Response {
    let at = routes::ADMIN_TRUSTED_ISSUERS;
    let operator = match operator(&mut context, &accounts, at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let issuers = match operator.admin.trusted_issuers().await {
        Ok(issuers) => issuers,
        Err(error) => return failure(&context, error, at),
    };
    let view = IssuersView {
        nav: nav(&context, &operator, "issuers"),
        issuers: issuers
            .into_iter()
            .map(|i| IssuerLine {
                keys: i.jwks.keys.len(),
                client_ids: i.client_ids,
                subject: i.subject.as_str(),
                created: super::when(Some(i.created_at)),
                issuer: i.issuer,
            })
            .collect(),
        notice: notice_text(&context, params.notice.as_deref()),
        save_action: here(&context, at),
        remove_action: here(&context, routes::ADMIN_TRUSTED_ISSUER_REMOVE),
        csrf: operator.csrf(&context),
    };
    context.page(at).render(&view)
}

/// POST `/admin/trusted-issuers`: adds the issuer, or replaces it when known.
pub async fn save_issuer(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(body): Form<IssuerBody>,
) -> Response {
    let at = routes::ADMIN_TRUSTED_ISSUERS;
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let refused = |field, description: &str| AdminError::Invalid {
        field,
        description: description.to_owned(),
    };
    let Ok(jwks) = serde_json::from_str::<serde_json::Value>(&body.jwks) else {
        return failure(&context, refused("jwks", "not JSON"), at);
    };
    let Some(subject) = SubjectMapping::parse(body.subject.trim()) else {
        return failure(&context, refused("subject", "`login` or `id`"), at);
    };
    let client_ids = body
        .client_ids
        .split([' ', ',', '\n', '\r', '\t'])
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    match operator
        .admin
        .put_trusted_issuer(&operator.actor, &body.issuer, &jwks, client_ids, subject)
        .await
    {
        Ok(_) => after(&context, at, "saved"),
        Err(error) => failure(&context, error, at),
    }
}

/// POST `/admin/trusted-issuers/remove` with the issuer.
pub async fn remove_issuer(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(body): Form<RemoveBody>,
) -> Response {
    let at = routes::ADMIN_TRUSTED_ISSUERS;
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    match operator
        .admin
        .delete_trusted_issuer(&operator.actor, &body.issuer)
        .await
    {
        Ok(()) => after(&context, at, "removed"),
        Err(error) => failure(&context, error, at),
    }
}

/// GET `/admin/scope-requests` (pending ones; `?show=all` for every one).
pub async fn scope_requests(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<NoticeParams>,
) -> Response {
    let at = routes::ADMIN_SCOPE_REQUESTS;
    let operator = match operator(&mut context, &accounts, at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let all = params.show.as_deref() == Some("all");
    let requests = match operator.admin.scope_requests(all).await {
        Ok(requests) => requests,
        Err(error) => return failure(&context, error, at),
    };
    let view = RequestsView {
        nav: nav(&context, &operator, "requests"),
        all,
        toggle_href: crate::pages::join(
            at,
            &[
                context.lang_param(),
                if all {
                    String::new()
                } else {
                    "show=all".into()
                },
            ],
        ),
        requests: requests
            .into_iter()
            .map(|r| RequestLine {
                pending: r.status == ScopeRequestStatus::Pending,
                action: item(&context, routes::ADMIN_SCOPE_REQUEST, &r.id),
                client_href: item(&context, routes::ADMIN_CLIENT, &r.client_id),
                status: r.status.as_str(),
                created: super::when(Some(r.created_at)),
                id: r.id,
                client_id: r.client_id,
                audience: r.audience,
                scope: r.scope,
            })
            .collect(),
        notice: notice_text(&context, params.notice.as_deref()),
        csrf: operator.csrf(&context),
    };
    context.page(at).render(&view)
}

/// POST `/admin/scope-requests/{id}` with `decision=approve` or `refuse`.
pub async fn decide(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<DecideBody>,
) -> Response {
    let at = routes::ADMIN_SCOPE_REQUESTS;
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let approve = match body.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => {
            let error = AdminError::Invalid {
                field: "decision",
                description: "`approve` or `refuse`".into(),
            };
            return failure(&context, error, at);
        }
    };
    match operator
        .admin
        .decide_scope_request(&operator.actor, &id, approve)
        .await
    {
        Ok(_) => after(&context, at, "decided"),
        Err(error) => failure(&context, error, at),
    }
}
