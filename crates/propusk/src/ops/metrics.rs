//! `GET /metrics` in the Prometheus text exposition format, through the `metrics` facade
//! and `metrics-exporter-prometheus`. What is counted where:
//! - `propusk_http_requests_total` and `propusk_http_request_duration_seconds`, by
//!   method, route template and status: [`track_requests`];
//! - `propusk_tokens_issued_total` by grant type and client: the web layer's guard of
//!   the token-side endpoints;
//! - `propusk_sign_ins_total` by method and outcome, `propusk_lockouts_total`: the
//!   engine's audit trail;
//! - `propusk_messages_total` by channel and outcome (sent, failed): [`Counted`];
//! - `propusk_db_pool_connections` (open, idle) and `propusk_signing_key_age_seconds` by
//!   algorithm: read when scraped, in [`render`].

use super::Ops;
use crate::error::{CliError, CliResult};
use async_trait::async_trait;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use propusk_core::accounts::{Channel, DeliveryError, OutboxMessage, Sender};
use propusk_web::client_ip::{self, TrustedProxies};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Latency buckets, seconds: from a cached discovery answer to a slow argon2id sign-in.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// How often histograms are compacted when nobody scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the process-wide recorder; the returned handle renders the text.
pub fn install() -> CliResult<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("propusk_http_request_duration_seconds".into()),
            &LATENCY_BUCKETS,
        )
        .and_then(PrometheusBuilder::install_recorder)
        .map_err(|e| CliError::Config(format!("metrics: {e}")))?;
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(UPKEEP_EVERY);
        loop {
            interval.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(handle)
}

/// Counts a request by method, route template (`/interaction/{id}`,
/// never the raw path) and status, with its latency, and logs it at debug level with
/// the client's address and scheme as the trusted proxies report them. `answer` is
/// what answers the request (the rest of the middleware chain).
pub async fn track_requests<A, F>(
    trusted: Arc<TrustedProxies>,
    request: Request,
    answer: A,
) -> Response
where
    A: FnOnce(Request) -> F,
    F: Future<Output = Response>,
{
    let started = Instant::now();
    let route = propusk_web::trace::route_template(&request).to_owned();
    let method = request.method().as_str().to_owned();
    // The client's address is resolved only when the debug line is written.
    let origin = tracing::enabled!(tracing::Level::DEBUG).then(|| {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        client_ip::resolve(peer, request.headers(), &trusted)
    });
    let response = answer(request).await;
    if let Some(origin) = origin {
        tracing::debug!(
            client = ?origin.ip,
            scheme = origin.forwarded_proto.as_deref().unwrap_or("direct"),
            %method,
            %route,
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis(),
            "request"
        );
    }
    let labels = [
        ("method", method),
        ("route", route),
        ("status", response.status().as_str().to_owned()),
    ];
    metrics::counter!("propusk_http_requests_total", &labels).increment(1);
    metrics::histogram!("propusk_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

pub async fn render(State(ops): State<Arc<Ops>>) -> Response {
    let Some(handle) = &ops.metrics else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    read_gauges(&ops).await;
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// The gauges that are cheaper to read when scraped than to keep up to date.
async fn read_gauges(ops: &Ops) {
    let pool = ops.store.pool_stats();
    metrics::gauge!("propusk_db_pool_connections", "state" => "open").set(f64::from(pool.open));
    metrics::gauge!("propusk_db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    if let Ok(depths) = ops.store.queue_depths().await {
        #[allow(clippy::cast_precision_loss)]
        {
            metrics::gauge!("propusk_job_queue_depth", "queue" => "messages")
                .set(depths.messages as f64);
            metrics::gauge!("propusk_job_queue_depth", "queue" => "backchannel_logouts")
                .set(depths.backchannel_logouts as f64);
        }
    }

    let now = ops.provider.now();
    let Ok(keys) = ops.provider.store.list_keys().await else {
        return;
    };
    // The age of the key that signs now, per algorithm: what rotation policies watch.
    let mut signing: HashMap<String, i64> = HashMap::new();
    for key in keys.iter().filter(|k| {
        k.active_from <= now
            && k.retired_at.is_none_or(|t| t > now)
            && k.unpublish_at.is_none_or(|t| t > now)
    }) {
        let age = now - key.created_at;
        signing
            .entry(key.alg.clone())
            .and_modify(|a| *a = (*a).min(age))
            .or_insert(age);
    }
    for (alg, age) in signing {
        #[allow(clippy::cast_precision_loss)]
        metrics::gauge!("propusk_signing_key_age_seconds", "alg" => alg).set(age as f64);
    }
}

/// A sender that counts what it sent and what failed, by channel.
pub struct Counted(pub Arc<dyn Sender>);

#[async_trait]
impl Sender for Counted {
    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let sent = self.0.send(message).await;
        let outcome = if sent.is_ok() { "sent" } else { "failed" };
        metrics::counter!(
            "propusk_messages_total",
            "channel" => message.channel.as_str(),
            "outcome" => outcome
        )
        .increment(1);
        sent
    }

    fn keeps_body(&self, channel: Channel) -> bool {
        self.0.keeps_body(channel)
    }
}
