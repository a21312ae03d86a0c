//! Discovery (OpenID Connect Discovery 1.0 §4, RFC 8414 §3), the JWKS (RFC 7517 §5) and
//! the theme's static assets.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
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

/// `GET /static/{file}`: an asset of the theme (CSS, logo, favicon).
pub async fn asset(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(asset) = state.theme.asset(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = asset.bytes.clone().into_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    cacheable(response, 3600)
}

pub async fn health() -> &'static str {
    "ok"
}
