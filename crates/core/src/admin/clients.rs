//! Clients: list, read, create, update, delete, and their api-keys (add with an expiry,
//! list, revoke). Metadata goes through the one validator that dynamic registration and
//! the integrator cabinet use ([`ClientMetadata::validate`], RFC 7591 §2); this layer adds
//! only what operators alone set: the client id, extra CORS origins and whether consent
//! is asked. An api-key value is returned once and stored as a keyed hash.

use super::{Actor, Admin, AdminError, AdminResult, Page, Subject, invalid, not_found};
use crate::clock::Timestamp;
use crate::model::client_metadata::{ClientMetadata, MetadataLimits};
use crate::model::redirect_uri;
use crate::model::{AuditKind, AuthMethod, Client, ClientKind, ClientSecret};
use crate::store::StoreError;
use propusk_types::scope::Scope;

/// Bytes of a generated api-key.
const SECRET_BYTES: usize = 32;

/// Scopes a client gets when its metadata names none.
pub const DEFAULT_CLIENT_SCOPE: &str = "openid profile email phone offline_access";

/// What an operator states about a client: its RFC 7591 metadata and the operator's own
/// settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientSpec {
    pub metadata: ClientMetadata,
    /// Browser origins allowed besides those of the redirect URIs (CORS).
    pub allowed_origins: Vec<String>,
    /// Whether users are asked to consent (true unless the operator trusts the client).
    pub consent_required: bool,
}

/// An api-key as listed: never its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretView {
    pub id: String,
    pub name: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl From<&ClientSecret> for SecretView {
    fn from(s: &ClientSecret) -> Self {
        Self {
            id: s.id.clone(),
            name: s.name.clone(),
            created_at: s.created_at,
            expires_at: s.expires_at,
            last_used_at: s.last_used_at,
            revoked_at: s.revoked_at,
        }
    }
}

/// A new api-key: the listing and the value, shown this once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedSecret {
    pub secret: SecretView,
    pub value: String,
}

/// A client id: visible ASCII without spaces (RFC 6749 §2.2, VSCHAR), at most 128.
pub fn check_client_id(field: &'static str, id: &str) -> AdminResult<()> {
    if !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        Ok(())
    } else {
        Err(invalid(
            field,
            "must be 1 to 128 visible ASCII characters without spaces",
        ))
    }
}

fn origins(texts: &[String]) -> AdminResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if !redirect_uri::is_web_origin(text) {
            return Err(invalid(
                "allowed_origins",
                "each must be a web origin such as https://app.example (scheme, host, port)",
            ));
        }
        if !out.contains(text) {
            out.push(text.clone());
        }
    }
    Ok(out)
}

/// Whether the client authenticates with an api-key.
pub fn uses_secret(client: &Client) -> bool {
    client.kind == ClientKind::Confidential && client.auth_method != AuthMethod::PrivateKeyJwt
}

impl Admin {
    /// The client the spec describes, checked; `id` and `created_at` as given.
    pub fn build_client(
        &self,
        id: &str,
        spec: &ClientSpec,
        created_at: Timestamp,
    ) -> AdminResult<Client> {
        check_client_id("client_id", id)?;
        let valid = spec.metadata.validate(&MetadataLimits::default())?;
        let default_scope = Scope::parse(DEFAULT_CLIENT_SCOPE)
            .map_err(|_| invalid("scope", "the default scope does not parse"))?;
        let mut client = valid.into_client(id, &default_scope, created_at);
        client.allowed_origins = origins(&spec.allowed_origins)?;
        client.consent_required = spec.consent_required;
        Ok(client)
    }

    pub async fn clients(&self, cursor: Option<&str>, limit: i64) -> AdminResult<Page<Client>> {
        let all = self.provider.store.list_clients().await?;
        super::page_by_key(all, |c| c.id.as_str(), cursor, limit)
    }

    pub async fn client(&self, id: &str) -> AdminResult<Client> {
        self.provider
            .store
            .get_client(id)
            .await?
            .ok_or_else(|| not_found("client", id))
    }

