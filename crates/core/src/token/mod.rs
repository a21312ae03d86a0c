//! The token endpoint (RFC 6749 §3.2, §5; OIDC Core §3.1.3). The body arrives as checked
//! [`Params`]; [`TokenRequest::parse`] turns it into one variant per grant type, the
//! client is authenticated ([`crate::client_auth`]), and an exhaustive `match` hands the request
//! to the file of its grant. Issuance itself lives in `crate::issue`.

mod audit;
pub mod authorization_code;
pub mod certificate;
pub mod client_credentials;
pub mod device_code;
mod direct;
pub mod jwt_bearer;
pub mod password;
pub mod refresh_token;
pub mod token_exchange;

pub(crate) use direct::SignIn;

use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::{Account, Client, Grant, GrantType};
use crate::provider::Provider;
use crate::request::{Params, reject_repeated, required, shorten};
use propusk_types::routes;

pub use crate::issue::Issued;

/// A token request after syntax checks, keyed on `grant_type` (RFC 6749 §4.1.3, §4.3.2,
/// §4.4.2, §6; RFC 8628 §3.4; RFC 7523 §2.1; RFC 8693 §2.1).
#[derive(Clone, Debug, PartialEq)]
pub enum TokenRequest {
    AuthorizationCode(authorization_code::CodeRequest),
    RefreshToken(refresh_token::RefreshRequest),
    ClientCredentials(client_credentials::CredentialsRequest),
    DeviceCode(device_code::DeviceCodeRequest),
    Password(password::PasswordRequest),
    JwtBearer(jwt_bearer::JwtBearerRequest),
    TokenExchange(token_exchange::ExchangeRequest),
    Certificate(certificate::CertificateRequest),
}

impl TokenRequest {
    /// Missing `grant_type` is `invalid_request`; one we do not serve is
    /// `unsupported_grant_type` (RFC 6749 §5.2).
    pub fn parse(params: &Params) -> Result<Self> {
        let name = required(params, "grant_type")?;
        let grant =
            GrantType::parse(name).ok_or_else(|| Error::UnsupportedGrantType(shorten(name)))?;
        match grant {
            GrantType::AuthorizationCode => {
                authorization_code::CodeRequest::parse(params).map(Self::AuthorizationCode)
            }
            GrantType::RefreshToken => {
                refresh_token::RefreshRequest::parse(params).map(Self::RefreshToken)
            }
            GrantType::ClientCredentials => {
                client_credentials::CredentialsRequest::parse(params).map(Self::ClientCredentials)
            }
            GrantType::DeviceCode => {
                device_code::DeviceCodeRequest::parse(params).map(Self::DeviceCode)
            }
            GrantType::Password => password::PasswordRequest::parse(params).map(Self::Password),
            GrantType::JwtBearer => {
                jwt_bearer::JwtBearerRequest::parse(params).map(Self::JwtBearer)
            }
            GrantType::TokenExchange => {
                token_exchange::ExchangeRequest::parse(params).map(Self::TokenExchange)
            }
            GrantType::Certificate => {
                certificate::CertificateRequest::parse(params).map(Self::Certificate)
            }
        }
    }

    pub fn grant_type(&self) -> GrantType {
        match self {
            Self::AuthorizationCode(_) => GrantType::AuthorizationCode,
            Self::RefreshToken(_) => GrantType::RefreshToken,
            Self::ClientCredentials(_) => GrantType::ClientCredentials,
            Self::DeviceCode(_) => GrantType::DeviceCode,
            Self::Password(_) => GrantType::Password,
            Self::JwtBearer(_) => GrantType::JwtBearer,
            Self::TokenExchange(_) => GrantType::TokenExchange,
            Self::Certificate(_) => GrantType::Certificate,
        }
    }
}

impl Provider {
    /// A token request read: parse, authenticate the client, check that the client may
    /// use the grant type (`unauthorized_client`, RFC 6749 §5.2). The grant itself runs in
    /// [`Provider::grant`], or for `password` in [`crate::accounts::Accounts::token`],
    /// which throttles and audits the check like the sign-in page.
    pub async fn token_request(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
    ) -> Result<(Client, TokenRequest)> {
        reject_repeated(params)?;
        let request = TokenRequest::parse(params)?;
        let client = self.authenticate_client(credentials, routes::TOKEN).await?;
        allow_grant(&client, request.grant_type())?;
        Ok((client, request))
    }

