//! `POST /connect/deviceauthorization` (RFC 8628 §3.1, §3.2): the form is read strictly,
//! the client authenticates as at the token endpoint (a public client sends only its
//! `client_id`), and the engine answers with the pair of codes. Errors are the token
//! endpoint's (§3.2: RFC 6749 §5.2).

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
        .device_authorization(&request.credentials, &request.params)
        .await;
    Ok(json_no_store(&request.answer(answer)?))
}
