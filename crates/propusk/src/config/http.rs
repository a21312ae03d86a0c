//! The `[http]` section (connection timeouts, trusted proxies) and the `[metrics]`
//! section (where `/metrics` is served), and their checked forms.

use crate::error::{CliError, CliResult};
use propusk_web::client_ip::TrustedProxies;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSection {
    /// Seconds a connection has to deliver a request's headers, counted from the moment
    /// it is ready for that request (accepted, or done with the previous one).
    pub header_read_timeout_seconds: u64,
    /// Seconds a handler waits for the whole request body.
    pub body_read_timeout_seconds: u64,
    /// Seconds a kept-alive connection may move no bytes while no request is in flight.
    pub idle_timeout_seconds: u64,
    /// Seconds a request may take from its headers to its response.
    pub request_timeout_seconds: u64,
    /// CIDR blocks of proxies whose `Forwarded` / `X-Forwarded-*` headers are believed.
    pub trusted_proxies: Vec<String>,
}

impl Default for HttpSection {
    fn default() -> Self {
        Self {
            header_read_timeout_seconds: 10,
            body_read_timeout_seconds: 30,
            idle_timeout_seconds: 75,
            request_timeout_seconds: 60,
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSection {
    /// Serve `/metrics` on the main listener.
    pub enabled: bool,
    /// Serve `/metrics` on this address instead (and not on the main listener).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

/// The connection limits the server applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub header_read: Duration,
    pub body_read: Duration,
    pub idle: Duration,
    pub request: Duration,
}

/// Where `/metrics` is served, if anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricsSettings {
    Off,
    MainListener,
    Listen(SocketAddr),
}

impl HttpSection {
    pub fn timeouts(&self) -> CliResult<Timeouts> {
        let seconds = |key: &str, value: u64| {
            if value == 0 {
                Err(CliError::Config(format!(
                    "http.{key}: must be a positive number of seconds"
                )))
            } else {
                Ok(Duration::from_secs(value))
            }
        };
        Ok(Timeouts {
            header_read: seconds(
                "header_read_timeout_seconds",
                self.header_read_timeout_seconds,
            )?,
            body_read: seconds("body_read_timeout_seconds", self.body_read_timeout_seconds)?,
            idle: seconds("idle_timeout_seconds", self.idle_timeout_seconds)?,
            request: seconds("request_timeout_seconds", self.request_timeout_seconds)?,
        })
    }

    pub fn trusted_proxies(&self) -> CliResult<TrustedProxies> {
        TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|e| CliError::Config(format!("http.trusted_proxies: {e}")))
    }
}

impl MetricsSection {
    pub fn settings(&self) -> CliResult<MetricsSettings> {
        match &self.listen {
            Some(addr) => addr.parse().map(MetricsSettings::Listen).map_err(|_| {
                CliError::Config(format!(
                    "metrics.listen: `{addr}` is not a socket address such as 127.0.0.1:9100"
                ))
            }),
            None if self.enabled => Ok(MetricsSettings::MainListener),
            None => Ok(MetricsSettings::Off),
        }
    }
}
