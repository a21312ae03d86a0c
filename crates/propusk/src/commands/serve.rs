//! `propusk serve`: runs the provider until SIGINT or SIGTERM. On start it migrates the
//! database and makes sure signing keys exist (generated only on the first start), then
//! prints `listening on http://ADDR issuer URL` on stdout, which scripts and tests wait for
//! (and first `metrics on http://ADDR/metrics` when `[metrics] listen` is set, and
//! `certificate listener on https://ADDR` when `[certificates] mtls_listen` is).
//!
//! Any number of nodes may serve one database: each polls the version of cached data
//! (`coordination::watch_cached_data`), and housekeeping and scheduled key rotation run
//! on one node at a time under leases. On a signal the node stops accepting, gives the
//! requests in flight `shutdown_grace_seconds`, and gives its leases up.

use crate::app::{App, Runtime};
use crate::config::{MetricsSettings, Settings};
use crate::error::{CliError, CliResult};
use crate::http;
use crate::ops::{self, Ops};
use propusk_core::accounts::{Accounts, Sender, deliver_due};
use propusk_core::coordination::{Singleton, WATCH_EVERY, watch_cached_data};
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
/// How often scheduled key rotation looks whether a key is due, at most.
const ROTATION_CHECK_EVERY: Duration = Duration::from_secs(60);

