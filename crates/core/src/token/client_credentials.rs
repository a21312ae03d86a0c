//! The `client_credentials` grant (RFC 6749 §4.4): a confidential client asks for a token
//! for itself (`sub` = client id). Only product scopes and the management API's scopes
//! (`propusk:admin`, `propusk:admin.read`) the client registered are granted; `openid` and `offline_access` are refused (`invalid_scope`), no refresh token
//! is issued (§4.4.3). The default scope is every product scope of the client.

use crate::error::{Error, Result};
use crate::model::{Client, Product};
use crate::provider::Provider;
use crate::request::Params;
use crate::scope::optional_scope;
use crate::token::Issued;
use propusk_types::scope::Scope;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsRequest {
    pub scope: Option<Scope>,
    /// RFC 8707 §2: the products the token is for.
    pub resources: Vec<String>,
}

impl CredentialsRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let scope = optional_scope(params)?;
        let resources = crate::resource::resources(params)?;
        Ok(Self { scope, resources })
    }
}

impl Provider {
    pub(crate) async fn client_credentials(
        &self,
        client: &Client,
        request: CredentialsRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        if client.is_public() {
            return Err(Error::GrantNotAllowed("client_credentials"));
        }
        let products = self.store.list_products().await?;
        let scope = granted_scope(client, request.scope, &products)?;
        let scope = crate::resource::narrow(&scope, &request.resources, &products)?;
        self.issue_client_token(client, &scope, &products, jkt)
            .await
    }
}

/// A product's scope, or one of the management API's, whose audience is this provider.
fn is_product_scope(products: &[Product], scope: &str) -> bool {
    products.iter().any(|p| p.owns_scope(scope)) || crate::scope::is_admin_scope(scope)
}

fn granted_scope(client: &Client, requested: Option<Scope>, products: &[Product]) -> Result<Scope> {
    let scope = match requested {
        None => Scope::from_tokens(
            client
                .scope
                .iter()
                .filter(|s| is_product_scope(products, s)),
        ),
        Some(requested) => {
            if let Some(refused) = requested
                .iter()
                .find(|s| !client.scope.contains(s) || !is_product_scope(products, s))
            {
                return Err(Error::ScopeNotAllowed(crate::request::shorten(refused)));
            }
            requested
        }
    };
    if scope.is_empty() {
        Err(Error::NoProductScope)
    } else {
        Ok(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClientBuilder, GrantType, ProductScope, TokenFormat};

    fn client(scope: &str) -> Client {
        ClientBuilder::confidential("svc")
            .name("svc")
            .redirect_uris(&[])
            .grants(&[GrantType::ClientCredentials])
            .scope(scope)
            .consent_required(false)
            .build()
    }

    fn products() -> Vec<Product> {
        vec![Product {
            audience: "extern.api".into(),
            name: "Extern".into(),
            scopes: vec![ProductScope {
                name: "extern.api".into(),
                description_ru: None,
                description_en: None,
            }],
            token_format: TokenFormat::Jwt,
            signing_alg: None,
            approval_required: false,
            subject_type: crate::model::SubjectType::Public,
            created_at: 0,
        }]
    }

    #[test]
    fn defaults_to_product_scopes_of_the_client() {
        let scope =
            granted_scope(&client("openid extern.api"), None, &products()).expect("granted");
        assert_eq!(scope.to_string(), "extern.api");
        let admin = client("extern.api propusk:admin.read");
        let asked = Scope::parse("propusk:admin.read").expect("scope");
        let granted = granted_scope(&admin, Some(asked), &products()).expect("granted");
        assert_eq!(granted.to_string(), "propusk:admin.read");
    }

    #[test]
    fn refuses_openid_and_unregistered_scopes() {
        let c = client("openid extern.api");
        for asked in ["openid", "offline_access extern.api", "other.api"] {
            let asked = Scope::parse(asked).expect("scope");
            assert!(matches!(
                granted_scope(&c, Some(asked), &products()),
                Err(Error::ScopeNotAllowed(_))
            ));
        }
        assert!(matches!(
            granted_scope(&client("openid"), None, &products()),
            Err(Error::NoProductScope)
        ));
    }
}
