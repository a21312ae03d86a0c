//! The environment layer: `PROPUSK_KEY` sets `key`, `PROPUSK_SECTION__KEY` sets
//! `section.key`, and `PROPUSK_SECRET_FILE` reads a secret from a file (Docker and
//! systemd credentials). Every other `PROPUSK_*` variable is passed through; one that
//! names no key is dropped by [`super::load`] with a warning that names it, because
//! platforms inject variables with our prefix (Kubernetes sets `PROPUSK_PORT`,
//! `PROPUSK_SERVICE_HOST`… for a service named `propusk`). `PROPUSK_TEST_*` and
//! `PROPUSK_BENCH_*` are reserved for the test and bench tooling and ignored.

use crate::error::{CliError, CliResult};
use figment::value::{Dict, Map, Value};
use figment::{Metadata, Profile, Provider};

const PREFIX: &str = "PROPUSK_";
/// Prefixes (after `PROPUSK_`) of variables that belong to the test and bench tooling.
const RESERVED: [&str; 2] = ["TEST_", "BENCH_"];

/// Secrets that may also be given as `PROPUSK_<NAME>_FILE`. The master key has its own
/// `master_key_file` key, which `PROPUSK_MASTER_KEY_FILE` sets.
const FILE_SECRETS: [&str; 1] = ["database_url"];

/// Keys whose values are taken verbatim, never parsed as numbers or booleans.
const STRING_KEYS: [&str; 22] = [
    "listen",
    "issuer",
    "database_url",
    "data_dir",
    "master_key",
    "master_key_file",
    "signing_alg",
    "own_access_token_format",
    "log",
    "log_format",
    "ui.operator_name",
    "ui.logo_url",
    "ui.theme_dir",
    "telemetry.otlp_endpoint",
    "telemetry.service_name",
    "metrics.listen",
    "certificates.trust_dir",
    "certificates.mtls_listen",
    "certificates.mtls_cert",
    "certificates.mtls_key",
    "certificates.mtls_url",
    "certificates.client_cert_header",
];

/// Keys whose values are lists, given in the environment as comma-separated items.
const LIST_KEYS: [&str; 1] = ["http.trusted_proxies"];

/// The `PROPUSK_*` variables, already read (secret files included).
#[derive(Clone, Debug, Default)]
pub struct EnvLayer {
    /// Dotted key (`keys.cache_ttl_seconds`) and raw value.
    entries: Vec<(String, String)>,
}

impl EnvLayer {
    /// Reads the process environment.
    pub fn from_process() -> CliResult<Self> {
        Self::from_vars(std::env::vars())
    }

    /// Builds the layer from `(name, value)` pairs; names without the prefix are skipped.
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> CliResult<Self> {
        let vars: Vec<(String, String)> = vars
            .into_iter()
            .filter_map(|(name, value)| Some((name.strip_prefix(PREFIX)?.to_owned(), value)))
            .filter(|(name, _)| !name.is_empty() && !RESERVED.iter().any(|r| name.starts_with(r)))
            .collect();
        let mut entries = Vec::with_capacity(vars.len());
        for (name, value) in &vars {
            let key = name.to_ascii_lowercase().replace("__", ".");
            if let Some(secret) = key
                .strip_suffix("_file")
                .filter(|k| FILE_SECRETS.contains(k))
            {
                if vars.iter().any(|(n, _)| n.eq_ignore_ascii_case(secret)) {
                    return Err(CliError::Config(format!(
                        "both {PREFIX}{name} and {PREFIX}{} are set; set one",
                        secret.to_ascii_uppercase()
                    )));
                }
                entries.push((secret.to_owned(), read_secret_file(name, value)?));
            } else {
                entries.push((key, value.clone()));
            }
        }
        Ok(Self { entries })
    }

    /// Drops the variable that set the dotted `key`; returns its name when there was one.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        self.entries.remove(at);
        Some(variable_name(key))
    }
}

/// `keys.cache_ttl_seconds` → `PROPUSK_KEYS__CACHE_TTL_SECONDS`.
fn variable_name(key: &str) -> String {
    format!("{PREFIX}{}", key.to_ascii_uppercase().replace('.', "__"))
}

fn read_secret_file(name: &str, path: &str) -> CliResult<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Config(format!("{PREFIX}{name}: cannot read {path}: {e}")))?;
    Ok(text.trim().to_owned())
}

impl Provider for EnvLayer {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment").interpolater(|_: &Profile, keys: &[&str]| {
            let upper: Vec<String> = keys.iter().map(|k| k.to_ascii_uppercase()).collect();
            format!("{PREFIX}{}", upper.join("__"))
        })
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let mut dict = Dict::new();
        for (key, raw) in &self.entries {
            let value = if STRING_KEYS.contains(&key.as_str()) {
                Value::from(raw.clone())
            } else if LIST_KEYS.contains(&key.as_str()) {
                let items: Vec<String> = raw
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect();
                Value::from(items)
            } else {
                raw.parse().unwrap_or_else(|never| match never {})
            };
            let path: Vec<&str> = key.split('.').filter(|k| !k.is_empty()).collect();
            insert(&mut dict, &path, value);
        }
        Ok(Profile::Default.collect(dict))
    }
}

/// Inserts `value` at the nested `path`, creating dictionaries on the way; a scalar in
/// the way is replaced (it is then reported as a type error for that key).
fn insert(dict: &mut Dict, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        dict.insert((*first).to_owned(), value);
        return;
    }
    let entry = dict
        .entry((*first).to_owned())
        .or_insert_with(|| Value::from(Dict::new()));
    if !matches!(entry, Value::Dict(..)) {
        *entry = Value::from(Dict::new());
    }
    if let Value::Dict(_, inner) = entry {
        insert(inner, rest, value);
    }
}
