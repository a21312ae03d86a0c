//! The resource owner password credentials grant
//! ([RFC 6749 §4.3](https://www.rfc-editor.org/rfc/rfc6749#section-4.3)), kept for legacy
//! integrations and off unless the operator enables it for the client. The user is
//! authenticated like on the sign-in page (the same throttling and audit); wrong
//! credentials are `invalid_grant` (§5.2), and so is an account with a second factor,
//! which this grant has no step for. The scope stays within what the client registered
//! (§3.3).

use super::{SignIn, TokenRequest};
use crate::accounts::Accounts;
use crate::authorize::ACR_PASSWORD;
use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::{Client, GrantType};
use crate::request::{Params, required};
use crate::scope::{client_scope, optional_scope};
use crate::token::Issued;
use propusk_types::scope::Scope;
use propusk_types::token::TokenResponse;

#[derive(Clone, PartialEq, Eq)]
pub struct PasswordRequest {
    pub username: String,
    pub password: String,
    pub scope: Option<Scope>,
}

impl std::fmt::Debug for PasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordRequest")
            .field("username", &self.username)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl PasswordRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        Ok(Self {
            username: required(params, "username")?.to_owned(),
            password: required(params, "password")?.to_owned(),
            scope: optional_scope(params)?,
        })
    }
}

impl Accounts {
    /// Answers a token request, the password grant included: that one is checked like a
    /// sign-in on the page — throttled per account and per address, failures audited —
    /// and refused for accounts with a second factor, which this grant cannot ask for.
    /// Tokens issued and refused are audited through the batching writer, never with
    /// the submitted secret, code or token.
    pub async fn token(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
        dpop: Option<&str>,
        ip: &str,
    ) -> Result<TokenResponse> {
        let answer = self.answer_token(credentials, params, dpop, ip).await;
        self.provider.audit_token(credentials, params, ip, &answer);
        answer.map(|issued| issued.response)
    }

    async fn answer_token(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
        dpop: Option<&str>,
        ip: &str,
    ) -> Result<Issued> {
        if params.get("grant_type") == Some(GrantType::Certificate.as_str()) {
            return self.certificate_token(credentials, params, dpop, ip).await;
        }
        let (client, request) = self.provider.token_request(credentials, params).await?;
        let jkt = self.provider.dpop_binding(&client, dpop).await?;
        let jkt = jkt.as_deref();
        match request {
            TokenRequest::Password(request) => self.password_grant(&client, request, ip, jkt).await,
            other => self.provider.grant(&client, other, jkt).await,
        }
    }

    async fn password_grant(
        &self,
        client: &Client,
        request: PasswordRequest,
        ip: &str,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let scope = client_scope(client, request.scope)?;
        let account = match self
            .check_password(&request.username, &request.password, ip)
            .await
        {
            Ok(account) => account,
            Err(Error::InvalidCredentials) => return Err(Error::ResourceOwnerCredentialsInvalid),
            Err(error) => return Err(error),
        };
        if self.factors(&account.id).await?.any() || !self.passkeys(&account.id).await?.is_empty() {
            return Err(Error::SecondFactorUnavailable);
        }
        let context = SignIn {
            acr: Some(ACR_PASSWORD.to_owned()),
            amr: vec!["pwd".to_owned()],
        };
        self.provider
            .issue_direct_grant(client, &account, &scope, context, jkt)
            .await
    }
}
