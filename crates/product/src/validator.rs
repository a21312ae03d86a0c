//! The validator: from an `Authorization` header to a [`Principal`] or a [`Refusal`].

use crate::introspection::{self, Introspections};
use crate::keys::Keys;
use crate::layer::RequireToken;
use crate::principal::{Principal, TokenKind};
use crate::{ProductConfig, Refusal};
use propusk_core::jose::JoseError;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the epoch, as the validator reads the time.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Checks access tokens for one product. Cheap to clone; clones share their caches.
#[derive(Clone)]
pub struct Validator {
    inner: Arc<Inner>,
}

struct Inner {
    config: ProductConfig,
    http: reqwest::Client,
    keys: Keys,
    introspections: Introspections,
    clock: Clock,
}

impl Validator {
    pub fn new(config: ProductConfig) -> Self {
        Self::with_clock(config, Arc::new(system_now))
    }

    /// A validator reading the time from `clock` (tests move it).
    pub fn with_clock(config: ProductConfig, clock: Clock) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            inner: Arc::new(Inner {
                config,
                http,
                keys: Keys::new(),
                introspections: Introspections::new(),
                clock,
            }),
        }
    }

    pub fn config(&self) -> &ProductConfig {
        &self.inner.config
    }

    /// How many times the issuer's key set was fetched (for monitoring and tests).
    pub fn key_fetches(&self) -> u64 {
        self.inner.keys.fetches()
    }

    /// A tower layer letting through only requests whose token carries every one of
    /// `scopes`; the handler then extracts the [`Principal`].
    pub fn require(&self, scopes: &[&str]) -> RequireToken {
        RequireToken::new(self.clone(), scopes)
    }

    /// The caller of a request with this `Authorization` header value, holding every one
    /// of `scopes`.
    pub async fn check(
        &self,
        authorization: Option<&str>,
        scopes: &[String],
    ) -> Result<Principal, Refusal> {
        let token = bearer(authorization)?;
        let principal = self.validate(token).await?;
        // RFC 9449 §7.2: a DPoP-bound token is not a bearer token.
        if principal.claims.get("cnf").is_some() {
            return Err(Refusal::Invalid(
                "the token is bound to a key (DPoP) and needs its proof",
            ));
        }
        let missing: Vec<String> = scopes
            .iter()
            .filter(|s| !principal.has_scope(s))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(Refusal::InsufficientScope(missing));
        }
        Ok(principal)
    }

    /// The caller a token stands for: a JWT checked here, anything else introspected.
    pub async fn validate(&self, token: &str) -> Result<Principal, Refusal> {
        if token.bytes().filter(|b| *b == b'.').count() == 2 {
            self.validate_jwt(token).await
        } else {
            self.introspect(token).await
        }
    }

    async fn validate_jwt(&self, token: &str) -> Result<Principal, Refusal> {
        let inner = &self.inner;
        let config = &inner.config;
        let keys = inner.keys.current(&inner.http, &config.issuer).await?;
        let jwt = match keys.verify_jwt(token, &config.algorithms) {
            Err(JoseError::UnknownKey) => {
                // Keys may have rotated: read them again, at most once per interval.
                match inner
                    .keys
                    .refetch(&inner.http, &config.issuer, config.key_refetch_interval)
                    .await?
                {
                    Some(keys) => keys.verify_jwt(token, &config.algorithms),
                    None => Err(JoseError::UnknownKey),
                }
            }
            other => other,
        }
        .map_err(|e| Refusal::Invalid(jose_reason(&e)))?;
        let typ = jwt.header.typ.as_deref().unwrap_or_default();
        if !typ.eq_ignore_ascii_case("at+jwt") && !typ.eq_ignore_ascii_case("application/at+jwt") {
            return Err(Refusal::Invalid("not an access token (typ must be at+jwt)"));
        }
        self.check_claims(&jwt.claims)?;
        Principal::from_claims(jwt.claims, TokenKind::Jwt)
            .ok_or(Refusal::Invalid("sub, client_id or exp missing"))
    }

    /// RFC 9068 §4: `iss`, `aud`, `exp`, `nbf`.
    fn check_claims(&self, claims: &Map<String, Value>) -> Result<(), Refusal> {
        let config = &self.inner.config;
        let now = (self.inner.clock)();
        let leeway = i64::try_from(config.leeway.as_secs()).unwrap_or(0);
        if claims.get("iss").and_then(Value::as_str) != Some(config.issuer.as_str()) {
            return Err(Refusal::Invalid("issued by another issuer"));
        }
        if !names_audience(claims.get("aud"), &config.audience) {
            return Err(Refusal::Invalid("issued for another audience"));
        }
        match claims.get("exp").and_then(Value::as_i64) {
            Some(exp) if exp + leeway > now => {}
            Some(_) => return Err(Refusal::Invalid("expired")),
            None => return Err(Refusal::Invalid("exp missing")),
        }
        if let Some(nbf) = claims.get("nbf").and_then(Value::as_i64)
            && nbf - leeway > now
        {
            return Err(Refusal::Invalid("not valid yet"));
        }
        Ok(())
    }

    async fn introspect(&self, token: &str) -> Result<Principal, Refusal> {
        let inner = &self.inner;
        let config = &inner.config;
        let now = (inner.clock)();
        if let Some(answer) = inner.introspections.kept(token, now) {
            return answer.map_err(Refusal::Invalid);
        }
        let Some(credentials) = &config.credentials else {
            return Err(Refusal::Invalid("reference tokens are not accepted here"));
        };
        let metadata = inner.keys.metadata(&inner.http, &config.issuer).await?;
        let Some(endpoint) = &metadata.introspection_endpoint else {
            tracing::error!("the issuer publishes no introspection endpoint");
            return Err(Refusal::Unavailable);
        };
        let answer =
            introspection::ask(&inner.http, endpoint, credentials, token, &config.audience).await?;
        let until = match &answer {
            Ok(principal) => principal
                .expires_at
                .min(now.saturating_add(seconds(config.introspection_cache))),
            Err(_) => now.saturating_add(seconds(config.negative_cache)),
        };
        inner.introspections.keep(token, answer.clone(), until, now);
        let principal = answer.map_err(Refusal::Invalid)?;
        if principal.expires_at <= now {
            return Err(Refusal::Invalid("expired"));
        }
        Ok(principal)
    }
}