pub async fn run(settings: Settings, runtime: Runtime) -> CliResult<()> {
    let app = App::open(&settings, &runtime).await?;
    app.provider.init().await?;
    let listener = bind(settings.listen).await?;
    let addr = local_addr(&listener)?;
    let mut web = settings.web.clone();
    let certificate_listener = match &settings.mtls {
        Some(mtls) => {
            let acceptor = http::tls::acceptor(&mtls.cert, &mtls.key)?;
            let listener = bind(mtls.listen).await?;
            let at = local_addr(&listener)?;
            let public = web
                .tls_sign_in_url
                .get_or_insert_with(|| format!("https://{at}"));
            let _ = app.provider.mtls_url.set(public.clone());
            Some((listener, acceptor, at))
        }
        None => None,
    };
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
        AppState::with_theme(app.provider.clone(), web, settings.theme.clone()),
        accounts,
    )
    .merge(ops::readiness(ops.clone()));
    if settings.metrics == MetricsSettings::MainListener {
        router = router.merge(ops::metrics(ops.clone()));
    }
    let router = http::limit_and_count(
        router,
        settings.timeouts,
        Arc::new(settings.web.trusted_proxies.clone()),
    );
    let router = propusk_web::trace::trace_requests(router);

    let sender = senders(&settings)?;
    let provider = &app.provider;
    let watcher = tokio::spawn(watch_cached_data(provider.store.clone(), WATCH_EVERY));
    let delivery = tokio::spawn(deliver(provider.clone(), sender));
    let housekeeping_job = Arc::new(singleton(provider, "housekeeping", HOUSEKEEPING_EVERY));
    let housekeeping = tokio::spawn(housekeeping(provider.clone(), housekeeping_job.clone()));
    let rotation_check = settings
        .rotate_keys_every
        .map_or(ROTATION_CHECK_EVERY, |every| {
            Duration::from_secs(u64::try_from(every / 4).unwrap_or(1))
                .clamp(Duration::from_secs(1), ROTATION_CHECK_EVERY)
        });
    let rotation_job = Arc::new(singleton(provider, "key-rotation", rotation_check));
    let rotation = settings
        .rotate_keys_every
        .map(|every| tokio::spawn(rotate_keys(provider.clone(), rotation_job.clone(), every)));
    let logout_worker = tokio::spawn(propusk_web::run_logout_worker(provider.clone()));
    let trust_watcher = tokio::spawn(watch_trust(provider.clone(), settings.trust_reload_every));
    if settings.fetch.insecure_allow_loopback {
        tracing::warn!(
            "fetch.insecure_allow_loopback is ON: client jwks_uri may point at http on \
             loopback addresses of this machine; never use this outside tests"
        );
    }
    if let Some(listener) = &metrics_listener {
        let at = local_addr(listener)?;
        println!("metrics on http://{at}{}", propusk_types::routes::METRICS);
    }
    if let Some((_, _, at)) = &certificate_listener {
        println!("certificate listener on https://{at}");
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
    let grace = settings.shutdown_grace;
    let metrics_server = match metrics_listener {
        Some(listener) => {
            let router = ops::metrics(ops.clone());
            Some(tokio::spawn(http::serve(
                listener,
                router,
                settings.timeouts,
                until(stopped.clone()),
                grace,
                None,
            )))
        }
        None => None,
    };
    let certificate_server = certificate_listener.map(|(listener, acceptor, _)| {
        tokio::spawn(http::serve(
            listener,
            router.clone(),
            settings.timeouts,
            until(stopped.clone()),
            grace,
            Some(acceptor),
        ))
    });
    http::serve(
        listener,
        router,
        settings.timeouts,
        until(stopped),
        grace,
        None,
    )
    .await;
    for server in metrics_server.into_iter().chain(certificate_server) {
        let _ = server.await;
    }
    for task in [
        watcher,
        housekeeping,
        delivery,
        logout_worker,
        trust_watcher,
    ]
    .into_iter()
    .chain(rotation)
    {
        task.abort();
    }
    housekeeping_job.release().await;
    rotation_job.release().await;
    app.provider.audit.flush().await;
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

fn singleton(provider: &Arc<Provider>, name: &'static str, every: Duration) -> Singleton {
    Singleton::new(
        provider.store.clone(),
        provider.clock.clone(),
        provider.rng.as_ref(),
        name,
        every,
    )
}

/// Scheduled key rotation, on one node at a time: a new key for each algorithm whose
/// newest key is `every` seconds old, published before it signs.
async fn rotate_keys(provider: Arc<Provider>, job: Arc<Singleton>, every: i64) {
    job.run(|| async {
        let keys = &provider.keys;
        let store = provider.store.as_ref();
        match keys
            .rotate_due(store, provider.clock.as_ref(), provider.rng.as_ref(), every)
            .await
        {
            Ok(created) if created.is_empty() => {}
            Ok(created) => {
                let kids: Vec<&str> = created.iter().map(|k| k.kid.as_str()).collect();
                tracing::info!(?kids, "scheduled key rotation published new keys");
            }
            Err(error) => tracing::warn!(%error, "scheduled key rotation failed"),
        }
    })
    .await;
}

/// Every few minutes, on one node at a time: deletes expired codes, tokens, grants,
/// device authorizations, one-time codes, idle throttle counters, and keys that have left
/// the JWKS, and erases the text of messages whose last delivery try never answered.
/// Failures are logged and retried at the next round.
async fn housekeeping(provider: Arc<Provider>, job: Arc<Singleton>) {
    job.run(|| purge(&provider)).await;
}

async fn purge(provider: &Provider) {
    /// Throttle counters idle this long are dropped (longer than any window or lockout).
    const COUNTER_IDLE: i64 = 2 * 24 * 3600;
    let now = provider.now();
    let store = &provider.store;
    report("expired rows", store.purge_expired(now).await);
    report(
        "device authorizations",
        store.purge_expired_devices(now).await,
    );
    report(
        "pushed authorization requests",
        store.purge_expired_pushed_requests(now).await,
    );
    report("one-time codes", store.purge_challenges(now).await);
    report(
        "certificate challenges",
        store.purge_certificate_challenges(now).await,
    );
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

/// Looks at the certificate trust folder every `every` and reads it again when its files
/// changed, so that roots, intermediates and CRLs take effect without a restart.
async fn watch_trust(provider: Arc<Provider>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let trust = provider.certificates.clone();
        match tokio::task::spawn_blocking(move || trust.reload_if_changed()).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "certificate trust folder not read"),
            Err(error) => tracing::warn!(%error, "certificate trust reload failed"),
        }
    }
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
