//! Registering an application by type and changing its settings. The type fixes grants,
//! kind and authentication; the integrator chooses the name, links, redirect and logout
//! URIs, token lifetimes within the operator's bounds, and the subject type (OIDC Core
//! §8). Everything is checked by the one validator of client metadata,
//! [`ClientMetadata::validate`] (RFC 7591 §2), as dynamic registration and the admin CLI
//! are.

use super::{AppType, Cabinet, CabinetResult, Problem, invalid};
use crate::crypto::random_token;
use crate::model::client_metadata::{
    ClientMetadata, MetadataError, MetadataLimits, ValidClientMetadata,
};
use crate::model::{Account, Client, ClientOwner, GrantType, Lifetimes, SubjectType};
use propusk_types::routes;
use propusk_types::scope::Scope;

/// Longest application name, characters.
const MAX_NAME: usize = 100;

/// Most URIs of one list.
const MAX_URIS: usize = 20;

/// Scopes every application that signs users in may ask for.
const USER_SCOPES: &str = "openid profile email phone offline_access";

/// What the creation form asks.
#[derive(Clone, Debug, Default)]
pub struct NewApp {
    pub name: String,
    pub app_type: String,
    pub client_uri: String,
    pub policy_uri: String,
    pub tos_uri: String,
}

/// What the settings form asks. Lists are one URI per line.
#[derive(Clone, Debug, Default)]
pub struct AppSettings {
    pub name: String,
    pub client_uri: String,
    pub policy_uri: String,
    pub tos_uri: String,
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub backchannel_logout_uri: String,
    pub frontchannel_logout_uri: String,
    pub access_token_lifetime: String,
    pub id_token_lifetime: String,
    pub refresh_token_lifetime: String,
    pub subject_type: String,
    /// How an app with a server part authenticates: `client_secret_basic` (api-keys) or
    /// `private_key_jwt` (RFC 7523 §2.2) with its public keys below.
    pub auth_method: String,
    pub jwks_uri: String,
    /// A JWK Set (RFC 7517 §5) as JSON text.
    pub jwks: String,
}

impl AppSettings {
    /// The form as the client stands.
    pub fn of(client: &Client) -> Self {
        let own = test_callback_of(client);
        Self {
            name: client.name.clone(),
            client_uri: client.links.client_uri.clone().unwrap_or_default(),
            policy_uri: client.links.policy_uri.clone().unwrap_or_default(),
            tos_uri: client.links.tos_uri.clone().unwrap_or_default(),
            redirect_uris: client
                .redirect_uris
                .iter()
                .filter(|u| Some(u.as_str()) != own.as_deref())
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
            post_logout_redirect_uris: client.post_logout_redirect_uris.join("\n"),
            backchannel_logout_uri: client.backchannel_logout_uri.clone().unwrap_or_default(),
            frontchannel_logout_uri: client.frontchannel_logout_uri.clone().unwrap_or_default(),
            access_token_lifetime: client.lifetimes.access_token.to_string(),
            id_token_lifetime: client.lifetimes.id_token.to_string(),
            refresh_token_lifetime: client.lifetimes.refresh_token.to_string(),
            subject_type: client.subject_type.as_str().into(),
            auth_method: client.auth_method.as_str().to_owned(),
            jwks_uri: client.jwks_uri.clone().unwrap_or_default(),
            jwks: client
                .jwks
                .as_ref()
                .and_then(|set| serde_json::to_string_pretty(set).ok())
                .unwrap_or_default(),
        }
    }
}

/// The test sign-in callback of the provider a client of the given issuer registers, when
/// its type signs users in.
fn test_callback_of(client: &Client) -> Option<String> {
    client
        .redirect_uris
        .iter()
        .find(|u| u.ends_with(routes::DEVELOPER_CALLBACK))
        .cloned()
}

