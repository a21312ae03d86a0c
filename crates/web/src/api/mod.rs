//! The management REST API under `/api/v1`: users, clients, products, applications'
//! requests for product scopes, partner issuers, keys and the audit trail, as JSON, over the operator layer (`propusk_core::admin`) that the command line
//! and the console share. Requests carry one of Propusk's own access tokens (RFC 6750):
//! `propusk:admin` reads and writes, `propusk:admin.read` only reads. Errors are RFC 9457
//! problem details; lists are cursor pages; reads carry an `ETag` and updates honour
//! `If-Match` (RFC 9110 §13.1.1). The OpenAPI 3.1 document is generated from this code.

mod audit;
mod auth;
mod clients;
mod extract;
mod keys;
mod openapi;
mod products;
mod scope_requests;
mod trusted_issuers;
mod users;

use crate::state::AppState;
use axum::Router;
use axum::routing::{delete, get, post};
use propusk_types::routes;

pub use openapi::document;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(routes::API_OPENAPI, get(openapi::serve))
        .route(routes::API_USERS, get(users::list).post(users::create))
        .route(
            routes::API_USER,
            get(users::read).patch(users::update).delete(users::remove),
        )
        .route(routes::API_USER_BLOCK, post(users::block))
        .route(routes::API_USER_UNBLOCK, post(users::unblock))
        .route(
            routes::API_USER_RESET_SECOND_FACTOR,
            post(users::reset_second_factor),
        )
        .route(routes::API_USER_SIGN_OUT, post(users::sign_out))
        .route(
            routes::API_CLIENTS,
            get(clients::list).post(clients::create),
        )
        .route(
            routes::API_CLIENT,
            get(clients::read)
                .put(clients::replace)
                .delete(clients::remove),
        )
        .route(routes::API_CLIENT_SUSPEND, post(clients::suspend))
        .route(routes::API_CLIENT_RESUME, post(clients::resume))
        .route(
            routes::API_CLIENT_SECRETS,
            get(clients::secrets).post(clients::add_secret),
        )
        .route(routes::API_CLIENT_SECRET, delete(clients::revoke_secret))
        .route(
            routes::API_PRODUCTS,
            get(products::list).post(products::create),
        )
        .route(
            routes::API_PRODUCT,
            get(products::read)
                .patch(products::update)
                .delete(products::remove),
        )
        .route(routes::API_KEYS, get(keys::list))
        .route(routes::API_KEYS_ROTATE, post(keys::rotate))
        .route(routes::API_SCOPE_REQUESTS, get(scope_requests::list))
        .route(
            routes::API_SCOPE_REQUEST_APPROVE,
            post(scope_requests::approve),
        )
        .route(
            routes::API_SCOPE_REQUEST_REFUSE,
            post(scope_requests::refuse),
        )
        .route(
            routes::API_TRUSTED_ISSUERS,
            get(trusted_issuers::list).post(trusted_issuers::save),
        )
        .route(routes::API_TRUSTED_ISSUER, delete(trusted_issuers::remove))
        .route(routes::API_AUDIT_EVENTS, get(audit::list))
        .route(routes::API_AUDIT_EXPORT, get(audit::export))
}
