//! `POST /connect/deviceauthorization` (RFC 8628 §3.1, §3.2): the form is read strictly,
//! the client authenticates as at the token endpoint (a public client sends only its
//! `client_id`), and the engine answers with the pair of codes. Errors are the token
//! endpoint's (§3.2: RFC 6749 §5.2).

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
        .device_authorization(&presented.credentials, &params)
        .await
        .map_err(|e| ApiError::new(e).with_basic(presented.basic))?;
    Ok(json_no_store(&answer))
}
