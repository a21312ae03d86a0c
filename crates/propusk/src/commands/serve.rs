//! `propusk serve`: runs the provider until SIGINT or SIGTERM. On start it migrates the
//! database and makes sure signing keys exist (generated only on the first start), then
//! prints `listening on http://ADDR issuer URL` on stdout, which scripts and tests wait for.

use crate::app::{App, Runtime};
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use propusk_core::accounts::{Accounts, Sender, deliver_due};
use propusk_core::provider::Provider;
use propusk_delivery::{Channels, DevOutbox, HttpSms, Smtp};
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

    let accounts = Arc::new(Accounts::new(
        app.provider.clone(),
        settings.accounts.clone(),
    ));
    let router = propusk_web::router_with_accounts(
        AppState::with_theme(
            app.provider.clone(),
            settings.web.clone(),
            settings.theme.clone(),
        ),
        accounts,
    );
    let sender = senders(&settings)?;
    let delivery = tokio::spawn(deliver(app.provider.clone(), sender));
    let housekeeping = tokio::spawn(housekeeping(app.provider.clone()));
    let logout_worker = tokio::spawn(propusk_web::run_logout_worker(app.provider.clone()));
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
    delivery.abort();
    logout_worker.abort();
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

/// Every few minutes: deletes expired codes, tokens, grants, device authorizations,
/// one-time codes, idle throttle counters, and keys that have left the JWKS. Failures are
/// logged and retried at the next round.
async fn housekeeping(provider: Arc<Provider>) {
    /// Throttle counters idle this long are dropped (longer than any window or lockout).
    const COUNTER_IDLE: i64 = 2 * 24 * 3600;
    let mut interval = tokio::time::interval(HOUSEKEEPING_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let now = provider.now();
        let store = &provider.store;
        report("expired rows", store.purge_expired(now).await);
        report(
            "device authorizations",
            store.purge_expired_devices(now).await,
        );
        report("one-time codes", store.purge_challenges(now).await);
        report(
            "throttle counters",
            store.purge_counters(now - COUNTER_IDLE).await,
        );
        report(
            "unpublished signing keys",
            store.delete_unpublished_keys(now).await,
        );
    }
}

fn report(what: &str, outcome: Result<u64, propusk_core::store::StoreError>) {
    match outcome {
        Ok(0) => {}
        Ok(rows) => tracing::info!(rows, "purged {what}"),
        Err(e) => tracing::warn!(error = %e, "purging {what} failed"),
    }
}

/// The senders the configuration asks for; what has none goes to the development outbox.
fn senders(settings: &Settings) -> CliResult<Arc<dyn Sender>> {
    let email: Option<Arc<dyn Sender>> = match &settings.delivery.smtp {
        Some(config) => {
            Some(Arc::new(Smtp::new(config).map_err(|e| {
                CliError::Config(format!("delivery.smtp: {e}"))
            })?))
        }
        None => None,
    };
    let sms: Option<Arc<dyn Sender>> = match &settings.delivery.sms {
        Some(config) => {
            Some(Arc::new(HttpSms::new(config.clone()).map_err(|e| {
                CliError::Config(format!("delivery.sms: {e}"))
            })?))
        }
        None => None,
    };
    if email.is_none() || sms.is_none() {
        tracing::warn!(
            "no SMTP or SMS gateway configured for some channel: codes stay in the development outbox"
        );
    }
    Ok(Arc::new(Channels {
        email,
        sms,
        fallback: DevOutbox {
            log_bodies: settings.web.dev_mode,
        },
    }))
}

/// The delivery worker: every second, sends what the outbox has due (with retries).
async fn deliver(provider: Arc<Provider>, sender: Arc<dyn Sender>) {
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = deliver_due(&provider, sender.as_ref(), 20).await {
            tracing::warn!(%error, "delivery round failed");
        }
    }
}
