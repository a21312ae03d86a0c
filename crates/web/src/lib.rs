//! The HTTP adapter: extract the request, call the engine, map the result. Routes come
//! from `propusk_types::routes`; `error.rs` alone knows HTTP statuses.

mod answer;
mod authorize;
mod cookies;
mod csrf;
mod endpoints;
pub mod error;
pub mod i18n;
mod interaction;
mod pages;
mod session;
mod state;
mod wellknown;

pub use state::{AppState, WebConfig};

use axum::Router;
use axum::routing::{get, post};
use propusk_types::routes;

/// The whole HTTP surface of the provider.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(routes::DISCOVERY, get(wellknown::discovery))
        .route(routes::OAUTH_METADATA, get(wellknown::discovery))
        .route(routes::JWKS, get(wellknown::jwks))
        .route(routes::AUTHORIZE, get(authorize::get).post(authorize::post))
        .route(routes::INTERACTION, get(interaction::show))
        .route(routes::INTERACTION_LOGIN, post(interaction::login))
        .route(routes::INTERACTION_CONSENT, post(interaction::consent))
        .route(routes::HEALTH, get(wellknown::health))
        .route("/static/style.css", get(wellknown::style))
        .merge(endpoints::routes())
        .with_state(state)
}
