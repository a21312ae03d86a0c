//! `POST /connect/introspect` (RFC 7662 §2): an authenticated client or product asks
//! whether a token is active.

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
        .introspection(&request.credentials, &request.params)
        .await;
    Ok(json_no_store(&request.answer(answer)?))
}
