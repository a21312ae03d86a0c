//! What wraps the endpoints where clients authenticate (token, introspection, revocation,
//! device authorization, PAR): before the handler, client authentication is refused with
//! 429 while the client id or the IP address is throttled (RFC 6749 §10.10, see
//! `propusk_core::accounts` client throttling); after it, an `invalid_client` answer
//! counts as a failure and a success forgets the client's failures. Tokens issued are
//! counted here too, by grant type and client, for `/metrics`.

use super::client_auth::ClientForm;
use crate::client_ip::ClientIp;
use crate::error::ApiError;
use axum::Extension;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_core::request::Params;
use propusk_types::routes;
use std::sync::Arc;

/// The paths whose requests carry client authentication.
const GUARDED: [&str; 6] = [
    routes::TOKEN,
    routes::CERTIFICATE,
    routes::INTROSPECT,
    routes::REVOCATION,
    routes::DEVICE_AUTHORIZATION,
    routes::PAR,
];

/// Token-side request bodies are small forms; a larger body is refused by the handler's
/// own reading of what is passed on.
const MAX_BODY: usize = 1024 * 1024;

pub async fn guard(
    Extension(accounts): Extension<Arc<Accounts>>,
    ClientIp(ip): ClientIp,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST || !GUARDED.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        let error = Error::MalformedBody("the body could not be read".into());
        return ApiError::new(error).into_response();
    };
    let mut probe = Request::new(Body::from(bytes.clone()));
    *probe.headers_mut() = parts.headers.clone();
    let presented = ClientForm::read(probe).await.ok();
    let params = presented.as_ref().map(|p| &p.params);
    let client_id = presented.as_ref().and_then(|p| p.credentials.claimed_id());

    let had_failures = match accounts.client_auth_check(client_id, &ip).await {
        Ok(had) => had,
        Err(error) => return ApiError::new(error).into_response(),
    };
    let path = parts.uri.path().to_owned();
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;

    let outcome = match response.status() {
        StatusCode::UNAUTHORIZED => accounts.client_auth_failed(client_id, &ip).await,
        status if status.is_success() => {
            if path == routes::TOKEN {
                count_token(params, client_id);
            }
            match client_id {
                Some(id) if had_failures => accounts.client_auth_passed(id).await,
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    };
    if let Err(error) = outcome {
        tracing::warn!(%error, "client authentication throttle not updated");
    }
    response
}

/// `propusk_tokens_issued_total{grant_type, client_id}`: only after a 200, so both labels
/// are values the provider accepted.
fn count_token(params: Option<&Params>, client_id: Option<&str>) {
    let grant_type = params
        .and_then(|p| p.get("grant_type"))
        .unwrap_or("unknown")
        .to_owned();
    let client_id = client_id.unwrap_or("unknown").to_owned();
    metrics::counter!(
        "propusk_tokens_issued_total",
        "grant_type" => grant_type,
        "client_id" => client_id
    )
    .increment(1);
}
