//! Bounds on one request once its headers are in: the body must arrive within
//! `body_read` (else 408, RFC 9110 §15.5.9), and the whole request, body and handler,
//! must be answered within `request` (else 503 with `Retry-After`). Both answers close
//! the connection. Bodies are read here, up to [`MAX_BODY`] (a larger declared length
//! is 413), so that no handler ever waits on a client.

use crate::config::Timeouts;
use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest request body read (axum's default limit for its body extractors).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Answers `request` through `next` within the body and request deadlines.
pub async fn limit(timeouts: Timeouts, request: Request, next: Next) -> Response {
    let answered = tokio::time::timeout(timeouts.request, async {
        let (parts, body) = request.into_parts();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > MAX_BODY as u64) {
            return closing(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
        }
        if body.is_end_stream() {
            // No body (most GETs): nothing to wait for, no second timer.
            return next.run(Request::from_parts(parts, body)).await;
        }
        let body = match tokio::time::timeout(timeouts.body_read, to_bytes(body, MAX_BODY)).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return closing(
                    StatusCode::BAD_REQUEST,
                    "request body unreadable or too large",
                );
            }
            Err(_) => {
                tracing::debug!(path = %parts.uri.path(), "request body not received in time");
                return closing(
                    StatusCode::REQUEST_TIMEOUT,
                    "request body not received in time",
                );
            }
        };
        next.run(Request::from_parts(parts, Body::from(body))).await
    })
    .await;
    answered.unwrap_or_else(|_| {
        tracing::warn!("request not answered within the request deadline");
        let mut response = closing(StatusCode::SERVICE_UNAVAILABLE, "request took too long");
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        response
    })
}

/// A short plain-text answer after which the connection is closed.
fn closing(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
