//! `POST /connect/token` (RFC 6749 §3.2, §5; OIDC Core §3.1.3). Reads the form, takes the
//! client credentials apart, and lets the engine answer; the `certificate` grant goes
//! through the account services, which throttle and audit it like a password. Any other
//! method is `invalid_request`. Answers carry `Cache-Control: no-store` (RFC 6749 §5.1).

use super::client_auth::ClientForm;
use super::json_no_store;
use crate::client_ip::ClientIp;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_core::model::GrantType;
use std::sync::Arc;

pub async fn post(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    ClientIp(ip): ClientIp,
    request: ClientForm,
) -> Result<Response, ApiError> {
    let answer = if request.params.get("grant_type") == Some(GrantType::Certificate.as_str()) {
        accounts
            .certificate_token(&request.credentials, &request.params, &ip)
            .await
    } else {
        state
            .provider
            .token(&request.credentials, &request.params)
            .await
    };
    Ok(json_no_store(&request.answer(answer)?))
}

/// RFC 6749 §3.2: the client MUST use POST.
pub async fn wrong_method() -> ApiError {
    ApiError::new(Error::InvalidParameter {
        name: "method",
        reason: "the token endpoint accepts POST only",
    })
}
