//! Turns `admin client create` arguments into a checked [`Client`] and says which secret
//! it needs. Metadata follows RFC 7591 §2: redirect URIs absolute without fragment
//! (RFC 6749 §3.1.2) under the rules of the application type (`redirect_uri`), public
//! and native clients authenticate with `none` and use PKCE, and
//! `private_key_jwt` clients register public keys only (RFC 7523 §2.2).

use super::check_identifier;
use crate::cli::{ApplicationTypeArg, ClientCreateArgs, SubjectTypeArg};
use crate::error::{CliError, CliResult};
use propusk_core::clock::Timestamp;
use propusk_core::model::redirect_uri;
use propusk_core::model::{
    ApplicationType, AuthMethod, Client, ClientKind, GrantType, Lifetimes, SubjectType,
};
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;
use url::Url;

/// What secret the new client gets.
#[derive(Debug, PartialEq, Eq)]
pub enum SecretPlan {
    /// Public or `private_key_jwt`: no secret.
    None,
    /// A generated secret, printed once.
    Generate,
    /// An existing api-key, imported.
    Import(String),
}

/// JWK members that only private keys have (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

pub fn build(args: &ClientCreateArgs, now: Timestamp) -> CliResult<(Client, SecretPlan)> {
    check_identifier("--client-id", &args.client_id)?;
    if args.name.trim().is_empty() {
        return Err(invalid("--name must not be empty"));
    }
    let grant_types = grant_types(&args.grant_types)?;
    let scope = Scope::parse(&args.scope)
        .map_err(|_| invalid(format!("--scope `{}` is not a valid scope", args.scope)))?;
    let application_type = match args.application_type {
        ApplicationTypeArg::Web => ApplicationType::Web,
        ApplicationTypeArg::Native => ApplicationType::Native,
    };
    let redirect_uris =
        checked_redirect_uris("--redirect-uri", &args.redirect_uris, application_type)?;
    let post_logout_redirect_uris = checked_redirect_uris(
        "--post-logout-redirect-uri",
        &args.post_logout_redirect_uris,
        application_type,
    )?;
    let allowed_origins = origins(&args.allowed_origins)?;
    if grant_types.contains(&GrantType::AuthorizationCode) && redirect_uris.is_empty() {
        return Err(invalid(
            "the authorization_code grant needs at least one --redirect-uri",
        ));
    }
    let backchannel_logout_uri = single_uri(
        "--backchannel-logout-uri",
        args.backchannel_logout_uri.as_deref(),
    )?;
    let frontchannel_logout_uri = single_uri(
        "--frontchannel-logout-uri",
        args.frontchannel_logout_uri.as_deref(),
    )?;
    let (kind, auth_method, jwks, secret) = authentication(args, &grant_types, application_type)?;
    let lifetimes = lifetimes(args)?;
    let client = Client {
        id: args.client_id.clone(),
        name: args.name.trim().to_owned(),
        kind,
        application_type,
        redirect_uris,
        post_logout_redirect_uris,
        allowed_origins,
        grant_types,
        scope,
        auth_method,
        jwks,
        consent_required: !args.no_consent,
        subject_type: match args.subject_type {
            SubjectTypeArg::Public => SubjectType::Public,
            SubjectTypeArg::Pairwise => SubjectType::Pairwise,
        },
        sector_identifier: None,
        lifetimes,
        id_token_signing_alg: args.id_token_alg.map(|alg| alg.as_str().to_owned()),
        backchannel_logout_uri,
        frontchannel_logout_uri,
        client_uri: None,
        policy_uri: None,
        tos_uri: None,
        product: None,
        created_at: now,
    };
    Ok((client, secret))
}

type Authentication = (ClientKind, AuthMethod, Option<JwkSet>, SecretPlan);

fn authentication(
    args: &ClientCreateArgs,
    grants: &[GrantType],
    application_type: ApplicationType,
) -> CliResult<Authentication> {
    let method = match &args.auth_method {
        Some(text) => Some(AuthMethod::parse(text).ok_or_else(|| {
            let known: Vec<&str> = AuthMethod::ALL.iter().map(|m| m.as_str()).collect();
            invalid(format!(
                "--auth-method `{text}` is unknown; use one of {}",
                known.join(", ")
            ))
        })?),
        None => None,
    };
    if args.jwks.is_some() && method != Some(AuthMethod::PrivateKeyJwt) {
        return Err(invalid(
            "--jwks is used only with --auth-method private_key_jwt",
        ));
    }
    let native_public =
        application_type == ApplicationType::Native && method != Some(AuthMethod::PrivateKeyJwt);
    if args.public || native_public {
        if args.secret.is_some() {
            return Err(invalid("a --public client has no secret; drop --secret"));
        }
        if method.is_some_and(|m| m != AuthMethod::None) {
            return Err(invalid(
                "a --public client authenticates with `none`; drop --auth-method",
            ));
        }
        if grants.contains(&GrantType::ClientCredentials) {
            return Err(invalid(
                "a --public client cannot use the client_credentials grant",
            ));
        }
        return Ok((ClientKind::Public, AuthMethod::None, None, SecretPlan::None));
    }
    match method.unwrap_or(AuthMethod::ClientSecretBasic) {
        AuthMethod::None => Err(invalid(
            "--auth-method none is for public clients; use --public",
        )),
        AuthMethod::PrivateKeyJwt => {
            if args.secret.is_some() {
                return Err(invalid(
                    "a private_key_jwt client has no secret; drop --secret",
                ));
            }
            let text = args
                .jwks
                .as_deref()
                .ok_or_else(|| invalid("--auth-method private_key_jwt needs --jwks"))?;
            let jwks = public_jwks(text)?;
            Ok((
                ClientKind::Confidential,
                AuthMethod::PrivateKeyJwt,
                Some(jwks),
                SecretPlan::None,
            ))
        }
        method => {
            let plan = args
                .secret
                .clone()
                .map_or(SecretPlan::Generate, SecretPlan::Import);
            Ok((ClientKind::Confidential, method, None, plan))
        }
    }
}