impl Cabinet<'_> {
    /// The redirect URI of the provider's own test sign-in.
    pub fn test_callback(&self) -> String {
        self.p.config.url(routes::DEVELOPER_CALLBACK)
    }

    /// Registers an application of the chosen type; the account becomes its owner.
    pub async fn create_app(&self, account: &Account, form: &NewApp) -> CabinetResult<Client> {
        self.require_integrator(account).await?;
        let name = checked_name(&form.name)?;
        let Some(app_type) = AppType::parse(form.app_type.trim()) else {
            return invalid(Problem::TypeUnknown);
        };
        let now = self.p.now();
        let redirect_uris = if app_type.uses_redirects() {
            vec![self.test_callback()]
        } else {
            Vec::new()
        };
        let metadata = ClientMetadata {
            client_name: Some(name),
            client_uri: optional(&form.client_uri),
            policy_uri: optional(&form.policy_uri),
            tos_uri: optional(&form.tos_uri),
            redirect_uris,
            ..type_metadata(app_type)
        };
        let valid = self.validate(&metadata)?;
        let scope = if app_type == AppType::Service {
            Scope::default()
        } else {
            Scope::parse(USER_SCOPES).unwrap_or_default()
        };
        let id = format!("app-{}", random_token(self.p.rng.as_ref(), 12));
        let client = valid.into_client(&id, &scope, now);
        self.p.store.create_client(&client).await?;
        let owner = ClientOwner {
            client_id: client.id.clone(),
            account_id: account.id.clone(),
            added_at: now,
        };
        self.p.store.add_client_owner(&owner).await?;
        Ok(client)
    }

    /// Replaces the settings of an application the account owns.
    pub async fn update_app(
        &self,
        account: &Account,
        client_id: &str,
        form: &AppSettings,
    ) -> CabinetResult<Client> {
        let mut client = self.owned(account, client_id).await?;
        let app_type = AppType::of(&client);
        let subject_type = match form.subject_type.trim() {
            "public" => SubjectType::Public,
            "pairwise" => SubjectType::Pairwise,
            _ => return invalid(Problem::SubjectTypeUnknown),
        };
        let lifetimes = self.lifetimes(form, client.lifetimes)?;
        let mut metadata = ClientMetadata {
            client_name: Some(checked_name(&form.name)?),
            client_uri: optional(&form.client_uri),
            policy_uri: optional(&form.policy_uri),
            tos_uri: optional(&form.tos_uri),
            code_lifetime: Some(lifetimes.code),
            access_token_lifetime: Some(lifetimes.access_token),
            id_token_lifetime: Some(lifetimes.id_token),
            refresh_token_lifetime: Some(lifetimes.refresh_token),
            ..type_metadata(app_type)
        };
        if app_type.uses_redirects() {
            let mut uris = lines(&form.redirect_uris)?;
            let own = self.test_callback();
            uris.retain(|u| *u != own);
            uris.push(own);
            metadata.redirect_uris = uris;
            metadata.post_logout_redirect_uris = lines(&form.post_logout_redirect_uris)?;
            metadata.backchannel_logout_uri = optional(&form.backchannel_logout_uri);
            metadata.frontchannel_logout_uri = optional(&form.frontchannel_logout_uri);
        }
        if app_type.uses_keys() {
            keys_metadata(&mut metadata, form)?;
        }
        let valid = self.validate(&metadata)?;
        client.name = valid.name.unwrap_or_else(|| client.name.clone());
        client.auth_method = valid.auth_method;
        client.jwks = valid.jwks;
        client.jwks_uri = valid.jwks_uri;
        client.links.client_uri = valid.links.client_uri;
        client.links.policy_uri = valid.links.policy_uri;
        client.links.tos_uri = valid.links.tos_uri;
        client.redirect_uris = valid.redirect_uris;
        client.post_logout_redirect_uris = valid.post_logout_redirect_uris;
        client.backchannel_logout_uri = valid.backchannel_logout_uri;
        client.frontchannel_logout_uri = valid.frontchannel_logout_uri;
        client.lifetimes = valid.lifetimes;
        // A pairwise `sub` of a cabinet application is derived from the application itself,
        // so that it stays the same whatever redirect URIs come and go (OIDC Core §8.1); the
        // provider's own test callback is on another host than the application's URIs.
        client.subject_type = subject_type;
        if subject_type == SubjectType::Pairwise && client.sector_identifier.is_none() {
            client.sector_identifier = Some(client.id.clone());
        }
        self.p.store.update_client(&client).await?;
        Ok(client)
    }

    /// The one metadata validator, with the operator's bounds of the cabinet.
    fn validate(&self, metadata: &ClientMetadata) -> CabinetResult<ValidClientMetadata> {
        let limits = self.limits;
        let defaults = MetadataLimits::default();
        let metadata_limits = MetadataLimits {
            grant_types: GrantType::ALL.to_vec(),
            max_lifetimes: Lifetimes {
                access_token: limits.access_token.1,
                id_token: limits.id_token.1,
                refresh_token: limits.refresh_token.1,
                ..defaults.max_lifetimes
            },
            loopback_jwks_uri: false,
        };
        metadata
            .validate(&metadata_limits)
            .map_err(|e| super::CabinetError::Invalid(problem(&e, limits)))
    }

    fn lifetimes(&self, form: &AppSettings, mut current: Lifetimes) -> CabinetResult<Lifetimes> {
        let limits = self.limits;
        current.access_token = bounded(
            "access_token_lifetime",
            &form.access_token_lifetime,
            limits.access_token,
        )?;
        current.id_token = bounded(
            "id_token_lifetime",
            &form.id_token_lifetime,
            limits.id_token,
        )?;
        current.refresh_token = bounded(
            "refresh_token_lifetime",
            &form.refresh_token_lifetime,
            limits.refresh_token,
        )?;
        Ok(current)
    }
}

