//! What a product tells the validator: the issuer it trusts, its own audience, the
//! algorithms it accepts, its introspection credentials, and the cache lifetimes.

use propusk_core::jose::Alg;
use std::time::Duration;

/// The product's introspection credentials (`propusk admin product create` prints them):
/// sent with HTTP Basic authentication (RFC 7662 §2.1).
#[derive(Clone, Debug)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Clone, Debug)]
pub struct ProductConfig {
    /// The issuer exactly as in its discovery document (`iss` of the tokens).
    pub issuer: String,
    /// This product's audience: tokens whose `aud` does not name it are refused.
    pub audience: String,
    /// Signature algorithms accepted in JWT access tokens.
    pub algorithms: Vec<Alg>,
    /// Needed for reference (opaque) access tokens; without them only JWTs pass.
    pub credentials: Option<Credentials>,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway: Duration,
    /// Longest time an active introspection answer is reused (never past the token's
    /// `exp`): a token revoked at the provider stops working here after at most this.
    pub introspection_cache: Duration,
    /// How long an inactive answer is reused, so that a flood of bad tokens does not
    /// become a flood of introspection calls.
    pub negative_cache: Duration,
    /// The least time between two JWKS fetches caused by unknown `kid`s.
    pub key_refetch_interval: Duration,
    /// The realm named in `WWW-Authenticate` challenges.
    pub realm: String,
}

impl ProductConfig {
    /// Defaults: RS256, PS256, ES256 and EdDSA; 30 s leeway; introspection answers kept
    /// 60 s, inactive ones 5 s; JWKS fetched again at most once a minute.
    pub fn new(issuer: &str, audience: &str) -> Self {
        Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            audience: audience.to_owned(),
            algorithms: Alg::ALL.to_vec(),
            credentials: None,
            leeway: Duration::from_secs(30),
            introspection_cache: Duration::from_secs(60),
            negative_cache: Duration::from_secs(5),
            key_refetch_interval: Duration::from_secs(60),
            realm: audience.to_owned(),
        }
    }

    /// Introspection credentials, for reference tokens.
    pub fn credentials(mut self, client_id: &str, client_secret: &str) -> Self {
        self.credentials = Some(Credentials {
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
        });
        self
    }

    pub fn algorithms(mut self, algorithms: &[Alg]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    pub fn introspection_cache(mut self, lifetime: Duration) -> Self {
        self.introspection_cache = lifetime;
        self
    }

    pub fn negative_cache(mut self, lifetime: Duration) -> Self {
        self.negative_cache = lifetime;
        self
    }

    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }
}
