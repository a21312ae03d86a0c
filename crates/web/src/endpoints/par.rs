//! `POST /connect/par` (RFC 9126 §2): the form is read strictly, the client
//! authenticates as at the token endpoint, and the engine checks the authorization
//! request and keeps it. Success is `201 Created` with the `request_uri` (§2.2); errors
//! are JSON (§2.3), never a redirect.

use super::client_auth::ClientForm;
use crate::error::{ApiError, no_store};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn post(
    State(state): State<AppState>,
    request: ClientForm,
) -> Result<Response, ApiError> {
    let answer = state
        .provider
        .push_authorization(&request.credentials, &request.params)
        .await;
    let pushed = request.answer(answer)?;
    let mut response = (StatusCode::CREATED, Json(pushed)).into_response();
    no_store(response.headers_mut());
    Ok(response)
}
