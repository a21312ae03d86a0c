//! Who calls the API: the bearer token (RFC 6750 §2.1) must be one of this provider's
//! access tokens, live, issued to a client for itself (`sub` = `client_id`, the
//! `client_credentials` grant), for this provider as audience, and its client must still
//! exist. [`Reader`] needs `propusk:admin.read` or `propusk:admin`; [`Writer`] needs
//! `propusk:admin`. The caller becomes the actor of what it changes.

use crate::endpoints::userinfo::bearer_header;
use crate::error::problem::ApiProblem;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use propusk_core::admin::{ADMIN_READ_SCOPE, ADMIN_SCOPE, Actor, Admin};
use propusk_core::error::Error;
use serde_json::Value;

/// A caller allowed to read.
pub struct Reader(pub Admin);

/// A caller allowed to change things, and the actor its changes are recorded under.
pub struct Writer(pub Admin, pub Actor);

/// The caller's client id, once its token holds the scope (`propusk:admin` when `write`).
async fn caller(parts: &Parts, state: &AppState, write: bool) -> Result<String, ApiProblem> {
    let token = match bearer_header(&parts.headers) {
        Ok(Some(token)) => token,
        Ok(None) => return Err(ApiProblem::NoToken),
        Err(_) => return Err(ApiProblem::InvalidToken("malformed Bearer credentials")),
    };
    let p = &state.provider;
    let valid = match p.validate_access_token(&token).await {
        Ok(valid) => valid,
        Err(Error::InvalidToken(why)) => return Err(ApiProblem::InvalidToken(why)),
        Err(other) => return Err(other.into()),
    };
    if propusk_core::dpop::resource::bound_key(&valid.claims).is_some() {
        // RFC 9449 §7.2: a DPoP-bound token is never accepted as a bearer token; this
        // API takes bearer tokens only.
        return Err(ApiProblem::InvalidToken(
            "a DPoP-bound token is not accepted as a bearer token",
        ));
    }
    let may_write = valid.scope.contains(ADMIN_SCOPE);
    if write && !may_write {
        return Err(ApiProblem::InsufficientScope(ADMIN_SCOPE));
    }
    if !may_write && !valid.scope.contains(ADMIN_READ_SCOPE) {
        return Err(ApiProblem::InsufficientScope(ADMIN_READ_SCOPE));
    }
    if !valid.is_for(&p.config.issuer) {
        return Err(ApiProblem::InvalidToken("not issued for this API"));
    }
    let sub = valid.claims.get("sub").and_then(Value::as_str);
    if sub != Some(valid.client_id.as_str()) {
        return Err(ApiProblem::InvalidToken("not a client's own token"));
    }
    if p.store
        .get_client(&valid.client_id)
        .await
        .map_err(Error::from)?
        .is_none()
    {
        return Err(ApiProblem::InvalidToken("its client is gone"));
    }
    Ok(valid.client_id)
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiProblem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiProblem> {
        caller(parts, state, false).await?;
        Ok(Self(Admin::new(state.provider.clone())))
    }
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiProblem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiProblem> {
        let client_id = caller(parts, state, true).await?;
        Ok(Self(
            Admin::new(state.provider.clone()),
            Actor::ApiClient(client_id),
        ))
    }
}
