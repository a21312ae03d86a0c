//! Discovery (OpenID Connect Discovery 1.0 §4, RFC 8414 §3) and the JWKS (RFC 7517 §5).

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

fn cacheable(mut response: Response, seconds: u32) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={seconds}")) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The document is serialized once per set of product scopes (`Provider::metadata_json`).
pub async fn discovery(State(state): State<AppState>) -> Result<Response, ApiError> {
    let json = state.provider.metadata_json().await?;
    let mut response = String::from(json.as_ref()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(cacheable(response, 300))
}

pub async fn jwks(State(state): State<AppState>) -> Result<Response, ApiError> {
    let provider = &state.provider;
    let set = provider
        .keys
        .jwks(provider.store.as_ref(), provider.now())
        .await?;
    let mut response = cacheable(Json(set.as_ref()).into_response(), 60);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jwk-set+json"),
    );
    Ok(response)
}

pub async fn style() -> Response {
    let mut response = include_str!("../static/style.css").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    cacheable(response, 3600)
}

pub async fn health() -> &'static str {
    "ok"
}
