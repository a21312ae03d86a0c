//! The `[accounts]` and `[delivery]` sections: password policy and registration, and
//! where codes go (SMTP for e-mail, an HTTP gateway for SMS; neither configured keeps
//! them in the development outbox).

use super::Secret;
use crate::error::{CliError, CliResult};
use propusk_core::accounts::{AccountPolicy, PasswordPolicy};
use propusk_delivery::{HttpSmsConfig, SmtpConfig, SmtpSecurity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountsSection {
    /// Minimum password length in characters.
    pub password_min_length: usize,
    /// Whether anyone may register.
    pub registration: bool,
    /// How long a proof of identity (sign-in or re-authentication) counts as fresh for
    /// sensitive changes in the personal cabinet, seconds.
    pub reauth_seconds: i64,
}

impl Default for AccountsSection {
    fn default() -> Self {
        Self {
            password_min_length: 8,
            registration: true,
            reauth_seconds: 300,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliverySection {
    pub smtp: Option<SmtpSection>,
    pub sms: Option<SmsSection>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSection {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    #[serde(default)]
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub from: String,
}

fn default_smtp_port() -> u16 {
    587
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsSection {
    /// Gateway URL; `{to_url}` and `{text_url}` may appear in it.
    pub url: String,
    #[serde(default = "default_method")]
    pub method: String,
    #[serde(default)]
    pub headers: BTreeMap<String, Secret>,
    /// Body template with `{to}`, `{text}`, `{to_json}`, `{text_json}`, `{to_url}`, `{text_url}`.
    #[serde(default)]
    pub body: String,
}

fn default_method() -> String {
    "POST".into()
}

/// Delivery as validated: what the serve command builds its senders from.
#[derive(Clone, Debug, Default)]
pub struct DeliverySettings {
    pub smtp: Option<SmtpConfig>,
    pub sms: Option<HttpSmsConfig>,
}

impl AccountsSection {
    pub fn policy(&self, operator: &str) -> CliResult<AccountPolicy> {
        if !(4..=128).contains(&self.password_min_length) {
            return Err(CliError::Config(
                "accounts.password_min_length: must be between 4 and 128".into(),
            ));
        }
        if !(30..=86_400).contains(&self.reauth_seconds) {
            return Err(CliError::Config(
                "accounts.reauth_seconds: must be between 30 and 86400".into(),
            ));
        }
        Ok(AccountPolicy {
            password: PasswordPolicy {
                min_length: self.password_min_length,
                ..PasswordPolicy::default()
            },
            registration: self.registration,
            reauth_window: self.reauth_seconds,
            operator: operator.to_owned(),
            ..AccountPolicy::default()
        })
    }
}

impl DeliverySection {
    pub fn settings(&self) -> CliResult<DeliverySettings> {
        let smtp = self.smtp.as_ref().map(|s| SmtpConfig {
            host: s.host.clone(),
            port: s.port,
            security: s.security,
            username: s.username.clone(),
            password: s.password.as_ref().map(|p| p.expose().to_owned()),
            from: s.from.clone(),
        });
        let sms = match &self.sms {
            Some(s) => {
                let url = url::Url::parse(&s.url.replace(['{', '}'], ""))
                    .map_err(|e| CliError::Config(format!("delivery.sms.url: {e}")))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(CliError::Config("delivery.sms.url: must be http(s)".into()));
                }
                Some(HttpSmsConfig {
                    url: s.url.clone(),
                    method: s.method.clone(),
                    headers: s
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), v.expose().to_owned()))
                        .collect(),
                    body: s.body.clone(),
                })
            }
            None => None,
        };
        Ok(DeliverySettings { smtp, sms })
    }
}
