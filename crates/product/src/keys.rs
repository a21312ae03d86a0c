//! The issuer's discovery document (OIDC Discovery 1.0 §4) and its signing keys: read
//! once, the keys read again when a token names a `kid` they lack, at most once per
//! [`crate::ProductConfig::key_refetch_interval`].

use crate::Refusal;
use propusk_core::jose::{JwkSet, VerifyingKeys};
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, OnceCell, RwLock};

/// What the validator needs from the discovery document.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Metadata {
    pub issuer: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub introspection_endpoint: Option<String>,
}

pub(crate) struct Keys {
    metadata: OnceCell<Metadata>,
    current: RwLock<Option<(VerifyingKeys, Instant)>>,
    /// One fetch at a time: concurrent requests with a new `kid` wait for it.
    fetching: Mutex<()>,
    fetches: AtomicU64,
}

impl Keys {
    pub fn new() -> Self {
        Self {
            metadata: OnceCell::new(),
            current: RwLock::new(None),
            fetching: Mutex::new(()),
            fetches: AtomicU64::new(0),
        }
    }

    /// How many times the key set was fetched.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    pub async fn metadata(
        &self,
        http: &reqwest::Client,
        issuer: &str,
    ) -> Result<&Metadata, Refusal> {
        self.metadata
            .get_or_try_init(|| async {
                let url = format!("{issuer}/.well-known/openid-configuration");
                let metadata: Metadata = get_json(http, &url).await?;
                // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
                if metadata.issuer != issuer {
                    tracing::error!(expected = issuer, found = %metadata.issuer, "discovery names another issuer");
                    return Err(Refusal::Unavailable);
                }
                Ok(metadata)
            })
            .await
    }

    /// The key set, fetched when there is none yet.
    pub async fn current(
        &self,
        http: &reqwest::Client,
        issuer: &str,
    ) -> Result<VerifyingKeys, Refusal> {
        if let Some((keys, _)) = self.current.read().await.as_ref() {
            return Ok(keys.clone());
        }
        let _one = self.fetching.lock().await;
        if let Some((keys, _)) = self.current.read().await.as_ref() {
            return Ok(keys.clone());
        }
        self.fetch(http, issuer).await
    }

    /// The key set fetched again, unless the last fetch was less than `interval` ago
    /// (`None` then: the keys cannot have changed for this purpose).
    pub async fn refetch(
        &self,
        http: &reqwest::Client,
        issuer: &str,
        interval: Duration,
    ) -> Result<Option<VerifyingKeys>, Refusal> {
        let _one = self.fetching.lock().await;
        if let Some((_, at)) = self.current.read().await.as_ref()
            && at.elapsed() < interval
        {
            return Ok(None);
        }
        self.fetch(http, issuer).await.map(Some)
    }

    async fn fetch(&self, http: &reqwest::Client, issuer: &str) -> Result<VerifyingKeys, Refusal> {
        let jwks_uri = self.metadata(http, issuer).await?.jwks_uri.clone();
        let set: JwkSet = get_json(http, &jwks_uri).await?;
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let keys = VerifyingKeys::new(&set.keys);
        *self.current.write().await = Some((keys.clone(), Instant::now()));
        Ok(keys)
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
) -> Result<T, Refusal> {
    let answer = http.get(url).send().await.map_err(|e| {
        tracing::warn!(url, error = %e, "identity provider unreachable");
        Refusal::Unavailable
    })?;
    if !answer.status().is_success() {
        tracing::warn!(
            url,
            status = answer.status().as_u16(),
            "identity provider answered an error"
        );
        return Err(Refusal::Unavailable);
    }
    answer.json().await.map_err(|e| {
        tracing::warn!(url, error = %e, "identity provider answered unreadable JSON");
        Refusal::Unavailable
    })
}
