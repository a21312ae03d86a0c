//! Checks a loaded [`Config`] and resolves it into [`Settings`]: the engine's
//! `ProviderConfig`, the web layer's `WebConfig` and what the binary itself needs. The
//! issuer must be a valid OIDC issuer identifier (OIDC Discovery §3: https, no query, no
//! fragment), with plain http allowed only for loopback hosts.

use super::{Config, Secret};
use crate::error::{CliError, CliResult};
use propusk_core::crypto::MasterKey;
use propusk_core::developer::LifetimeLimits;
use propusk_core::jose::Alg;
use propusk_core::keys::KeyPolicy;
use propusk_core::model::TokenFormat;
use propusk_core::provider::ProviderConfig;
use propusk_web::{Theme, WebConfig};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use url::{Host, Url};

/// Where the master key comes from.
#[derive(Clone, Debug)]
pub enum MasterKeySource {
    /// Given in the configuration itself.
    Inline(MasterKey),
    /// A file the operator named; it must exist.
    File(PathBuf),
    /// The embedded default beside the database, generated on first start.
    Embedded(PathBuf),
}

/// The validated configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database_url: Secret,
    pub master_key: MasterKeySource,
    pub provider: ProviderConfig,
    pub web: WebConfig,
    pub accounts: propusk_core::accounts::AccountPolicy,
    /// Templates, assets and texts: the built-in theme with `ui.theme_dir` on top.
    pub theme: Arc<Theme>,
    pub delivery: super::DeliverySettings,
    pub timeouts: super::Timeouts,
    pub metrics: super::MetricsSettings,
    /// Scheduled key rotation: seconds between new keys, when on.
    pub rotate_keys_every: Option<i64>,
    pub shutdown_grace: std::time::Duration,
    pub log: String,
    /// Logs as JSON lines.
    pub log_json: bool,
    /// `PROPUSK_*` variables that name no key and were left out; logged as a warning.
    pub ignored_env: Vec<String>,
    /// Where spans are exported, when they are.
    pub telemetry: Option<TelemetrySettings>,
    /// Limits of the fetcher of client-given URLs.
    pub fetch: propusk_fetch::FetchPolicy,
    /// The folder of trusted certificates and CRLs, and how often it is looked at.
    pub trust_dir: std::path::PathBuf,
    pub trust_reload_every: std::time::Duration,
    /// The certificate listener, when configured.
    pub mtls: Option<MtlsSettings>,
}

/// The certificate listener: HTTPS that asks for a client certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MtlsSettings {
    pub listen: SocketAddr,
    /// The server certificate chain, PEM.
    pub cert: PathBuf,
    /// Its private key, PEM.
    pub key: PathBuf,
}

/// The OTLP/HTTP trace export of `propusk serve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TelemetrySettings {
    /// The full URL spans are posted to: the endpoint with `/v1/traces`.
    pub traces_url: String,
    pub service_name: String,
}

