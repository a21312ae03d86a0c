//! `POST /connect/register` (RFC 7591 §3) and the client configuration endpoint at
//! `registration_client_uri` (RFC 7592 §2: `GET` reads, `PUT` replaces, `DELETE`
//! removes). Both take a bearer token in `Authorization` (RFC 6750 §2.1): the initial
//! access token when registering, the client's registration access token afterwards.

use crate::error::{RegistrationApiError, no_store};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use propusk_core::model::client_metadata::ClientMetadata;
use propusk_core::registration::{RegistrationError, RegistrationResponse};

type Answer = Result<Response, RegistrationApiError>;

/// RFC 7591 §3.1: 201 with the client information.
pub async fn register(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let metadata = metadata(&body)?;
    let provider = &state.provider;
    let registered = provider
        .register_client(
            &provider.config.registration,
            bearer(&headers).as_deref(),
            metadata,
        )
        .await?;
    Ok(answer(StatusCode::CREATED, &registered))
}

/// RFC 7592 §2.1.
pub async fn read(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let client = state
        .provider
        .read_registration(&client_id, bearer(&headers).as_deref())
        .await?;
    Ok(answer(StatusCode::OK, &client))
}

/// RFC 7592 §2.2: the body is the whole metadata with `client_id` (and `client_secret`
/// when the client has one), which must be the client's own.
pub async fn replace(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let metadata = metadata(&body)?;
    let credentials: Credentials = serde_json::from_slice(&body)
        .map_err(|e| RegistrationError::MalformedBody(e.to_string()))?;
    let provider = &state.provider;
    let client = provider
        .update_registration(
            &provider.config.registration,
            &client_id,
            bearer(&headers).as_deref(),
            metadata,
            credentials.client_id.as_deref(),
            credentials.client_secret.as_deref(),
        )
        .await?;
    Ok(answer(StatusCode::OK, &client))
}

/// RFC 7592 §2.3: 204 once the client is gone.
pub async fn delete(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    state
        .provider
        .delete_registration(&client_id, bearer(&headers).as_deref())
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    no_store(response.headers_mut());
    Ok(response)
}

/// The fields of an update body that are not metadata (RFC 7592 §2.2).
#[derive(serde::Deserialize)]
struct Credentials {
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// A JSON object of client metadata; anything else is `invalid_client_metadata`.
fn metadata(body: &[u8]) -> Result<ClientMetadata, RegistrationError> {
    serde_json::from_slice(body).map_err(|e| RegistrationError::MalformedBody(e.to_string()))
}

/// The token of `Authorization: Bearer <token>`; another scheme, none, or a malformed
/// header counts as none (and is answered 401).
fn bearer(headers: &HeaderMap) -> Option<String> {
    super::userinfo::bearer_header(headers).ok().flatten()
}

fn answer(status: StatusCode, body: &RegistrationResponse) -> Response {
    let mut response = (status, Json(body)).into_response();
    no_store(response.headers_mut());
    response
}
