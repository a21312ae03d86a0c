//! Turns `admin client create` arguments into a checked [`Client`] and says which secret
//! it needs. The metadata goes through the provider's one validator
//! ([`ClientMetadata::validate`], RFC 7591 §2); this module adds only what is particular
//! to the command line: `--public`, an imported `--secret`, `--no-consent` and the extra
//! CORS origins.

use super::check_identifier;
use crate::cli::{ApplicationTypeArg, ClientCreateArgs, SubjectTypeArg};
use crate::error::{CliError, CliResult};
use propusk_core::admin::ClientSpec;
use propusk_core::clock::Timestamp;
use propusk_core::model::client_metadata::{ClientMetadata, MetadataError, MetadataLimits};
use propusk_core::model::redirect_uri;
use propusk_core::model::{AuthMethod, Client, ClientKind, GrantType};
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;

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

pub fn build(args: &ClientCreateArgs, now: Timestamp) -> CliResult<(Client, SecretPlan)> {
    check_identifier("--client-id", &args.client_id)?;
    if args.name.trim().is_empty() {
        return Err(invalid("--name must not be empty"));
    }
    let scope = Scope::parse(&args.scope)
        .map_err(|_| invalid(format!("--scope `{}` is not a valid scope", args.scope)))?;
    let metadata = metadata(args)?;
    let valid = metadata
        .validate(&MetadataLimits::default())
        .map_err(flagged)?;
    let allowed_origins = origins(&args.allowed_origins)?;
    let mut client = valid.into_client(&args.client_id, &scope, now);
    client.allowed_origins = allowed_origins;
    client.consent_required = !args.no_consent;
    let plan = secret_plan(args, &client)?;
    Ok((client, plan))
}

/// The arguments as the operator layer's client spec.
pub fn spec(args: &ClientCreateArgs) -> CliResult<ClientSpec> {
    Ok(ClientSpec {
        metadata: metadata(args)?,
        allowed_origins: args.allowed_origins.clone(),
        consent_required: !args.no_consent,
    })
}

/// The arguments as RFC 7591 metadata; `--public` is `token_endpoint_auth_method=none`.
fn metadata(args: &ClientCreateArgs) -> CliResult<ClientMetadata> {
    if args.public && args.auth_method.as_deref().is_some_and(|m| m != "none") {
        return Err(invalid(
            "a --public client authenticates with `none`; drop --auth-method",
        ));
    }
    if !args.public && args.auth_method.as_deref() == Some("none") {
        return Err(invalid(
            "--auth-method none is for public clients; use --public",
        ));
    }
    let grant_types = if args.grant_types.is_empty() {
        [GrantType::AuthorizationCode, GrantType::RefreshToken]
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect()
    } else {
        args.grant_types.clone()
    };
    let jwks = args
        .jwks
        .as_deref()
        .map(|text| {
            serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| invalid(format!("--jwks is not JSON: {e}")))
        })
        .transpose()?;
    Ok(ClientMetadata {
        redirect_uris: args.redirect_uris.clone(),
        post_logout_redirect_uris: args.post_logout_redirect_uris.clone(),
        backchannel_logout_uri: args.backchannel_logout_uri.clone(),
        frontchannel_logout_uri: args.frontchannel_logout_uri.clone(),
        token_endpoint_auth_method: if args.public {
            Some("none".to_owned())
        } else {
            args.auth_method.clone()
        },
        grant_types: Some(grant_types),
        application_type: Some(
            match args.application_type {
                ApplicationTypeArg::Web => "web",
                ApplicationTypeArg::Native => "native",
            }
            .to_owned(),
        ),
        client_name: Some(args.name.clone()),
        scope: Some(args.scope.clone()),
        jwks,
        jwks_uri: args.jwks_uri.clone(),
        subject_type: Some(
            match args.subject_type {
                SubjectTypeArg::Public => "public",
                SubjectTypeArg::Pairwise => "pairwise",
            }
            .to_owned(),
        ),
        id_token_signed_response_alg: args.id_token_alg.map(|alg| alg.as_str().to_owned()),
        code_lifetime: args.code_ttl,
        access_token_lifetime: args.access_token_ttl,
        refresh_token_lifetime: args.refresh_token_ttl,
        require_pushed_authorization_requests: args.require_par.then_some(true),
        request_object_signing_alg: args.request_object_alg.map(|alg| alg.as_str().to_owned()),
        require_signed_request_object: args.require_signed_request_object.then_some(true),
        minimum_acr: args.minimum_acr.clone(),
        dpop_bound_access_tokens: args.require_dpop.then_some(true),
        profile: args.profile.clone(),
        tls_client_auth_subject_dn: args.tls_client_auth_subject_dn.clone(),
        tls_client_auth_san_dns: args.tls_client_auth_san_dns.clone(),
        tls_client_auth_san_uri: args.tls_client_auth_san_uri.clone(),
        tls_client_auth_san_ip: args.tls_client_auth_san_ip.clone(),
        tls_client_auth_san_email: args.tls_client_auth_san_email.clone(),
        tls_client_certificate_bound_access_tokens: args
            .tls_client_certificate_bound_access_tokens
            .then_some(true),
        ..ClientMetadata::default()
    })
}

/// A public or `private_key_jwt` client has no secret; others get the imported or a
/// generated one.
fn secret_plan(args: &ClientCreateArgs, client: &Client) -> CliResult<SecretPlan> {
    let secretless = client.kind == ClientKind::Public
        || matches!(
            client.auth_method,
            AuthMethod::PrivateKeyJwt
                | AuthMethod::TlsClientAuth
                | AuthMethod::SelfSignedTlsClientAuth
        );
    match (&args.secret, secretless) {
        (Some(_), true) if client.kind == ClientKind::Public => {
            Err(invalid("a --public client has no secret; drop --secret"))
        }
        (Some(_), true) => Err(invalid(
            "a private_key_jwt client has no secret; drop --secret",
        )),
        (None, true) => Ok(SecretPlan::None),
        (Some(secret), false) => Ok(SecretPlan::Import(secret.clone())),
        (None, false) => Ok(SecretPlan::Generate),
    }
}

/// A validator error named after the command-line flag of its field.
fn flagged(error: MetadataError) -> CliError {
    let flag = match error.field {
        "redirect_uris" => "--redirect-uri",
        "post_logout_redirect_uris" => "--post-logout-redirect-uri",
        "backchannel_logout_uri" => "--backchannel-logout-uri",
        "frontchannel_logout_uri" => "--frontchannel-logout-uri",
        "token_endpoint_auth_method" => "--auth-method",
        "grant_types" => "--grant-type",
        "jwks" => "--jwks",
        "jwks_uri" => "--jwks-uri",
        "scope" => "--scope",
        "subject_type" => "--subject-type",
        "id_token_signed_response_alg" => "--id-token-alg",
        "code_lifetime" => "--code-ttl",
        "access_token_lifetime" => "--access-token-ttl",
        "refresh_token_lifetime" => "--refresh-token-ttl",
        "client_name" => "--name",
        "profile" => "--profile",
        other => other,
    };
    invalid(format!("{flag}: {} ({})", error.description, error.code))
}

/// Parses a JWKS and refuses private key material.
pub fn public_jwks(text: &str) -> CliResult<JwkSet> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("--jwks is not JSON: {e}")))?;
    propusk_core::model::client_metadata::public_jwks(&value)
        .map_err(|e| invalid(format!("--jwks {}", e.description)))
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

fn invalid(message: impl Into<String>) -> CliError {
    CliError::Invalid(message.into())
}

#[cfg(test)]
mod tests;
