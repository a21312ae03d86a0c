//! Configuration of the binary, in layers:
//! built-in defaults → TOML file (`--config`) → `PROPUSK_*` environment (with `_FILE`
//! variants for secrets) → command-line flags. Every section denies unknown keys, so a
//! misspelt key in the file is an error that names it; an environment variable that
//! names no key is left out with a warning that names it (see [`env`]). The loaded
//! [`Config`] is then checked and turned into [`Settings`] (see [`validate`]).

mod accounts;
mod env;
mod http;
mod validate;

use crate::error::{CliError, CliResult};
use figment::providers::{Format, Serialized, Toml};
use figment::value::{Dict, Map};
use figment::{Figment, Metadata, Profile, Provider, Source};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

pub use accounts::{AccountsSection, DeliverySection, DeliverySettings};
pub use env::EnvLayer;
pub use http::{HttpSection, MetricsSection, MetricsSettings, Timeouts};
pub use validate::{MasterKeySource, Settings, TelemetrySettings};

/// A configuration value that must never be printed (master key, database URL).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The configuration as written by the operator, before validation.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Socket address to listen on.
    pub listen: String,
    /// Issuer identifier: absolute http(s) URL without query or fragment.
    pub issuer: String,
    /// `sqlite://…` or `postgres://…`; default `sqlite://<data_dir>/propusk.db?mode=rwc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<Secret>,
    /// Directory of the embedded database and the generated master key.
    pub data_dir: PathBuf,
    /// The master key itself (64 hex characters or base64 of 32 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_key: Option<Secret>,
    /// A file holding the master key; default `<data_dir>/master.key`, generated when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_key_file: Option<PathBuf>,
    /// Default JWS alg: RS256, PS256, ES256 or EdDSA.
    pub signing_alg: String,
    /// Access tokens for no product (good only for UserInfo): `reference` (default) or
    /// `jwt`. Product tokens follow their product's format.
    pub own_access_token_format: String,
    pub keys: KeysSection,
    pub session: SessionSection,
    pub ui: UiSection,
    pub accounts: AccountsSection,
    pub delivery: DeliverySection,
    pub http: HttpSection,
    pub metrics: MetricsSection,
    pub dev_mode: bool,
    /// On SIGTERM or SIGINT, seconds that requests in flight get to finish before the
    /// process exits anyway.
    pub shutdown_grace_seconds: i64,
    /// `tracing` filter directive, e.g. `info` or `propusk=debug,info`.
    pub log: String,
    /// `text` (default) or `json`: one JSON object per log line.
    pub log_format: String,
    pub telemetry: TelemetrySection,
    pub developer: DeveloperSection,
    pub registration: RegistrationSection,
    pub fetch: FetchSection,
    pub certificates: CertificatesSection,
    pub authorize: AuthorizeSection,
    pub dpop: DpopSection,
}

/// DPoP proofs (RFC 9449).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DpopSection {
    /// Every proof must carry a server nonce (`use_dpop_nonce` and the `DPoP-Nonce`
    /// header, §8). Off by default: the shared `jti` store and the `iat` window already
    /// stop replays, and a nonce costs each client a round trip.
    pub require_nonce: bool,
    /// How far a proof's `iat` may lie from the provider's clock, seconds, either way.
    pub iat_window_seconds: i64,
}

impl Default for DpopSection {
    fn default() -> Self {
        let policy = propusk_core::dpop::DpopPolicy::default();
        Self {
            require_nonce: policy.require_nonce,
            iat_window_seconds: policy.iat_window,
        }
    }
}

/// The authorization endpoint.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthorizeSection {
    /// Every client must push its authorization requests to `/connect/par` first
    /// (RFC 9126 §5); a client can also be required to on its own. Off by default.
    pub require_par: bool,
    /// Every client must send its authorization requests as signed request objects
    /// (RFC 9101 §10.5); a client can also be required to on its own. Off by default.
    pub require_signed_request_object: bool,
}

