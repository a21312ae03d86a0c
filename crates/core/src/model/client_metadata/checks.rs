//! The checks of [`ClientMetadata::validate`], one small function per field or rule,
//! each citing its spec: RFC 7591 §2 and §2.1, OIDC Dynamic Client Registration 1.0 §2,
//! RFC 8252 for native applications, RFC 7523 §2.2 for keys.

use super::{Checked, ClientMetadata, MetadataError, MetadataLimits};
use crate::jose::Alg;
use crate::model::redirect_uri;
use crate::model::{
    ApplicationType, AuthMethod, ClientKind, GrantType, Lifetimes, SubjectType, TlsClientName,
};
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;
use url::{Host, Url};

/// JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4;
/// RFC 8037 §2).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// The response types the authorization endpoint serves.
const RESPONSE_TYPES: [&str; 1] = ["code"];

/// `web` unless stated (OIDC Dynamic Client Registration 1.0 §2).
pub(super) fn application_type(text: Option<&str>) -> Checked<ApplicationType> {
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
pub(super) fn grant_types(
    texts: Option<&[String]>,
    limits: &MetadataLimits,
) -> Checked<Vec<GrantType>> {
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
pub(super) fn response_types(texts: Option<&[String]>, grants: &[GrantType]) -> Checked<()> {
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
pub(super) fn redirects(
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
pub(super) fn authentication(
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
pub(super) fn keys(
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
        (None, None, AuthMethod::SelfSignedTlsClientAuth) => Err(MetadataError::metadata(
            "jwks",
            "self_signed_tls_client_auth needs jwks or jwks_uri with the certificate's key",
        )),
        (Some(_), _, m) | (_, Some(_), m)
            if !matches!(
                m,
                AuthMethod::PrivateKeyJwt | AuthMethod::SelfSignedTlsClientAuth
            ) =>
        {
            Err(MetadataError::metadata(
                "jwks",
                "keys are registered only with token_endpoint_auth_method private_key_jwt \
                 or self_signed_tls_client_auth",
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
pub(super) fn subject_type(
    metadata: &ClientMetadata,
    redirect_uris: &[String],
) -> Checked<SubjectType> {
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

pub(super) fn signing_alg(text: Option<&str>) -> Checked<Option<Alg>> {
    alg("id_token_signed_response_alg", text)
}

/// A JWS alg named in metadata field `field`: one of [`Alg::ALL`] (never `none` or HMAC).
pub(super) fn alg(field: &'static str, text: Option<&str>) -> Checked<Option<Alg>> {
    text.map(|text| {
        text.parse::<Alg>().map_err(|_| {
            let known: Vec<&str> = Alg::ALL.iter().map(|a| a.as_str()).collect();
            MetadataError::metadata(
                field,
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

pub(super) fn name(text: Option<&str>) -> Checked<Option<String>> {
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

pub(super) fn scope(text: Option<&str>) -> Checked<Option<Scope>> {
    text.map(|text| {
        Scope::parse(text)
            .map_err(|_| MetadataError::metadata("scope", "is not a space-separated scope list"))
    })
    .transpose()
}

/// Logout URIs notified by the provider: `https`, or `http` on a loopback host; never a
/// fragment or a script scheme (OIDC Back-Channel Logout §2.2, Front-Channel Logout §2).
pub(super) fn logout_uri(field: &'static str, text: Option<&str>) -> Checked<Option<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    redirect_uri::validate(text, ApplicationType::Web)
        .map_err(|e| MetadataError::metadata(field, e.to_string()))?;
    Ok(Some(text.to_owned()))
}

/// A URI the provider shows or fetches: absolute `https` with a host and no fragment.
pub(super) fn https_uri(field: &'static str, text: Option<&str>) -> Checked<Option<String>> {
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

pub(super) fn is_loopback_http(text: &str) -> bool {
    Url::parse(text).is_ok_and(|url| {
        url.scheme() == "http"
            && match url.host() {
                Some(Host::Ipv4(ip)) => ip.is_loopback(),
                Some(Host::Ipv6(ip)) => ip.is_loopback(),
                _ => false,
            }
    })
}

pub(super) fn contacts(texts: &[String]) -> Checked<Vec<String>> {
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
pub(super) fn lifetimes(metadata: &ClientMetadata, max: &Lifetimes) -> Checked<Lifetimes> {
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
pub(super) fn clip(text: &str) -> String {
    text.chars()
        .take(100)
        .filter(|c| c.is_ascii() && !c.is_ascii_control() && *c != '"' && *c != '\\')
        .collect()
}

/// `minimum_acr`: one of the authentication context classes Propusk issues.
pub(super) fn minimum_acr(text: Option<&str>) -> Checked<Option<String>> {
    use crate::model::{ACR_MFA, ACR_PASSWORD};
    match text {
        None => Ok(None),
        Some(acr) if acr == ACR_PASSWORD || acr == ACR_MFA => Ok(Some(acr.to_owned())),
        Some(other) => Err(MetadataError::metadata(
            "minimum_acr",
            format!(
                "`{}` is unknown; use {ACR_PASSWORD} or {ACR_MFA}",
                clip(other)
            ),
        )),
    }
}

/// RFC 8705 §2.1.2: a `tls_client_auth` client registers exactly one of the five name
/// fields; other clients register none.
pub(super) fn tls_client_name(
    metadata: &ClientMetadata,
    method: AuthMethod,
) -> Checked<Option<TlsClientName>> {
    let given = [
        (
            metadata.tls_client_auth_subject_dn.as_deref(),
            TlsClientName::SubjectDn as fn(String) -> TlsClientName,
        ),
        (
            metadata.tls_client_auth_san_dns.as_deref(),
            TlsClientName::SanDns,
        ),
        (
            metadata.tls_client_auth_san_uri.as_deref(),
            TlsClientName::SanUri,
        ),
        (
            metadata.tls_client_auth_san_ip.as_deref(),
            TlsClientName::SanIp,
        ),
        (
            metadata.tls_client_auth_san_email.as_deref(),
            TlsClientName::SanEmail,
        ),
    ];
    let mut present = given
        .into_iter()
        .filter_map(|(value, make)| value.map(|v| (v.trim(), make)));
    let first = present.next();
    if present.next().is_some() {
        return Err(MetadataError::metadata(
            "tls_client_auth_subject_dn",
            "register exactly one of tls_client_auth_subject_dn, tls_client_auth_san_dns, \
             tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email",
        ));
    }
    match (first, method) {
        (Some((value, _)), AuthMethod::TlsClientAuth) if value.is_empty() || value.len() > 1024 => {
            Err(MetadataError::metadata(
                "tls_client_auth_subject_dn",
                "the certificate name must be 1 to 1024 characters",
            ))
        }
        (Some((value, make)), AuthMethod::TlsClientAuth) => Ok(Some(make(value.to_owned()))),
        (None, AuthMethod::TlsClientAuth) => Err(MetadataError::metadata(
            "tls_client_auth_subject_dn",
            "tls_client_auth needs one of tls_client_auth_subject_dn, tls_client_auth_san_dns, \
             tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email",
        )),
        (Some(_), _) => Err(MetadataError::metadata(
            "tls_client_auth_subject_dn",
            "certificate names are registered only with token_endpoint_auth_method \
             tls_client_auth",
        )),
        (None, _) => Ok(None),
    }
}
