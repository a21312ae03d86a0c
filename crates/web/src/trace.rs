//! One `tracing` span per HTTP request, named as OpenTelemetry's HTTP server semantic
//! conventions name it (`{method} {route}`), with the method, the route template and the
//! response status. A span records the route template (`/interaction/{id}`), never the
//! path or the query: those carry identifiers, codes and tokens. Headers and bodies are
//! never recorded, so no cookie, Authorization header or client secret reaches a span.
//! The span is at debug level: the trace exporter takes it, while text logs at the
//! default `info` level neither show nor pay for it (`log = "debug"` adds it to logs).

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use tracing::Instrument;
use tracing::field::Empty;

/// The route of a request that no route matched.
pub const UNMATCHED: &str = "unmatched";

/// The route template a request matched, such as `/interaction/{id}`, or [`UNMATCHED`].
pub fn route_template(request: &Request) -> &str {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
}

/// Gives every request of `router` its span. Applied last, so that the span holds
/// everything the request goes through; routes merged in later have no span. Installed
/// only when the logging set-up takes the span (the trace exporter, or debug logs), so
/// that a server without them pays nothing per request for it.
pub fn trace_requests(router: Router) -> Router {
    let wanted = tracing::enabled!(
        kind: tracing::metadata::Kind::SPAN,
        target: "propusk_web::trace",
        tracing::Level::DEBUG
    );
    if !wanted {
        return router;
    }
    router.layer(middleware::from_fn(request_span))
}

/// Runs the request inside its span and records the status it was answered with; a
/// server error also marks the span as failed.
async fn request_span(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = route_template(&request).to_owned();
    let span = tracing::debug_span!(
        "request",
        otel.name = format!("{method} {route}"),
        otel.kind = "server",
        http.request.method = %method,
        http.route = %route,
        http.response.status_code = Empty,
        otel.status_code = Empty,
    );
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
    response
}
