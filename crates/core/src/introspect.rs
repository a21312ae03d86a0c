//! Token introspection (RFC 7662). The caller authenticates as a client; a token is
//! reported active only when it is valid and the caller may know about it: the client it
//! was issued to, or a product (resource server) named in its `aud` (§2.2, §4). For
//! anything else the answer is `{"active": false}`. `token_type_hint` only orders the
//! lookups (§2.1). Refresh tokens are answered to their own client only.

use crate::access_token::ValidToken;
use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::Client;
use crate::provider::Provider;
use crate::request::{Params, reject_repeated, required};
use propusk_types::routes;
use propusk_types::token::IntrospectionResponse;
use serde_json::Value;

impl Provider {
    pub async fn introspection(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
    ) -> Result<IntrospectionResponse> {
        reject_repeated(params)?;
        let caller = self
            .authenticate_client(credentials, routes::INTROSPECT)
            .await?;
        if caller.is_public() {
            return Err(Error::ClientAuthFailed("public clients cannot introspect"));
        }
        let token = required(params, "token")?;
        let refresh_first = params.get("token_type_hint") == Some("refresh_token");
        for refresh in [refresh_first, !refresh_first] {
            let answer = if refresh {
                self.introspect_refresh(&caller, token).await?
            } else {
                self.introspect_access(&caller, token).await?
            };
            if let Some(answer) = answer {
                return Ok(answer);
            }
        }
        Ok(IntrospectionResponse::default())
    }

    async fn introspect_access(
        &self,
        caller: &Client,
        token: &str,
    ) -> Result<Option<IntrospectionResponse>> {
        let valid = match self.validate_access_token(token).await {
            Ok(valid) => valid,
            Err(Error::InvalidToken(_)) => return Ok(None),
            Err(other) => return Err(other),
        };
        if !may_see(caller, &valid) {
            return Ok(Some(IntrospectionResponse::default()));
        }
        let claims = &valid.claims;
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        Ok(Some(IntrospectionResponse {
            active: true,
            scope: Some(valid.scope.to_string()),
            client_id: Some(valid.client_id.clone()),
            token_type: Some(crate::issue::token_type(crate::issue::dpop_bound(claims))),
            exp: claims.get("exp").and_then(Value::as_i64),
            iat: claims.get("iat").and_then(Value::as_i64),
            sub: text("sub"),
            aud: claims.get("aud").cloned(),
            iss: text("iss"),
            jti: text("jti"),
            cnf: claims.get("cnf").cloned(),
            ..IntrospectionResponse::default()
        }))
    }

    async fn introspect_refresh(
        &self,
        caller: &Client,
        token: &str,
    ) -> Result<Option<IntrospectionResponse>> {
        let now = self.now();
        let Some(refresh) = self
            .store
            .find_refresh_token(&self.hasher.hash(token))
            .await?
        else {
            return Ok(None);
        };
        let live = refresh.client_id == caller.id
            && refresh.revoked_at.is_none()
            && refresh.used_at.is_none()
            && refresh.expires_at > now;
        let grant = if live {
            self.store.get_grant(&refresh.grant_id).await?
        } else {
            None
        };
        let grant = grant.filter(|g| g.revoked_at.is_none());
        let Some(grant) = grant else {
            return Ok(Some(IntrospectionResponse::default()));
        };
        Ok(Some(IntrospectionResponse {
            active: true,
            scope: Some(refresh.scope.to_string()),
            client_id: Some(refresh.client_id.clone()),
            exp: Some(refresh.expires_at),
            iat: Some(refresh.created_at),
            sub: grant
                .account_id
                .as_deref()
                .map(|account| self.subject_for(caller, account)),
            iss: Some(self.config.issuer.clone()),
            ..IntrospectionResponse::default()
        }))
    }
}

/// RFC 7662 §4: the issued-to client, or a product the token is for.
fn may_see(caller: &Client, token: &ValidToken) -> bool {
    caller.id == token.client_id
        || caller
            .product
            .as_deref()
            .is_some_and(|audience| token.is_for(audience))
}
