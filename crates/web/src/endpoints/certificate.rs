//! `POST /authentication/certificate`: a challenge encrypted to a bound certificate, for
//! the `certificate` grant of the token endpoint. The client authenticates as at the
//! token endpoint (and is throttled the same way); the answer is never cached.

use super::client_auth::ClientForm;
use super::json_no_store;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;

pub async fn post(
    State(state): State<AppState>,
    request: ClientForm,
) -> Result<Response, ApiError> {
    let answer = state
        .provider
        .certificate_challenge(&request.credentials, &request.params)
        .await;
    Ok(json_no_store(&request.answer(answer)?))
}
