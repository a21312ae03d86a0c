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
use super::{ApplicationType, AuthMethod, Client, ClientKind, GrantType, Lifetimes, SubjectType};
use crate::clock::Timestamp;
use crate::jose::Alg;
use propusk_types::error::ErrorCode;
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;
use serde::{Deserialize, Serialize};
use url::{Host, Url};

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

/// JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4;
/// RFC 8037 §2).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// The response types the authorization endpoint serves.
const RESPONSE_TYPES: [&str; 1] = ["code"];

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
        let subject_type = subject_type(self, &redirect_uris)?;
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
            subject_type: Some(
                match client.subject_type {
                    SubjectType::Public => "public",
                    SubjectType::Pairwise => "pairwise",
                }
                .to_owned(),
            ),
            sector_identifier_uri: None,
            id_token_signed_response_alg: client.id_token_signing_alg.clone(),
            post_logout_redirect_uris: client.post_logout_redirect_uris.clone(),
            backchannel_logout_uri: client.backchannel_logout_uri.clone(),
            frontchannel_logout_uri: client.frontchannel_logout_uri.clone(),
            code_lifetime: Some(lifetimes.code),
            access_token_lifetime: Some(lifetimes.access_token),
            id_token_lifetime: Some(lifetimes.id_token),
            refresh_token_lifetime: Some(lifetimes.refresh_token),
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
            lifetimes: self.lifetimes,
            id_token_signing_alg: self.id_token_signing_alg.map(|a| a.as_str().to_owned()),
            backchannel_logout_uri: self.backchannel_logout_uri,
            frontchannel_logout_uri: self.frontchannel_logout_uri,
            product: None,
            links: self.links,
            created_at,
        }
    }
}

/// `web` unless stated (OIDC Dynamic Client Registration 1.0 §2).
fn application_type(text: Option<&str>) -> Checked<ApplicationType> {
    match text {
        None | Some("web") => Ok(ApplicationType::Web),
        Some("native") => Ok(ApplicationType::Native),
        Some(other) => Err(MetadataError::metadata(
            "application_type",
            format!("`{}` is unknown; use web or native", clip(other)),
        )),
    }
}

/// Known, allowed grant types without repeats; `authorization_code` when absent
/// (RFC 7591 §2).
fn grant_types(texts: Option<&[String]>, limits: &MetadataLimits) -> Checked<Vec<GrantType>> {
    let Some(texts) = texts else {
        return Ok(vec![GrantType::AuthorizationCode]);
    };
    let mut grants = Vec::new();
    for text in texts {
        let grant = GrantType::parse(text)
            .filter(|g| limits.grant_types.contains(g))
            .ok_or_else(|| {
                let known: Vec<&str> = limits.grant_types.iter().map(|g| g.as_str()).collect();
                MetadataError::metadata(
                    "grant_types",
                    format!(
                        "`{}` is unknown or not allowed; use {}",
                        clip(text),
                        known.join(", ")
                    ),
                )
            })?;
        if !grants.contains(&grant) {
            grants.push(grant);
        }
    }
    if grants.is_empty() {
        return Err(MetadataError::metadata(
            "grant_types",
            "at least one grant type is needed",
        ));
    }
    Ok(grants)
}

/// Only `code` is served, and it goes with the `authorization_code` grant both ways
/// (RFC 7591 §2.1).
fn response_types(texts: Option<&[String]>, grants: &[GrantType]) -> Checked<()> {
    let has_code_grant = grants.contains(&GrantType::AuthorizationCode);
    let Some(texts) = texts else {
        return Ok(());
    };
    if let Some(bad) = texts.iter().find(|t| !RESPONSE_TYPES.contains(&t.as_str())) {
        return Err(MetadataError::metadata(
            "response_types",
            format!("`{}` is not supported; use code", clip(bad)),
        ));
    }
    if has_code_grant != texts.iter().any(|t| t == "code") {
        return Err(MetadataError::metadata(
            "response_types",
            "the code response type and the authorization_code grant go together",
        ));
    }
    Ok(())
}

/// Redirect URIs under the rules of the application type, without repeats.
fn redirects(
    field: &'static str,
    texts: &[String],
    application_type: ApplicationType,
) -> Checked<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        redirect_uri::validate(text, application_type)
            .map_err(|e| MetadataError::redirect(field, e))?;
        if !out.contains(text) {
            out.push(text.clone());
        }
    }
    Ok(out)
}

