//! Signed request objects ([RFC 9101](https://www.rfc-editor.org/rfc/rfc9101)) at the
//! authorization endpoint and at PAR (RFC 9126 §3). The object is verified with the
//! client's own keys (registered `jwks`, or its `jwks_uri` through the one fetcher);
//! `none` and HMAC algorithms never verify (RFC 8725 §3.1). `iss` must be the client,
//! `aud` this issuer, `exp` near, `nbf`/`iat` not in the future, and a `jti`, when
//! present, is taken once until `exp` in the replay store all nodes share.
//!
//! Per RFC 9101 §6.3 only the object's parameters are used: those beside it in the
//! query are ignored, but `client_id`, which must name the same client (§5). OIDC Core
//! §6.1 merges the two instead; FAPI 2.0 requires the RFC's reading, and it leaves no
//! unsigned parameter to tamper with.

use crate::clock::Timestamp;
use crate::error::Error;
use crate::jose::{Alg, JoseError, decode_unverified, verify_jwt};
use crate::model::Client;
use crate::provider::Provider;
use crate::request::Params;
use serde_json::{Map, Value};

/// Longest request object accepted, bytes.
const MAX_LENGTH: usize = 32 * 1024;

/// Longest lifetime from now to `exp`, and oldest `nbf`, seconds (FAPI 2.0 Message
/// Signing §5.3.2: at most 60 minutes).
const MAX_LIFETIME: i64 = 3600;

/// Tolerated clock difference for `nbf` and `iat`, seconds.
const SKEW: i64 = 60;

/// Longest `jti` remembered, bytes.
const MAX_JTI_LENGTH: usize = 256;

/// Claims about the JWT itself, not parameters of the authorization request.
const JWT_CLAIMS: [&str; 6] = ["iss", "aud", "exp", "iat", "nbf", "jti"];

/// Why a request object was refused. `Verified` carries the parameters of an object
/// whose signature checked out: its `redirect_uri` comes from the client itself, so the
/// refusal may be answered there.
pub(super) enum ObjectRefusal {
    Unverified(Error),
    Verified(Error, Params),
}

impl ObjectRefusal {
    pub(super) fn into_error(self) -> Error {
        match self {
            Self::Unverified(error) | Self::Verified(error, _) => error,
        }
    }
}

impl Provider {
    /// The authorization request parameters in `object`, a request object of `client`,
    /// with `client_id` added. Every check of the object passed; the parameters still
    /// go through the authorization endpoint's own checks.
    pub(super) async fn request_object_params(
        &self,
        object: &str,
        client: &Client,
    ) -> Result<Params, ObjectRefusal> {
        let claims = self
            .verify_request_object(object, client)
            .await
            .map_err(ObjectRefusal::Unverified)?;
        let params = match parameters(&claims, client) {
            Ok(params) => params,
            Err(error) => return Err(ObjectRefusal::Unverified(error)),
        };
        match self.check_object_claims(&claims, client).await {
            Ok(()) => Ok(params),
            Err(error) => Err(ObjectRefusal::Verified(error, params)),
        }
    }

    /// RFC 9101 §6.1–6.2: the signature, by a key of the client, with an asymmetric
    /// algorithm (the client's `request_object_signing_alg` when it registered one).
    async fn verify_request_object(
        &self,
        object: &str,
        client: &Client,
    ) -> Result<Map<String, Value>, Error> {
        if object.len() > MAX_LENGTH {
            return Err(Error::RequestObjectInvalid("larger than 32 KiB"));
        }
        let unverified = decode_unverified(object).map_err(|_| {
            Error::RequestObjectInvalid("not a signed JWT (encrypted ones are not accepted)")
        })?;
        let allowed = match client.request_object_signing_alg.as_deref() {
            Some(alg) => vec![
                alg.parse::<Alg>()
                    .map_err(|_| Error::Internal(format!("client {} has alg {alg}", client.id)))?,
            ],
            None => Alg::ALL.to_vec(),
        };
        let keys = self
            .client_keys(client, unverified.header.kid.as_deref())
            .await
            .map_err(|_| Error::RequestObjectInvalid("the client's jwks_uri cannot be read"))?;
        if keys.is_empty() {
            return Err(Error::RequestObjectInvalid(
                "the client has no registered keys to verify it with",
            ));
        }
        verify_jwt(object, &keys, &allowed)
            .map(|verified| verified.claims)
            .map_err(signature_error)
    }

