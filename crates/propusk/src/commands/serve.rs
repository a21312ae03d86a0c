//! `propusk serve`: runs the provider until SIGINT or SIGTERM. On start it migrates the
//! database and makes sure signing keys exist (generated only on the first start), then
//! prints `listening on http://ADDR issuer URL` on stdout, which scripts and tests wait for
//! (and `metrics on http://ADDR/metrics` first when `[metrics] listen` is set).

use crate::app::{App, Runtime};
use crate::config::{MetricsSettings, Settings};
use crate::error::{CliError, CliResult};
use crate::http;
use crate::ops::{self, Ops};
use propusk_core::accounts::{Accounts, Sender, deliver_due};
use propusk_core::provider::Provider;
use propusk_delivery::{Channels, DevOutbox, HttpSms, Smtp};
use propusk_web::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How often expired rows and unpublished keys are removed.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(300);

pub async fn run(settings: Settings, runtime: Runtime) -> CliResult<()> {
    let app = App::open(&settings, &runtime).await?;
    app.provider.init().await?;
    let listener = bind(settings.listen).await?;
    let addr = local_addr(&listener)?;
    let metrics_listener = match settings.metrics {
        MetricsSettings::Listen(at) => Some(bind(at).await?),
        MetricsSettings::Off | MetricsSettings::MainListener => None,
    };
    let ops = Arc::new(Ops {
        store: app.store.clone(),
        provider: app.provider.clone(),
        metrics: match settings.metrics {
            MetricsSettings::Off => None,
            _ => Some(ops::install_metrics()?),
        },
    });

    let accounts = Arc::new(Accounts::new(
        app.provider.clone(),
        settings.accounts.clone(),
    ));
    let mut router = propusk_web::router_with_accounts(
        AppState::new(app.provider.clone(), settings.web.clone()),
        accounts,
    )
    .merge(ops::readiness(ops.clone()));
    if settings.metrics == MetricsSettings::MainListener {
        router = router.merge(ops::metrics(ops.clone()));
    }
    let router = ops::track_requests(
        http::limit_requests(router, settings.timeouts),
        Arc::new(settings.web.trusted_proxies.clone()),
    );

    let sender = senders(&settings)?;
    let delivery = tokio::spawn(deliver(app.provider.clone(), sender));
    let housekeeping = tokio::spawn(housekeeping(app.provider.clone()));
    let logout_worker = tokio::spawn(propusk_web::run_logout_worker(app.provider.clone()));
    if let Some(listener) = &metrics_listener {
        let at = local_addr(listener)?;
        println!("metrics on http://{at}{}", propusk_types::routes::METRICS);
    }
    println!(
        "listening on http://{addr} issuer {}",
        app.provider.config.issuer
    );
    tracing::info!(%addr, issuer = %app.provider.config.issuer, "ready");

    let (stop, stopped) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let metrics_server = match metrics_listener {
        Some(listener) => {
            let router = ops::metrics(ops.clone());
            Some(tokio::spawn(http::serve(
                listener,
                router,
                settings.timeouts,
                until(stopped.clone()),
            )))
        }
        None => None,
    };
    http::serve(listener, router, settings.timeouts, until(stopped)).await;
    if let Some(server) = metrics_server {
        let _ = server.await;
    }
    housekeeping.abort();
    delivery.abort();
    logout_worker.abort();
    app.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn bind(addr: SocketAddr) -> CliResult<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::io(format!("cannot listen on {addr}"), e))
}

fn local_addr(listener: &TcpListener) -> CliResult<SocketAddr> {
    listener
        .local_addr()
        .map_err(|e| CliError::io("cannot read the bound address", e))
}

/// Resolves once `stopped` turns true (or its sender is gone).
async fn until(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
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
/// one-time codes, idle throttle counters, and keys that have left the JWKS, and erases
/// the text of messages whose last delivery try never answered. Failures are
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
        report(
            "bodies of abandoned messages",
            store
                .erase_abandoned_bodies(now, propusk_core::accounts::MAX_ATTEMPTS)
                .await,
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
    Ok(Arc::new(ops::Counted(Arc::new(Channels {
        email,
        sms,
        fallback: DevOutbox {
            log_bodies: settings.web.dev_mode,
        },
    }))))
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
