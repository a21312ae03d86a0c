//! The `refresh_token` grant (RFC 6749 §6, OIDC Core §12): the token is bound to its
//! client, rotates on every use, and a second use of the same token revokes the whole
//! family, the newest token included (RFC 9700 §4.14.2). `scope` may only narrow; the
//! successor keeps the original scope (RFC 6749 §6). A new ID token keeps `auth_time`
//! and carries no `nonce` (OIDC Core §12.2).

use crate::error::{Error, Result};
use crate::issue::UserIssue;
use crate::model::{Client, RefreshToken, RefreshUse};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::scope::{narrowed, optional_scope};
use crate::token::Issued;
use propusk_types::scope::Scope;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshRequest {
    pub refresh_token: String,
    pub scope: Option<Scope>,
    /// RFC 8707 §2.2: the products the access token is for.
    pub resources: Vec<String>,
}

impl RefreshRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let scope = optional_scope(params)?;
        Ok(Self {
            refresh_token: required(params, "refresh_token")?.to_owned(),
            scope,
            resources: crate::resource::resources(params)?,
        })
    }
}

impl Provider {
    pub(super) async fn refresh(
        &self,
        client: &Client,
        request: RefreshRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let hash = self.hasher.hash(&request.refresh_token);
        if let Some(requested) = &request.scope {
            self.refuse_widening(client, &hash, requested).await?;
        }
        self.refuse_other_key(client, &hash, jkt).await?;
        let token = self.rotate(client, &hash).await?;
        check_key(&token, jkt)?;
        let scope = narrowed(&token.scope, request.scope)?;
        let scope = self.scope_for_resources(&scope, &request.resources).await?;
        let (grant, account) = self.live_grant_and_account(&token.grant_id).await?;
        self.issue_user_tokens(UserIssue {
            client,
            grant: &grant,
            account: &account,
            scope: &scope,
            nonce: false,
            refresh_scope: Some(&token.scope),
            jkt,
        })
        .await
    }

    /// A wider scope is refused before the token is spent, so that a bad request by its
    /// own client does not burn it; reuse and foreign use still go on to `rotate`.
    async fn refuse_widening(&self, client: &Client, hash: &str, requested: &Scope) -> Result<()> {
        match self.store.find_refresh_token(hash).await? {
            Some(token)
                if token.client_id == client.id
                    && token.used_at.is_none()
                    && token.revoked_at.is_none()
                    && !requested.is_subset(&token.scope) =>
            {
                Err(Error::ScopeWidened)
            }
            _ => Ok(()),
        }
    }

    /// A token bound to a DPoP key is refused with a proof of another key, or none,
    /// before it is spent: whoever lacks the key cannot burn it.
    async fn refuse_other_key(&self, client: &Client, hash: &str, jkt: Option<&str>) -> Result<()> {
        match self.store.find_refresh_token(hash).await? {
            Some(token) if token.client_id == client.id => check_key(&token, jkt),
            _ => Ok(()),
        }
    }

    /// Marks the token used. Reuse, or use by another client, revokes the grant first.
    async fn rotate(&self, client: &Client, hash: &str) -> Result<RefreshToken> {
        let now = self.now();
        match self.store.use_refresh_token(hash, now).await? {
            RefreshUse::NotFound => Err(Error::RefreshTokenNotFound),
            RefreshUse::Reused(token) => {
                self.store.revoke_grant(&token.grant_id, now).await?;
                Err(Error::RefreshTokenReused)
            }
            RefreshUse::Fresh(token) if token.client_id != client.id => {
                self.store.revoke_grant(&token.grant_id, now).await?;
                Err(Error::RefreshTokenClientMismatch)
            }
            RefreshUse::Fresh(token) if token.expires_at <= now => Err(Error::RefreshTokenExpired),
            RefreshUse::Fresh(token) => Ok(token),
        }
    }
}

/// RFC 9449 §5: a refresh token bound to a key is only good with a proof of that key.
fn check_key(token: &RefreshToken, jkt: Option<&str>) -> Result<()> {
    match (token.dpop_jkt.as_deref(), jkt) {
        (None, _) => Ok(()),
        (Some(bound), Some(presented))
            if crate::crypto::constant_time_eq(bound.as_bytes(), presented.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(Error::RefreshTokenKeyMismatch),
    }
}