/// The auth method and with it the kind: `client_secret_basic` by default (RFC 7591 §2),
/// `none` for a native application that has no keys (RFC 8252 §8.4). A public client
/// cannot use `client_credentials` (RFC 6749 §4.4).
fn authentication(
    metadata: &ClientMetadata,
    application_type: ApplicationType,
    grants: &[GrantType],
) -> Checked<(ClientKind, AuthMethod)> {
    let method = match metadata.token_endpoint_auth_method.as_deref() {
        Some(text) => AuthMethod::parse(text).ok_or_else(|| {
            let known: Vec<&str> = AuthMethod::ALL.iter().map(|m| m.as_str()).collect();
            MetadataError::metadata(
                "token_endpoint_auth_method",
                format!("`{}` is unknown; use {}", clip(text), known.join(", ")),
            )
        })?,
        None if application_type == ApplicationType::Native => AuthMethod::None,
        None => AuthMethod::ClientSecretBasic,
    };
    if method != AuthMethod::None {
        return Ok((ClientKind::Confidential, method));
    }
    if grants.contains(&GrantType::ClientCredentials) {
        return Err(MetadataError::metadata(
            "grant_types",
            "a public client (token_endpoint_auth_method none) cannot use client_credentials",
        ));
    }
    Ok((ClientKind::Public, AuthMethod::None))
}

/// `jwks` or `jwks_uri`, never both (RFC 7591 §2); keys only for `private_key_jwt`,
/// which needs one of them (RFC 7523 §2.2); public keys only.
fn keys(
    metadata: &ClientMetadata,
    method: AuthMethod,
    limits: &MetadataLimits,
) -> Checked<(Option<JwkSet>, Option<String>)> {
    let uri = match metadata.jwks_uri.as_deref() {
        Some(text) if limits.loopback_jwks_uri && is_loopback_http(text) => Some(text.to_owned()),
        text => https_uri("jwks_uri", text)?,
    };
    let jwks = metadata.jwks.as_ref().map(public_jwks).transpose()?;
    match (&jwks, &uri, method) {
        (Some(_), Some(_), _) => Err(MetadataError::metadata(
            "jwks",
            "jwks and jwks_uri must not both be present",
        )),
        (None, None, AuthMethod::PrivateKeyJwt) => Err(MetadataError::metadata(
            "jwks",
            "private_key_jwt needs jwks or jwks_uri",
        )),
        (Some(_), _, m) | (_, Some(_), m) if m != AuthMethod::PrivateKeyJwt => {
            Err(MetadataError::metadata(
                "jwks",
                "keys are registered only with token_endpoint_auth_method private_key_jwt",
            ))
        }
        _ => Ok((jwks, uri)),
    }
}

/// A JWK set of public RSA, EC or OKP keys; private members are refused.
pub fn public_jwks(value: &serde_json::Value) -> Checked<JwkSet> {
    let fail = |text: String| MetadataError::metadata("jwks", text);
    let keys = value
        .get("keys")
        .and_then(|k| k.as_array())
        .filter(|k| !k.is_empty())
        .ok_or_else(|| fail("must be a JWK set with a non-empty `keys` array".into()))?;
    for (index, key) in keys.iter().enumerate() {
        let Some(members) = key.as_object() else {
            return Err(fail(format!("key {index} is not a JSON object")));
        };
        if let Some(private) = PRIVATE_MEMBERS.iter().find(|m| members.contains_key(**m)) {
            return Err(fail(format!(
                "key {index} contains the private member `{private}`; register public keys only"
            )));
        }
        let kty = members
            .get("kty")
            .and_then(|k| k.as_str())
            .unwrap_or_default();
        if !matches!(kty, "RSA" | "EC" | "OKP") {
            return Err(fail(format!(
                "key {index} has kty `{}`; expected RSA, EC or OKP",
                clip(kty)
            )));
        }
    }
    serde_json::from_value(value.clone()).map_err(|e| fail(format!("is not a JWK set: {e}")))
}

/// `public` unless stated. Pairwise subjects are derived from the one host that all
/// redirect URIs share (OIDC Core §8.1); a `sector_identifier_uri` is not accepted.
fn subject_type(metadata: &ClientMetadata, redirect_uris: &[String]) -> Checked<SubjectType> {
    if metadata.sector_identifier_uri.is_some() {
        return Err(MetadataError::metadata(
            "sector_identifier_uri",
            "is not supported; register redirect URIs on one host instead",
        ));
    }
    match metadata.subject_type.as_deref() {
        None | Some("public") => Ok(SubjectType::Public),
        Some("pairwise") => {
            let mut hosts = redirect_uris
                .iter()
                .filter_map(|uri| Url::parse(uri).ok())
                .map(|url| url.host_str().map(str::to_owned));
            let first = hosts.next().flatten();
            if hosts.any(|host| host != first) {
                return Err(MetadataError::metadata(
                    "subject_type",
                    "a pairwise client registers redirect URIs on one host",
                ));
            }
            Ok(SubjectType::Pairwise)
        }
        Some(other) => Err(MetadataError::metadata(
            "subject_type",
            format!("`{}` is unknown; use public or pairwise", clip(other)),
        )),
    }
}

