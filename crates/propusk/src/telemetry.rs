//! The `tracing` subscriber of the binary: logs on stderr, and, when
//! `[telemetry] otlp_endpoint` is set, the spans of `propusk serve` exported over
//! OTLP/HTTP with protobuf (OpenTelemetry Protocol, "OTLP/HTTP") by a batch exporter.
//!
//! Only spans and warnings of Propusk's own crates are exported: the request spans of
//! `propusk_web::trace` carry a method, a route template and a status, and no value
//! that could hold a secret, code or token. Exports go through the reqwest client the
//! rest of the binary uses, on the process's Tokio runtime.

use crate::config::TelemetrySettings;
use crate::error::{CliError, CliResult};
use async_trait::async_trait;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::io::IsTerminal;
use std::time::Duration;
use tracing::{Level, Metadata};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// How long one export may take, connecting and reading the answer included.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The installed subscriber; [`Telemetry::shutdown`] flushes the spans not yet exported.
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Exports what the batch still holds and stops the exporter; waits for the export.
    pub async fn shutdown(self) {
        let Some(traces) = self.traces else {
            return;
        };
        match tokio::task::spawn_blocking(move || traces.shutdown()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "flushing traces failed"),
            Err(error) => tracing::warn!(%error, "flushing traces failed"),
        }
    }
}

/// Logs go to stderr: text, coloured only on a terminal, or one JSON object per line
/// (`log_format = "json"`) for log collectors. With `telemetry`, spans are exported too.
pub fn init(
    filter: &str,
    json: bool,
    telemetry: Option<&TelemetrySettings>,
) -> CliResult<Telemetry> {
    init_with(filter, json, telemetry, false)
}

/// [`init`], and with `query_times` the database query latency for `/metrics`.
pub fn init_with(
    filter: &str,
    json: bool,
    telemetry: Option<&TelemetrySettings>,
    query_times: bool,
) -> CliResult<Telemetry> {
    let filter = EnvFilter::try_new(filter).map_err(|e| CliError::Config(format!("log: {e}")))?;
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = if json {
        logs.json().with_current_span(false).boxed()
    } else {
        logs.with_ansi(std::io::stderr().is_terminal()).boxed()
    };
    let traces = telemetry.map(tracer_provider).transpose()?;
    let exported = traces.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("propusk"))
            .with_filter(filter_fn(exported))
    });
    tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(exported)
        .with(query_times.then(crate::ops::query_times::layer))
        .try_init()
        .map_err(|e| CliError::Config(format!("cannot start logging: {e}")))?;
    Ok(Telemetry { traces })
}

/// What reaches the exporter: Propusk's spans from debug up (the request span is at
/// debug, out of the default text logs), its events from warn up.
fn exported(meta: &Metadata<'_>) -> bool {
    let least = if meta.is_span() {
        Level::DEBUG
    } else {
        Level::WARN
    };
    meta.target().starts_with("propusk") && *meta.level() <= least
}

fn tracer_provider(settings: &TelemetrySettings) -> CliResult<SdkTracerProvider> {
    let fail = |e: &dyn std::fmt::Display| CliError::Config(format!("telemetry: {e}"));
    let client = reqwest::Client::builder()
        .timeout(EXPORT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| fail(&e))?;
    let exporter = SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(settings.traces_url.clone())
        .with_timeout(EXPORT_TIMEOUT)
        .with_http_client(OnRuntime {
            client,
            runtime: tokio::runtime::Handle::current(),
        })
        .build()
        .map_err(|e| fail(&e))?;
    let resource = Resource::builder()
        .with_service_name(settings.service_name.clone())
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// The exporter's HTTP client: the batch exporter runs on its own thread, outside Tokio,
/// so each request is spawned on the runtime and awaited from there.
#[derive(Debug)]
struct OnRuntime {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait]
impl HttpClient for OnRuntime {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        let sent = self.runtime.spawn(async move {
            let request = reqwest::Request::try_from(request)?;
            let response = client.execute(request).await?;
            let mut answer = Response::builder().status(response.status());
            if let Some(headers) = answer.headers_mut() {
                headers.extend(response.headers().clone());
            }
            let body = response.bytes().await?;
            Ok::<_, HttpError>(answer.body(body)?)
        });
        let answer = sent.await?;
        if let Err(error) = &answer {
            tracing::warn!(%error, "exporting traces failed");
        }
        answer
    }
}
