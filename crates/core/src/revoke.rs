//! Token revocation (RFC 7009). The caller authenticates (public clients by `client_id`,
//! §5); only tokens issued to the caller are revoked, and every other case, unknown or
//! foreign, still answers success so that nothing leaks (§2.2). A refresh token takes
//! its whole grant with it (§2.1, the family); an access token is revoked alone.
//! `token_type_hint` is only a hint, and an unknown hint is ignored.

use crate::access_token::looks_like_jwt;
use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::{AccessTokenRecord, Client};
use crate::provider::Provider;
use crate::request::{Params, reject_repeated, required};
use propusk_types::routes;
use propusk_types::scope::Scope;
use serde_json::{Map, Value};

impl Provider {
    pub async fn revocation(&self, credentials: &ClientCredentials, params: &Params) -> Result<()> {
        reject_repeated(params)?;
        let caller = self
            .authenticate_client(credentials, routes::REVOCATION)
            .await?;
        let token = required(params, "token")?;
        if self.revoke_refresh(&caller, token).await? {
            return Ok(());
        }
        self.revoke_access(&caller, token).await
    }

    /// True when the value is a refresh token (of any client); revokes it when it is
    /// the caller's.
    async fn revoke_refresh(&self, caller: &Client, token: &str) -> Result<bool> {
        let Some(refresh) = self
            .store
            .find_refresh_token(&self.hasher.hash(token))
            .await?
        else {
            return Ok(false);
        };
        if refresh.client_id == caller.id {
            self.store
                .revoke_grant(&refresh.grant_id, self.now())
                .await?;
        }
        Ok(true)
    }

    async fn revoke_access(&self, caller: &Client, token: &str) -> Result<()> {
        let now = self.now();
        let record = if looks_like_jwt(token) {
            let claims = match self.verify_access_jwt(token, None).await {
                Ok(claims) => claims,
                Err(Error::InvalidToken(_)) => return Ok(()),
                Err(other) => return Err(other),
            };
            let Some(jti) = claims.get("jti").and_then(Value::as_str) else {
                return Ok(());
            };
            match self.store.find_access_token_by_jti(jti).await? {
                Some(record) => record,
                None => tombstone(jti, claims.clone(), now),
            }
        } else {
            match self
                .store
                .find_access_token_by_hash(&self.hasher.hash(token))
                .await?
            {
                Some(record) => record,
                None => return Ok(()),
            }
        };
        if record.client_id == caller.id && record.revoked_at.is_none() && record.expires_at > now {
            self.store.revoke_access_token(&record, now).await?;
        }
        Ok(())
    }
}

/// The record of a JWT access token that was never recorded (a client's own token), so
/// that later checks see its revocation.
fn tombstone(jti: &str, claims: Map<String, Value>, now: i64) -> AccessTokenRecord {
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    AccessTokenRecord {
        jti: jti.to_owned(),
        token_hash: None,
        grant_id: None,
        client_id: text("client_id").unwrap_or_default(),
        account_id: None,
        scope: text("scope")
            .and_then(|s| Scope::parse(&s).ok())
            .unwrap_or_default(),
        created_at: claims.get("iat").and_then(Value::as_i64).unwrap_or(now),
        expires_at: claims.get("exp").and_then(Value::as_i64).unwrap_or(now),
        revoked_at: None,
        claims: Value::Object(claims),
    }
}
