//! Dynamic client registration (RFC 7591 §3) and its management (RFC 7592 §2): who may
//! register (an initial access token, or anyone when the operator opens registration),
//! the registration response, and read, replace and delete with the registration
//! access token that is bound to one client. Metadata goes through the one validator,
//! [`ClientMetadata::validate`].

use crate::clock::Timestamp;
use crate::model::client_metadata::{ClientMetadata, MetadataError};
pub use crate::model::client_policy::RegistrationPolicy;
use crate::model::{
    AuthMethod, Client, ClientKind, ClientRegistration, ClientSecret, RegistrationToken,
};
use crate::provider::Provider;
use crate::store::StoreError;
use propusk_types::error::ErrorCode;
use propusk_types::routes;
use serde::Serialize;

/// Random bytes of a client id, a client secret and the registration tokens.
const CLIENT_ID_BYTES: usize = 16;
const SECRET_BYTES: usize = 32;
const TOKEN_BYTES: usize = 32;

/// Why a registration request was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// No bearer token where one is required (RFC 6750 §3.1: no error code).
    #[error("a bearer token is required")]
    TokenMissing,
    /// Unknown, expired, or bound to another client.
    #[error("the bearer token is not valid here")]
    TokenInvalid,
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    #[error("the body is not client metadata: {0}")]
    MalformedBody(String),
    #[error("client_id in the body does not name the client of the URI")]
    ClientIdMismatch,
    #[error("client_secret in the body is not the client's")]
    SecretMismatch,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RegistrationError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::TokenMissing | Self::TokenInvalid => ErrorCode::InvalidToken,
            Self::Metadata(e) => e.code,
            Self::MalformedBody(_) => ErrorCode::InvalidClientMetadata,
            Self::ClientIdMismatch | Self::SecretMismatch => ErrorCode::InvalidRequest,
            Self::Store(_) => ErrorCode::ServerError,
        }
    }

    /// A description safe to send, in the characters RFC 6749 §5.2 allows (no `"` or
    /// `\`, printable ASCII); the store's detail stays in the log.
    pub fn description(&self) -> String {
        let text = match self {
            Self::Metadata(e) => format!("{}: {}", e.field, e.description),
            Self::MalformedBody(_) => "the body is not a JSON object of client metadata".into(),
            Self::Store(_) => "internal error".into(),
            other => other.to_string(),
        };
        text.chars()
            .map(|c| match c {
                '"' | '\\' => '\'',
                c if c == ' ' || c.is_ascii_graphic() => c,
                _ => '?',
            })
            .collect()
    }
}

type Result<T> = std::result::Result<T, RegistrationError>;

/// The answer to a registration or a read (RFC 7591 §3.2.1, RFC 7592 §3): the client's
/// metadata with its credentials. Secrets appear only when they were just made.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegistrationResponse {
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    pub client_id_issued_at: Timestamp,
    /// 0: the secret does not expire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_expires_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_access_token: Option<String>,
    pub registration_client_uri: String,
    #[serde(flatten)]
    pub metadata: ClientMetadata,
}

impl Provider {
    /// Issues an initial access token (RFC 7591 §3) valid for `expires_in` seconds, or
    /// until the database forgets it; returns the value, which is stored only hashed.
    pub async fn create_registration_token(
        &self,
        expires_in: Option<i64>,
    ) -> std::result::Result<String, StoreError> {
        let value = self.random(TOKEN_BYTES);
        let now = self.now();
        self.store
            .insert_registration_token(&RegistrationToken {
                token_hash: self.hasher.hash(&value),
                created_at: now,
                expires_at: expires_in.map(|s| now + s),
            })
            .await?;
        Ok(value)
    }

    /// `POST /connect/register` (RFC 7591 §3.1): checks the initial access token (unless
    /// registration is open), validates the metadata, and stores the client with its
    /// api-key (when it authenticates with a secret) and its registration access token.
    pub async fn register_client(
        &self,
        policy: &RegistrationPolicy,
        initial_token: Option<&str>,
        metadata: ClientMetadata,
    ) -> Result<RegistrationResponse> {
        self.check_initial_token(policy, initial_token).await?;
        let now = self.now();
        let client_id = self.random(CLIENT_ID_BYTES);
        let client = validated(policy, &metadata)?.into_client(&client_id, &policy.scope, now);
        let (secret, record) = self.new_secret(&client, now);
        let access_token = self.random(TOKEN_BYTES);
        let registration = ClientRegistration {
            client_id: client_id.clone(),
            access_token_hash: self.hasher.hash(&access_token),
            created_at: now,
        };
        self.store
            .register_client(&client, record.as_ref(), &registration)
            .await?;
        tracing::info!(client_id = %client.id, "client registered dynamically");
        let mut response = self.registration_response(&client);
        response.client_secret_expires_at = secret.as_ref().map(|_| 0);
        response.client_secret = secret;
        response.registration_access_token = Some(access_token);
        Ok(response)
    }

    /// `GET` at the registration client URI (RFC 7592 §2.1).
    pub async fn read_registration(
        &self,
        client_id: &str,
        access_token: Option<&str>,
    ) -> Result<RegistrationResponse> {
        let client = self.managed_client(client_id, access_token).await?;
        Ok(self.registration_response(&client))
    }

