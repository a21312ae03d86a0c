//! `GET|POST /connect/userinfo` (OIDC Core §5.3). The access token comes in
//! `Authorization: Bearer` (RFC 6750 §2.1) or, on POST, as the form field
//! `access_token` (§2.2); both at once is `invalid_request`, none at all a bare
//! `401` challenge (§3.1).

use super::{form, json_no_store};
use crate::cors::ForClient;
use crate::error::BearerError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use propusk_core::error::Error;

pub async fn get(
    State(state): State<AppState>,
    certificate: Presented,
    headers: HeaderMap,
) -> Result<Response, BearerError> {
    let token = bearer_header(&headers)?.ok_or(Error::MissingBearerToken)?;
    answer(&state, &token, certificate).await
}

pub async fn post(
    State(state): State<AppState>,
    certificate: Presented,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, BearerError> {
    let in_header = bearer_header(&headers)?;
    let in_body = body_token(&headers, body)?;
    let token = match (in_header, in_body) {
        (Some(_), Some(_)) => {
            let reason = "the access token was sent in more than one way";
            return Err(Error::InvalidParameter {
                name: "access_token",
                reason,
            }
            .into());
        }
        (Some(token), None) | (None, Some(token)) => token,
        (None, None) => return Err(Error::MissingBearerToken.into()),
    };
    answer(&state, &token, certificate).await
}

async fn answer(
    state: &AppState,
    token: &str,
    certificate: Presented,
) -> Result<Response, BearerError> {
    let info = state
        .provider
        .userinfo(token, certificate.0.as_deref())
        .await?;
    let mut response = json_no_store(&info.claims);
    response.extensions_mut().insert(ForClient(info.client_id));
    Ok(response)
}

/// The client certificate of the request (RFC 8705 §3), none when a trusted proxy
/// forwarded one that cannot be read.
pub struct Presented(Option<Vec<u8>>);

impl FromRequestParts<AppState> for Presented {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let certificate =
            crate::client_certificate::presented(state, &parts.extensions, &parts.headers)
                .unwrap_or_else(|error| {
                    tracing::debug!(%error, "the forwarded client certificate is not readable");
                    None
                });
        Ok(Self(certificate))
    }
}

/// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1); another scheme counts
/// as no token, a header that is not text or has no token is an error.
pub(crate) fn bearer_header(headers: &HeaderMap) -> Result<Option<String>, Error> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| malformed_header())?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Ok(None);
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(malformed_header());
    }
    Ok(Some(token.to_owned()))
}

fn malformed_header() -> Error {
    Error::InvalidParameter {
        name: "Authorization",
        reason: "malformed Bearer credentials",
    }
}

/// `access_token` of a form body; other bodies are not read (RFC 6750 §2.2).
fn body_token(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Option<String>, Error> {
    if !form::is_form(headers) {
        return Ok(None);
    }
    let params = form::parse(headers, body)?;
    if let Some(name) = params.first_repeated() {
        return Err(Error::DuplicateParameter(name.chars().take(64).collect()));
    }
    Ok(params.get("access_token").map(str::to_owned))
}
