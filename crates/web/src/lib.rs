//! The HTTP adapter: extract the request, call the engine, map the result. Routes come
//! from `propusk_types::routes`; `error.rs` alone knows HTTP statuses.

mod accounts;
mod admin;
mod answer;
mod api;
mod authorize;
mod backchannel;
pub mod client_certificate;
pub mod client_ip;
mod cookies;
mod cors;
mod csrf;
mod developer;
mod device;
pub mod docs;
mod endpoints;
pub mod error;
mod interaction;
mod logout;
mod pages;
#[cfg(test)]
mod properties;
mod qr;
mod session;
mod state;
pub mod theme;
pub mod trace;
mod wellknown;

pub use api::document as openapi_document;
pub use backchannel::run_logout_worker;
pub use client_certificate::ClientCertificate;
pub use state::{AppState, WebConfig};
pub use theme::{Theme, ThemeError};

use axum::routing::{get, post};
use axum::{Extension, Router};
use propusk_core::accounts::{AccountPolicy, Accounts};
use propusk_types::routes;
use std::sync::Arc;

/// The whole HTTP surface of the provider, with the default account policy.
pub fn router(state: AppState) -> Router {
    let accounts = Accounts::new(state.provider.clone(), AccountPolicy::default());
    router_with_accounts(state, Arc::new(accounts))
}

/// The whole HTTP surface of the provider, with the given account services.
pub fn router_with_accounts(state: AppState, accounts: Arc<Accounts>) -> Router {
    Router::new()
        .route(routes::DISCOVERY, get(wellknown::discovery))
        .route(routes::OAUTH_METADATA, get(wellknown::discovery))
        .route(routes::JWKS, get(wellknown::jwks))
        .route(routes::AUTHORIZE, get(authorize::get).post(authorize::post))
        .route(routes::INTERACTION, get(interaction::show))
        .route(routes::INTERACTION_LOGIN, post(interaction::login))
        .route(routes::INTERACTION_CONSENT, post(interaction::consent))
        .route(
            routes::INTERACTION_SIGNATURE,
            get(accounts::signature::show).post(accounts::signature::submit),
        )
        .route(routes::INTERACTION_TLS, get(accounts::tls::start))
        .route(routes::INTERACTION_TLS_DONE, get(accounts::tls::done))
        .route(routes::DEVICE, get(device::show))
        .route(routes::DEVICE_LOGIN, post(device::login))
        .route(routes::DEVICE_DECISION, post(device::decide))
        .route(routes::DEVICE_QR, get(device::qr))
        .route(routes::END_SESSION_CONFIRM, post(logout::confirm))
        .route(routes::HEALTHZ, get(wellknown::health))
        .route(routes::HEALTH, get(wellknown::health))
        .route(routes::STATIC, get(wellknown::asset))
        .merge(accounts::routes())
        .merge(browser_called(&state))
        .merge(developer::routes())
        .merge(admin::routes())
        .merge(docs::routes())
        .merge(endpoints::registration_routes())
        .merge(api::routes())
        // One layer of two: each `Router::layer` wraps every route once more.
        .layer((
            Extension(Arc::new(state.web.trusted_proxies.clone())),
            Extension(accounts),
        ))
        .with_state(state)
}

/// The endpoints a browser application calls itself, behind [`cors::layer`]; the layer
/// wraps only them, so that no other request pays for it.
fn browser_called(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(routes::END_SESSION, get(logout::get).post(logout::post))
        .merge(endpoints::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::layer,
        ))
}