/// Sign-in by certificate.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CertificatesSection {
    /// Folder of trusted root and intermediate certificates and of CRLs (PEM or DER
    /// files, `propusk admin ca add` writes there); default `DATA_DIR/trust`. Read again
    /// when its files change, without a restart.
    pub trust_dir: Option<PathBuf>,
    /// Seconds between looks at the folder for changes.
    pub reload_seconds: u64,
    /// Address of the certificate listener (HTTPS that asks the browser for a client
    /// certificate), e.g. `0.0.0.0:8443`; none: no listener.
    pub mtls_listen: Option<String>,
    /// The listener's own server certificate chain, PEM (leaf first).
    pub mtls_cert: Option<PathBuf>,
    /// The private key of `mtls_cert`, PEM (PKCS #8, PKCS #1 or SEC 1).
    pub mtls_key: Option<PathBuf>,
    /// The public URL of the certificate listener, when browsers reach it by another
    /// name than `https://` + `mtls_listen` (or through a proxy that terminates TLS).
    pub mtls_url: Option<String>,
    /// Header in which a trusted proxy (`[http] trusted_proxies`) that terminates TLS
    /// forwards the client certificate, URL-encoded PEM (nginx:
    /// `$ssl_client_escaped_cert`), e.g. `X-Client-Cert`. Ignored from other addresses.
    pub client_cert_header: Option<String>,
}

impl Default for CertificatesSection {
    fn default() -> Self {
        Self {
            trust_dir: None,
            reload_seconds: 10,
            mtls_listen: None,
            mtls_cert: None,
            mtls_key: None,
            mtls_url: None,
            client_cert_header: None,
        }
    }
}

/// The fetcher of URLs that clients give (`jwks_uri`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSection {
    /// Fetches `http` URLs on loopback addresses, which are otherwise refused. For tests
    /// only; a warning is logged at start when it is on.
    pub insecure_allow_loopback: bool,
}

/// Dynamic client registration (RFC 7591) at `/connect/register`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationSection {
    /// Anyone may register a client without an initial access token
    /// (`propusk admin registration-token create`). Off by default.
    pub open: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeysSection {
    /// Seconds a new key is published in the JWKS before it signs.
    pub prepublish_seconds: i64,
    /// Seconds a node trusts its cached copy of the key set.
    pub cache_ttl_seconds: i64,
    /// Scheduled rotation: a new key per algorithm when the newest is this old, e.g.
    /// `"90d"`, `"12h"`, `"30m"`, `"45s"` or a number of seconds. Off when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotate_every: Option<Span>,
}

/// A length of time written as seconds or as a number with a unit: `s`, `m`, `h`, `d`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Span {
    Seconds(i64),
    Text(String),
}

impl Span {
    /// The span in seconds, or why it is not one.
    pub fn seconds(&self) -> Result<i64, String> {
        let text = match self {
            Self::Seconds(seconds) => return Ok(*seconds),
            Self::Text(text) => text.trim(),
        };
        let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(at) => text.split_at(at),
            None => (text, "s"),
        };
        let scale = match unit.trim() {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(format!("`{text}`: use a number with s, m, h or d")),
        };
        number
            .parse::<i64>()
            .ok()
            .and_then(|n| n.checked_mul(scale))
            .ok_or_else(|| format!("`{text}`: use a number with s, m, h or d"))
    }
}

/// Traces of `propusk serve`, exported over OTLP/HTTP with protobuf.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelemetrySection {
    /// Base URL of an OTLP/HTTP collector, e.g. `http://collector:4318`; spans go to
    /// `<endpoint>/v1/traces`. No traces are exported when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otlp_endpoint: Option<String>,
    /// The `service.name` resource attribute of every exported span.
    pub service_name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSection {
    /// Absolute lifetime of a browser session.
    pub lifetime_seconds: i64,
    /// A session unused this long ends.
    pub idle_seconds: i64,
    /// Whether signing out also revokes the session's `offline_access` grants (their
    /// refresh tokens); by default those outlive the browser session.
    pub logout_revokes_offline_access: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiSection {
    /// Name of the operator shown on pages.
    pub operator_name: String,
    /// The operator's logo shown beside the name: a path on this server or an https URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// A theme folder whose `templates/`, `static/` and `locales/<lang>/` files override
    /// the built-in ones file by file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            issuer: "http://localhost:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("./data"),
            master_key: None,
            master_key_file: None,
            signing_alg: "RS256".into(),
            own_access_token_format: "reference".into(),
            keys: KeysSection::default(),
            session: SessionSection::default(),
            ui: UiSection::default(),
            accounts: AccountsSection::default(),
            delivery: DeliverySection::default(),
            http: HttpSection::default(),
            metrics: MetricsSection::default(),
            dev_mode: false,
            shutdown_grace_seconds: 10,
            log: "info".into(),
            log_format: "text".into(),
            telemetry: TelemetrySection::default(),
            registration: RegistrationSection::default(),
            fetch: FetchSection::default(),
            certificates: CertificatesSection::default(),
            authorize: AuthorizeSection::default(),
            dpop: DpopSection::default(),
            developer: DeveloperSection::default(),
        }
    }
}

