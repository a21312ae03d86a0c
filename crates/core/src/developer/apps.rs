//! Registering an application by type and changing its settings. The type fixes grants,
//! kind and authentication; the integrator chooses the name, links, redirect and logout
//! URIs (checked by [`crate::model::redirect_uri::validate`]), token lifetimes within the
//! operator's bounds, and the subject type (OIDC Core §8).

use super::{AppType, Cabinet, CabinetResult, Problem, invalid};
use crate::crypto::random_token;
use crate::model::{Account, Client, ClientOwner, Lifetimes, SubjectType, redirect_uri};
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
}

impl AppSettings {
    /// The form as the client stands.
    pub fn of(client: &Client) -> Self {
        let own = test_callback_of(client);
        Self {
            name: client.name.clone(),
            client_uri: client.client_uri.clone().unwrap_or_default(),
            policy_uri: client.policy_uri.clone().unwrap_or_default(),
            tos_uri: client.tos_uri.clone().unwrap_or_default(),
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
            subject_type: match client.subject_type {
                SubjectType::Public => "public".into(),
                SubjectType::Pairwise => "pairwise".into(),
            },
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
        let scope = if app_type == AppType::Service {
            Scope::default()
        } else {
            Scope::parse(USER_SCOPES).unwrap_or_default()
        };
        let client = Client {
            id: format!("app-{}", random_token(self.p.rng.as_ref(), 12)),
            name,
            kind: app_type.kind(),
            application_type: app_type.application_type(),
            redirect_uris,
            post_logout_redirect_uris: Vec::new(),
            allowed_origins: Vec::new(),
            grant_types: app_type.grant_types(),
            scope,
            auth_method: app_type.auth_method(),
            jwks: None,
            consent_required: true,
            subject_type: SubjectType::Public,
            sector_identifier: None,
            lifetimes: Lifetimes::default(),
            id_token_signing_alg: None,
            backchannel_logout_uri: None,
            frontchannel_logout_uri: None,
            client_uri: link("client_uri", &form.client_uri)?,
            policy_uri: link("policy_uri", &form.policy_uri)?,
            tos_uri: link("tos_uri", &form.tos_uri)?,
            product: None,
            created_at: now,
        };
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
        client.name = checked_name(&form.name)?;
        client.client_uri = link("client_uri", &form.client_uri)?;
        client.policy_uri = link("policy_uri", &form.policy_uri)?;
        client.tos_uri = link("tos_uri", &form.tos_uri)?;
        if app_type.uses_redirects() {
            let mut uris = uri_list(&form.redirect_uris, &client)?;
            uris.push(self.test_callback());
            uris.dedup();
            client.redirect_uris = uris;
            client.post_logout_redirect_uris = uri_list(&form.post_logout_redirect_uris, &client)?;
            client.backchannel_logout_uri = logout_uri(&form.backchannel_logout_uri)?;
            client.frontchannel_logout_uri = logout_uri(&form.frontchannel_logout_uri)?;
        }
        client.lifetimes = self.lifetimes(form, client.lifetimes)?;
        client.subject_type = match form.subject_type.trim() {
            "public" => SubjectType::Public,
            "pairwise" => SubjectType::Pairwise,
            _ => return invalid(Problem::SubjectTypeUnknown),
        };
        // A pairwise `sub` of a cabinet application is derived from the application itself,
        // so that it stays the same whatever redirect URIs come and go (OIDC Core §8.1).
        if client.subject_type == SubjectType::Pairwise && client.sector_identifier.is_none() {
            client.sector_identifier = Some(client.id.clone());
        }
        self.p.store.update_client(&client).await?;
        Ok(client)
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

/// An optional link shown to users: absent, or an absolute https URL.
fn link(field: &'static str, text: &str) -> CabinetResult<Option<String>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match url::Url::parse(text) {
        Ok(url) if url.scheme() == "https" && url.host().is_some() && !text.contains('#') => {
            Ok(Some(text.to_owned()))
        }
        _ => invalid(Problem::LinkNotHttps(field)),
    }
}

/// One URI per line, each checked under the rules of the client's application type.
fn uri_list(text: &str, client: &Client) -> CabinetResult<Vec<String>> {
    let uris: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if uris.len() > MAX_URIS {
        return invalid(Problem::Uri(format!("at most {MAX_URIS} URIs")));
    }
    for uri in &uris {
        redirect_uri::validate(uri, client.application_type)
            .map_err(|e| super::CabinetError::Invalid(Problem::Uri(e.to_string())))?;
    }
    Ok(uris)
}

/// A logout URI receives requests from the provider or the browser: https, or http on
/// loopback during development (OIDC Back-Channel Logout §2.2, Front-Channel §2).
fn logout_uri(text: &str) -> CabinetResult<Option<String>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    redirect_uri::validate(text, crate::model::ApplicationType::Web)
        .map_err(|e| super::CabinetError::Invalid(Problem::Uri(e.to_string())))?;
    Ok(Some(text.to_owned()))
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

    #[test]
    fn links_must_be_https() {
        assert_eq!(link("client_uri", "  ").ok(), Some(None));
        assert!(link("client_uri", "https://app.example/").is_ok());
        assert!(link("client_uri", "http://app.example/").is_err());
        assert!(link("client_uri", "javascript:alert(1)").is_err());
    }

    #[test]
    fn lifetimes_stay_within_bounds() {
        assert_eq!(bounded("f", "600", (60, 3600)).ok(), Some(600));
        assert!(bounded("f", "59", (60, 3600)).is_err());
        assert!(bounded("f", "3601", (60, 3600)).is_err());
        assert!(bounded("f", "soon", (60, 3600)).is_err());
    }

    #[test]
    fn redirect_uris_follow_the_type() {
        let web = crate::model::ClientBuilder::confidential("c").build();
        assert!(uri_list("https://a.example/cb\nhttp://127.0.0.1:8080/cb", &web).is_ok());
        assert!(uri_list("javascript:alert(1)", &web).is_err());
        assert!(uri_list("https://a.example/cb#x", &web).is_err());
        let native = crate::model::ClientBuilder::native("n").build();
        assert!(uri_list("com.example.app:/cb", &native).is_ok());
    }
}
