//! `POST /connect/token` (RFC 6749 §3.2, §5; OIDC Core §3.1.3). Reads the form, takes the
//! client credentials apart, and lets the engine answer; the `certificate` grant goes
//! through the account services, which throttle and audit it like a password. Any other
//! method is `invalid_request`. Answers carry `Cache-Control: no-store` (RFC 6749 §5.1).

use super::client_auth::ClientForm;
use super::json_no_store;
use crate::client_ip::ClientIp;
use crate::error::ApiError;
use axum::Extension;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use std::sync::Arc;

pub async fn post(
    Extension(accounts): Extension<Arc<Accounts>>,
    ClientIp(ip): ClientIp,
    request: ClientForm,
) -> Result<Response, ApiError> {
    let answer = accounts
        .token(&request.credentials, &request.params, &ip)
        .await;
    Ok(json_no_store(&request.answer(answer)?))
}

/// RFC 6749 §3.2: the client MUST use POST.
pub async fn wrong_method() -> ApiError {
    ApiError::new(Error::InvalidParameter {
        name: "method",
        reason: "the token endpoint accepts POST only",
    })
}