    /// Answers a token request whose grant is not `password` (which needs the account
    /// services): [`Provider::token_request`], the DPoP proof if any
    /// ([`Provider::dpop_binding`]), then [`Provider::grant`].
    pub async fn token(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
        dpop: Option<&str>,
    ) -> Result<Issued> {
        let (client, request) = self.token_request(credentials, params).await?;
        let jkt = self.dpop_binding(&client, dpop).await?;
        self.grant(&client, request, jkt.as_deref()).await
    }

    /// The key the tokens of this request are bound to: the thumbprint of a valid DPoP
    /// proof (RFC 9449 §5), none without a proof, `invalid_request` without one when the
    /// client registered `dpop_bound_access_tokens` (§5.2).
    pub async fn dpop_binding(
        &self,
        client: &Client,
        dpop: Option<&str>,
    ) -> Result<Option<String>> {
        let Some(proof) = dpop else {
            if client.requires_dpop() {
                return Err(Error::DpopProofRequired);
            }
            return Ok(None);
        };
        let presented = crate::dpop::Presented {
            proof,
            method: "POST",
            route: routes::TOKEN,
            access_token: None,
        };
        self.check_dpop_proof(presented).await.map(Some)
    }

    /// Runs a grant other than `password` for an authenticated client; `jkt` binds the
    /// tokens to a DPoP key.
    pub async fn grant(
        &self,
        client: &Client,
        request: TokenRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        match request {
            TokenRequest::AuthorizationCode(request) => {
                self.exchange_code(client, request, jkt).await
            }
            TokenRequest::RefreshToken(request) => self.refresh(client, request, jkt).await,
            TokenRequest::ClientCredentials(request) => {
                self.client_credentials(client, request, jkt).await
            }
            TokenRequest::DeviceCode(request) => {
                self.redeem_device_code(client, request, jkt).await
            }
            TokenRequest::Password(_) => Err(Error::Internal(
                "the password grant runs through Accounts::token".into(),
            )),
            TokenRequest::JwtBearer(request) => self.jwt_bearer(client, request, jkt).await,
            TokenRequest::TokenExchange(request) => self.exchange_token(client, request, jkt).await,
            TokenRequest::Certificate(request) => {
                self.certificate_grant(client, request, jkt).await
            }
        }
    }
}

impl Provider {
    /// The grant (unless revoked) and the account that authorized it (unless disabled or
    /// gone), in one read.
    pub(crate) async fn live_grant_and_account(&self, grant_id: &str) -> Result<(Grant, Account)> {
        match self.store.get_grant_with_account(grant_id).await? {
            Some((grant, account)) if grant.revoked_at.is_none() => match account {
                Some(account) if !account.disabled && grant.account_id.is_some() => {
                    Ok((grant, account))
                }
                _ => Err(Error::AccountUnavailable),
            },
            _ => Err(Error::GrantRevoked),
        }
    }
}

/// Every client needs the grant registered; product credentials otherwise only
/// introspect, or exchange tokens when the operator enabled that (RFC 8693).
pub(crate) fn allow_grant(client: &Client, grant: GrantType) -> Result<()> {
    let product_may = client.product.is_none() || grant == GrantType::TokenExchange;
    if !product_may || !client.allows_grant(grant) {
        return Err(Error::GrantNotAllowed(grant.as_str()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_grant_type_is_invalid_request() {
        let error = TokenRequest::parse(&Params::of(&[("code", "x")])).expect_err("refused");
        assert!(matches!(error, Error::MissingParameter("grant_type")));
    }

    #[test]
    fn unknown_and_unserved_grant_types_are_unsupported() {
        for grant in ["implicit", "urn:ietf:params:oauth:grant-type:saml2-bearer"] {
            let error =
                TokenRequest::parse(&Params::of(&[("grant_type", grant)])).expect_err("refused");
            assert!(matches!(error, Error::UnsupportedGrantType(_)), "{grant}");
        }
    }

    #[test]
    fn parses_each_grant() {
        let p = Params::of(&[
            ("grant_type", "client_credentials"),
            ("scope", "extern.api"),
        ]);
        assert_eq!(
            TokenRequest::parse(&p).expect("parses").grant_type(),
            GrantType::ClientCredentials
        );
        let p = Params::of(&[("grant_type", "refresh_token"), ("refresh_token", "r")]);
        assert_eq!(
            TokenRequest::parse(&p).expect("parses").grant_type(),
            GrantType::RefreshToken
        );
        let p = Params::of(&[("grant_type", "authorization_code"), ("code", "c")]);
        assert_eq!(
            TokenRequest::parse(&p).expect("parses").grant_type(),
            GrantType::AuthorizationCode
        );
    }
}
