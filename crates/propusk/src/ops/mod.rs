//! The operator's endpoints beside the provider: `/readyz` (can this node serve?) and
//! `/metrics` (Prometheus text), and the per-request accounting behind the metrics.
//! `/healthz` (the process answers) is the web layer's, as is its alias `/health`.

mod metrics;
pub mod query_times;
mod ready;

pub use metrics::{Counted, install as install_metrics, track_requests};

use axum::Router;
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use propusk_core::provider::Provider;
use propusk_store::SqlStore;
use propusk_types::routes;
use std::sync::Arc;

/// What the operator's endpoints read.
pub struct Ops {
    pub store: SqlStore,
    pub provider: Arc<Provider>,
    pub metrics: Option<PrometheusHandle>,
}

/// `/readyz`.
pub fn readiness(ops: Arc<Ops>) -> Router {
    Router::new()
        .route(routes::READYZ, get(ready::readyz))
        .with_state(ops)
}

/// `/metrics`, on whichever listener the configuration names.
pub fn metrics(ops: Arc<Ops>) -> Router {
    Router::new()
        .route(routes::METRICS, get(metrics::render))
        .with_state(ops)
}
