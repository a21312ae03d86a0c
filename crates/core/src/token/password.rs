//! The resource owner password credentials grant
//! ([RFC 6749 §4.3](https://www.rfc-editor.org/rfc/rfc6749#section-4.3)), kept for legacy
//! integrations and off unless the operator enables it for the client. The user is
//! authenticated like on the sign-in page; wrong credentials are `invalid_grant`
//! (§5.2). The scope stays within what the client registered (§3.3).

use crate::authorize::ACR_PASSWORD;
use crate::error::{Error, Result};
use crate::model::{Account, Client};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::scope::{client_scope, optional_scope};
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

impl Provider {
    pub(super) async fn password_grant(
        &self,
        client: &Client,
        request: PasswordRequest,
    ) -> Result<TokenResponse> {
        let scope = client_scope(client, request.scope)?;
        let account: Account = match self
            .authenticate_password(&request.username, &request.password)
            .await
        {
            Ok(account) => account,
            Err(Error::InvalidCredentials) => return Err(Error::ResourceOwnerCredentialsInvalid),
            Err(error) => return Err(error),
        };
        let context = super::SignIn {
            acr: Some(ACR_PASSWORD.to_owned()),
            amr: vec!["pwd".to_owned()],
        };
        self.issue_direct_grant(client, &account, &scope, context)
            .await
    }
}
