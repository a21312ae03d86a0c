//! The HTTP side of back-channel logout (Back-Channel Logout 1.0 §2.5): POSTs the
//! `logout_token` form parameter to the client's URI without following redirects, and
//! the worker that keeps the engine's delivery queue moving. A logout starts a delivery
//! round at once ([`deliver_soon`]); the worker retries what failed.

use async_trait::async_trait;
use propusk_core::logout::LogoutSender;
use propusk_core::provider::Provider;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How often the worker looks for due deliveries.
const WORKER_EVERY: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct HttpLogoutSender {
    http: reqwest::Client,
}

impl HttpLogoutSender {
    pub fn shared() -> Self {
        static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
        let http = HTTP.get_or_init(|| {
            // TLS through rustls with AWS-LC; a provider installed before stays.
            let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_else(|_| reqwest::Client::new())
        });
        Self { http: http.clone() }
    }
}

#[async_trait]
impl LogoutSender for HttpLogoutSender {
    /// §2.8: 200 (or 204) is success; anything else is retried.
    async fn send(&self, uri: &str, logout_token: &str) -> Result<(), String> {
        let response = self
            .http
            .post(uri)
            .header(reqwest::header::CACHE_CONTROL, "no-store")
            .form(&[("logout_token", logout_token)])
            .send()
            .await
            .map_err(|e| format!("request failed: {}", without_url(&e)))?;
        match response.status().as_u16() {
            200 | 204 => Ok(()),
            status => Err(format!("HTTP {status}")),
        }
    }
}

fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else {
        "transport"
    };
    kind.to_owned()
}

/// Starts one delivery round now, outside the request that ended the session.
pub fn deliver_soon(provider: Arc<Provider>) {
    tokio::spawn(async move {
        if let Err(error) = provider.deliver_logouts(&HttpLogoutSender::shared()).await {
            tracing::warn!(%error, "back-channel logout round failed");
        }
    });
}

/// Delivers due back-channel logouts every few seconds, forever. The binary spawns it.
pub async fn run_logout_worker(provider: Arc<Provider>) {
    let sender = HttpLogoutSender::shared();
    let mut interval = tokio::time::interval(WORKER_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = provider.deliver_logouts(&sender).await {
            tracing::warn!(%error, "back-channel logout round failed");
        }
    }
}
