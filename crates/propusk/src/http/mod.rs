//! The HTTP/1.1 server of `propusk serve`: accepts connections, hands each to hyper with
//! the router, and bounds how long a client may hold a connection (see [`connection`])
//! and a request (see [`deadline`]). On shutdown it stops accepting, asks every
//! connection to finish its request in flight, and waits for them a bounded time.

mod connection;
mod deadline;
pub mod tls;

use crate::config::Timeouts;
use crate::ops;
use axum::Router;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use propusk_web::client_ip::TrustedProxies;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// Wraps every route of `router` in the body and request deadlines
/// ([`deadline::limit`]), counted by [`ops::track_requests`] outside them: one
/// middleware for both, since each one clones what it wraps on every request.
pub fn limit_and_count(router: Router, timeouts: Timeouts, trusted: Arc<TrustedProxies>) -> Router {
    router.layer(from_fn(move |request: Request, next: Next| {
        let trusted = trusted.clone();
        ops::track_requests(trusted, request, move |request| {
            deadline::limit(timeouts, request, next)
        })
    }))
}

/// Serves `router` on `listener` until `shutdown` resolves; requests in flight then get
/// `grace` to finish before their connections are closed. With `tls`, connections speak
/// HTTPS and may present a client certificate ([`tls`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
    tls: Option<TlsAcceptor>,
) {
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection::run(
                        stream,
                        peer,
                        router.clone(),
                        timeouts,
                        stopping.clone(),
                        tls.clone(),
                    ));
                }
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            seconds = grace.as_secs(),
            left = connections.len(),
            "requests still in flight after the shutdown grace; stopping anyway"
        );
        connections.abort_all();
    }
}
