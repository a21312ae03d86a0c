//! Client metadata as a client (or its developer) states it, and the one validator that
//! turns it into a registrable client: dynamic registration (RFC 7591 §2, RFC 7592 §2.2),
//! the integrator cabinet and the admin CLI all go through [`ClientMetadata::validate`].
//!
//! The fields are those of RFC 7591 §2 and OpenID Connect Dynamic Client Registration 1.0
//! §2, with the logout URIs of OIDC RP-Initiated (§3.1), Front-Channel (§2) and
//! Back-Channel (§2.2) Logout, plus Propusk's lifetime fields. Enumerated values arrive
//! as text, so an unknown value is answered with its RFC 7591 §3.2.2 error rather than a
//! parse failure. Errors name the field and carry `invalid_redirect_uri` or
//! `invalid_client_metadata`; descriptions are plain ASCII (RFC 6749 §5.2).

use super::redirect_uri;
use super::{
    ApplicationType, AuthMethod, Client, ClientKind, GrantType, Lifetimes, SubjectType,
    TlsClientName,
};
use crate::clock::Timestamp;
use crate::jose::Alg;
use propusk_types::error::ErrorCode;
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;
use serde::{Deserialize, Serialize};

/// The metadata of one client as received or as shown back (RFC 7591 §2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientMetadata {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redirect_uris: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tos_uri: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// Space-separated scopes the client may ask for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// A JWK set given by value; kept as JSON so that private members can be refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector_identifier_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_signed_response_alg: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frontchannel_logout_uri: Option<String>,
    /// Lifetimes in seconds, each within [`MetadataLimits::max_lifetimes`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_lifetime: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_lifetime: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_lifetime: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_lifetime: Option<i64>,
    /// RFC 9126 §6: authorization requests only through PAR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_pushed_authorization_requests: Option<bool>,
    /// OIDC Registration §2: the JWS alg of the client's request objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_object_signing_alg: Option<String>,
    /// RFC 9101 §10.5: authorization requests only as signed request objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_signed_request_object: Option<bool>,
    /// The weakest `acr` the client accepts (one of `acr_values_supported`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_acr: Option<String>,
    /// RFC 9449 §5.2: access tokens only DPoP-bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpop_bound_access_tokens: Option<bool>,
    /// The client's security profile: `fapi2` for the FAPI 2.0 Security Profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// RFC 8705 §2.1.2: the name a `tls_client_auth` certificate carries (one of five).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_subject_dn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_dns: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_auth_san_email: Option<String>,
    /// RFC 8705 §3.4: access tokens bound to the client's certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
}

/// What the operator allows a client to have.
#[derive(Clone, Debug, PartialEq)]
pub struct MetadataLimits {
    /// Grant types a client may register.
    pub grant_types: Vec<GrantType>,
    /// Upper bounds of the lifetimes a client may ask for.
    pub max_lifetimes: Lifetimes,
    /// `http` on a loopback host is accepted for `jwks_uri` (tests of the fetcher only).
    pub loopback_jwks_uri: bool,
}

impl Default for MetadataLimits {
    /// Every grant type; code 10 min, access and ID tokens one day, refresh tokens one
    /// year, device codes 30 min.
    fn default() -> Self {
        Self {
            grant_types: GrantType::ALL.to_vec(),
            max_lifetimes: Lifetimes {
                code: 600,
                access_token: 24 * 3600,
                id_token: 24 * 3600,
                refresh_token: 365 * 24 * 3600,
                device_code: 1800,
            },
            loopback_jwks_uri: false,
        }
    }
}

/// Metadata that passed every check, in the model's types.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidClientMetadata {
    pub name: Option<String>,
    pub kind: ClientKind,
    pub application_type: ApplicationType,
    pub auth_method: AuthMethod,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<GrantType>,
    pub scope: Option<Scope>,
    pub jwks: Option<JwkSet>,
    pub jwks_uri: Option<String>,
    pub subject_type: SubjectType,
    pub id_token_signing_alg: Option<Alg>,
    pub backchannel_logout_uri: Option<String>,
    pub frontchannel_logout_uri: Option<String>,
    pub lifetimes: Lifetimes,
    pub links: super::ClientLinks,
    pub require_pushed_authorization_requests: bool,
    pub request_object_signing_alg: Option<Alg>,
    pub require_signed_request_object: bool,
    pub minimum_acr: Option<String>,
    pub dpop_bound_access_tokens: bool,
    pub profile: super::ClientProfile,
    pub tls_client_auth: Option<TlsClientName>,
    pub tls_client_certificate_bound_access_tokens: bool,
}

/// Why metadata was refused (RFC 7591 §3.2.2): the wire code, the field at fault and a
/// description safe to show to the client's developer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {description}")]
pub struct MetadataError {
    pub code: ErrorCode,
    pub field: &'static str,
    pub description: String,
}

impl MetadataError {
    fn metadata(field: &'static str, description: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::InvalidClientMetadata,
            field,
            description: description.into(),
        }
    }

    fn redirect(field: &'static str, error: redirect_uri::InvalidRedirectUri) -> Self {
        Self {
            code: ErrorCode::InvalidRedirectUri,
            field,
            description: error.to_string(),
        }
    }
}

