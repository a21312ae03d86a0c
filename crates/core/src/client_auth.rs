//! Client authentication at the token, introspection, revocation and device
//! authorization endpoints
//! (RFC 6749 §2.3.1; OIDC Core §9): `client_secret_basic`, `client_secret_post`,
//! `private_key_jwt` (RFC 7523 §2.2 and §3, RFC 7521 §4.2) and `none` for public clients.
//! The method used must be the client's registered `token_endpoint_auth_method`
//! (RFC 7591 §2), except that the two shared-secret methods stand in for each other: the
//! production provider accepts an api-key in the header or in the body, and existing
//! integrations send it in the body. Unknown client and wrong secret fail alike.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::jose::{Alg, JoseError, Jwk, verify_jwt};
use crate::model::{AuthMethod, Client};
use crate::provider::Provider;
use serde_json::{Map, Value};

/// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Longest accepted lifetime of a client assertion, seconds.
const MAX_ASSERTION_LIFETIME: i64 = 3600;

/// How stale the recorded last use of an api-key may be, seconds.
const LAST_USE_PRECISION: i64 = 60;

/// Longest `jti` remembered in the replay cache, bytes.
const MAX_JTI_LENGTH: usize = 256;

/// The credentials a request carried, as extracted by the web layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientCredentials {
    /// `Authorization: Basic`, both parts already form-urldecoded.
    SecretBasic {
        client_id: String,
        secret: String,
    },
    SecretPost {
        client_id: String,
        secret: String,
    },
    /// `client_assertion`; `client_id` is optional beside it (RFC 7521 §4.2).
    PrivateKeyJwt {
        client_id: Option<String>,
        assertion: String,
    },
    /// Only `client_id`: a public client.
    None {
        client_id: String,
    },
    /// No credentials at all.
    Absent,
    /// Any of the above on a connection that proved a client certificate (RFC 8705):
    /// with only a `client_id`, the certificate authenticates a `tls_client_auth` or
    /// `self_signed_tls_client_auth` client; with any method, it is what access tokens
    /// are bound to.
    Certificate {
        inner: Box<ClientCredentials>,
        der: Vec<u8>,
    },
}

impl ClientCredentials {
    /// The client id the request names, authenticated or not.
    pub fn claimed_id(&self) -> Option<&str> {
        match self {
            Self::SecretBasic { client_id, .. }
            | Self::SecretPost { client_id, .. }
            | Self::None { client_id } => Some(client_id),
            Self::PrivateKeyJwt { client_id, .. } => client_id.as_deref(),
            Self::Absent => None,
            Self::Certificate { inner, .. } => inner.claimed_id(),
        }
    }

    /// These credentials with the client certificate of the connection, if any.
    pub fn with_certificate(self, der: Option<Vec<u8>>) -> Self {
        match der {
            Some(der) => Self::Certificate {
                inner: Box::new(self),
                der,
            },
            None => self,
        }
    }

    pub fn method(&self) -> Option<AuthMethod> {
        match self {
            Self::SecretBasic { .. } => Some(AuthMethod::ClientSecretBasic),
            Self::SecretPost { .. } => Some(AuthMethod::ClientSecretPost),
            Self::PrivateKeyJwt { .. } => Some(AuthMethod::PrivateKeyJwt),
            Self::None { .. } => Some(AuthMethod::None),
            Self::Absent => None,
            Self::Certificate { inner, .. } => inner.method(),
        }
    }
}

/// Whether a client registered for `registered` may authenticate with `used`.
fn same_kind(used: AuthMethod, registered: AuthMethod) -> bool {
    use AuthMethod::{ClientSecretBasic, ClientSecretPost};
    used == registered
        || matches!(
            (used, registered),
            (ClientSecretBasic, ClientSecretPost) | (ClientSecretPost, ClientSecretBasic)
        )
}

impl Provider {
    /// Authenticates the client at `endpoint` (a route path; a client assertion may name
    /// it, the token endpoint or the issuer as its audience).
    pub async fn authenticate_client(
        &self,
        credentials: &ClientCredentials,
        endpoint: &str,
    ) -> Result<Client> {
        let ClientCredentials::Certificate { inner, der } = credentials else {
            return self.authenticate_presented(credentials, endpoint).await;
        };
        let mut client = match inner.as_ref() {
            ClientCredentials::None { client_id } => {
                self.authenticate_by_certificate(client_id, der).await?
            }
            other => self.authenticate_presented(other, endpoint).await?,
        };
        if client.tls_client_certificate_bound_access_tokens {
            client.bound_certificate = Some(crate::mtls::thumbprint(der)?);
        }
        Ok(client)
    }