fn checked_name(name: &str) -> CabinetResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return invalid(Problem::NameMissing);
    }
    Ok(name.to_owned())
}

/// The metadata an application type fixes (RFC 7591 §2): grants, response types,
/// application type and authentication.
fn type_metadata(app_type: AppType) -> ClientMetadata {
    let code = app_type.uses_redirects();
    ClientMetadata {
        grant_types: Some(
            app_type
                .grant_types()
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
        ),
        response_types: Some(if code {
            vec!["code".to_owned()]
        } else {
            Vec::new()
        }),
        application_type: Some(app_type.application_type().as_str().to_owned()),
        token_endpoint_auth_method: Some(app_type.auth_method().as_str().to_owned()),
        subject_type: Some("public".to_owned()),
        ..ClientMetadata::default()
    }
}

/// The client authentication an app with a server part chose: api-keys, or
/// `private_key_jwt` with a JWK Set given here or at a `jwks_uri` (never both; the
/// validator checks the keys and that they are public).
fn keys_metadata(metadata: &mut ClientMetadata, form: &AppSettings) -> CabinetResult<()> {
    match form.auth_method.trim() {
        "" | "client_secret_basic" => Ok(()),
        "private_key_jwt" => {
            metadata.token_endpoint_auth_method = Some("private_key_jwt".to_owned());
            metadata.jwks_uri = optional(&form.jwks_uri);
            metadata.jwks = match form.jwks.trim() {
                "" => None,
                text => match serde_json::from_str(text) {
                    Ok(value) => Some(value),
                    Err(_) => return invalid(Problem::JwksNotJson),
                },
            };
            Ok(())
        }
        _ => invalid(Problem::AuthMethodUnknown),
    }
}

/// A form field that may be left empty.
fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// One URI per line, at most [`MAX_URIS`].
fn lines(text: &str) -> CabinetResult<Vec<String>> {
    let uris: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if uris.len() > MAX_URIS {
        return invalid(Problem::Uri(format!("at most {MAX_URIS} URIs")));
    }
    Ok(uris)
}