    /// RFC 9101 §6.3 and §10.8, RFC 7519 §4.1: who made it, for whom, and when; then a
    /// `jti` is taken once.
    async fn check_object_claims(
        &self,
        claims: &Map<String, Value>,
        client: &Client,
    ) -> Result<(), Error> {
        let invalid = Error::RequestObjectInvalid;
        if claims.get("iss").and_then(Value::as_str) != Some(client.id.as_str()) {
            return Err(invalid("iss must be the client_id"));
        }
        let issuer = [self.config.issuer.clone()];
        if !crate::client_auth::audience_matches(claims.get("aud"), &issuer) {
            return Err(invalid("aud must be the issuer of this server"));
        }
        let now = self.now();
        let exp = times(claims, now).map_err(invalid)?;
        let Some(jti) = claims.get("jti") else {
            return Ok(());
        };
        let jti = jti
            .as_str()
            .filter(|j| !j.is_empty() && j.len() <= MAX_JTI_LENGTH)
            .ok_or(invalid("jti must be a string of at most 256 bytes"))?;
        let key = format!("jar-jti:{}:{jti}", client.id);
        if !self.store.remember_once(&key, exp, now).await? {
            return Err(invalid("jti replayed: this request object was used before"));
        }
        Ok(())
    }
}

/// `exp` (required, ahead, not too far), `nbf` and `iat` (not in the future; `nbf` not
/// too old). Returns `exp`.
fn times(claims: &Map<String, Value>, now: Timestamp) -> Result<Timestamp, &'static str> {
    let number = |name: &str| -> Result<Option<i64>, &'static str> {
        match claims.get(name) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or("exp, nbf and iat must be integers"),
        }
    };
    let exp = number("exp")?.ok_or("exp missing")?;
    if exp <= now {
        return Err("expired");
    }
    if exp - now > MAX_LIFETIME {
        return Err("exp is more than 60 minutes ahead");
    }
    if let Some(nbf) = number("nbf")? {
        if nbf > now + SKEW {
            return Err("not yet valid (nbf)");
        }
        if now - nbf > MAX_LIFETIME {
            return Err("nbf is more than 60 minutes ago");
        }
    }
    if number("iat")?.is_some_and(|iat| iat > now + SKEW) {
        return Err("iat is in the future");
    }
    Ok(exp)
}

/// The request parameters among the claims (RFC 9101 §4), `client_id` checked and set.
/// A string is taken as is; numbers and booleans as their JSON text; an object (the
/// `claims` parameter) as JSON text; an array of `resource` values as repeated
/// parameters (RFC 8707 §2).
fn parameters(claims: &Map<String, Value>, client: &Client) -> Result<Params, Error> {
    let invalid = Error::RequestObjectInvalid;
    match claims.get("client_id") {
        Some(Value::String(id)) if *id == client.id => {}
        Some(_) => {
            return Err(invalid(
                "its client_id differs from the client_id parameter",
            ));
        }
        None => return Err(invalid("client_id missing")),
    }
    let mut pairs = vec![("client_id".to_owned(), client.id.clone())];
    for (name, value) in claims {
        if name == "client_id" || JWT_CLAIMS.contains(&name.as_str()) {
            continue;
        }
        if name == "request" || name == "request_uri" {
            return Err(invalid("it holds a request or request_uri of its own"));
        }
        match value {
            Value::Null => {}
            Value::String(text) => pairs.push((name.clone(), text.clone())),
            Value::Array(items) if name == "resource" => {
                for item in items {
                    let text = item
                        .as_str()
                        .ok_or(invalid("resource must be a string or an array of strings"))?;
                    pairs.push((name.clone(), text.to_owned()));
                }
            }
            other => pairs.push((name.clone(), other.to_string())),
        }
    }
    Ok(Params::from_pairs(pairs))
}

