//! Resource indicators ([RFC 8707](https://www.rfc-editor.org/rfc/rfc8707)): `resource`
//! names the product a token is for by its audience. Each value must be an absolute URI
//! without a fragment (§2) and name a registered product that owns one of the scopes at
//! stake; anything else is `invalid_target`. With resources the scope narrows to theirs,
//! plus the OpenID Connect scopes, so the access token's audience is exactly those
//! products (§2.2).

use crate::error::{Error, Result};
use crate::model::Product;
use crate::provider::Provider;
use crate::request::{Params, shorten};
use propusk_types::scope::{STANDARD_SCOPES, Scope};

/// The `resource` values of a request, each checked for form (§2); none is an empty list.
pub fn resources(params: &Params) -> Result<Vec<String>> {
    let mut found: Vec<String> = Vec::new();
    for value in params.all("resource") {
        if !is_absolute_uri(value) {
            return Err(Error::TargetNotAllowed(format!(
                "resource {} is not an absolute URI without a fragment",
                shorten(value)
            )));
        }
        if !found.iter().any(|f| f == value) {
            found.push(value.to_owned());
        }
    }
    Ok(found)
}

/// RFC 3986 §4.3: a scheme, a colon and something after it; §2 of RFC 8707 forbids the
/// fragment.
fn is_absolute_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_ok
        && !rest.is_empty()
        && !value.contains('#')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `scope` held to the named products: each resource must be a product owning one of
/// the scopes; the result keeps those products' scopes and the OpenID Connect ones.
/// Without resources the scope is unchanged.
pub fn narrow(scope: &Scope, resources: &[String], products: &[Product]) -> Result<Scope> {
    if resources.is_empty() {
        return Ok(scope.clone());
    }
    let mut targets: Vec<&Product> = Vec::with_capacity(resources.len());
    for resource in resources {
        let product = products
            .iter()
            .find(|p| &p.audience == resource)
            .filter(|p| scope.iter().any(|s| p.owns_scope(s)))
            .ok_or_else(|| Error::TargetNotAllowed(shorten(resource)))?;
        targets.push(product);
    }
    Ok(Scope::from_tokens(scope.iter().filter(|s| {
        STANDARD_SCOPES.contains(s) || targets.iter().any(|p| p.owns_scope(s))
    })))
}

impl Provider {
    /// At the token endpoint (§2.2): the scope of the token held to the resources the
    /// request names, each checked against the registered products.
    pub(crate) async fn scope_for_resources(
        &self,
        scope: &Scope,
        resources: &[String],
    ) -> Result<Scope> {
        if resources.is_empty() {
            return Ok(scope.clone());
        }
        let products = self.store.list_products().await?;
        narrow(scope, resources, &products)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProductScope, SubjectType, TokenFormat};

    fn product(audience: &str, scopes: &[&str]) -> Product {
        Product {
            audience: audience.into(),
            name: audience.into(),
            scopes: scopes
                .iter()
                .map(|s| ProductScope {
                    name: (*s).into(),
                    description_ru: None,
                    description_en: None,
                })
                .collect(),
            token_format: TokenFormat::Jwt,
            signing_alg: None,
            approval_required: false,
            subject_type: SubjectType::Public,
            created_at: 0,
        }
    }

    fn scope(text: &str) -> Scope {
        Scope::parse(text).expect("scope")
    }

    #[test]
    fn resource_must_be_an_absolute_uri_without_fragment() {
        let ok = Params::of(&[
            ("resource", "https://orders.example/"),
            ("resource", "urn:example:reports"),
            ("resource", "https://orders.example/"),
        ]);
        assert_eq!(
            resources(&ok).expect("valid"),
            ["https://orders.example/", "urn:example:reports"]
        );
        for bad in [
            "orders",
            "/relative",
            "https://orders.example/#frag",
            "1http://x",
            "https:",
            "https://a b",
        ] {
            assert!(
                matches!(
                    resources(&Params::of(&[("resource", bad)])),
                    Err(Error::TargetNotAllowed(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn narrowing_keeps_the_products_and_openid_scopes() {
        let products = [
            product("https://orders.example/", &["orders.read"]),
            product("https://reports.example/", &["reports.read"]),
        ];
        let asked = scope("openid profile orders.read reports.read");
        let narrowed =
            narrow(&asked, &["https://orders.example/".into()], &products).expect("allowed");
        assert_eq!(narrowed, scope("openid profile orders.read"));
        assert_eq!(narrow(&asked, &[], &products).expect("same"), asked);
    }

    #[test]
    fn unknown_or_unrequested_resource_is_invalid_target() {
        let products = [product("https://orders.example/", &["orders.read"])];
        for resource in ["https://nowhere.example/", "https://orders.example"] {
            assert!(matches!(
                narrow(&scope("openid orders.read"), &[resource.into()], &products),
                Err(Error::TargetNotAllowed(_))
            ));
        }
        assert!(matches!(
            narrow(
                &scope("openid profile"),
                &["https://orders.example/".into()],
                &products
            ),
            Err(Error::TargetNotAllowed(_))
        ));
    }
}