impl Config {
    pub fn validate(self) -> CliResult<Settings> {
        let listen = self.listen.parse::<SocketAddr>().map_err(|_| {
            invalid(format!(
                "listen: `{}` is not a socket address such as 127.0.0.1:8080",
                self.listen
            ))
        })?;
        let issuer = check_issuer(&self.issuer)?;
        let alg = self.signing_alg.parse::<Alg>().map_err(|_| {
            invalid(format!(
                "signing_alg: `{}` is not supported; use one of RS256, PS256, ES256, EdDSA",
                self.signing_alg
            ))
        })?;
        let own_format = TokenFormat::parse(&self.own_access_token_format).ok_or_else(|| {
            invalid(format!(
                "own_access_token_format: `{}` is not a format; use reference or jwt",
                self.own_access_token_format
            ))
        })?;
        tracing_subscriber::EnvFilter::try_new(&self.log)
            .map_err(|e| invalid(format!("log: `{}` is not a tracing filter ({e})", self.log)))?;
        positive(
            "keys.prepublish_seconds",
            self.keys.prepublish_seconds,
            true,
        )?;
        positive("keys.cache_ttl_seconds", self.keys.cache_ttl_seconds, false)?;
        positive(
            "session.lifetime_seconds",
            self.session.lifetime_seconds,
            false,
        )?;
        positive("session.idle_seconds", self.session.idle_seconds, false)?;
        positive("shutdown_grace_seconds", self.shutdown_grace_seconds, true)?;
        let log_json = match self.log_format.as_str() {
            "text" => false,
            "json" => true,
            other => {
                return Err(invalid(format!(
                    "log_format: `{other}` is not a format; use text or json"
                )));
            }
        };
        let rotate_keys_every = match &self.keys.rotate_every {
            None => None,
            Some(span) => {
                let seconds = span
                    .seconds()
                    .map_err(|why| invalid(format!("keys.rotate_every: {why}")))?;
                if seconds <= self.keys.prepublish_seconds {
                    return Err(invalid(format!(
                        "keys.rotate_every ({seconds} s) must be longer than \
                         keys.prepublish_seconds ({} s)",
                        self.keys.prepublish_seconds
                    )));
                }
                Some(seconds)
            }
        };

        let master_key = match (self.master_key, self.master_key_file) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "set either master_key or master_key_file, not both",
                ));
            }
            (Some(key), None) => {
                MasterKeySource::Inline(MasterKey::parse(key.expose()).map_err(|_| {
                    invalid("master_key: expected 64 hex characters or base64 of 32 bytes")
                })?)
            }
            (None, Some(path)) => MasterKeySource::File(path),
            (None, None) => MasterKeySource::Embedded(self.data_dir.join("master.key")),
        };
        let database_url = self
            .database_url
            .unwrap_or_else(|| default_database_url(&self.data_dir));

        let mut provider = ProviderConfig::new(issuer);
        provider.default_signing_alg = alg;
        provider.own_access_token_format = own_format;
        provider.session_lifetime = self.session.lifetime_seconds;
        provider.session_idle_lifetime = self.session.idle_seconds;
        provider.logout_revokes_offline = self.session.logout_revokes_offline_access;
        provider.require_par = self.authorize.require_par;
        provider.require_signed_request_object = self.authorize.require_signed_request_object;
        if !(1..=600).contains(&self.dpop.iat_window_seconds) {
            return Err(invalid("dpop.iat_window_seconds: expected 1 to 600"));
        }
        provider.dpop = propusk_core::dpop::DpopPolicy {
            require_nonce: self.dpop.require_nonce,
            iat_window: self.dpop.iat_window_seconds,
        };
        provider.integrator_limits = integrator_limits(&self.developer)?;
        provider.registration.open = self.registration.open;
        provider.registration.limits.loopback_jwks_uri = self.fetch.insecure_allow_loopback;
        let fetch = propusk_fetch::FetchPolicy {
            insecure_allow_loopback: self.fetch.insecure_allow_loopback,
            ..propusk_fetch::FetchPolicy::default()
        };
        provider.keys = KeyPolicy {
            prepublish: self.keys.prepublish_seconds,
            cache_ttl: self.keys.cache_ttl_seconds,
            ..KeyPolicy::default()
        };
        let web = WebConfig {
            dev_mode: self.dev_mode,
            operator_name: self.ui.operator_name.clone(),
            logo_url: check_logo(self.ui.logo_url.as_deref())?,
            password_min_length: self.accounts.password_min_length,
            trusted_proxies: self.http.trusted_proxies()?,
            tls_sign_in_url: self
                .certificates
                .mtls_url
                .as_deref()
                .map(|u| check_mtls_url(u).map(|()| u.trim_end_matches('/').to_owned()))
                .transpose()?,
            client_cert_header: self
                .certificates
                .client_cert_header
                .as_deref()
                .map(|name| {
                    axum::http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                        invalid(format!(
                            "certificates.client_cert_header: `{name}` is not a header name"
                        ))
                    })
                })
                .transpose()?,
        };
        let mtls = self.certificates.mtls()?;
        let theme = Theme::load(self.ui.theme_dir.as_deref())
            .map_err(|e| invalid(format!("ui.theme_dir: {e}")))?;
        let theme = Arc::new(theme);
        let mut accounts = self.accounts.policy(&self.ui.operator_name)?;
        accounts.texts = theme.texts.clone();
        let delivery = self.delivery.settings()?;
        let timeouts = self.http.timeouts()?;
        let metrics = self.metrics.settings()?;
        let telemetry = check_telemetry(&self.telemetry)?;
        if self.certificates.reload_seconds == 0 {
            return Err(invalid("certificates.reload_seconds must be at least 1"));
        }
        let trust_dir = self
            .certificates
            .trust_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("trust"));
        Ok(Settings {
            mtls,
            trust_dir,
            trust_reload_every: std::time::Duration::from_secs(self.certificates.reload_seconds),
            timeouts,
            metrics,
            ignored_env: Vec::new(),
            accounts,
            delivery,
            rotate_keys_every,
            shutdown_grace: std::time::Duration::from_secs(
                u64::try_from(self.shutdown_grace_seconds).unwrap_or(0),
            ),
            listen,
            database_url,
            master_key,
            provider,
            web,
            theme,
            log: self.log,
            log_json,
            telemetry,
            fetch,
        })
    }
}

/// `ui.logo_url`: a path on this server (`/…`) or an https URL, so that the pages' CSP
/// (`img-src 'self' https:`) lets it load.
fn check_logo(logo: Option<&str>) -> CliResult<Option<String>> {
    let Some(logo) = logo.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let ok = (logo.starts_with('/') && !logo.starts_with("//"))
        || Url::parse(logo).is_ok_and(|u| u.scheme() == "https");
    if !ok {
        return Err(invalid(format!(
            "ui.logo_url: `{logo}` must be a path such as /static/logo.svg or an https URL"
        )));
    }
    Ok(Some(logo.to_owned()))
}

