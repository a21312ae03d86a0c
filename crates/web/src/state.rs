//! Shared state of the handlers.

use crate::client_ip::TrustedProxies;
use crate::theme::Theme;
use propusk_core::provider::Provider;
use std::sync::Arc;

/// Settings of the web layer that the engine does not need.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Development mode: shows the development outbox page and relaxes nothing else.
    pub dev_mode: bool,
    /// Operator name shown on pages.
    pub operator_name: String,
    /// The operator's logo (a path on this server or an https URL), shown beside the name.
    pub logo_url: Option<String>,
    /// Shortest password accepted, for the hint on password forms.
    pub password_min_length: usize,
    /// Proxies whose `Forwarded` / `X-Forwarded-*` headers name the client.
    pub trusted_proxies: TrustedProxies,
    /// The base URL of the certificate listener (`https://host:port`), where the sign-in
    /// page links for sign-in with a TLS client certificate; none: no link.
    pub tls_sign_in_url: Option<String>,
    /// The header in which a trusted proxy that terminates TLS forwards the client
    /// certificate (URL-encoded PEM); none: no proxy does.
    pub client_cert_header: Option<axum::http::HeaderName>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            dev_mode: false,
            operator_name: "Propusk".into(),
            logo_url: None,
            password_min_length: 8,
            trusted_proxies: TrustedProxies::default(),
            tls_sign_in_url: None,
            client_cert_header: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub provider: Arc<Provider>,
    pub web: Arc<WebConfig>,
    /// Templates, assets and texts of the pages.
    pub theme: Arc<Theme>,
}

impl AppState {
    /// The state with the built-in theme.
    pub fn new(provider: Arc<Provider>, web: WebConfig) -> Self {
        Self::with_theme(provider, web, Arc::new(Theme::builtin()))
    }

    pub fn with_theme(provider: Arc<Provider>, web: WebConfig, theme: Arc<Theme>) -> Self {
        Self {
            provider,
            web: Arc::new(web),
            theme,
        }
    }
}
