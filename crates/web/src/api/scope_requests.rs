//! `/api/v1/scope-requests`: applications' requests for the scopes of products that
//! require approval, and the operator's decision on each.

use super::auth::{Reader, Writer};
use super::extract::{ApiResult, Params, json};
use axum::extract::Path;
use axum::http::StatusCode;
use propusk_core::model::ScopeRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Request {
    pub id: String,
    pub client_id: String,
    /// Audience of the product that owns the scope.
    pub product: String,
    pub scope: String,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    /// The account of the integrator who asked.
    pub requested_by: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl From<ScopeRequest> for Request {
    fn from(r: ScopeRequest) -> Self {
        Self {
            id: r.id,
            client_id: r.client_id,
            product: r.audience,
            scope: r.scope,
            status: r.status.as_str().to_owned(),
            requested_by: r.requested_by,
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RequestList {
    pub items: Vec<Request>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    /// Decided requests too, not only pending ones.
    pub all: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/scope-requests", tag = "scope-requests", params(RequestQuery),
    responses((status = 200, description = "Requests, oldest first", body = RequestList)))]
pub async fn list(Reader(admin): Reader, Params(q): Params<RequestQuery>) -> ApiResult {
    let items = admin.scope_requests(q.all.unwrap_or(false)).await?;
    let list = RequestList {
        items: items.into_iter().map(Request::from).collect(),
    };
    Ok(json(StatusCode::OK, &list))
}

#[utoipa::path(post, path = "/api/v1/scope-requests/{id}/approve", tag = "scope-requests",
    params(("id" = String, Path, description = "Request id")),
    responses((status = 200, description = "Approved: the application may ask for the scope",
        body = Request)))]
pub async fn approve(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let request = admin.decide_scope_request(&actor, &id, true).await?;
    Ok(json(StatusCode::OK, &Request::from(request)))
}

#[utoipa::path(post, path = "/api/v1/scope-requests/{id}/refuse", tag = "scope-requests",
    params(("id" = String, Path, description = "Request id")),
    responses((status = 200, description = "Refused", body = Request)))]
pub async fn refuse(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let request = admin.decide_scope_request(&actor, &id, false).await?;
    Ok(json(StatusCode::OK, &Request::from(request)))
}