    /// The credentials of the request other than its certificate.
    async fn authenticate_presented(
        &self,
        credentials: &ClientCredentials,
        endpoint: &str,
    ) -> Result<Client> {
        match credentials {
            ClientCredentials::SecretBasic { client_id, secret }
            | ClientCredentials::SecretPost { client_id, secret } => {
                let client = self
                    .registered_client(client_id, credentials.method())
                    .await?;
                self.check_secret(&client, secret).await?;
                Ok(client)
            }
            ClientCredentials::PrivateKeyJwt {
                client_id,
                assertion,
            } => {
                self.check_assertion(client_id.as_deref(), assertion, endpoint)
                    .await
            }
            ClientCredentials::None { client_id } => {
                let client = self
                    .registered_client(client_id, credentials.method())
                    .await?;
                if !client.is_public() {
                    return Err(Error::ClientAuthMethodMismatch(client.auth_method.as_str()));
                }
                Ok(client)
            }
            ClientCredentials::Absent => Err(Error::ClientAuthFailed("no client credentials")),
            ClientCredentials::Certificate { .. } => {
                Err(Error::ClientAuthFailed("malformed client credentials"))
            }
        }
    }

    /// Only a `client_id` beside the connection's certificate: a `tls_client_auth` or
    /// `self_signed_tls_client_auth` client, or a public client whose tokens the
    /// certificate may bind.
    async fn authenticate_by_certificate(&self, client_id: &str, der: &[u8]) -> Result<Client> {
        let found = self.store.get_client(client_id).await?;
        let Some(client) = found.filter(|c| !c.suspended) else {
            let _ = self.hasher.hash(client_id);
            return Err(Error::ClientAuthFailed("unknown client"));
        };
        match client.auth_method {
            AuthMethod::TlsClientAuth => self.check_pki_certificate(&client, der)?,
            AuthMethod::SelfSignedTlsClientAuth => self.check_self_signed(&client, der).await?,
            AuthMethod::None if client.is_public() => {}
            other => return Err(Error::ClientAuthMethodMismatch(other.as_str())),
        }
        Ok(client)
    }

    /// Loads the client and checks that it registered the method it used.
    async fn registered_client(
        &self,
        client_id: &str,
        method: Option<AuthMethod>,
    ) -> Result<Client> {
        let found = self.store.get_client(client_id).await?;
        let Some(client) = found.filter(|c| !c.suspended) else {
            // Hash anyway, so that an unknown client is not answered much faster.
            let _ = self.hasher.hash(client_id);
            return Err(Error::ClientAuthFailed("unknown client"));
        };
        if !method.is_some_and(|m| same_kind(m, client.auth_method)) {
            return Err(Error::ClientAuthMethodMismatch(client.auth_method.as_str()));
        }
        Ok(client)
    }

