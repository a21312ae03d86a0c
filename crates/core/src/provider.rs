//! The engine: configuration plus the parts every protocol operation uses (store, key
//! ring, hashers, clock, randomness). Protocol modules add methods to [`Provider`].

use crate::cache::EngineCache;
use crate::clock::{Clock, Timestamp};
use crate::crypto::{MasterKey, PasswordHasher, Rng, TokenHasher, random_token};
use crate::jose::Alg;
use crate::keys::{KeyPolicy, KeyRing};
use crate::model::TokenFormat;
use crate::store::Store;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct ProviderConfig {
    /// Issuer identifier (OIDC Core §2), without a trailing slash.
    pub issuer: String,
    /// JWS alg used when neither the client nor the product asks for another.
    pub default_signing_alg: Alg,
    /// Format of access tokens for no product (their only audience is this provider, for
    /// UserInfo): by default a reference token, since nobody else reads them.
    pub own_access_token_format: TokenFormat,
    /// Absolute lifetime of a browser session, seconds.
    pub session_lifetime: i64,
    /// Idle lifetime of a browser session, seconds.
    pub session_idle_lifetime: i64,
    /// How long a login/consent interaction may wait, seconds.
    pub interaction_lifetime: i64,
    pub keys: KeyPolicy,
    /// Lifetime of access tokens from `client_credentials` when the client sets none.
    pub default_access_token_lifetime: i64,
    /// Whether signing out also revokes the session's `offline_access` grants.
    pub logout_revokes_offline: bool,
    /// Token lifetimes an integrator may choose in the cabinet.
    pub integrator_limits: crate::model::client_policy::LifetimeLimits,
    /// Who may register clients dynamically, and with what metadata (RFC 7591).
    pub registration: crate::model::client_policy::RegistrationPolicy,
    /// Whether every authorization request must come through PAR (RFC 9126 §5).
    pub require_par: bool,
    /// Whether every authorization request must be a signed request object (RFC 9101
    /// §10.5).
    pub require_signed_request_object: bool,
    /// How DPoP proofs are checked (RFC 9449).
    pub dpop: crate::dpop_nonce::DpopPolicy,
}

impl ProviderConfig {
    pub fn new(issuer: impl Into<String>) -> Self {
        let issuer: String = issuer.into();
        Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            default_signing_alg: Alg::RS256,
            own_access_token_format: TokenFormat::Reference,
            session_lifetime: 30 * 24 * 3600,
            session_idle_lifetime: 7 * 24 * 3600,
            interaction_lifetime: 3600,
            keys: KeyPolicy::default(),
            default_access_token_lifetime: 3600,
            logout_revokes_offline: false,
            integrator_limits: crate::model::client_policy::LifetimeLimits::default(),
            registration: Default::default(),
            require_par: false,
            require_signed_request_object: false,
            dpop: crate::dpop_nonce::DpopPolicy::default(),
        }
    }

    /// Absolute URL of a route of this provider.
    pub fn url(&self, route: &str) -> String {
        format!("{}{}", self.issuer, route)
    }

    pub fn is_https(&self) -> bool {
        self.issuer.starts_with("https://")
    }
}

pub struct Provider {
    pub config: ProviderConfig,
    pub store: Arc<dyn Store>,
    pub keys: KeyRing,
    /// Keyed hash for codes, tokens, api-keys and session secrets.
    pub hasher: TokenHasher,
    /// Keyed hash that derives pairwise subject identifiers (OIDC Core §8.1).
    pub pairwise: TokenHasher,
    /// Key for CSRF tokens of forms.
    pub csrf: TokenHasher,
    /// Key of the server nonces of DPoP proofs (RFC 9449 §8), shared by every node.
    pub dpop_nonces: crate::dpop_nonce::NonceKey,
    pub passwords: PasswordHasher,
    /// Bounds concurrent argon2id runs to the number of cores: each takes ~19 MiB and a
    /// core for tens of milliseconds, so a burst of sign-ins queues instead of exhausting
    /// memory.
    pub password_slots: Arc<tokio::sync::Semaphore>,
    pub clock: Arc<dyn Clock>,
    pub rng: Arc<dyn Rng>,
    /// Derived documents kept between requests (`cache`).
    pub cache: EngineCache,
    /// The one path by which client-given URLs (`jwks_uri`) are fetched.
    pub fetcher: Arc<dyn crate::fetch::JwksFetcher>,
    /// Roots, intermediates and CRLs that certificate sign-in trusts.
    pub certificates: Arc<crate::certificate_trust::CertificateTrust>,
    /// Audit events written in batches, off the answering path (tokens, consents).
    pub audit: crate::audit_writer::AuditWriter,
    /// The public URL of the certificate listener, once it listens (RFC 8705 §5:
    /// `mtls_endpoint_aliases`); unset without one.
    pub mtls_url: std::sync::OnceLock<String>,
}

impl Provider {
    pub fn new(
        config: ProviderConfig,
        store: Arc<dyn Store>,
        master: MasterKey,
        clock: Arc<dyn Clock>,
        rng: Arc<dyn Rng>,
    ) -> Self {
        Self {
            hasher: TokenHasher::new(master.derive("propusk token hash v1")),
            pairwise: TokenHasher::new(master.derive("propusk pairwise subject v1")),
            csrf: TokenHasher::new(master.derive("propusk csrf v1")),
            dpop_nonces: crate::dpop_nonce::NonceKey::new(master.derive("propusk dpop nonce v1")),
            keys: KeyRing::new(master, config.keys),
            passwords: PasswordHasher::default(),
            password_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            audit: crate::audit_writer::AuditWriter::new(store.clone(), clock.clone(), rng.clone()),
            config,
            store,
            clock,
            rng,
            cache: EngineCache::default(),
            fetcher: Arc::new(crate::fetch::NoFetcher),
            certificates: Arc::default(),
            mtls_url: std::sync::OnceLock::new(),
        }
    }

    /// The provider with `fetcher` for client-given URLs instead of none.
    pub fn with_fetcher(mut self, fetcher: Arc<dyn crate::fetch::JwksFetcher>) -> Self {
        self.fetcher = fetcher;
        self
    }

    /// The provider trusting `trust` for certificate sign-in instead of nothing.
    pub fn with_certificate_trust(
        mut self,
        trust: Arc<crate::certificate_trust::CertificateTrust>,
    ) -> Self {
        self.certificates = trust;
        self
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// A fresh random value of `bytes` bytes, base64url.
    pub fn random(&self, bytes: usize) -> String {
        random_token(self.rng.as_ref(), bytes)
    }

    /// A new record key that sorts by creation time ([`crate::crypto::sortable_id`]).
    pub fn sortable_id(&self, bytes: usize) -> String {
        crate::crypto::sortable_id(self.clock.now_micros(), self.rng.as_ref(), bytes)
    }

    /// A new bearer secret whose stored hash sorts by creation time
    /// ([`crate::crypto::sortable_secret`]).
    pub fn sortable_secret(&self, bytes: usize) -> String {
        crate::crypto::sortable_secret(self.clock.now_micros(), self.rng.as_ref(), bytes)
    }

    /// Makes sure signing keys exist; call once at start.
    pub async fn init(&self) -> crate::error::Result<()> {
        self.keys
            .ensure_keys(self.store.as_ref(), self.clock.as_ref(), self.rng.as_ref())
            .await
    }
}
