//! The token-side endpoints: token, userinfo, introspection, revocation, device
//! authorization and pushed authorization requests, mounted on
//! the paths of `propusk_types::routes`; those where clients authenticate are throttled
//! by [`client_guard`].

mod certificate;
pub(crate) mod client_auth;
mod client_guard;
mod device_authorization;
mod dpop;
pub(crate) mod form;
mod introspect;
mod par;
mod register;
mod revocation;
mod token;
pub(crate) mod userinfo;

use crate::error::no_store;
use axum::Json;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// Dynamic client registration and the client configuration endpoint (RFC 7591, 7592);
/// they take bearer tokens, not client credentials, so the client guard does not apply.
pub fn registration_routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route(routes::REGISTRATION, post(register::register))
        .route(
            routes::REGISTRATION_CLIENT,
            get(register::read)
                .put(register::replace)
                .delete(register::delete),
        )
}
use propusk_types::routes;

pub fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route(
            routes::TOKEN,
            post(token::post).fallback(token::wrong_method),
        )
        .route(routes::USERINFO, get(userinfo::get).post(userinfo::post))
        .route(routes::CERTIFICATE, post(certificate::post))
        .route(routes::INTROSPECT, post(introspect::post))
        .route(routes::REVOCATION, post(revocation::post))
        .route(
            routes::DEVICE_AUTHORIZATION,
            post(device_authorization::post),
        )
        .route(routes::PAR, post(par::post))
        .layer(axum::middleware::from_fn(client_guard::guard))
}

/// A JSON answer that no cache may keep (RFC 6749 §5.1, RFC 7662 §4).
fn json_no_store(value: &impl serde::Serialize) -> Response {
    let mut response = Json(value).into_response();
    no_store(response.headers_mut());
    response
}