/// `telemetry.otlp_endpoint`: an absolute http(s) URL with a host and without query,
/// fragment or credentials (a collector that wants them gets them as headers through
/// `OTEL_EXPORTER_OTLP_HEADERS`). Spans go to its `/v1/traces`, as OTLP/HTTP specifies
/// for a base endpoint.
fn check_telemetry(section: &super::TelemetrySection) -> CliResult<Option<TelemetrySettings>> {
    let Some(endpoint) = section
        .otlp_endpoint
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    else {
        return Ok(None);
    };
    let fail = |why: &str| {
        invalid(format!(
            "telemetry.otlp_endpoint: `{endpoint}` {why}; use a URL such as http://collector:4318"
        ))
    };
    let url = Url::parse(endpoint).map_err(|_| fail("is not an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(fail("must use http or https"));
    }
    if url.host().is_none() {
        return Err(fail("has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail("must have no query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(fail("must carry no credentials"));
    }
    let service_name = section.service_name.trim();
    if service_name.is_empty() {
        return Err(invalid("telemetry.service_name must not be empty"));
    }
    Ok(Some(TelemetrySettings {
        traces_url: format!("{}/v1/traces", url.as_str().trim_end_matches('/')),
        service_name: service_name.to_owned(),
    }))
}

fn default_database_url(data_dir: &std::path::Path) -> Secret {
    let dir = data_dir.to_string_lossy();
    Secret::new(format!(
        "sqlite://{}/propusk.db?mode=rwc",
        dir.trim_end_matches('/')
    ))
}

/// An absolute http(s) URL with a host, without query, fragment or credentials; https
/// unless the host is loopback. Returned without a trailing slash.
pub fn check_issuer(text: &str) -> CliResult<String> {
    let url = Url::parse(text)
        .map_err(|e| invalid(format!("issuer: `{text}` is not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(invalid(format!("issuer: `{text}` must use https")));
    }
    let Some(host) = url.host() else {
        return Err(invalid(format!("issuer: `{text}` has no host")));
    };
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "issuer: `{text}` must not have a query or a fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(format!(
            "issuer: `{text}` must not carry credentials"
        )));
    }
    if url.scheme() == "http" && !is_loopback(&host) {
        return Err(invalid(format!(
            "issuer: `{text}` uses http; https is required unless the host is localhost or a loopback address"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => {
            let name = name.to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

fn positive(key: &str, value: i64, zero_ok: bool) -> CliResult<()> {
    if value > 0 || (zero_ok && value == 0) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{key}: must be a positive number of seconds, got {value}"
        )))
    }
}

fn invalid(message: impl Into<String>) -> CliError {
    CliError::Config(message.into())
}

/// The cabinet's lifetime bounds: each maximum at least its minimum.
fn integrator_limits(section: &super::DeveloperSection) -> CliResult<LifetimeLimits> {
    let token = section.max_token_lifetime_seconds;
    let refresh = section.max_refresh_token_lifetime_seconds;
    if token < LifetimeLimits::MIN_TOKEN {
        return Err(invalid(format!(
            "developer.max_token_lifetime_seconds: at least {}",
            LifetimeLimits::MIN_TOKEN
        )));
    }
    if refresh < LifetimeLimits::MIN_REFRESH {
        return Err(invalid(format!(
            "developer.max_refresh_token_lifetime_seconds: at least {}",
            LifetimeLimits::MIN_REFRESH
        )));
    }
    Ok(LifetimeLimits::up_to(token, refresh))
}

/// The public URL of the certificate listener: an absolute https URL without query or
/// fragment.
fn check_mtls_url(text: &str) -> CliResult<()> {
    match Url::parse(text) {
        Ok(url) if url.scheme() == "https" && url.query().is_none() && url.fragment().is_none() => {
            Ok(())
        }
        _ => Err(invalid(format!(
            "certificates.mtls_url: `{text}` is not an https URL without query or fragment"
        ))),
    }
}

impl super::CertificatesSection {
    /// The certificate listener: `mtls_listen` needs `mtls_cert` and `mtls_key`.
    fn mtls(&self) -> CliResult<Option<MtlsSettings>> {
        let Some(listen) = &self.mtls_listen else {
            if self.mtls_cert.is_some() || self.mtls_key.is_some() {
                return Err(invalid(
                    "certificates.mtls_cert and mtls_key are for mtls_listen, which is not set",
                ));
            }
            return Ok(None);
        };
        let listen = listen.parse::<SocketAddr>().map_err(|_| {
            invalid(format!(
                "certificates.mtls_listen: `{listen}` is not a socket address such as 0.0.0.0:8443"
            ))
        })?;
        let (Some(cert), Some(key)) = (&self.mtls_cert, &self.mtls_key) else {
            return Err(invalid(
                "certificates.mtls_listen needs mtls_cert and mtls_key (PEM files)",
            ));
        };
        Ok(Some(MtlsSettings {
            listen,
            cert: cert.clone(),
            key: key.clone(),
        }))
    }
}
