//! `POST /connect/token` (RFC 6749 §3.2, §5; OIDC Core §3.1.3). Reads the form, takes the
//! client credentials apart, and lets the engine answer; the `certificate` grant goes
//! through the account services, which throttle and audit it like a password. Any other
//! method is `invalid_request`. Answers carry `Cache-Control: no-store` (RFC 6749 §5.1).
//! A `DPoP` header binds the tokens to its key (RFC 9449 §5); while the provider demands
//! DPoP nonces every answer carries the current one (§8).

use super::client_auth::ClientForm;
use super::{dpop, json_no_store};
use crate::client_ip::ClientIp;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use std::sync::Arc;

pub async fn post(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    request: ClientForm,
) -> Response {
    let answer = match dpop::proof(&headers) {
        Ok(proof) => {
            accounts
                .token(&request.credentials, &request.params, proof.as_deref(), &ip)
                .await
        }
        Err(error) => Err(error),
    };
    let response = match request.answer(answer) {
        Ok(tokens) => json_no_store(&tokens),
        Err(error) => error.into_response(),
    };
    dpop::with_nonce(&state.provider, response)
}

/// RFC 6749 §3.2: the client MUST use POST.
pub async fn wrong_method() -> ApiError {
    ApiError::new(Error::InvalidParameter {
        name: "method",
        reason: "the token endpoint accepts POST only",
    })
}