    /// Compares against every live api-key of the client (neither revoked nor expired),
    /// each in constant time, and records the use of the one that matched.
    async fn check_secret(&self, client: &Client, secret: &str) -> Result<()> {
        let now = self.now();
        let secrets = self.store.client_secrets(&client.id).await?;
        let matched = secrets
            .iter()
            .filter(|s| s.is_live(now))
            .fold(None, |found, s| {
                let this = self.hasher.verify(secret, &s.secret_hash);
                if this && found.is_none() {
                    Some(s)
                } else {
                    found
                }
            });
        let Some(key) = matched else {
            return Err(Error::ClientAuthFailed("wrong secret"));
        };
        let stale = key
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USE_PRECISION);
        if stale
            && let Err(error) = self
                .store
                .touch_client_secret(&client.id, &key.id, now)
                .await
        {
            tracing::warn!(%error, "could not record the last use of an api-key");
        }
        Ok(())
    }

    /// RFC 7523 §3: signature by a key of the client, `iss` = `sub` = client id, `aud`
    /// naming us, `exp` in the near future, and a `jti` never seen before.
    async fn check_assertion(
        &self,
        client_id: Option<&str>,
        assertion: &str,
        endpoint: &str,
    ) -> Result<Client> {
        let unverified = crate::jose::decode_unverified(assertion)
            .map_err(|_| Error::ClientAssertionInvalid("not a JWT"))?;
        let issuer = string_claim(&unverified.claims, "iss")
            .ok_or(Error::ClientAssertionInvalid("iss missing"))?;
        if client_id.is_some_and(|id| id != issuer) {
            return Err(Error::ClientAssertionInvalid("iss differs from client_id"));
        }
        let client = self
            .registered_client(issuer, Some(AuthMethod::PrivateKeyJwt))
            .await?;
        let keys = self
            .client_keys(&client, unverified.header.kid.as_deref())
            .await
            .map_err(|_| Error::ClientAssertionInvalid("the client's jwks_uri cannot be read"))?;
        let verified = verify_jwt(assertion, &keys, &Alg::ALL).map_err(assertion_error)?;
        let now = self.now();
        let exp = self.check_assertion_claims(&client, &verified.claims, endpoint, now)?;
        let jti = string_claim(&verified.claims, "jti")
            .ok_or(Error::ClientAssertionInvalid("jti missing"))?;
        if jti.len() > MAX_JTI_LENGTH {
            return Err(Error::ClientAssertionInvalid("jti too long"));
        }
        let key = format!("jwt-jti:{}:{jti}", client.id);
        if !self.store.remember_once(&key, exp, now).await? {
            return Err(Error::ClientAssertionInvalid("jti replayed"));
        }
        Ok(client)
    }

    /// The client's public keys: registered by value, or fetched from its `jwks_uri`
    /// through the one fetcher (which refetches for an unknown `kid` at most once a
    /// minute). Used for client assertions and request objects alike.
    pub(crate) async fn client_keys(
        &self,
        client: &Client,
        kid: Option<&str>,
    ) -> std::result::Result<Vec<Jwk>, crate::fetch::FetchError> {
        if let Some(set) = &client.jwks {
            return Ok(set.keys.clone());
        }
        let Some(uri) = &client.jwks_uri else {
            return Ok(Vec::new());
        };
        self.fetcher
            .jwks(uri, kid)
            .await
            .map(|set| set.keys)
            .inspect_err(|error| {
                tracing::warn!(client_id = %client.id, %error, "client keys not fetched");
            })
    }

    /// Returns `exp` once every time and audience claim checked out.
    fn check_assertion_claims(
        &self,
        client: &Client,
        claims: &Map<String, Value>,
        endpoint: &str,
        now: Timestamp,
    ) -> Result<Timestamp> {
        if string_claim(claims, "sub") != Some(client.id.as_str()) {
            return Err(Error::ClientAssertionInvalid(
                "sub must equal the client id",
            ));
        }
        let audiences = [
            self.config.issuer.clone(),
            self.config.url(propusk_types::routes::TOKEN),
            self.config.url(endpoint),
        ];
        if !audience_matches(claims.get("aud"), &audiences) {
            return Err(Error::ClientAssertionInvalid(
                "aud does not name this server",
            ));
        }
        let exp = assertion_expiry(claims, now, MAX_ASSERTION_LIFETIME)
            .map_err(Error::ClientAssertionInvalid)?;
        if claims
            .get("nbf")
            .and_then(Value::as_i64)
            .is_some_and(|nbf| nbf > now + 60)
        {
            return Err(Error::ClientAssertionInvalid("not yet valid"));
        }
        Ok(exp)
    }
}

fn string_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

/// The `exp` of an assertion: present, after `now` and at most `max_lifetime` seconds
/// away (RFC 7523 §3 item 4); otherwise why not.
pub(crate) fn assertion_expiry(
    claims: &Map<String, Value>,
    now: Timestamp,
    max_lifetime: i64,
) -> std::result::Result<Timestamp, &'static str> {
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or("exp missing")?;
    if exp <= now {
        return Err("expired");
    }
    if exp - now > max_lifetime {
        return Err("exp too far in the future");
    }
    Ok(exp)
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
pub(crate) fn audience_matches(aud: Option<&Value>, accepted: &[String]) -> bool {
    match aud {
        Some(Value::String(one)) => accepted.iter().any(|a| a == one),
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(Value::as_str)
            .any(|one| accepted.iter().any(|a| a == one)),
        _ => false,
    }
}

fn assertion_error(error: JoseError) -> Error {
    match error {
        JoseError::UnsupportedAlg(_) | JoseError::AlgNotAllowed(_) => {
            Error::ClientAssertionInvalid("algorithm not allowed")
        }
        JoseError::UnknownKey | JoseError::InvalidKey => {
            Error::ClientAssertionInvalid("no registered key matches")
        }
        JoseError::Malformed => Error::ClientAssertionInvalid("not a JWT"),
        _ => Error::ClientAssertionInvalid("signature invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_as_string_or_array() {
        let accepted = ["https://id.example".to_owned()];
        assert!(audience_matches(
            Some(&Value::from("https://id.example")),
            &accepted
        ));
        assert!(audience_matches(
            Some(&serde_json::json!(["x", "https://id.example"])),
            &accepted
        ));
        assert!(!audience_matches(
            Some(&Value::from("https://other")),
            &accepted
        ));
        assert!(!audience_matches(None, &accepted));
        assert!(!audience_matches(Some(&serde_json::json!(1)), &accepted));
    }

    #[test]
    fn method_of_credentials() {
        let none = ClientCredentials::None {
            client_id: "c".into(),
        };
        assert_eq!(none.method(), Some(AuthMethod::None));
        assert_eq!(ClientCredentials::Absent.method(), None);
    }
}