    /// Creates the client (`id` generated when none) and, when it authenticates with an
    /// api-key, its first key: generated, or `import` when given.
    pub async fn create_client(
        &self,
        actor: &Actor,
        id: Option<&str>,
        spec: &ClientSpec,
        import: Option<String>,
    ) -> AdminResult<(Client, Option<IssuedSecret>)> {
        let p = &self.provider;
        let id = id.map_or_else(|| p.random(12), str::to_owned);
        let client = self.build_client(&id, spec, p.now())?;
        if import.is_some() && !uses_secret(&client) {
            return Err(invalid(
                "client_secret",
                "this client authenticates without a secret",
            ));
        }
        if p.store.get_client(&id).await?.is_some() {
            return Err(AdminError::Conflict(format!(
                "client `{id}` already exists"
            )));
        }
        p.store.create_client(&client).await.map_err(|e| match e {
            StoreError::Conflict(_) => {
                AdminError::Conflict(format!("client `{id}` already exists"))
            }
            other => other.into(),
        })?;
        let subject = Subject {
            client_id: Some(&id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ClientCreated, subject)
            .await?;
        let secret = if uses_secret(&client) {
            Some(self.store_secret(&id, import, None, None).await?)
        } else {
            None
        };
        Ok((client, secret))
    }

    /// Replaces the client's metadata and settings; its id, creation time and product
    /// stay. Switching to a scheme without secrets leaves the keys, which then do nothing.
    pub async fn update_client(
        &self,
        actor: &Actor,
        id: &str,
        spec: &ClientSpec,
    ) -> AdminResult<Client> {
        let current = self.client(id).await?;
        let mut client = self.build_client(id, spec, current.created_at)?;
        client.product = current.product.clone();
        client.sector_identifier = current.sector_identifier.clone();
        client.suspended = current.suspended;
        self.provider.store.update_client(&client).await?;
        let subject = Subject {
            client_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ClientUpdated, subject)
            .await?;
        Ok(client)
    }

    /// Suspends the client (`suspend`) or resumes it: a suspended client cannot
    /// authenticate or start an authorization, and its access tokens are inactive.
    pub async fn suspend_client(
        &self,
        actor: &Actor,
        id: &str,
        suspend: bool,
    ) -> AdminResult<Client> {
        let mut client = self.client(id).await?;
        if client.suspended != suspend {
            client.suspended = suspend;
            self.provider.store.update_client(&client).await?;
        }
        let kind = if suspend {
            AuditKind::ClientSuspended
        } else {
            AuditKind::ClientResumed
        };
        let subject = Subject {
            client_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, kind, subject).await?;
        Ok(client)
    }

    /// Deletes the client with its api-keys; tokens it holds stop working with it.
    pub async fn delete_client(&self, actor: &Actor, id: &str) -> AdminResult<()> {
        if !self.provider.store.delete_client(id).await? {
            return Err(not_found("client", id));
        }
        let subject = Subject {
            client_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ClientDeleted, subject).await
    }

    pub async fn client_secrets(&self, id: &str) -> AdminResult<Vec<SecretView>> {
        self.client(id).await?;
        let keys = self.provider.store.api_keys(id).await?;
        Ok(keys.iter().map(SecretView::from).collect())
    }

    /// Adds an api-key that expires after `expires_in` seconds when given.
    pub async fn add_client_secret(
        &self,
        actor: &Actor,
        id: &str,
        name: Option<&str>,
        expires_in: Option<i64>,
    ) -> AdminResult<IssuedSecret> {
        let client = self.client(id).await?;
        if !uses_secret(&client) {
            return Err(invalid(
                "client",
                format!(
                    "the client authenticates with {}; it uses no secret",
                    client.auth_method.as_str()
                ),
            ));
        }
        if expires_in.is_some_and(|s| s <= 0 || s > 10 * 365 * 24 * 3600) {
            return Err(invalid(
                "expires_in",
                "must be a positive number of seconds, at most ten years",
            ));
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.chars().count() > 100 || n.chars().any(char::is_control)) {
            return Err(invalid(
                "name",
                "at most 100 characters, no control characters",
            ));
        }
        let issued = self.store_secret(id, None, name, expires_in).await?;
        let detail = format!("key {}", issued.secret.id);
        let subject = Subject {
            client_id: Some(id),
            detail: Some(&detail),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ClientSecretAdded, subject)
            .await?;
        Ok(issued)
    }

    pub async fn revoke_client_secret(
        &self,
        actor: &Actor,
        id: &str,
        secret_id: &str,
    ) -> AdminResult<()> {
        self.client(id).await?;
        let p = &self.provider;
        if !p.store.revoke_client_secret(id, secret_id, p.now()).await? {
            return Err(not_found("live api-key", secret_id));
        }
        let detail = format!("key {secret_id}");
        let subject = Subject {
            client_id: Some(id),
            detail: Some(&detail),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ClientSecretRevoked, subject)
            .await
    }

    async fn store_secret(
        &self,
        client_id: &str,
        value: Option<String>,
        name: Option<&str>,
        expires_in: Option<i64>,
    ) -> AdminResult<IssuedSecret> {
        if value.as_deref().is_some_and(str::is_empty) {
            return Err(invalid("client_secret", "must not be empty"));
        }
        let p = &self.provider;
        let value = value.unwrap_or_else(|| p.random(SECRET_BYTES));
        let now = p.now();
        let record = ClientSecret {
            id: p.random(9),
            client_id: client_id.to_owned(),
            secret_hash: p.hasher.hash(&value),
            created_at: now,
            expires_at: expires_in.map(|s| now + s),
            name: name.map(str::to_owned),
            last_used_at: None,
            revoked_at: None,
        };
        p.store.add_client_secret(&record).await?;
        Ok(IssuedSecret {
            secret: SecretView::from(&record),
            value,
        })
    }
}
