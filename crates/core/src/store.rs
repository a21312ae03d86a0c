//! Storage traits: one repository per aggregate. Not found is `Ok(None)`; conflicts are
//! named; everything else is a backend failure the engine reports as a server error.
//! Atomic state changes (redeeming a code, rotating a refresh token) are single methods so
//! that every backend makes them safe under concurrent requests.

use crate::clock::Timestamp;
use crate::model::*;
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key is already taken (the named field).
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("storage backend failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait ClientRepo: Send + Sync {
    async fn create_client(&self, client: &Client) -> StoreResult<()>;
    async fn update_client(&self, client: &Client) -> StoreResult<()>;
    async fn get_client(&self, id: &str) -> StoreResult<Option<Client>>;
    async fn list_clients(&self) -> StoreResult<Vec<Client>>;
    /// Deletes the client and its secrets; false when there was none.
    async fn delete_client(&self, id: &str) -> StoreResult<bool>;
    async fn add_client_secret(&self, secret: &ClientSecret) -> StoreResult<()>;
    async fn client_secrets(&self, client_id: &str) -> StoreResult<Vec<ClientSecret>>;
    async fn delete_client_secret(&self, client_id: &str, secret_id: &str) -> StoreResult<bool>;
}

#[async_trait]
pub trait AccountRepo: Send + Sync {
    /// Fails with `Conflict("login" | "email" | "phone")` when an identifier is taken.
    async fn create_account(&self, account: &Account) -> StoreResult<()>;
    async fn update_account(&self, account: &Account) -> StoreResult<()>;
    async fn get_account(&self, id: &str) -> StoreResult<Option<Account>>;
    /// Finds by login, e-mail or phone (already normalised by the caller).
    async fn find_account(&self, identifier: &str) -> StoreResult<Option<Account>>;
    async fn list_accounts(&self, limit: i64, offset: i64) -> StoreResult<Vec<Account>>;
}

#[async_trait]
pub trait ProductRepo: Send + Sync {
    async fn create_product(&self, product: &Product) -> StoreResult<()>;
    async fn update_product(&self, product: &Product) -> StoreResult<()>;
    async fn get_product(&self, audience: &str) -> StoreResult<Option<Product>>;
    async fn list_products(&self) -> StoreResult<Vec<Product>>;
    async fn delete_product(&self, audience: &str) -> StoreResult<bool>;
}

#[async_trait]
pub trait KeyRepo: Send + Sync {
    async fn insert_key(&self, key: &KeyRecord) -> StoreResult<()>;
    async fn update_key(&self, key: &KeyRecord) -> StoreResult<()>;
    async fn list_keys(&self) -> StoreResult<Vec<KeyRecord>>;
    /// Removes keys whose `unpublish_at` has passed; returns how many.
    async fn delete_unpublished_keys(&self, now: Timestamp) -> StoreResult<u64>;
}

#[async_trait]
pub trait GrantRepo: Send + Sync {
    async fn insert_grant(&self, grant: &Grant) -> StoreResult<()>;
    async fn get_grant(&self, id: &str) -> StoreResult<Option<Grant>>;
    /// Marks the grant revoked (idempotent; the first time wins) and revokes its refresh
    /// tokens and recorded access tokens in the same transaction.
    async fn revoke_grant(&self, id: &str, now: Timestamp) -> StoreResult<()>;

    async fn insert_code(&self, code: &AuthCode) -> StoreResult<()>;
    /// Atomically marks an unused code used. A code used before is `AlreadyUsed`.
    async fn redeem_code(&self, code_hash: &str, now: Timestamp) -> StoreResult<CodeRedemption>;

    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()>;
    /// Atomically marks a live refresh token used. One already used or revoked is `Reused`.
    async fn use_refresh_token(&self, token_hash: &str, now: Timestamp) -> StoreResult<RefreshUse>;
    async fn find_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>>;

    async fn insert_access_token(&self, token: &AccessTokenRecord) -> StoreResult<()>;
    async fn find_access_token_by_jti(&self, jti: &str) -> StoreResult<Option<AccessTokenRecord>>;
    async fn find_access_token_by_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<AccessTokenRecord>>;
    /// Records revocation of an access token; inserts a tombstone row when the token was
    /// never recorded (a stateless JWT), so that later checks see it.
    async fn revoke_access_token(
        &self,
        record: &AccessTokenRecord,
        now: Timestamp,
    ) -> StoreResult<()>;

    /// Deletes expired codes, tokens and grants with nothing live left; returns how many rows.
    async fn purge_expired(&self, now: Timestamp) -> StoreResult<u64>;
}

#[async_trait]
pub trait ConsentRepo: Send + Sync {
    async fn get_consent(&self, account_id: &str, client_id: &str) -> StoreResult<Option<Consent>>;
    async fn upsert_consent(&self, consent: &Consent) -> StoreResult<()>;
    async fn delete_consent(&self, account_id: &str, client_id: &str) -> StoreResult<bool>;
    async fn list_consents(&self, account_id: &str) -> StoreResult<Vec<Consent>>;
}

#[async_trait]
pub trait SessionRepo: Send + Sync {
    async fn create_session(&self, session: &Session) -> StoreResult<()>;
    async fn get_session(&self, id: &str) -> StoreResult<Option<Session>>;
    async fn find_session_by_secret(&self, secret_hash: &str) -> StoreResult<Option<Session>>;
    async fn touch_session(&self, id: &str, now: Timestamp) -> StoreResult<()>;
    async fn end_session(&self, id: &str, now: Timestamp) -> StoreResult<()>;
    async fn list_sessions(&self, account_id: &str) -> StoreResult<Vec<Session>>;
    /// Remembers that a client took part in a session (for logout); idempotent.
    async fn add_session_client(&self, session_id: &str, client_id: &str) -> StoreResult<()>;
    async fn session_clients(&self, session_id: &str) -> StoreResult<Vec<String>>;
}

#[async_trait]
pub trait InteractionRepo: Send + Sync {
    async fn create_interaction(&self, interaction: &Interaction) -> StoreResult<()>;
    async fn get_interaction(&self, id: &str) -> StoreResult<Option<Interaction>>;
    async fn update_interaction(&self, interaction: &Interaction) -> StoreResult<()>;
    async fn delete_interaction(&self, id: &str) -> StoreResult<bool>;
}

#[async_trait]
pub trait ReplayRepo: Send + Sync {
    /// Remembers a one-time value (e.g. a client assertion `jti`) until `expires_at`.
    /// True when it was new; false when it was seen before and has not expired.
    async fn remember_once(
        &self,
        key: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool>;
}

/// Everything the engine needs from storage.
pub trait Store:
    ClientRepo
    + AccountRepo
    + ProductRepo
    + KeyRepo
    + GrantRepo
    + ConsentRepo
    + SessionRepo
    + InteractionRepo
    + ReplayRepo
{
}

impl<T> Store for T where
    T: ClientRepo
        + AccountRepo
        + ProductRepo
        + KeyRepo
        + GrantRepo
        + ConsentRepo
        + SessionRepo
        + InteractionRepo
        + ReplayRepo
{
}
