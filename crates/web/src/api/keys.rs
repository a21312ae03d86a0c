//! `/api/v1/keys`: the signing keys with their state (next, active, retiring), and
//! rotation (OIDC Core §10.1.1). Only public data: never a private key.

use super::auth::{Reader, Writer};
use super::extract::{ApiResult, Body, json};
use crate::error::problem::ApiProblem;
use axum::http::StatusCode;
use propusk_core::admin::{KeyState, KeyView};
use propusk_core::jose::Alg;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Published, not signing yet.
    Next,
    /// Signs now.
    Active,
    /// Published for verification only, until `unpublish_at`.
    Retiring,
}

#[derive(Serialize, ToSchema)]
pub struct Key {
    pub kid: String,
    pub alg: String,
    pub state: State,
    pub created_at: i64,
    pub active_from: i64,
    pub retired_at: Option<i64>,
    pub unpublish_at: Option<i64>,
}

impl From<KeyView> for Key {
    fn from(k: KeyView) -> Self {
        Self {
            kid: k.kid,
            alg: k.alg,
            state: match k.state {
                KeyState::Next => State::Next,
                KeyState::Active => State::Active,
                KeyState::Retiring => State::Retiring,
            },
            created_at: k.created_at,
            active_from: k.active_from,
            retired_at: k.retired_at,
            unpublish_at: k.unpublish_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct KeyList {
    pub items: Vec<Key>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateBody {
    /// Algorithms to rotate (`RS256`, `PS256`, `ES256`, `EdDSA`); all when absent or empty.
    #[serde(default)]
    pub algs: Vec<String>,
    /// Seconds before the successors sign; the configured window when absent.
    pub prepublish: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/keys", tag = "keys",
    responses((status = 200, description = "Every stored signing key", body = KeyList)))]
pub async fn list(Reader(admin): Reader) -> ApiResult {
    let items = admin.keys().await?.into_iter().map(Key::from).collect();
    Ok(json(StatusCode::OK, &KeyList { items }))
}

#[utoipa::path(post, path = "/api/v1/keys/rotate", tag = "keys", request_body = RotateBody,
    responses((status = 200, description = "The successors created", body = KeyList)))]
pub async fn rotate(Writer(admin, actor): Writer, Body(body): Body<RotateBody>) -> ApiResult {
    let mut algs = Vec::new();
    for text in &body.algs {
        let alg = text
            .parse::<Alg>()
            .map_err(|_| ApiProblem::bad("algs", "each one of RS256, PS256, ES256, EdDSA"))?;
        algs.push(alg);
    }
    let created = admin.rotate_keys(&actor, &algs, body.prepublish).await?;
    let items = created.into_iter().map(Key::from).collect();
    Ok(json(StatusCode::OK, &KeyList { items }))
}
