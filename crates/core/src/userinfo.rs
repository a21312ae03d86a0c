//! The UserInfo endpoint (OIDC Core §5.3): the claims of the account behind an access
//! token that carries `openid`, released by scope (§5.4) and by the `claims` request
//! (§5.5), with `sub` as the client sees it (pairwise aware, §8). Errors are RFC 6750
//! §3.1 codes: `invalid_token`, `insufficient_scope`.

use crate::claims::{self, Target};
use crate::error::{Error, Result};
use crate::provider::Provider;
use propusk_types::scope::OPENID;
use serde_json::{Map, Value};

impl Provider {
    pub async fn userinfo(&self, access_token: &str) -> Result<Map<String, Value>> {
        let token = self.validate_access_token(access_token).await?;
        if !token.scope.contains(OPENID) {
            return Err(Error::InsufficientScope(OPENID));
        }
        let account_id = token
            .record
            .as_ref()
            .and_then(|r| r.account_id.as_deref())
            .ok_or(Error::InvalidToken("not issued for a user"))?;
        let account = match self.store.get_account(account_id).await? {
            Some(account) if !account.disabled => account,
            _ => return Err(Error::InvalidToken("account unavailable")),
        };
        let client = self
            .store
            .get_client(&token.client_id)
            .await?
            .ok_or(Error::InvalidToken("client gone"))?;
        let claims_request = token.grant.as_ref().and_then(|g| g.claims.as_ref());
        let names = claims::requested(&token.scope, claims_request, Target::Userinfo, true);
        let mut claims = claims::standard_claims(&account, &names);
        claims.insert(
            "sub".into(),
            Value::String(self.subject_for(&client, &account.id)),
        );
        Ok(claims)
    }
}
