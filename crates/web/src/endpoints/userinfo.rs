//! `GET|POST /connect/userinfo` (OIDC Core §5.3). The access token comes in
//! `Authorization: Bearer` (RFC 6750 §2.1) or, on POST, as the form field
//! `access_token` (§2.2); both at once is `invalid_request`, none at all a bare
//! `401` challenge (§3.1). A DPoP-bound token comes in `Authorization: DPoP` with a
//! proof in the `DPoP` header (RFC 9449 §7.1); errors then challenge with `DPoP`.

use super::{dpop, form, json_no_store};
use crate::cors::ForClient;
use crate::error::BearerError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Response};
use propusk_core::dpop::Scheme;
use propusk_core::error::Error;
use propusk_types::error::ErrorCode;

/// An access token and the scheme it came under.
struct Presented {
    token: String,
    dpop: bool,
}

pub async fn get(
    State(state): State<AppState>,
    certificate: Certificate,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let presented = authorization(&headers).and_then(|p| p.ok_or(Error::MissingBearerToken));
    finish(&state, presented, certificate, &method, &headers).await
}

pub async fn post(
    State(state): State<AppState>,
    certificate: Certificate,
    method: Method,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let presented = match (authorization(&headers), body_token(&headers, body)) {
        (Err(error), _) | (_, Err(error)) => Err(error),
        (Ok(Some(_)), Ok(Some(_))) => Err(Error::InvalidParameter {
            name: "access_token",
            reason: "the access token was sent in more than one way",
        }),
        (Ok(Some(presented)), Ok(None)) => Ok(presented),
        (Ok(None), Ok(Some(token))) => Ok(Presented { token, dpop: false }),
        (Ok(None), Ok(None)) => Err(Error::MissingBearerToken),
    };
    finish(&state, presented, certificate, &method, &headers).await
}

async fn finish(
    state: &AppState,
    presented: Result<Presented, Error>,
    certificate: Certificate,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let dpop_scheme = presented.as_ref().is_ok_and(|p| p.dpop);
    let answer = match presented {
        Ok(presented) => answer(state, &presented, certificate, method, headers).await,
        Err(error) => Err(error),
    };
    let response = match answer {
        Ok(response) => response,
        Err(error) => {
            let about_proof = matches!(
                error.code(),
                ErrorCode::InvalidDpopProof | ErrorCode::UseDpopNonce
            );
            let response = BearerError(error).into_response();
            if dpop_scheme || about_proof {
                dpop::dpop_challenge(response)
            } else {
                response
            }
        }
    };
    dpop::with_nonce(&state.provider, response)
}

async fn answer(
    state: &AppState,
    presented: &Presented,
    certificate: Certificate,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, Error> {
    let proof = if presented.dpop {
        dpop::proof(headers)?
    } else {
        None
    };
    let scheme = if presented.dpop {
        Scheme::Dpop {
            proof: proof.as_deref(),
            method: method.as_str(),
        }
    } else {
        Scheme::Bearer
    };
    let info = state
        .provider
        .userinfo(&presented.token, scheme, certificate.0.as_deref())
        .await?;
    let mut response = json_no_store(&info.claims);
    response.extensions_mut().insert(ForClient(info.client_id));
    Ok(response)
}

/// The token of `Authorization: Bearer <token>` or `Authorization: DPoP <token>`.
fn authorization(headers: &HeaderMap) -> Result<Option<Presented>, Error> {
    if let Some(token) = scheme_token(headers, "dpop")? {
        return Ok(Some(Presented { token, dpop: true }));
    }
    Ok(bearer_header(headers)?.map(|token| Presented { token, dpop: false }))
}

/// The client certificate of the request (RFC 8705 §3), none when a trusted proxy
/// forwarded one that cannot be read.
pub struct Certificate(Option<Vec<u8>>);

impl FromRequestParts<AppState> for Certificate {
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
    scheme_token(headers, "bearer")
}

fn scheme_token(headers: &HeaderMap, wanted: &str) -> Result<Option<String>, Error> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| malformed_header())?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case(wanted) {
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
        reason: "malformed Bearer or DPoP credentials",
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