/// What the integrator is told about a refusal of the validator.
fn problem(error: &MetadataError, limits: super::LifetimeLimits) -> Problem {
    match error.field {
        "client_name" => Problem::NameMissing,
        "client_uri" | "policy_uri" | "tos_uri" => Problem::LinkNotHttps(error.field),
        "access_token_lifetime" => {
            Problem::Lifetime(error.field, limits.access_token.0, limits.access_token.1)
        }
        "id_token_lifetime" => Problem::Lifetime(error.field, limits.id_token.0, limits.id_token.1),
        "refresh_token_lifetime" => {
            Problem::Lifetime(error.field, limits.refresh_token.0, limits.refresh_token.1)
        }
        "jwks" | "jwks_uri" | "token_endpoint_auth_method" => Problem::Keys(error.to_string()),
        _ => Problem::Uri(error.to_string()),
    }
}

fn bounded(field: &'static str, text: &str, (min, max): (i64, i64)) -> CabinetResult<i64> {
    match text.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => invalid(Problem::Lifetime(field, min, max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> super::super::LifetimeLimits {
        super::super::LifetimeLimits::default()
    }

    fn checked(metadata: &ClientMetadata) -> Result<ValidClientMetadata, Problem> {
        let bounds = MetadataLimits {
            grant_types: GrantType::ALL.to_vec(),
            ..MetadataLimits::default()
        };
        metadata
            .validate(&bounds)
            .map_err(|e| problem(&e, limits()))
    }

    #[test]
    fn every_type_makes_valid_metadata() {
        for t in AppType::ALL {
            let redirect_uris = if t.uses_redirects() {
                vec!["https://id.example/developer/callback".to_owned()]
            } else {
                Vec::new()
            };
            let metadata = ClientMetadata {
                client_name: Some("App".into()),
                redirect_uris,
                ..type_metadata(t)
            };
            let valid = checked(&metadata).unwrap_or_else(|e| panic!("{}: {e:?}", t.as_str()));
            assert_eq!(valid.kind, t.kind(), "{}", t.as_str());
            assert_eq!(valid.grant_types, t.grant_types());
        }
    }

    #[test]
    fn refusals_are_told_by_field() {
        let web = |f: fn(&mut ClientMetadata)| {
            let mut metadata = ClientMetadata {
                client_name: Some("App".into()),
                redirect_uris: vec!["https://a.example/cb".into()],
                ..type_metadata(AppType::Web)
            };
            f(&mut metadata);
            checked(&metadata).err()
        };
        assert!(matches!(
            web(|m| m.redirect_uris = vec!["javascript:alert(1)".into()]),
            Some(Problem::Uri(_))
        ));
        assert!(matches!(
            web(|m| m.redirect_uris = vec!["https://a.example/cb#x".into()]),
            Some(Problem::Uri(_))
        ));
        assert_eq!(
            web(|m| m.client_uri = Some("http://a.example/".into())),
            Some(Problem::LinkNotHttps("client_uri"))
        );
        assert_eq!(web(|_| {}), None);
    }

    #[test]
    fn lifetimes_stay_within_bounds() {
        assert_eq!(bounded("f", "600", (60, 3600)).ok(), Some(600));
        assert!(bounded("f", "59", (60, 3600)).is_err());
        assert!(bounded("f", "3601", (60, 3600)).is_err());
        assert!(bounded("f", "soon", (60, 3600)).is_err());
    }

    #[test]
    fn native_redirect_uris_follow_rfc_8252() {
        let metadata = ClientMetadata {
            redirect_uris: vec!["com.example.app:/cb".into(), "http://127.0.0.1/cb".into()],
            ..type_metadata(AppType::Native)
        };
        assert!(checked(&metadata).is_ok());
    }
}