/// Parses a JWKS and refuses private key material.
pub fn public_jwks(text: &str) -> CliResult<JwkSet> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("--jwks is not JSON: {e}")))?;
    let keys = value
        .get("keys")
        .and_then(|k| k.as_array())
        .filter(|k| !k.is_empty())
        .ok_or_else(|| invalid("--jwks must be a JWK set with a non-empty `keys` array"))?;
    for (index, key) in keys.iter().enumerate() {
        let Some(members) = key.as_object() else {
            return Err(invalid(format!("--jwks key {index} is not a JSON object")));
        };
        if let Some(private) = PRIVATE_MEMBERS.iter().find(|m| members.contains_key(**m)) {
            return Err(invalid(format!(
                "--jwks key {index} contains the private member `{private}`; register public keys only"
            )));
        }
        let kty = members
            .get("kty")
            .and_then(|k| k.as_str())
            .unwrap_or_default();
        if !matches!(kty, "RSA" | "EC" | "OKP") {
            return Err(invalid(format!(
                "--jwks key {index} has kty `{kty}`; expected RSA, EC or OKP"
            )));
        }
    }
    serde_json::from_value(value).map_err(|e| invalid(format!("--jwks is not a JWK set: {e}")))
}

fn grant_types(texts: &[String]) -> CliResult<Vec<GrantType>> {
    if texts.is_empty() {
        return Ok(vec![GrantType::AuthorizationCode, GrantType::RefreshToken]);
    }
    let mut grants = Vec::new();
    for text in texts {
        let grant = GrantType::parse(text).ok_or_else(|| {
            let known: Vec<&str> = GrantType::ALL.iter().map(|g| g.as_str()).collect();
            invalid(format!(
                "--grant-type `{text}` is unknown; use one of {}",
                known.join(", ")
            ))
        })?;
        if !grants.contains(&grant) {
            grants.push(grant);
        }
    }
    Ok(grants)
}

/// Redirect URIs under the rules of the application type, kept exactly as given.
fn checked_redirect_uris(
    flag: &str,
    texts: &[String],
    application_type: ApplicationType,
) -> CliResult<Vec<String>> {
    for text in texts {
        redirect_uri::validate(text, application_type)
            .map_err(|e| invalid(format!("{flag}: {e}")))?;
    }
    uris(flag, texts)
}

/// Web origins as browsers send them: `scheme://host[:port]`, nothing after it.
fn origins(texts: &[String]) -> CliResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if !redirect_uri::is_web_origin(text) {
            return Err(invalid(format!(
                "--allowed-origin `{text}` is not a web origin such as https://app.example \
                 (scheme, host and port only)"
            )));
        }
        if !out.contains(text) {
            out.push(text.clone());
        }
    }
    Ok(out)
}

/// Absolute URLs without fragment, kept exactly as given (matching is exact).
fn uris(flag: &str, texts: &[String]) -> CliResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let url = Url::parse(text)
            .map_err(|e| invalid(format!("{flag} `{text}` is not an absolute URL ({e})")))?;
        if url.fragment().is_some() || text.contains('#') {
            return Err(invalid(format!("{flag} `{text}` must not have a fragment")));
        }
        if !out.contains(text) {
            out.push(text.clone());
        }
    }
    Ok(out)
}

/// An optional absolute URL without fragment (the logout URIs).
fn single_uri(flag: &str, text: Option<&str>) -> CliResult<Option<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    Ok(uris(flag, &[text.to_owned()])?.into_iter().next())
}

fn lifetimes(args: &ClientCreateArgs) -> CliResult<Lifetimes> {
    let mut lifetimes = Lifetimes::default();
    for (flag, value, slot) in [
        ("--code-ttl", args.code_ttl, &mut lifetimes.code),
        (
            "--access-token-ttl",
            args.access_token_ttl,
            &mut lifetimes.access_token,
        ),
        (
            "--refresh-token-ttl",
            args.refresh_token_ttl,
            &mut lifetimes.refresh_token,
        ),
    ] {
        if let Some(seconds) = value {
            if seconds <= 0 {
                return Err(invalid(format!(
                    "{flag} must be a positive number of seconds"
                )));
            }
            *slot = seconds;
        }
    }
    Ok(lifetimes)
}

fn invalid(message: impl Into<String>) -> CliError {
    CliError::Invalid(message.into())
}

#[cfg(test)]
mod tests;
