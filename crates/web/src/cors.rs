//! CORS (the Fetch standard's CORS protocol) on the endpoints a browser application
//! calls itself: token, userinfo, revocation, device authorization and end session.
//!
//! An origin is allowed when a client allows it (the origins of its redirect URIs and its
//! `allowed_origins`, see `Provider::origin_allowed`). A preflight carries no credentials,
//! so it is answered for any origin some client allows; an actual request is judged by the
//! client it names (`client_id` in the form or the query, or the Basic user), or at
//! userinfo by the client the access token was issued to ([`ForClient`]). The answer
//! echoes the origin with `Vary: Origin` and never allows credentials: these endpoints
//! take credentials in headers and bodies, never from cookies. An origin no client allows
//! gets no CORS headers at all. Discovery and the JWKS answer `*` on their own.

use crate::endpoints::{client_auth, form};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use propusk_types::routes;

/// Request headers a browser application may send.
const ALLOW_HEADERS: &str = "Authorization, Content-Type, DPoP";
/// Response headers a browser application may read besides the CORS-safelisted ones.
const EXPOSE_HEADERS: &str = "WWW-Authenticate, DPoP-Nonce";
/// Seconds a browser may keep a preflight answer.
const MAX_AGE: &str = "600";
/// The largest form body read here to learn its `client_id`; the endpoints' own limit.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The client a response was made for, when only the handler knows it (userinfo).
#[derive(Clone, Debug)]
pub struct ForClient(pub String);

/// The methods a browser may use at a CORS-enabled path; `None` for every other path.
fn methods(path: &str) -> Option<&'static str> {
    match path {
        routes::TOKEN | routes::REVOCATION | routes::DEVICE_AUTHORIZATION => Some("POST"),
        routes::USERINFO | routes::END_SESSION => Some("GET, POST"),
        _ => None,
    }
}

pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(methods) = methods(request.uri().path()) else {
        return next.run(request).await;
    };
    let Some(origin) = request_origin(request.headers()) else {
        return with_vary(next.run(request).await);
    };
    if is_preflight(&request) {
        let allowed = allowed(&state, &origin, None).await;
        return preflight(allowed.then_some(&origin), methods);
    }
    let (request, named) = match named_client(request).await {
        Ok(found) => found,
        Err(response) => return with_vary(response),
    };
    let mut response = next.run(request).await;
    let client = named.or_else(|| {
        response
            .extensions()
            .get::<ForClient>()
            .map(|c| c.0.clone())
    });
    if allowed(&state, &origin, client.as_deref()).await {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
    }
    with_vary(response)
}

async fn allowed(state: &AppState, origin: &HeaderValue, client: Option<&str>) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    match state.provider.origin_allowed(origin, client).await {
        Ok(allowed) => allowed,
        Err(error) => {
            tracing::warn!(%error, "CORS: could not read the clients");
            false
        }
    }
}

fn request_origin(headers: &HeaderMap) -> Option<HeaderValue> {
    headers.get(header::ORIGIN).cloned()
}

fn is_preflight(request: &Request) -> bool {
    request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

fn preflight(origin: Option<&HeaderValue>, methods: &'static str) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(methods),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
    }
    with_vary(response)
}

/// Responses differ by `Origin` (and preflights by what they ask), so caches must key on it.
fn with_vary(mut response: Response) -> Response {
    response.headers_mut().append(
        header::VARY,
        HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ),
    );
    response
}

/// The `client_id` a request names: the Basic user, the form field, or the query
/// parameter. A form body is read here and handed on unchanged.
async fn named_client(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(id) = client_auth::basic_client_id(request.headers()) {
        return Ok((request, Some(id)));
    }
    let from_query = request
        .uri()
        .query()
        .and_then(|q| form::parse_pairs(q.as_bytes()).ok())
        .and_then(|pairs| client_id_of(&pairs));
    if from_query.is_some() || !form::is_form(request.headers()) {
        return Ok((request, from_query));
    }
    let (parts, body) = request.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response()),
    };
    let named = form::parse_pairs(&bytes)
        .ok()
        .and_then(|pairs| client_id_of(&pairs));
    Ok((Request::from_parts(parts, Body::from(bytes)), named))
}

fn client_id_of(pairs: &[(String, String)]) -> Option<String> {
    pairs
        .iter()
        .find(|(name, _)| name == "client_id")
        .map(|(_, value)| value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_browser_endpoints_get_cors() {
        assert_eq!(methods(routes::TOKEN), Some("POST"));
        assert_eq!(methods(routes::USERINFO), Some("GET, POST"));
        assert_eq!(methods(routes::INTROSPECT), None);
        assert_eq!(methods(routes::AUTHORIZE), None);
    }
}