fn signing_alg(text: Option<&str>) -> Checked<Option<Alg>> {
    text.map(|text| {
        text.parse::<Alg>().map_err(|_| {
            let known: Vec<&str> = Alg::ALL.iter().map(|a| a.as_str()).collect();
            MetadataError::metadata(
                "id_token_signed_response_alg",
                format!(
                    "`{}` is not supported; use {}",
                    clip(text),
                    known.join(", ")
                ),
            )
        })
    })
    .transpose()
}

fn name(text: Option<&str>) -> Checked<Option<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control)
    {
        return Err(MetadataError::metadata(
            "client_name",
            "must be 1 to 200 printable characters",
        ));
    }
    Ok(Some(trimmed.to_owned()))
}

fn scope(text: Option<&str>) -> Checked<Option<Scope>> {
    text.map(|text| {
        Scope::parse(text)
            .map_err(|_| MetadataError::metadata("scope", "is not a space-separated scope list"))
    })
    .transpose()
}

/// Logout URIs notified by the provider: `https`, or `http` on a loopback host; never a
/// fragment or a script scheme (OIDC Back-Channel Logout §2.2, Front-Channel Logout §2).
fn logout_uri(field: &'static str, text: Option<&str>) -> Checked<Option<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    redirect_uri::validate(text, ApplicationType::Web)
        .map_err(|e| MetadataError::metadata(field, e.to_string()))?;
    Ok(Some(text.to_owned()))
}

/// A URI the provider shows or fetches: absolute `https` with a host and no fragment.
fn https_uri(field: &'static str, text: Option<&str>) -> Checked<Option<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    let url = Url::parse(text)
        .ok()
        .filter(|url| url.scheme() == "https" && url.host().is_some() && url.fragment().is_none());
    match url {
        Some(_) => Ok(Some(text.to_owned())),
        None => Err(MetadataError::metadata(
            field,
            format!(
                "`{}` must be an absolute https URI without fragment",
                clip(text)
            ),
        )),
    }
}

fn is_loopback_http(text: &str) -> bool {
    Url::parse(text).is_ok_and(|url| {
        url.scheme() == "http"
            && match url.host() {
                Some(Host::Ipv4(ip)) => ip.is_loopback(),
                Some(Host::Ipv6(ip)) => ip.is_loopback(),
                _ => false,
            }
    })
}

fn contacts(texts: &[String]) -> Checked<Vec<String>> {
    if texts.len() > 20
        || texts
            .iter()
            .any(|t| t.is_empty() || t.len() > 254 || t.chars().any(char::is_control))
    {
        return Err(MetadataError::metadata(
            "contacts",
            "at most 20 contacts of up to 254 printable characters",
        ));
    }
    Ok(texts.to_vec())
}

/// Each stated lifetime positive and within the operator's bound; the defaults otherwise.
fn lifetimes(metadata: &ClientMetadata, max: &Lifetimes) -> Checked<Lifetimes> {
    let mut out = Lifetimes::default();
    for (field, value, bound, slot) in [
        (
            "code_lifetime",
            metadata.code_lifetime,
            max.code,
            &mut out.code,
        ),
        (
            "access_token_lifetime",
            metadata.access_token_lifetime,
            max.access_token,
            &mut out.access_token,
        ),
        (
            "id_token_lifetime",
            metadata.id_token_lifetime,
            max.id_token,
            &mut out.id_token,
        ),
        (
            "refresh_token_lifetime",
            metadata.refresh_token_lifetime,
            max.refresh_token,
            &mut out.refresh_token,
        ),
    ] {
        if let Some(seconds) = value {
            if seconds <= 0 || seconds > bound {
                return Err(MetadataError::metadata(
                    field,
                    format!("must be between 1 and {bound} seconds"),
                ));
            }
            *slot = seconds;
        }
    }
    Ok(out)
}

/// At most 100 characters of a value quoted back in a description.
fn clip(text: &str) -> String {
    text.chars()
        .take(100)
        .filter(|c| c.is_ascii() && !c.is_ascii_control() && *c != '"' && *c != '\\')
        .collect()
}

#[cfg(test)]
mod tests;
