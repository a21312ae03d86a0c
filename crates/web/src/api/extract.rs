//! What every API handler shares: JSON bodies and query strings parsed into typed values
//! (a refusal is a 400 problem naming what was wrong, never a plain-text rejection), JSON
//! answers that are not cached, and entity tags (RFC 9110 §8.8.3, §13.1.1).

use crate::error::problem::ApiProblem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::crypto::{b64url, sha256};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Largest JSON body the API reads.
const MAX_BODY: usize = 256 * 1024;

/// A JSON request body.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiProblem;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiProblem> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("application/json")
                    || v.to_ascii_lowercase().ends_with("+json")
            });
        if !json {
            return Err(ApiProblem::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiProblem::bad("body", "the body could not be read"))?;
        if bytes.len() > MAX_BODY {
            return Err(ApiProblem::bad("body", "the body is larger than 256 KiB"));
        }
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|e| ApiProblem::bad("body", format!("not the expected JSON: {e}")))
    }
}

/// The query string as a typed value.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiProblem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiProblem> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Self)
            .map_err(|e| ApiProblem::bad("query", format!("bad query parameters: {e}")))
    }
}

/// The entity tag of a representation: a hash of its JSON.
pub fn etag<T: Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let digest = sha256(&bytes);
    format!("\"{}\"", b64url(&digest[..18]))
}

/// RFC 9110 §13.1.1: when `If-Match` is given, the current tag (or `*`) must be in it.
pub fn check_if_match<T: Serialize>(headers: &HeaderMap, current: &T) -> Result<(), ApiProblem> {
    let given: Vec<&str> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if given.is_empty() {
        return Ok(());
    }
    let tag = etag(current);
    if given.iter().any(|g| *g == "*" || *g == tag) {
        Ok(())
    } else {
        Err(ApiProblem::PreconditionFailed)
    }
}

/// A JSON answer that caches nowhere.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => return ApiProblem::Internal(format!("encoding an answer: {e}")).into_response(),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A JSON answer with its entity tag.
pub fn tagged<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let mut response = json(status, value);
    if let Ok(tag) = HeaderValue::from_str(&etag(value)) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// `204 No Content`.
pub fn done() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

pub type ApiResult = Result<Response, ApiProblem>;
