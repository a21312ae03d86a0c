//! The provider metadata document (OpenID Connect Discovery 1.0 §3, RFC 8414 §2), built
//! from the same route constants the router serves, listing only what is implemented.

use crate::authorize::{ACR_MFA, ACR_PASSWORD, Prompt, ResponseMode};
use crate::error::{Error, Result};
use crate::jose::Alg;
use crate::model::AuthMethod;
use crate::model::Product;
use crate::provider::Provider;
use propusk_types::discovery::ProviderMetadata;
use propusk_types::routes;
use propusk_types::scope::STANDARD_SCOPES;
use std::sync::Arc;

/// Grant types the token endpoint accepts (each still enabled per client).
pub const GRANT_TYPES_SUPPORTED: [&str; 8] = [
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "urn:ietf:params:oauth:grant-type:device_code",
    "password",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "certificate",
];

/// Claims the provider can release (OIDC Core §5.1 plus protocol claims).
pub const CLAIMS_SUPPORTED: [&str; 33] = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "sid",
    "at_hash",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "inn",
    "inn_le",
    "ogrn",
    "ogrnip",
    "snils",
];

impl Provider {
    pub async fn metadata(&self) -> Result<ProviderMetadata> {
        let products = self.store.list_products().await?;
        Ok(self.metadata_for(product_scopes(products)))
    }

    /// The metadata serialized, built once per set of product scopes.
    pub async fn metadata_json(&self) -> Result<Arc<str>> {
        let scopes = product_scopes(self.store.list_products().await?);
        if let Some(json) = self.cache.discovery(&scopes) {
            return Ok(json);
        }
        let json: Arc<str> = serde_json::to_string(&self.metadata_for(scopes.clone()))
            .map_err(|e| Error::Internal(format!("serializing the discovery document: {e}")))?
            .into();
        self.cache.put_discovery(scopes, json.clone());
        Ok(json)
    }

    fn metadata_for(&self, product_scopes: Vec<String>) -> ProviderMetadata {
        let url = |route: &str| self.config.url(route);
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let algs: Vec<String> = Alg::ALL.iter().map(|a| a.as_str().to_owned()).collect();
        let mtls_url = self.mtls_url.get();
        let auth_methods: Vec<String> = AuthMethod::ALL
            .iter()
            .filter(|m| mtls_url.is_some() || !is_mtls_method(**m))
            .map(|m| m.as_str().to_owned())
            .collect();
        let confidential_methods: Vec<String> = auth_methods
            .iter()
            .filter(|m| *m != "none")
            .cloned()
            .collect();
        let mut scopes = strings(&STANDARD_SCOPES);
        scopes.extend(product_scopes);
        scopes.dedup();
        ProviderMetadata {
            issuer: self.config.issuer.clone(),
            authorization_endpoint: url(routes::AUTHORIZE),
            token_endpoint: url(routes::TOKEN),
            userinfo_endpoint: url(routes::USERINFO),
            jwks_uri: url(routes::JWKS),
            introspection_endpoint: Some(url(routes::INTROSPECT)),
            revocation_endpoint: Some(url(routes::REVOCATION)),
            end_session_endpoint: Some(url(routes::END_SESSION)),
            device_authorization_endpoint: Some(url(routes::DEVICE_AUTHORIZATION)),
            pushed_authorization_request_endpoint: Some(url(routes::PAR)),
            registration_endpoint: Some(url(routes::REGISTRATION)),
            scopes_supported: scopes,
            response_types_supported: strings(&["code"]),
            response_modes_supported: strings(&ResponseMode::SUPPORTED),
            grant_types_supported: strings(&GRANT_TYPES_SUPPORTED),
            subject_types_supported: strings(&["public", "pairwise"]),
            id_token_signing_alg_values_supported: algs.clone(),
            userinfo_signing_alg_values_supported: Vec::new(),
            token_endpoint_auth_methods_supported: auth_methods.clone(),
            token_endpoint_auth_signing_alg_values_supported: algs.clone(),
            introspection_endpoint_auth_methods_supported: confidential_methods,
            introspection_endpoint_auth_signing_alg_values_supported: algs.clone(),
            revocation_endpoint_auth_methods_supported: auth_methods,
            revocation_endpoint_auth_signing_alg_values_supported: algs,
            code_challenge_methods_supported: strings(&["S256"]),
            claims_supported: strings(&CLAIMS_SUPPORTED),
            claims_parameter_supported: true,
            request_parameter_supported: true,
            request_uri_parameter_supported: false,
            request_object_signing_alg_values_supported: Alg::ALL
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect(),
            require_signed_request_object: self
                .config
                .require_signed_request_object
                .then_some(true),
            require_pushed_authorization_requests: self.config.require_par,
            dpop_signing_alg_values_supported: crate::dpop::PROOF_ALGS
                .iter()
                .map(|alg| alg.as_str().to_owned())
                .collect(),
            authorization_response_iss_parameter_supported: true,
            prompt_values_supported: strings(&Prompt::SUPPORTED),
            ui_locales_supported: strings(&["ru", "en"]),
            claims_locales_supported: strings(&["ru", "en"]),
            acr_values_supported: strings(&[ACR_PASSWORD, ACR_MFA]),
            backchannel_logout_supported: Some(true),
            backchannel_logout_session_supported: Some(true),
            frontchannel_logout_supported: Some(true),
            frontchannel_logout_session_supported: Some(true),
            tls_client_certificate_bound_access_tokens: mtls_url.map(|_| true),
            mtls_endpoint_aliases: mtls_url.map(|base| mtls_aliases(base)),
        }
    }
}

fn is_mtls_method(method: AuthMethod) -> bool {
    matches!(
        method,
        AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth
    )
}

/// RFC 8705 §5: the endpoints a client reaches with its certificate, on the listener.
fn mtls_aliases(base: &str) -> std::collections::BTreeMap<String, String> {
    let base = base.trim_end_matches('/');
    [
        ("token_endpoint", routes::TOKEN),
        ("userinfo_endpoint", routes::USERINFO),
        ("introspection_endpoint", routes::INTROSPECT),
        ("revocation_endpoint", routes::REVOCATION),
        ("pushed_authorization_request_endpoint", routes::PAR),
    ]
    .into_iter()
    .map(|(name, route)| (name.to_owned(), format!("{base}{route}")))
    .collect()
}

fn product_scopes(products: Vec<Product>) -> Vec<String> {
    products
        .into_iter()
        .flat_map(|p| p.scopes.into_iter().map(|s| s.name))
        .collect()
}
