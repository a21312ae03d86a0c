//! `POST /connect/introspect` (RFC 7662 §2): an authenticated client or product asks
//! whether a token is active.

use super::{client_auth, form, json_no_store};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::response::Response;

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let params = form::parse(&headers, body)?;
    let presented = client_auth::extract(&headers, &params)?;
    let answer = state
        .provider
        .introspection(&presented.credentials, &params)
        .await;
    let answer = answer.map_err(|e| ApiError::new(e).with_basic(presented.basic))?;
    Ok(json_no_store(&answer))
}
