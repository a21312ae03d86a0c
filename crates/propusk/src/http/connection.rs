//! One client connection: hyper's HTTP/1.1 state machine over the socket, and a watchdog
//! that closes the connection when, with no request in flight,
//! - a request has started (its first byte arrived; for the first request, the
//!   connection was accepted) but its headers are not complete within `header_read`
//!   (slowloris), or
//! - no byte has moved either way for `idle` (kept-alive connections, and clients that
//!   stop reading a response).
//!
//! While a request is in flight the request deadline and the body-read deadline
//! ([`super::deadline`]) bound it instead. hyper's own header timer is not used: it also
//! runs while a kept-alive connection waits for its next request, which would cut every
//! idle connection at the header timeout.

use crate::config::Timeouts;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use propusk_web::ClientCertificate;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

/// What the watchdog reads: milliseconds since `start` of the last byte moved and of the
/// first byte of a request whose headers are not complete yet (0: none), and how many
/// requests are being handled.
struct Activity {
    start: Instant,
    last_io: AtomicU64,
    head_started: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    /// A fresh connection owes its first request's headers from the start.
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_io: AtomicU64::new(0),
            head_started: AtomicU64::new(1),
            in_flight: AtomicUsize::new(0),
        }
    }

    /// Milliseconds since `start`, at least 1 (0 means "never").
    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    fn at(&self, millis: u64) -> Instant {
        self.start + Duration::from_millis(millis)
    }

    fn read(&self, bytes: usize) {
        if bytes == 0 {
            return;
        }
        let now = self.now();
        self.last_io.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Acquire) == 0 {
            let _ = self
                .head_started
                .compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    fn wrote(&self, bytes: usize) {
        if bytes > 0 {
            self.last_io.store(self.now(), Ordering::Relaxed);
        }
    }

    /// A request's headers are complete and its handler starts.
    fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_started.store(0, Ordering::Release);
        InFlight(self.clone())
    }

    /// When the watchdog must close the connection, given what it knows now; `None`
    /// while a request is in flight.
    fn deadline(&self, timeouts: &Timeouts) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        match self.head_started.load(Ordering::Acquire) {
            0 => Some(self.at(self.last_io.load(Ordering::Relaxed)) + timeouts.idle),
            started => Some(self.at(started) + timeouts.header_read),
        }
    }
}

/// Marks a request in flight until dropped.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.last_io.store(self.0.now(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The socket, reporting every byte moved to [`Activity`].
struct Tracked {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            self.activity.read(buf.filled().len() - before);
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            self.activity.wrote(n);
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = polled {
            self.activity.wrote(n);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Serves one connection until the client closes it, a timeout closes it, or shutdown
/// lets its last request finish. With `tls`, the TLS handshake comes first (bounded by
/// the header timeout) and the client certificate it proved, if any, goes with every
/// request as a [`ClientCertificate`].
pub async fn run(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    timeouts: Timeouts,
    stopping: watch::Receiver<bool>,
    tls: Option<TlsAcceptor>,
) {
    let activity = Arc::new(Activity::new());
    let tracked = Tracked {
        stream,
        activity: activity.clone(),
    };
    let Some(acceptor) = tls else {
        let io = TokioIo::new(tracked);
        return drive(io, peer, router, timeouts, stopping, activity, None).await;
    };
    let stream = match tokio::time::timeout(timeouts.header_read, acceptor.accept(tracked)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => {
            tracing::debug!(%peer, %error, "TLS handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!(%peer, "TLS handshake not finished in time");
            return;
        }
    };
    let certificate = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|leaf| ClientCertificate(leaf.to_vec()));
    let io = TokioIo::new(stream);
    drive(io, peer, router, timeouts, stopping, activity, certificate).await;
}

/// hyper's HTTP/1.1 over `io`, watched by the watchdog.
async fn drive<I>(
    io: I,
    peer: SocketAddr,
    router: Router,
    timeouts: Timeouts,
    mut stopping: watch::Receiver<bool>,
    activity: Arc<Activity>,
    certificate: Option<ClientCertificate>,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let handler = activity.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        if let Some(certificate) = &certificate {
            request.extensions_mut().insert(certificate.clone());
        }
        let in_flight = handler.begin();
        let mut router = router.clone();
        async move {
            let response = router.call(request).await;
            drop(in_flight);
            response
        }
    });
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(connection);
    let mut draining = *stopping.borrow();
    if draining {
        connection.as_mut().graceful_shutdown();
    }
    loop {
        let deadline = activity.deadline(&timeouts);
        let check_at = deadline.unwrap_or_else(|| Instant::now() + timeouts.idle);
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(error) = served {
                    tracing::debug!(%peer, %error, "connection ended with an error");
                }
                return;
            }
            _ = stopping.changed(), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
            () = tokio::time::sleep_until(check_at) => {
                if activity.deadline(&timeouts).is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!(%peer, "closing a connection that sent or read nothing in time");
                    return;
                }
            }
        }
    }
}
