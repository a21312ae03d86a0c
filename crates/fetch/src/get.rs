//! One GET under the [`FetchPolicy`]: the URL's host resolved and every address checked
//! ([`is_public`]), the HTTP client pinned to those addresses, no proxy, no redirect,
//! the body read up to the size limit, all within the time limit.

use crate::{FetchPolicy, is_public};
use propusk_core::fetch::FetchError;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_LENGTH};
use std::net::SocketAddr;
use url::{Host, Url};

/// An answer body and what its `Cache-Control` allows (RFC 9111 §5.2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    pub body: Vec<u8>,
    /// `max-age` in seconds; `Some(0)` for `no-cache`.
    pub max_age: Option<i64>,
    /// `no-store`: keep nothing.
    pub no_store: bool,
}

/// The fetcher; cheap to share.
#[derive(Clone, Debug)]
pub struct Fetcher {
    policy: FetchPolicy,
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Self {
        Self { policy }
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// GETs `uri`, or says why not.
    pub async fn get(&self, uri: &str) -> Result<Fetched, FetchError> {
        let limit = self.policy.timeout;
        tokio::time::timeout(limit, self.get_unbounded(uri))
            .await
            .map_err(|_| FetchError::Timeout(uri.to_owned(), limit.as_millis()))?
    }

    async fn get_unbounded(&self, uri: &str) -> Result<Fetched, FetchError> {
        let url =
            Url::parse(uri).map_err(|e| FetchError::Invalid(uri.to_owned(), e.to_string()))?;
        let allow_loopback = self.policy.insecure_allow_loopback;
        let addrs = self.checked_addresses(uri, &url).await?;
        let https = url.scheme() == "https";
        let loopback_http =
            url.scheme() == "http" && allow_loopback && addrs.iter().all(|a| a.ip().is_loopback());
        if !https && !loopback_http {
            return Err(FetchError::NotHttps(uri.to_owned()));
        }
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.policy.timeout)
            .https_only(https);
        if let Some(Host::Domain(name)) = url.host() {
            builder = builder.resolve_to_addrs(name, &addrs);
        }
        let client = builder.build().map_err(|e| transport(uri, &e))?;
        let mut response = client
            .get(url)
            .header(ACCEPT, "application/jwk-set+json, application/json")
            .send()
            .await
            .map_err(|e| transport(uri, &e))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(FetchError::Redirect(uri.to_owned(), status.as_u16()));
        }
        if !status.is_success() {
            return Err(FetchError::Status(uri.to_owned(), status.as_u16()));
        }
        let too_large = || FetchError::TooLarge(uri.to_owned(), self.policy.max_bytes);
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > self.policy.max_bytes) {
            return Err(too_large());
        }
        let (max_age, no_store) = cache_control(response.headers());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport(uri, &e))? {
            if body.len() + chunk.len() > self.policy.max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            body,
            max_age,
            no_store,
        })
    }

    /// The addresses of the URL's host, every one of them allowed; a name that also
    /// resolves to an internal address is refused as a whole.
    async fn checked_addresses(&self, uri: &str, url: &Url) -> Result<Vec<SocketAddr>, FetchError> {
        let port = url
            .port_or_known_default()
            .ok_or_else(|| FetchError::Invalid(uri.to_owned(), "no port".into()))?;
        let addrs: Vec<SocketAddr> = match url.host() {
            Some(Host::Ipv4(ip)) => vec![SocketAddr::new(ip.into(), port)],
            Some(Host::Ipv6(ip)) => vec![SocketAddr::new(ip.into(), port)],
            Some(Host::Domain(name)) => tokio::net::lookup_host((name, port))
                .await
                .map_err(|_| FetchError::Unresolvable(uri.to_owned()))?
                .collect(),
            None => return Err(FetchError::Invalid(uri.to_owned(), "no host".into())),
        };
        if addrs.is_empty() {
            return Err(FetchError::Unresolvable(uri.to_owned()));
        }
        let allow_loopback = self.policy.insecure_allow_loopback;
        if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip(), allow_loopback)) {
            return Err(FetchError::ForbiddenAddress(
                uri.to_owned(),
                bad.ip().to_string(),
            ));
        }
        Ok(addrs)
    }
}

fn transport(uri: &str, error: &reqwest::Error) -> FetchError {
    if error.is_timeout() {
        return FetchError::Timeout(uri.to_owned(), 0);
    }
    FetchError::Transport(uri.to_owned(), error.to_string())
}

/// `max-age` and `no-store` of `Cache-Control`; `no-cache` counts as `max-age=0`.
fn cache_control(headers: &reqwest::header::HeaderMap) -> (Option<i64>, bool) {
    let mut max_age = None;
    let mut no_store = false;
    for value in headers.get_all(CACHE_CONTROL) {
        let Ok(text) = value.to_str() else { continue };
        for directive in text.split(',').map(|d| d.trim().to_ascii_lowercase()) {
            if directive == "no-store" {
                no_store = true;
            } else if directive == "no-cache" {
                max_age = Some(0);
            } else if let Some(Ok(seconds)) = directive
                .strip_prefix("max-age=")
                .map(|s| s.trim_matches('"').parse::<i64>())
            {
                max_age = Some(max_age.map_or(seconds, |m: i64| m.min(seconds)));
            }
        }
    }
    (max_age, no_store)
}
