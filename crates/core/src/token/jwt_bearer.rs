//! The JWT bearer grant ([RFC 7523 §2.1, §3](https://www.rfc-editor.org/rfc/rfc7523#section-3)):
//! a partner system the operator trusts signs an assertion about one of our users; the
//! client presents it for tokens. The issuer must be registered as a [`TrustedIssuer`]
//! (its public keys, the clients that may present its assertions, and how its `sub`
//! maps to an account). `aud` must name us (issuer or token endpoint), `exp` is
//! required and near, `jti` is required and single use. Any failure is `invalid_grant`.

use crate::client_auth::{assertion_expiry, audience_matches};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::jose::{Alg, decode_unverified, verify_jwt};
use crate::model::{Account, Client, SubjectMapping, TrustedIssuer};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::scope::{client_scope, optional_scope};
use crate::token::Issued;
use propusk_types::routes;
use propusk_types::scope::Scope;
use serde_json::{Map, Value};

/// Longest accepted distance from now to `exp` (§3 item 4 lets the server decide).
pub const MAX_ASSERTION_LIFETIME: i64 = 3600;
const CLOCK_SKEW: i64 = 60;
const MAX_JTI_LENGTH: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtBearerRequest {
    pub assertion: String,
    pub scope: Option<Scope>,
}

impl JwtBearerRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        Ok(Self {
            assertion: required(params, "assertion")?.to_owned(),
            scope: optional_scope(params)?,
        })
    }
}

impl Provider {
    pub(super) async fn jwt_bearer(
        &self,
        client: &Client,
        request: JwtBearerRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let scope = client_scope(client, request.scope)?;
        let now = self.now();
        let claims = self.verified_assertion(client, &request.assertion).await?;
        let exp = self.check_claims(&claims, now)?;
        let issuer = self.trusted_issuer(&claims).await?;
        let account = self.assertion_subject(&issuer, &claims).await?;
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .filter(|j| !j.is_empty() && j.len() <= MAX_JTI_LENGTH)
            .ok_or(Error::AssertionInvalid("jti missing or too long"))?;
        let key = format!("jwt-bearer:{}:{jti}", issuer.issuer);
        if !self.store.remember_once(&key, exp, now).await? {
            return Err(Error::AssertionInvalid("jti replayed"));
        }
        let context = super::SignIn {
            acr: None,
            amr: Vec::new(),
        };
        self.issue_direct_grant(client, &account, &scope, context, jkt)
            .await
    }

    async fn trusted_issuer(&self, claims: &Map<String, Value>) -> Result<TrustedIssuer> {
        let iss = claims
            .get("iss")
            .and_then(Value::as_str)
            .ok_or(Error::AssertionInvalid("iss missing"))?;
        self.store
            .get_trusted_issuer(iss)
            .await?
            .ok_or(Error::AssertionInvalid("issuer not trusted"))
    }

    /// Signature by a key of the registered issuer that trusts this client.
    async fn verified_assertion(
        &self,
        client: &Client,
        assertion: &str,
    ) -> Result<Map<String, Value>> {
        let unverified =
            decode_unverified(assertion).map_err(|_| Error::AssertionInvalid("not a JWT"))?;
        let issuer = self.trusted_issuer(&unverified.claims).await?;
        if !issuer.client_ids.contains(&client.id) {
            return Err(Error::AssertionInvalid(
                "issuer not trusted for this client",
            ));
        }
        let verified = verify_jwt(assertion, &issuer.jwks.keys, &Alg::ALL)
            .map_err(|_| Error::AssertionInvalid("signature invalid"))?;
        Ok(verified.claims)
    }

    /// `aud`, `exp`, `nbf`, `iat` (§3 items 3–6); returns `exp`.
    fn check_claims(&self, claims: &Map<String, Value>, now: Timestamp) -> Result<Timestamp> {
        let accepted = [self.config.issuer.clone(), self.config.url(routes::TOKEN)];
        if !audience_matches(claims.get("aud"), &accepted) {
            return Err(Error::AssertionInvalid("aud does not name this server"));
        }
        let exp = assertion_expiry(claims, now, MAX_ASSERTION_LIFETIME)
            .map_err(Error::AssertionInvalid)?;
        let future = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_i64)
                .is_some_and(|t| t > now + CLOCK_SKEW)
        };
        if future("nbf") || future("iat") {
            return Err(Error::AssertionInvalid("not yet valid"));
        }
        Ok(exp)
    }

    async fn assertion_subject(
        &self,
        issuer: &TrustedIssuer,
        claims: &Map<String, Value>,
    ) -> Result<Account> {
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or(Error::AssertionInvalid("sub missing"))?;
        let account = match issuer.subject {
            SubjectMapping::Id => self.store.get_account(sub).await?,
            SubjectMapping::Login => {
                let identifier = crate::identifier::normalize_identifier(sub);
                self.store.find_account(&identifier).await?
            }
        };
        account
            .filter(|a| !a.disabled)
            .ok_or(Error::AssertionInvalid("subject unknown"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_mapping_names() {
        for mapping in [SubjectMapping::Login, SubjectMapping::Id] {
            assert_eq!(SubjectMapping::parse(mapping.as_str()), Some(mapping));
        }
        assert_eq!(SubjectMapping::parse("email"), None);
    }
}
