//! `/api/v1/trusted-issuers`: partner issuers whose JWT assertions the `jwt-bearer` grant
//! accepts (RFC 7523 §3): registered or replaced, listed, removed.

use super::auth::{Reader, Writer};
use super::extract::{ApiResult, Body, done, json};
use crate::error::problem::ApiProblem;
use axum::extract::Path;
use axum::http::StatusCode;
use propusk_core::model::{SubjectMapping, TrustedIssuer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mapping {
    /// `sub` is the account's login (or e-mail or phone).
    Login,
    /// `sub` is the account id.
    Id,
}

#[derive(Serialize, ToSchema)]
pub struct Issuer {
    pub issuer: String,
    /// Its public keys, a JWK Set.
    #[schema(value_type = Object)]
    pub jwks: serde_json::Value,
    /// Clients that may present its assertions.
    pub client_ids: Vec<String>,
    pub subject: Mapping,
    pub created_at: i64,
}

impl From<TrustedIssuer> for Issuer {
    fn from(t: TrustedIssuer) -> Self {
        Self {
            jwks: serde_json::to_value(&t.jwks).unwrap_or_default(),
            issuer: t.issuer,
            client_ids: t.client_ids,
            subject: match t.subject {
                SubjectMapping::Login => Mapping::Login,
                SubjectMapping::Id => Mapping::Id,
            },
            created_at: t.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IssuerList {
    pub items: Vec<Issuer>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuerBody {
    pub issuer: String,
    /// Public keys only: a key with private members is refused.
    #[schema(value_type = Object)]
    pub jwks: serde_json::Value,
    #[serde(default)]
    pub client_ids: Vec<String>,
    pub subject: Mapping,
}

#[utoipa::path(get, path = "/api/v1/trusted-issuers", tag = "trusted-issuers",
    responses((status = 200, description = "Every partner issuer", body = IssuerList)))]
pub async fn list(Reader(admin): Reader) -> ApiResult {
    let items = admin.trusted_issuers().await?;
    let list = IssuerList {
        items: items.into_iter().map(Issuer::from).collect(),
    };
    Ok(json(StatusCode::OK, &list))
}

#[utoipa::path(post, path = "/api/v1/trusted-issuers", tag = "trusted-issuers",
    request_body = IssuerBody,
    responses((status = 200, description = "Registered, or replaced when it was", body = Issuer)))]
pub async fn save(Writer(admin, actor): Writer, Body(body): Body<IssuerBody>) -> ApiResult {
    let subject = match body.subject {
        Mapping::Login => SubjectMapping::Login,
        Mapping::Id => SubjectMapping::Id,
    };
    let saved = admin
        .put_trusted_issuer(&actor, &body.issuer, &body.jwks, body.client_ids, subject)
        .await?;
    Ok(json(StatusCode::OK, &Issuer::from(saved)))
}

#[utoipa::path(delete, path = "/api/v1/trusted-issuers/{id}", tag = "trusted-issuers",
    params(("id" = String, Path, description = "The issuer, percent-encoded")),
    responses((status = 204, description = "Removed: its assertions are refused from now on")))]
pub async fn remove(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    if id.is_empty() {
        return Err(ApiProblem::bad("id", "names no issuer"));
    }
    admin.delete_trusted_issuer(&actor, &id).await?;
    Ok(done())
}
