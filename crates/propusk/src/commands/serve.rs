//! `propusk serve`: runs the provider until SIGINT or SIGTERM. On start it migrates the
//! database and makes sure signing keys exist (generated only on the first start), then
//! prints `listening on http://ADDR issuer URL` on stdout, which scripts and tests wait for.

use crate::app::{App, Runtime};
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use propusk_core::provider::Provider;
use propusk_web::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often expired rows and unpublished keys are removed.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(300);

pub async fn run(settings: Settings, runtime: Runtime) -> CliResult<()> {
    let app = App::open(&settings, &runtime).await?;
    app.provider.init().await?;
    let listener = TcpListener::bind(settings.listen)
        .await
        .map_err(|e| CliError::io(format!("cannot listen on {}", settings.listen), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::io("cannot read the bound address", e))?;

    let router = propusk_web::router(AppState::new(app.provider.clone(), settings.web.clone()));
    let housekeeping = tokio::spawn(housekeeping(app.provider.clone()));
    println!(
        "listening on http://{addr} issuer {}",
        app.provider.config.issuer
    );
    tracing::info!(%addr, issuer = %app.provider.config.issuer, "ready");

    let served = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    housekeeping.abort();
    app.close().await;
    served.map_err(|e| CliError::io("server failed", e))?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on the first SIGINT or SIGTERM.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

/// Every few minutes: deletes expired codes, tokens and grants, and keys that have left
/// the JWKS. Failures are logged and retried at the next round.
async fn housekeeping(provider: Arc<Provider>) {
    let mut interval = tokio::time::interval(HOUSEKEEPING_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let now = provider.now();
        match provider.store.purge_expired(now).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, "purged expired rows"),
            Err(e) => tracing::warn!(error = %e, "purging expired rows failed"),
        }
        match provider.store.delete_unpublished_keys(now).await {
            Ok(0) => {}
            Ok(keys) => tracing::info!(keys, "deleted unpublished signing keys"),
            Err(e) => tracing::warn!(error = %e, "deleting unpublished keys failed"),
        }
    }
}
