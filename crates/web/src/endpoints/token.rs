//! `POST /connect/token` (RFC 6749 §3.2, §5; OIDC Core §3.1.3). Reads the form, takes the
//! client credentials apart, and lets the engine answer; any other method is
//! `invalid_request`. Answers carry `Cache-Control: no-store` (RFC 6749 §5.1).

use super::{client_auth, form, json_no_store};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::response::Response;
use propusk_core::error::Error;

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let params = form::parse(&headers, body)?;
    let presented = client_auth::extract(&headers, &params)?;
    let answer = state.provider.token(&presented.credentials, &params).await;
    let answer = answer.map_err(|e| ApiError::new(e).with_basic(presented.basic))?;
    Ok(json_no_store(&answer))
}

/// RFC 6749 §3.2: the client MUST use POST.
pub async fn wrong_method() -> ApiError {
    ApiError::new(Error::InvalidParameter {
        name: "method",
        reason: "the token endpoint accepts POST only",
    })
}