fn signature_error(error: JoseError) -> Error {
    let invalid = Error::RequestObjectInvalid;
    match error {
        JoseError::UnsupportedAlg(alg) if alg == "none" => {
            invalid("alg none is refused: request objects must be signed")
        }
        JoseError::UnsupportedAlg(alg) if alg.starts_with("HS") => {
            invalid("HMAC algorithms are refused: sign with the client's private key")
        }
        JoseError::UnsupportedAlg(_) => {
            invalid("unsupported alg; use RS256, PS256, ES256 or EdDSA")
        }
        JoseError::AlgNotAllowed(_) => {
            invalid("alg differs from the client's request_object_signing_alg")
        }
        JoseError::UnknownKey | JoseError::InvalidKey => {
            invalid("no key of the client matches its kid and alg")
        }
        JoseError::CriticalHeader => invalid("crit header members are not understood"),
        JoseError::Malformed => invalid("not a signed JWT"),
        _ => invalid("the signature does not verify with the client's keys"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClientBuilder;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn times_are_checked() {
        let now = 1_000_000;
        assert_eq!(times(&claims(json!({"exp": now + 60})), now), Ok(now + 60));
        assert_eq!(times(&claims(json!({})), now), Err("exp missing"));
        assert_eq!(times(&claims(json!({"exp": now})), now), Err("expired"));
        assert!(times(&claims(json!({"exp": now + 7200})), now).is_err());
        assert!(times(&claims(json!({"exp": "soon"})), now).is_err());
        assert!(times(&claims(json!({"exp": now + 60, "nbf": now + 600})), now).is_err());
        assert!(times(&claims(json!({"exp": now + 60, "nbf": now - 7200})), now).is_err());
        assert!(times(&claims(json!({"exp": now + 60, "iat": now + 600})), now).is_err());
        assert!(
            times(
                &claims(json!({"exp": now + 60, "iat": now, "nbf": now})),
                now
            )
            .is_ok()
        );
    }

    #[test]
    fn parameters_come_from_the_object_alone() {
        let client = ClientBuilder::confidential("c").build();
        let params = parameters(
            &claims(json!({
                "iss": "c", "aud": "x", "exp": 1, "jti": "j",
                "client_id": "c",
                "scope": "openid",
                "max_age": 60,
                "claims": {"id_token": {"acr": {"essential": true}}},
                "resource": ["https://a.example/", "https://b.example/"],
                "login_hint": null,
            })),
            &client,
        )
        .ok()
        .unwrap_or_default();
        assert_eq!(params.get("client_id"), Some("c"));
        assert_eq!(params.get("scope"), Some("openid"));
        assert_eq!(params.get("max_age"), Some("60"));
        assert!(
            params
                .get("claims")
                .is_some_and(|c| c.contains("essential"))
        );
        assert_eq!(params.all("resource").len(), 2);
        assert!(!params.has("iss") && !params.has("jti") && !params.has("login_hint"));
    }

    #[test]
    fn client_id_and_nesting_are_refused() {
        let client = ClientBuilder::confidential("c").build();
        for bad in [
            json!({"scope": "openid"}),
            json!({"client_id": "other"}),
            json!({"client_id": "c", "request_uri": "urn:x"}),
            json!({"client_id": "c", "request": "a.b.c"}),
        ] {
            assert!(matches!(
                parameters(&claims(bad), &client),
                Err(Error::RequestObjectInvalid(_))
            ));
        }
    }
}
