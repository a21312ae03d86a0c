//! `POST /connect/revocation` (RFC 7009 §2): 200 with an empty body whether or not the
//! token was known (§2.2).

use super::client_auth::ClientForm;
use crate::error::{ApiError, no_store};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn post(
    State(state): State<AppState>,
    request: ClientForm,
) -> Result<Response, ApiError> {
    let answer = state
        .provider
        .revocation(&request.credentials, &request.params)
        .await;
    request.answer(answer)?;
    let mut response = StatusCode::OK.into_response();
    no_store(response.headers_mut());
    Ok(response)
}
