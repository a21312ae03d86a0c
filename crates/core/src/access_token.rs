//! Validation of the access tokens this provider issued, for userinfo, introspection and
//! revocation: a JWT (RFC 9068 §4: signature by one of our published keys, `typ`
//! `at+jwt`, our `iss`, `exp` in the future) or a reference token looked up by its hash.
//! Then revocation (RFC 7009): a recorded token that was revoked, or whose grant was,
//! is invalid, and so is a token of a client an operator suspended.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::jose::Alg;
use crate::model::{AccessTokenRecord, Grant};
use crate::provider::Provider;
use propusk_types::scope::Scope;
use serde_json::{Map, Value};

/// A live access token: the claims it stands for, and its record when one exists.
#[derive(Clone, Debug)]
pub struct ValidToken {
    pub claims: Map<String, Value>,
    pub scope: Scope,
    pub client_id: String,
    pub record: Option<AccessTokenRecord>,
    pub grant: Option<Grant>,
}

impl ValidToken {
    /// Whether `audience` is in the token's `aud`.
    pub fn is_for(&self, audience: &str) -> bool {
        crate::client_auth::audience_matches(self.claims.get("aud"), &[audience.to_owned()])
    }
}

/// A compact JWS has exactly two dots; reference tokens are base64url without any.
pub(crate) fn looks_like_jwt(token: &str) -> bool {
    token.bytes().filter(|b| *b == b'.').count() == 2
}

/// The `scope` (none when absent or malformed) and the `client_id` an access token's
/// claims carry; a token without `client_id` is invalid.
pub(crate) fn scope_and_client(claims: &Map<String, Value>) -> Result<(Scope, &str)> {
    let scope = claims
        .get("scope")
        .and_then(Value::as_str)
        .and_then(|s| Scope::parse(s).ok())
        .unwrap_or_default();
    let client_id = claims
        .get("client_id")
        .and_then(Value::as_str)
        .ok_or(Error::InvalidToken("client_id missing"))?;
    Ok((scope, client_id))
}

impl Provider {
    /// The token's claims if it is ours, unexpired and not revoked; `InvalidToken` else.
    pub async fn validate_access_token(&self, token: &str) -> Result<ValidToken> {
        let now = self.now();
        let (claims, record) = if looks_like_jwt(token) {
            let claims = self.verify_access_jwt(token, Some(now)).await?;
            let jti = claims
                .get("jti")
                .and_then(Value::as_str)
                .ok_or(Error::InvalidToken("jti missing"))?;
            let record = self.store.find_access_token_by_jti(jti).await?;
            (claims, record)
        } else {
            self.find_reference(token, now).await?
        };
        let grant = self.unrevoked(record.as_ref()).await?;
        let (scope, client_id) = scope_and_client(&claims)?;
        let client = self.store.get_client(client_id).await?;
        if client.is_some_and(|c| c.suspended) {
            return Err(Error::InvalidToken("client suspended"));
        }
        Ok(ValidToken {
            client_id: client_id.to_owned(),
            claims,
            scope,
            record,
            grant,
        })
    }

    /// Signature, `typ`, `iss`; `exp` only when `now` is given.
    pub(crate) async fn verify_access_jwt(
        &self,
        token: &str,
        now: Option<Timestamp>,
    ) -> Result<Map<String, Value>> {
        let keys = self
            .keys
            .verifying_keys(self.store.as_ref(), self.now())
            .await?;
        let jwt = keys
            .verify_jwt(token, &Alg::ALL)
            .map_err(|_| Error::InvalidToken("signature invalid"))?;
        let typ = jwt.header.typ.as_deref().unwrap_or_default();
        if !typ.eq_ignore_ascii_case("at+jwt") && !typ.eq_ignore_ascii_case("application/at+jwt") {
            return Err(Error::InvalidToken("not an access token"));
        }
        if jwt.claims.get("iss").and_then(Value::as_str) != Some(self.config.issuer.as_str()) {
            return Err(Error::InvalidToken("issued elsewhere"));
        }
        if let Some(now) = now {
            let exp = jwt
                .claims
                .get("exp")
                .and_then(Value::as_i64)
                .ok_or(Error::InvalidToken("exp missing"))?;
            if exp <= now {
                return Err(Error::InvalidToken("expired"));
            }
        }
        Ok(jwt.claims)
    }

    async fn find_reference(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<(Map<String, Value>, Option<AccessTokenRecord>)> {
        let record = self
            .store
            .find_access_token_by_hash(&self.hasher.hash(token))
            .await?
            .ok_or(Error::InvalidToken("unknown"))?;
        if record.expires_at <= now {
            return Err(Error::InvalidToken("expired"));
        }
        let Value::Object(claims) = &record.claims else {
            return Err(Error::InvalidToken("no claims recorded"));
        };
        Ok((claims.clone(), Some(record)))
    }

    /// A revoked record, or a record of a revoked grant, makes the token invalid.
    async fn unrevoked(&self, record: Option<&AccessTokenRecord>) -> Result<Option<Grant>> {
        let Some(record) = record else {
            return Ok(None);
        };
        if record.revoked_at.is_some() {
            return Err(Error::InvalidToken("revoked"));
        }
        let Some(grant_id) = &record.grant_id else {
            return Ok(None);
        };
        match self.store.get_grant(grant_id).await? {
            Some(grant) if grant.revoked_at.is_none() => Ok(Some(grant)),
            _ => Err(Error::InvalidToken("revoked")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_jwt_from_reference() {
        assert!(looks_like_jwt("a.b.c"));
        assert!(!looks_like_jwt("abc"));
        assert!(!looks_like_jwt("a.b"));
        assert!(!looks_like_jwt("a.b.c.d.e"));
    }
}
