//! The UserInfo endpoint (OIDC Core §5.3): the claims of the account behind an access
//! token that carries `openid`, released by scope (§5.4) and by the `claims` request
//! (§5.5), with `sub` as the client sees it (pairwise aware, §8). Errors are RFC 6750
//! §3.1 codes: `invalid_token`, `insufficient_scope`.
//!
//! The token's record, its grant and its account come from one store read
//! ([`TokenHolderRepo`](crate::store::TokenHolderRepo)); the checks are those of
//! [`Provider::validate_access_token`] (signature, expiry, revocation of the token or its
//! grant), then the account must exist and not be disabled.

use crate::access_token::{looks_like_jwt, scope_and_client};
use crate::claims::{self, Target};
use crate::error::{Error, Result};
use crate::provider::Provider;
use crate::store::{TokenHolder, TokenKey};
use propusk_types::scope::OPENID;
use serde_json::{Map, Value};

/// The released claims, and the client the token was issued to (whose web origins may
/// read them).
#[derive(Debug)]
pub struct UserInfo {
    pub claims: Map<String, Value>,
    pub client_id: String,
}

impl Provider {
    /// The claims for `access_token`, presented under `scheme` (a DPoP-bound token only
    /// with a proof of its key, RFC 9449 §7) over a connection that proved `certificate`
    /// (a certificate-bound token only with that certificate, RFC 8705 §3).
    pub async fn userinfo(
        &self,
        access_token: &str,
        scheme: crate::dpop::Scheme<'_>,
        certificate: Option<&[u8]>,
    ) -> Result<UserInfo> {
        let (claims, holder) = self.token_and_holder(access_token).await?;
        crate::mtls::check_binding(&claims, certificate)?;
        if let Some(holder) = &holder {
            unrevoked(holder)?;
        }
        self.check_presentation(
            &claims,
            access_token,
            scheme,
            propusk_types::routes::USERINFO,
        )
        .await?;
        let (scope, client_id) = scope_and_client(&claims)?;
        if !scope.contains(OPENID) {
            return Err(Error::InsufficientScope(OPENID));
        }
        let holder = holder
            .filter(|h| h.account_id.is_some())
            .ok_or(Error::InvalidToken("not issued for a user"))?;
        let account = match holder.account {
            Some(account) if !account.disabled => account,
            _ => return Err(Error::InvalidToken("account unavailable")),
        };
        let client = self
            .store
            .get_client(client_id)
            .await?
            .ok_or(Error::InvalidToken("client gone"))?;
        let claims_request = holder.grant.as_ref().and_then(|g| g.claims.as_ref());
        let names = claims::requested(&scope, claims_request, Target::Userinfo, true);
        let mut claims = claims::standard_claims(&account, &names);
        if claims::wants_certificate(&names) {
            let bound = self.store.account_certificates(&account.id).await?;
            claims.extend(claims::certificate_claims(&bound, self.now(), &names));
        }
        claims.insert(
            "sub".into(),
            Value::String(self.subject_for(&client, &account.id)),
        );
        Ok(UserInfo {
            claims,
            client_id: client.id,
        })
    }

    /// The token's claims (from the JWT, or recorded for a reference token) and its record
    /// with grant and account, if recorded.
    async fn token_and_holder(
        &self,
        token: &str,
    ) -> Result<(Map<String, Value>, Option<TokenHolder>)> {
        let now = self.now();
        if looks_like_jwt(token) {
            let claims = self.verify_access_jwt(token, Some(now)).await?;
            let jti = claims
                .get("jti")
                .and_then(Value::as_str)
                .ok_or(Error::InvalidToken("jti missing"))?;
            let holder = self.store.token_holder(TokenKey::Jti(jti)).await?;
            return Ok((claims, holder));
        }
        let mut holder = self
            .store
            .token_holder(TokenKey::Hash(&self.hasher.hash(token)))
            .await?
            .ok_or(Error::InvalidToken("unknown"))?;
        if holder.expires_at <= now {
            return Err(Error::InvalidToken("expired"));
        }
        let Some(Value::Object(claims)) = holder.claims.take() else {
            return Err(Error::InvalidToken("no claims recorded"));
        };
        Ok((claims, Some(holder)))
    }
}

/// A revoked token, or a token of a revoked or deleted grant, is invalid (RFC 7009).
fn unrevoked(holder: &TokenHolder) -> Result<()> {
    if holder.revoked_at.is_some() {
        return Err(Error::InvalidToken("revoked"));
    }
    match (&holder.grant_id, &holder.grant) {
        (None, _) => Ok(()),
        (Some(_), Some(grant)) if grant.revoked_at.is_none() => Ok(()),
        _ => Err(Error::InvalidToken("revoked")),
    }
}
