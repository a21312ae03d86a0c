//! `POST /connect/revocation` (RFC 7009 §2): 200 with an empty body whether or not the
//! token was known (§2.2).

use super::{client_auth, form};
use crate::error::{ApiError, no_store};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let params = form::parse(&headers, body)?;
    let presented = client_auth::extract(&headers, &params)?;
    let answer = state
        .provider
        .revocation(&presented.credentials, &params)
        .await;
    answer.map_err(|e| ApiError::new(e).with_basic(presented.basic))?;
    let mut response = StatusCode::OK.into_response();
    no_store(response.headers_mut());
    Ok(response)
}