type Checked<T> = Result<T, MetadataError>;

impl ClientMetadata {
    /// Checks every field against the RFCs and the operator's `limits`.
    pub fn validate(&self, limits: &MetadataLimits) -> Checked<ValidClientMetadata> {
        let application_type = application_type(self.application_type.as_deref())?;
        let grant_types = grant_types(self.grant_types.as_deref(), limits)?;
        response_types(self.response_types.as_deref(), &grant_types)?;
        let redirect_uris = redirects("redirect_uris", &self.redirect_uris, application_type)?;
        if grant_types.contains(&GrantType::AuthorizationCode) && redirect_uris.is_empty() {
            return Err(MetadataError {
                code: ErrorCode::InvalidRedirectUri,
                field: "redirect_uris",
                description: "the authorization_code grant needs at least one redirect URI".into(),
            });
        }
        let post_logout_redirect_uris = redirects(
            "post_logout_redirect_uris",
            &self.post_logout_redirect_uris,
            application_type,
        )?;
        let (kind, auth_method) = authentication(self, application_type, &grant_types)?;
        let (jwks, jwks_uri) = keys(self, auth_method, limits)?;
        let tls_client_auth = tls_client_name(self, auth_method)?;
        let subject_type = subject_type(self, &redirect_uris)?;
        let profile = profile(self, auth_method)?;
        Ok(ValidClientMetadata {
            name: name(self.client_name.as_deref())?,
            kind,
            application_type,
            auth_method,
            redirect_uris,
            post_logout_redirect_uris,
            grant_types,
            scope: scope(self.scope.as_deref())?,
            jwks,
            jwks_uri,
            subject_type,
            id_token_signing_alg: signing_alg(self.id_token_signed_response_alg.as_deref())?,
            backchannel_logout_uri: logout_uri(
                "backchannel_logout_uri",
                self.backchannel_logout_uri.as_deref(),
            )?,
            frontchannel_logout_uri: logout_uri(
                "frontchannel_logout_uri",
                self.frontchannel_logout_uri.as_deref(),
            )?,
            lifetimes: lifetimes(self, &limits.max_lifetimes)?,
            links: super::ClientLinks {
                client_uri: https_uri("client_uri", self.client_uri.as_deref())?,
                logo_uri: https_uri("logo_uri", self.logo_uri.as_deref())?,
                policy_uri: https_uri("policy_uri", self.policy_uri.as_deref())?,
                tos_uri: https_uri("tos_uri", self.tos_uri.as_deref())?,
                contacts: contacts(&self.contacts)?,
            },
            require_pushed_authorization_requests: self
                .require_pushed_authorization_requests
                .unwrap_or(false),
            request_object_signing_alg: alg(
                "request_object_signing_alg",
                self.request_object_signing_alg.as_deref(),
            )?,
            require_signed_request_object: self.require_signed_request_object.unwrap_or(false),
            minimum_acr: minimum_acr(self.minimum_acr.as_deref())?,
            dpop_bound_access_tokens: self.dpop_bound_access_tokens.unwrap_or(false),
            profile,
            tls_client_auth,
            tls_client_certificate_bound_access_tokens: self
                .tls_client_certificate_bound_access_tokens
                .unwrap_or(false),
        })
    }

    /// The metadata of a registered client, as RFC 7592 §3 reads it back.
    pub fn of_client(client: &Client) -> Self {
        let links = &client.links;
        let lifetimes = client.lifetimes;
        Self {
            redirect_uris: client.redirect_uris.clone(),
            token_endpoint_auth_method: Some(client.auth_method.as_str().to_owned()),
            grant_types: Some(
                client
                    .grant_types
                    .iter()
                    .map(|g| g.as_str().to_owned())
                    .collect(),
            ),
            response_types: Some(if client.allows_grant(GrantType::AuthorizationCode) {
                vec!["code".to_owned()]
            } else {
                Vec::new()
            }),
            application_type: Some(client.application_type.as_str().to_owned()),
            client_name: Some(client.name.clone()),
            client_uri: links.client_uri.clone(),
            logo_uri: links.logo_uri.clone(),
            policy_uri: links.policy_uri.clone(),
            tos_uri: links.tos_uri.clone(),
            contacts: links.contacts.clone(),
            scope: Some(client.scope.to_string()),
            jwks_uri: client.jwks_uri.clone(),
            jwks: client
                .jwks
                .as_ref()
                .and_then(|jwks| serde_json::to_value(jwks).ok()),
            subject_type: Some(client.subject_type.as_str().to_owned()),
            sector_identifier_uri: None,
            id_token_signed_response_alg: client.id_token_signing_alg.clone(),
            post_logout_redirect_uris: client.post_logout_redirect_uris.clone(),
            backchannel_logout_uri: client.backchannel_logout_uri.clone(),
            frontchannel_logout_uri: client.frontchannel_logout_uri.clone(),
            code_lifetime: Some(lifetimes.code),
            access_token_lifetime: Some(lifetimes.access_token),
            id_token_lifetime: Some(lifetimes.id_token),
            refresh_token_lifetime: Some(lifetimes.refresh_token),
            require_pushed_authorization_requests: Some(
                client.require_pushed_authorization_requests,
            ),
            request_object_signing_alg: client.request_object_signing_alg.clone(),
            require_signed_request_object: Some(client.require_signed_request_object),
            minimum_acr: client.minimum_acr.clone(),
            dpop_bound_access_tokens: Some(client.dpop_bound_access_tokens),
            profile: (client.profile != super::ClientProfile::Default)
                .then(|| client.profile.as_str().to_owned()),
            tls_client_certificate_bound_access_tokens: Some(
                client.tls_client_certificate_bound_access_tokens,
            ),
            ..tls_names(client.tls_client_auth.as_ref())
        }
    }
}

