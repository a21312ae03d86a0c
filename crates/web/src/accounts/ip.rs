//! The client's IP address for throttling and the audit trail: the peer address of the
//! connection (`ConnectInfo`), or `unknown` when the server runs without it (tests).
//! Pages get it through their context (`PageContext::ip`).

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::net::SocketAddr;

/// The one computation of the client IP.
pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