/// What integrators may choose for their applications in the cabinet (`/developer`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeveloperSection {
    /// Longest access and ID token lifetime an integrator may set, seconds.
    pub max_token_lifetime_seconds: i64,
    /// Longest refresh token lifetime an integrator may set, seconds.
    pub max_refresh_token_lifetime_seconds: i64,
}

impl Default for DeveloperSection {
    fn default() -> Self {
        Self {
            max_token_lifetime_seconds: 24 * 3600,
            max_refresh_token_lifetime_seconds: 90 * 24 * 3600,
        }
    }
}

impl Default for KeysSection {
    fn default() -> Self {
        Self {
            prepublish_seconds: 3600,
            cache_ttl_seconds: 30,
            rotate_every: None,
        }
    }
}

impl Default for TelemetrySection {
    fn default() -> Self {
        Self {
            otlp_endpoint: None,
            service_name: "propusk".into(),
        }
    }
}

impl Default for SessionSection {
    fn default() -> Self {
        Self {
            lifetime_seconds: 30 * 24 * 3600,
            idle_seconds: 7 * 24 * 3600,
            logout_revokes_offline_access: false,
        }
    }
}

impl Default for UiSection {
    fn default() -> Self {
        Self {
            operator_name: "Propusk".into(),
            logo_url: None,
            theme_dir: None,
        }
    }
}

/// Values given as command-line flags: the last layer. Only the flags that were given
/// are serialized, so absent ones leave lower layers alone.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

/// Where the configuration comes from.
#[derive(Debug, Default)]
pub struct Sources {
    pub file: Option<PathBuf>,
    pub env: EnvLayer,
    pub flags: Overrides,
}

/// The merged configuration and the names of the environment variables left out.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub ignored_env: Vec<String>,
}

/// Merges the layers and deserializes them. Unknown keys from the file and wrong types
/// are errors that name the key and the layer it came from; an environment variable
/// that names no key is dropped and reported in [`Loaded::ignored_env`].
pub fn load(sources: &Sources) -> CliResult<Loaded> {
    if let Some(path) = &sources.file {
        check_readable(path)?;
    }
    let mut env = sources.env.clone();
    let mut ignored_env = Vec::new();
    loop {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = &sources.file {
            figment = figment.merge(FileLayer(path.clone()));
        }
        let extracted = figment
            .merge(&env)
            .merge(Serialized::defaults(&sources.flags))
            .extract::<Config>();
        let error = match extracted {
            Ok(config) => {
                return Ok(Loaded {
                    config,
                    ignored_env,
                });
            }
            Err(error) => error,
        };
        let dropped: Vec<String> = error
            .clone()
            .into_iter()
            .filter(|e| matches!(e.kind, figment::error::Kind::UnknownField(..)))
            .filter(|e| e.metadata.as_ref().is_some_and(|m| m.name == "environment"))
            .filter_map(|e| env.remove(&e.path.join(".")))
            .collect();
        if dropped.is_empty() {
            return Err(CliError::Config(error.to_string()));
        }
        ignored_env.extend(dropped);
    }
}

/// Loads and validates; what every command starts with.
pub fn settings(sources: &Sources) -> CliResult<Settings> {
    let loaded = load(sources)?;
    let mut settings = loaded.config.validate()?;
    settings.ignored_env = loaded.ignored_env;
    Ok(settings)
}

/// Checks a single file, as `propusk config check FILE` does: defaults plus the file.
pub fn check_file(path: &Path) -> CliResult<Settings> {
    settings(&Sources {
        file: Some(path.to_owned()),
        ..Sources::default()
    })
}

/// The TOML file, reporting keys as `section.key` (without figment's profile prefix).
struct FileLayer(PathBuf);

impl Provider for FileLayer {
    fn metadata(&self) -> Metadata {
        Metadata::from("TOML file", Source::File(self.0.clone()))
            .interpolater(|_: &Profile, keys: &[&str]| keys.join("."))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Toml::file_exact(&self.0).data()
    }
}

fn check_readable(path: &Path) -> CliResult<()> {
    if path.is_file() {
        Ok(())
    } else {
        Err(CliError::Config(format!(
            "config file {} not found",
            path.display()
        )))
    }
}

#[cfg(test)]
mod tests;