impl ValidClientMetadata {
    /// A client record with this metadata. A missing name becomes the client id, a missing
    /// scope `default_scope`; consent is required and no extra CORS origin is allowed.
    pub fn into_client(self, id: &str, default_scope: &Scope, created_at: Timestamp) -> Client {
        Client {
            id: id.to_owned(),
            name: self.name.unwrap_or_else(|| id.to_owned()),
            kind: self.kind,
            application_type: self.application_type,
            redirect_uris: self.redirect_uris,
            post_logout_redirect_uris: self.post_logout_redirect_uris,
            allowed_origins: Vec::new(),
            grant_types: self.grant_types,
            scope: self.scope.unwrap_or_else(|| default_scope.clone()),
            auth_method: self.auth_method,
            jwks: self.jwks,
            jwks_uri: self.jwks_uri,
            consent_required: true,
            subject_type: self.subject_type,
            sector_identifier: None,
            suspended: false,
            lifetimes: self.lifetimes,
            id_token_signing_alg: self.id_token_signing_alg.map(|a| a.as_str().to_owned()),
            backchannel_logout_uri: self.backchannel_logout_uri,
            frontchannel_logout_uri: self.frontchannel_logout_uri,
            product: None,
            links: self.links,
            require_pushed_authorization_requests: self.require_pushed_authorization_requests,
            request_object_signing_alg: self
                .request_object_signing_alg
                .map(|a| a.as_str().to_owned()),
            require_signed_request_object: self.require_signed_request_object,
            minimum_acr: self.minimum_acr,
            dpop_bound_access_tokens: self.dpop_bound_access_tokens,
            profile: self.profile,
            tls_client_auth: self.tls_client_auth,
            tls_client_certificate_bound_access_tokens: self
                .tls_client_certificate_bound_access_tokens,
            bound_certificate: None,
            created_at,
        }
    }
}

/// The name fields of a registered `tls_client_auth` name, the rest default.
fn tls_names(name: Option<&TlsClientName>) -> ClientMetadata {
    let mut metadata = ClientMetadata::default();
    match name.cloned() {
        Some(TlsClientName::SubjectDn(v)) => metadata.tls_client_auth_subject_dn = Some(v),
        Some(TlsClientName::SanDns(v)) => metadata.tls_client_auth_san_dns = Some(v),
        Some(TlsClientName::SanUri(v)) => metadata.tls_client_auth_san_uri = Some(v),
        Some(TlsClientName::SanIp(v)) => metadata.tls_client_auth_san_ip = Some(v),
        Some(TlsClientName::SanEmail(v)) => metadata.tls_client_auth_san_email = Some(v),
        None => {}
    }
    metadata
}

mod checks;

pub use checks::public_jwks;
use checks::*;

#[cfg(test)]
mod tests;

/// The profile named in `metadata`, and whether the rest of the metadata meets it. FAPI
/// 2.0 (§5.3.2.1, §5.4.1) asks for `private_key_jwt` or mutual TLS and ID tokens signed with PS256, ES256 or EdDSA; an unset
/// `id_token_signed_response_alg` would mean RS256, so it must be given.
fn profile(metadata: &ClientMetadata, auth_method: AuthMethod) -> Checked<super::ClientProfile> {
    use super::ClientProfile;
    let Some(text) = metadata.profile.as_deref() else {
        return Ok(ClientProfile::Default);
    };
    let profile = ClientProfile::parse(text).ok_or_else(|| {
        MetadataError::metadata("profile", "expected `fapi2` or `default`".to_owned())
    })?;
    if profile == ClientProfile::Fapi2 {
        let strong = matches!(
            auth_method,
            AuthMethod::PrivateKeyJwt
                | AuthMethod::TlsClientAuth
                | AuthMethod::SelfSignedTlsClientAuth
        );
        if !strong {
            return Err(MetadataError::metadata(
                "profile",
                "the fapi2 profile needs token_endpoint_auth_method private_key_jwt, \
                 tls_client_auth or self_signed_tls_client_auth"
                    .to_owned(),
            ));
        }
        let alg = metadata.id_token_signed_response_alg.as_deref();
        if !matches!(alg, Some("PS256" | "ES256" | "EdDSA")) {
            return Err(MetadataError::metadata(
                "profile",
                "the fapi2 profile needs id_token_signed_response_alg PS256, ES256 or EdDSA"
                    .to_owned(),
            ));
        }
    }
    Ok(profile)
}