/// The token of `Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive).
fn bearer(authorization: Option<&str>) -> Result<&str, Refusal> {
    let value = authorization.ok_or(Refusal::Missing)?;
    let (scheme, token) = value.split_once(' ').ok_or(Refusal::Malformed)?;
    if scheme.eq_ignore_ascii_case("dpop") {
        return Err(Refusal::Invalid(
            "DPoP proofs are not checked by this product yet",
        ));
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Refusal::Malformed);
    }
    let token = token.trim();
    let b64token = |b: u8| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b);
    if token.is_empty() || !token.bytes().all(b64token) {
        return Err(Refusal::Malformed);
    }
    Ok(token)
}

/// Whether `aud` (a string or an array of strings) names `audience`.
pub(crate) fn names_audience(aud: Option<&Value>, audience: &str) -> bool {
    match aud {
        Some(Value::String(one)) => one == audience,
        Some(Value::Array(many)) => many.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    }
}

fn jose_reason(error: &JoseError) -> &'static str {
    match error {
        JoseError::UnsupportedAlg(_) | JoseError::AlgNotAllowed(_) => {
            "signature algorithm not accepted"
        }
        JoseError::UnknownKey => "signed with an unknown key",
        JoseError::BadSignature | JoseError::InvalidKey => "signature invalid",
        JoseError::CriticalHeader => "critical header parameters are not understood",
        _ => "malformed token",
    }
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_header_is_read_as_rfc_6750_says() {
        assert_eq!(bearer(Some("Bearer abc.def-_")), Ok("abc.def-_"));
        assert_eq!(bearer(Some("bearer abc")), Ok("abc"));
        assert_eq!(bearer(None), Err(Refusal::Missing));
        assert_eq!(bearer(Some("Basic abc")), Err(Refusal::Malformed));
        assert_eq!(bearer(Some("Bearer ")), Err(Refusal::Malformed));
        assert_eq!(bearer(Some("Bearer a b")), Err(Refusal::Malformed));
        assert!(matches!(bearer(Some("DPoP abc")), Err(Refusal::Invalid(_))));
    }

    #[test]
    fn audience_is_a_string_or_a_list() {
        let api = Value::from("api");
        assert!(names_audience(Some(&api), "api"));
        assert!(names_audience(
            Some(&serde_json::json!(["x", "api"])),
            "api"
        ));
        assert!(!names_audience(Some(&serde_json::json!(["x"])), "api"));
        assert!(!names_audience(None, "api"));
    }
}