    /// `PUT` at the registration client URI (RFC 7592 §2.2): the body replaces every
    /// field; the id, the creation time and the operator's settings stay. A client that
    /// turns to a secret method without an api-key gets one; a client that turns public
    /// loses its api-keys; all of it in one transaction.
    pub async fn update_registration(
        &self,
        policy: &RegistrationPolicy,
        client_id: &str,
        access_token: Option<&str>,
        metadata: ClientMetadata,
        body_client_id: Option<&str>,
        body_secret: Option<&str>,
    ) -> Result<RegistrationResponse> {
        let current = self.managed_client(client_id, access_token).await?;
        if body_client_id != Some(client_id) {
            return Err(RegistrationError::ClientIdMismatch);
        }
        let secrets = self.store.client_secrets(client_id).await?;
        let secret_matches = |given: &str| {
            secrets
                .iter()
                .any(|s| self.hasher.verify(given, &s.secret_hash))
        };
        if body_secret.is_some_and(|given| !secret_matches(given)) {
            return Err(RegistrationError::SecretMismatch);
        }
        let now = self.now();
        let mut client =
            validated(policy, &metadata)?.into_client(client_id, &policy.scope, current.created_at);
        client.consent_required = current.consent_required;
        client.allowed_origins = current.allowed_origins.clone();
        client.sector_identifier = current.sector_identifier.clone();
        let public = client.kind == ClientKind::Public;
        let (secret, record) = if public || !secrets.is_empty() {
            (None, None)
        } else {
            self.new_secret(&client, now)
        };
        self.store
            .replace_registered_client(&client, public, record.as_ref())
            .await?;
        let mut response = self.registration_response(&client);
        response.client_secret_expires_at = secret.as_ref().map(|_| 0);
        response.client_secret = secret;
        Ok(response)
    }

    /// `DELETE` at the registration client URI (RFC 7592 §2.3): the client, its
    /// api-keys and its registration go.
    pub async fn delete_registration(
        &self,
        client_id: &str,
        access_token: Option<&str>,
    ) -> Result<()> {
        self.managed_client(client_id, access_token).await?;
        self.store.delete_client(client_id).await?;
        tracing::info!(client_id, "dynamically registered client deleted");
        Ok(())
    }

    async fn check_initial_token(
        &self,
        policy: &RegistrationPolicy,
        token: Option<&str>,
    ) -> Result<()> {
        let Some(token) = token else {
            return if policy.open {
                Ok(())
            } else {
                Err(RegistrationError::TokenMissing)
            };
        };
        let found = self
            .store
            .find_registration_token(&self.hasher.hash(token))
            .await?;
        match found {
            Some(t) if t.is_valid_at(self.now()) => Ok(()),
            _ => Err(RegistrationError::TokenInvalid),
        }
    }

    /// The client that `access_token` manages, when it is `client_id` (RFC 7592 §3).
    async fn managed_client(&self, client_id: &str, access_token: Option<&str>) -> Result<Client> {
        let token = access_token.ok_or(RegistrationError::TokenMissing)?;
        let registration = self
            .store
            .find_registration(&self.hasher.hash(token))
            .await?
            .filter(|r| r.client_id == client_id)
            .ok_or(RegistrationError::TokenInvalid)?;
        self.store
            .get_client(&registration.client_id)
            .await?
            .ok_or(RegistrationError::TokenInvalid)
    }

    /// A generated api-key for a client that authenticates with a secret.
    fn new_secret(
        &self,
        client: &Client,
        now: Timestamp,
    ) -> (Option<String>, Option<ClientSecret>) {
        if client.kind == ClientKind::Public || client.auth_method == AuthMethod::PrivateKeyJwt {
            return (None, None);
        }
        let value = self.random(SECRET_BYTES);
        let record = ClientSecret {
            id: self.random(9),
            client_id: client.id.clone(),
            secret_hash: self.hasher.hash(&value),
            created_at: now,
            expires_at: None,
            name: None,
            last_used_at: None,
            revoked_at: None,
        };
        (Some(value), Some(record))
    }

    fn registration_response(&self, client: &Client) -> RegistrationResponse {
        RegistrationResponse {
            client_id: client.id.clone(),
            client_secret: None,
            client_id_issued_at: client.created_at,
            client_secret_expires_at: None,
            registration_access_token: None,
            registration_client_uri: self.registration_client_uri(&client.id),
            metadata: ClientMetadata::of_client(client),
        }
    }

    /// Where the client with `client_id` is managed (RFC 7592 §1).
    pub fn registration_client_uri(&self, client_id: &str) -> String {
        let id: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
        self.config
            .url(&routes::with_id(routes::REGISTRATION_CLIENT, &id))
    }
}

/// The metadata under the policy: the validator's checks, then the allowed scopes.
fn validated(
    policy: &RegistrationPolicy,
    metadata: &ClientMetadata,
) -> Result<crate::model::client_metadata::ValidClientMetadata> {
    let valid = metadata.validate(&policy.limits)?;
    if let Some(scope) = valid.scope.as_ref().filter(|s| !s.is_subset(&policy.scope)) {
        return Err(MetadataError {
            code: ErrorCode::InvalidClientMetadata,
            field: "scope",
            description: format!(
                "`{scope}` goes beyond what can be registered: {}",
                policy.scope
            ),
        }
        .into());
    }
    Ok(valid)
}
