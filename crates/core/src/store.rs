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
    /// Erases the account in one transaction: its identifiers, password and profile are
    /// cleared and it is disabled (the id stays and is never reused); its sessions end
    /// and forget their browser; its grants and their tokens are revoked and lose their
    /// claims; its consents, factors, recovery codes and challenges go; its audit events
    /// stay without their addresses; `deliveries` (back-channel logouts) are queued. Any
    /// failure leaves everything as it was. False when there is no such account.
    async fn erase_account(
        &self,
        account_id: &str,
        deliveries: &[LogoutDelivery],
        now: Timestamp,
    ) -> StoreResult<bool>;
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
    /// The grant and the account it is for (if it names one that exists), in one read.
    async fn get_grant_with_account(
        &self,
        id: &str,
    ) -> StoreResult<Option<(Grant, Option<Account>)>>;
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
    /// Every grant of the account, newest first (revoked ones too).
    async fn account_grants(&self, account_id: &str) -> StoreResult<Vec<Grant>>;
    /// For each client, when it last obtained a refresh token for the account (a grant's
    /// first one or a rotation), by client id.
    async fn last_refresh_by_client(
        &self,
        account_id: &str,
    ) -> StoreResult<Vec<(String, Timestamp)>>;
    /// The user takes one client's access away, in one transaction: the consent is
    /// deleted; the client's grants for the account are revoked with their refresh and
    /// access tokens; `deliveries` (back-channel logouts) are queued. Any failure leaves
    /// everything as it was. Returns how many grants were revoked.
    async fn revoke_access(
        &self,
        account_id: &str,
        client_id: &str,
        deliveries: &[LogoutDelivery],
        now: Timestamp,
    ) -> StoreResult<u64>;
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
    /// Records that the owner of a live session proved again who they are; false when the
    /// session is unknown or ended.
    async fn mark_reauthenticated(&self, id: &str, now: Timestamp) -> StoreResult<bool>;
    /// When the owner of the session last proved again who they are (not the sign-in).
    async fn reauthenticated_at(&self, id: &str) -> StoreResult<Option<Timestamp>>;
    /// Remembers the browser and address the session began from.
    async fn set_session_device(&self, id: &str, device: &SessionDevice) -> StoreResult<()>;
    /// The browser and address of the session; empty when unknown.
    async fn session_device(&self, id: &str) -> StoreResult<SessionDevice>;
    /// Whether the account has sessions other than `except`, and whether one of them began
    /// in a browser that sent `user_agent`: one statement, however many sessions there are.
    async fn earlier_devices(
        &self,
        account_id: &str,
        except: &str,
        user_agent: Option<&str>,
    ) -> StoreResult<EarlierDevices>;
}

/// What [`SessionRepo::earlier_devices`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EarlierDevices {
    /// The account had another session.
    pub signed_in_before: bool,
    /// Another session began in a browser with the same User-Agent.
    pub same_browser: bool,
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

#[async_trait]
pub trait CounterRepo: Send + Sync {
    /// Adds one event to counter `key` and returns it, atomically. A counter whose window
    /// started at or before `now - window` starts over at 1.
    async fn hit_counter(&self, key: &str, now: Timestamp, window: i64) -> StoreResult<Counter>;
    /// The counters among `keys` that exist, in one read.
    async fn get_counters(&self, keys: &[&str]) -> StoreResult<Vec<Counter>>;
    async fn clear_counter(&self, key: &str) -> StoreResult<()>;
    /// Deletes counters whose last event is before `before`; returns how many.
    async fn purge_counters(&self, before: Timestamp) -> StoreResult<u64>;
}

#[async_trait]
pub trait AuditRepo: Send + Sync {
    async fn record_audit(&self, event: &AuditEvent) -> StoreResult<()>;
    /// Appends `events` together (multi-row inserts); all of them, or an error.
    async fn record_audit_batch(&self, events: &[AuditEvent]) -> StoreResult<()>;
    /// Newest first; all accounts when `account_id` is None.
    async fn list_audit(
        &self,
        account_id: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>>;
    /// One page of the account's events, newest first: those older than `before`
    /// (`at`, `id` of the last event of the previous page), at most `limit`.
    async fn account_audit_page(
        &self,
        account_id: &str,
        before: Option<(Timestamp, &str)>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>>;
}

/// Which audit events an operator reads: each given field must match; `since` is
/// inclusive and `until` exclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    pub kind: Option<AuditKind>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// What operators need beyond the other repositories: finding accounts, reading the
/// whole audit trail by filter, and the set of operator accounts.
#[async_trait]
pub trait AdminRepo: Send + Sync {
    /// Accounts whose login, e-mail, phone or name contains `query` (any case),
    /// all when `None`, ordered by id, those after `after`, at most `limit`.
    async fn search_accounts(
        &self,
        query: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Account>>;
    /// Events matching `filter`, newest first, older than `before` (`at`, `id` of the
    /// last event of the previous page), at most `limit`.
    async fn search_audit(
        &self,
        filter: &AuditFilter,
        before: Option<(Timestamp, &str)>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>>;
    /// How many events of each kind happened from `since` (inclusive) to `until`
    /// (exclusive), by kind; kinds without events, and kinds this version does not know,
    /// are left out.
    async fn count_audit(
        &self,
        since: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<(AuditKind, i64)>>;
    /// How many events of `kind` from `since` (inclusive) to `until` (exclusive) have
    /// each detail, by detail (events without one are left out).
    async fn count_audit_details(
        &self,
        kind: AuditKind,
        since: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<(String, i64)>>;
    /// Makes the account an operator; false when it was one already.
    async fn grant_operator(&self, account_id: &str, now: Timestamp) -> StoreResult<bool>;
    /// Takes operator rights away; false when the account had none.
    async fn revoke_operator(&self, account_id: &str) -> StoreResult<bool>;
    async fn is_operator(&self, account_id: &str) -> StoreResult<bool>;
}

#[async_trait]
pub trait ChallengeRepo: Send + Sync {
    async fn create_challenge(&self, challenge: &Challenge) -> StoreResult<()>;
    async fn get_challenge(&self, id_hash: &str) -> StoreResult<Option<Challenge>>;
    /// Rewrites every field, `attempts` included.
    async fn update_challenge(&self, challenge: &Challenge) -> StoreResult<()>;
    async fn delete_challenge(&self, id_hash: &str) -> StoreResult<bool>;
    /// Counts one guess of the current code, atomically; false when `max` were used.
    async fn count_challenge_attempt(&self, id_hash: &str, max: i64) -> StoreResult<bool>;
    async fn purge_challenges(&self, now: Timestamp) -> StoreResult<u64>;
}

#[async_trait]
pub trait OutboxRepo: Send + Sync {
    async fn enqueue_message(&self, message: &OutboxMessage) -> StoreResult<()>;
    /// Takes up to `limit` unsent messages due at `now` with fewer than `max_attempts`
    /// tries: each gets `next_attempt_at = lease_until` and one more attempt, atomically,
    /// so two workers never take the same message.
    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
        max_attempts: i64,
    ) -> StoreResult<Vec<OutboxMessage>>;
    /// Marks a message sent; `erase_body` drops its text (the code).
    async fn message_sent(&self, id: &str, now: Timestamp, erase_body: bool) -> StoreResult<()>;
    /// Records a failed try; `erase_body` drops its text when the message is given up.
    async fn message_failed(
        &self,
        id: &str,
        next_attempt_at: Timestamp,
        error: &str,
        erase_body: bool,
    ) -> StoreResult<()>;
    /// Drops the text of unsent messages that used up `max_attempts` and whose last
    /// lease ran out without an answer (their worker died); returns how many.
    async fn erase_abandoned_bodies(&self, now: Timestamp, max_attempts: i64) -> StoreResult<u64>;
    /// Newest first (the development outbox page).
    async fn recent_messages(&self, limit: i64) -> StoreResult<Vec<OutboxMessage>>;
}

#[async_trait]
pub trait FactorRepo: Send + Sync {
    async fn get_factors(&self, account_id: &str) -> StoreResult<Option<Factors>>;
    /// Inserts or replaces the account's factors.
    async fn put_factors(&self, factors: &Factors) -> StoreResult<()>;
    /// Records `step` as the last TOTP step used, atomically; false when a step at or
    /// after it was used already (a replayed code).
    async fn use_totp_step(&self, account_id: &str, step: i64) -> StoreResult<bool>;
    /// Replaces every recovery code of the account.
    async fn replace_recovery_codes(
        &self,
        account_id: &str,
        codes: &[RecoveryCode],
    ) -> StoreResult<()>;
    /// Marks an unused recovery code used, atomically; false when unknown or used.
    async fn use_recovery_code(
        &self,
        account_id: &str,
        code_hash: &str,
        now: Timestamp,
    ) -> StoreResult<bool>;
    async fn unused_recovery_codes(&self, account_id: &str) -> StoreResult<i64>;
}

#[async_trait]
pub trait AccountRevocationRepo: Send + Sync {
    /// Ends every live session of the account; returns how many.
    async fn end_account_sessions(&self, account_id: &str, now: Timestamp) -> StoreResult<u64>;
    /// Revokes every grant of the account with its refresh and access tokens.
    async fn revoke_account_grants(&self, account_id: &str, now: Timestamp) -> StoreResult<u64>;
}

/// What nodes over one database share besides the data: a version of everything they
/// cache, and leases of background jobs that run on one node at a time.
#[async_trait]
pub trait CoordinationRepo: Send + Sync {
    /// Bumped with every write to clients, api-keys, products or signing keys, by anyone.
    async fn cached_data_version(&self) -> StoreResult<i64>;
    /// Drops what this store caches (another node or process changed it).
    fn forget_cached(&self);
    /// Counts what this store has forgotten, so that caches above it can tell when to
    /// reload: it moves with every write through this store and every [`forget_cached`].
    ///
    /// [`forget_cached`]: CoordinationRepo::forget_cached
    fn cache_generation(&self) -> u64;
    /// Takes the lease `name` for `holder` until `until`, or renews it when `holder` has it;
    /// true when `holder` holds it now. A lease whose time is past `now` is free.
    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> StoreResult<bool>;
    /// Gives the lease up if `holder` has it.
    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()>;
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
    + DeviceRepo
    + PushedRequestRepo
    + LogoutRepo
    + TrustedIssuerRepo
    + CounterRepo
    + AuditRepo
    + ChallengeRepo
    + OutboxRepo
    + FactorRepo
    + AccountRevocationRepo
    + TokenHolderRepo
    + CoordinationRepo
    + DeveloperRepo
    + RegistrationRepo
    + CertificateRepo
    + PasskeyRepo
    + AdminRepo
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
        + DeviceRepo
        + PushedRequestRepo
        + LogoutRepo
        + TrustedIssuerRepo
        + CounterRepo
        + AuditRepo
        + ChallengeRepo
        + OutboxRepo
        + FactorRepo
        + AccountRevocationRepo
        + TokenHolderRepo
        + CoordinationRepo
        + DeveloperRepo
        + RegistrationRepo
        + CertificateRepo
        + PasskeyRepo
        + AdminRepo
{
}

/// Device authorizations (RFC 8628), found by the hash of either code. State changes are
/// conditional updates, so a decision lands once and a device code is redeemed once.
#[async_trait]
pub trait DeviceRepo: Send + Sync {
    async fn insert_device_authorization(
        &self,
        authorization: &DeviceAuthorization,
    ) -> StoreResult<()>;
    async fn get_device_authorization(
        &self,
        device_code_hash: &str,
    ) -> StoreResult<Option<DeviceAuthorization>>;
    async fn find_device_by_user_code(
        &self,
        user_code_hash: &str,
    ) -> StoreResult<Option<DeviceAuthorization>>;
    /// Records the decision on a pending authorization that has not expired; false when
    /// it was not pending any more.
    async fn decide_device(
        &self,
        user_code_hash: &str,
        decision: &DeviceDecision,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Remembers when the device polled and the interval it must keep from now on.
    async fn record_device_poll(
        &self,
        device_code_hash: &str,
        now: Timestamp,
        interval: i64,
    ) -> StoreResult<()>;
    /// Atomically turns an approved authorization into a redeemed one; false when it was
    /// not approved (redeemed before, or never approved).
    async fn redeem_device(&self, device_code_hash: &str, now: Timestamp) -> StoreResult<bool>;
    /// Counts one attempt under `key` and returns the count within the current window;
    /// a window older than `window` seconds starts anew at one.
    async fn count_attempt(&self, key: &str, window: i64, now: Timestamp) -> StoreResult<i64>;
    /// Deletes authorizations that expired before `now`; returns how many.
    async fn purge_expired_devices(&self, now: Timestamp) -> StoreResult<u64>;
}

/// Pushed authorization requests (RFC 9126), found by the hash of their `request_uri`.
/// Taking one deletes it, so each is used once.
#[async_trait]
pub trait PushedRequestRepo: Send + Sync {
    async fn insert_pushed_request(&self, request: &PushedRequest) -> StoreResult<()>;
    /// Atomically removes and returns the request if it was pushed by `client_id` and is
    /// live at `now`; `None` otherwise (unknown, used, expired or another client's; an
    /// attempt by another client leaves it in place).
    async fn take_pushed_request(
        &self,
        request_uri_hash: &str,
        client_id: &str,
        now: Timestamp,
    ) -> StoreResult<Option<PushedRequest>>;
    /// Deletes requests that expired before `now`; returns how many.
    async fn purge_expired_pushed_requests(&self, now: Timestamp) -> StoreResult<u64>;
}

/// Logout bookkeeping: the grants of a session (to revoke on sign-out) and the queue of
/// back-channel logout deliveries (OIDC Back-Channel Logout 1.0 §2.7).
#[async_trait]
pub trait LogoutRepo: Send + Sync {
    /// Every grant made in the session (by its public id), revoked or not.
    async fn session_grants(&self, session_id: &str) -> StoreResult<Vec<Grant>>;
    async fn insert_logout_delivery(&self, delivery: &LogoutDelivery) -> StoreResult<()>;
    /// Claims up to `limit` deliveries that are due (not delivered, not abandoned,
    /// `next_attempt_at <= now`) by moving their next attempt to `lease_until`, so that
    /// another worker does not take them meanwhile.
    async fn claim_logout_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<LogoutDelivery>>;
    /// Stores the outcome of an attempt (attempts, next attempt, delivered or abandoned,
    /// last error) as the delivery now stands.
    async fn update_logout_delivery(&self, delivery: &LogoutDelivery) -> StoreResult<()>;
    /// Deliveries for one client, newest first (for operators and tests).
    async fn list_logout_deliveries(&self, client_id: &str) -> StoreResult<Vec<LogoutDelivery>>;
}

/// Partner issuers whose JWT assertions the `jwt-bearer` grant accepts (RFC 7523 §3).
#[async_trait]
pub trait TrustedIssuerRepo: Send + Sync {
    /// Creates or replaces the record of the issuer.
    async fn upsert_trusted_issuer(&self, issuer: &TrustedIssuer) -> StoreResult<()>;
    async fn get_trusted_issuer(&self, issuer: &str) -> StoreResult<Option<TrustedIssuer>>;
    async fn list_trusted_issuers(&self) -> StoreResult<Vec<TrustedIssuer>>;
    async fn delete_trusted_issuer(&self, issuer: &str) -> StoreResult<bool>;
}

/// How a recorded access token is looked up: by the `jti` of a JWT, or by the hash of a
/// reference token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKey<'a> {
    Jti(&'a str),
    Hash(&'a str),
}

/// What the UserInfo endpoint needs about a recorded access token, its grant and its
/// account, read together (OIDC Core §5.3). Nothing here is cached: a revocation or a
/// disabled account shows at once.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenHolder {
    pub revoked_at: Option<Timestamp>,
    pub expires_at: Timestamp,
    pub account_id: Option<String>,
    /// The recorded claims, read only for a lookup by hash (a JWT carries its own).
    pub claims: Option<serde_json::Value>,
    pub grant_id: Option<String>,
    /// The token's grant when it still exists: its revocation and its `claims` request.
    pub grant: Option<HolderGrant>,
    /// The token's account when it still exists.
    pub account: Option<Account>,
}

/// The part of a grant that UserInfo reads.
#[derive(Clone, Debug, PartialEq)]
pub struct HolderGrant {
    pub revoked_at: Option<Timestamp>,
    pub claims: Option<serde_json::Value>,
}

/// The one read behind UserInfo.
#[async_trait]
pub trait TokenHolderRepo: Send + Sync {
    /// The recorded access token with its grant and account, in one query; `None` when no
    /// token is recorded under `key`.
    async fn token_holder(&self, key: TokenKey<'_>) -> StoreResult<Option<TokenHolder>>;
}

/// The integrator cabinet: integrators, owners of clients, api-key bookkeeping, requests
/// for product scopes, uploaded logos and usage figures.
#[async_trait]
pub trait DeveloperRepo: Send + Sync {
    /// Records (or renews) the acceptance of the integrator terms.
    async fn put_integrator(&self, integrator: &Integrator) -> StoreResult<()>;
    async fn get_integrator(&self, account_id: &str) -> StoreResult<Option<Integrator>>;
    /// Adds an owner; adding one twice changes nothing.
    async fn add_client_owner(&self, owner: &ClientOwner) -> StoreResult<()>;
    /// Removes an owner; false when the account was none.
    async fn remove_client_owner(&self, client_id: &str, account_id: &str) -> StoreResult<bool>;
    async fn client_owners(&self, client_id: &str) -> StoreResult<Vec<ClientOwner>>;
    /// Ids of the clients the account owns, oldest first.
    async fn owned_clients(&self, account_id: &str) -> StoreResult<Vec<String>>;
    /// The api-keys of a client as stored now (never from a cache: last use included).
    async fn api_keys(&self, client_id: &str) -> StoreResult<Vec<ClientSecret>>;
    /// Revokes a live key of the client; false when there was none to revoke.
    async fn revoke_client_secret(
        &self,
        client_id: &str,
        secret_id: &str,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Records that the key authenticated its client at `now` (in the cache too).
    async fn touch_client_secret(
        &self,
        client_id: &str,
        secret_id: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn insert_scope_request(&self, request: &ScopeRequest) -> StoreResult<()>;
    /// A client's requests (all clients' when `None`), oldest first; only those with
    /// `status` when given.
    async fn list_scope_requests(
        &self,
        client_id: Option<&str>,
        status: Option<ScopeRequestStatus>,
    ) -> StoreResult<Vec<ScopeRequest>>;
    async fn get_scope_request(&self, id: &str) -> StoreResult<Option<ScopeRequest>>;
    /// Decides a pending request; false when it was not pending any more.
    async fn decide_scope_request(
        &self,
        id: &str,
        status: ScopeRequestStatus,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Inserts or replaces the logo of a client.
    async fn put_client_logo(&self, logo: &ClientLogo) -> StoreResult<()>;
    async fn get_client_logo(&self, client_id: &str) -> StoreResult<Option<ClientLogo>>;
    /// Grants made and access tokens issued for the client per UTC day since `since`,
    /// oldest day first; days with neither are left out.
    async fn client_usage(&self, client_id: &str, since: Timestamp) -> StoreResult<Vec<UsageDay>>;
}

/// Dynamic client registration (RFC 7591, RFC 7592): initial access tokens and the
/// registration access token of each registered client, found by their hashes.
#[async_trait]
pub trait RegistrationRepo: Send + Sync {
    async fn insert_registration_token(&self, token: &RegistrationToken) -> StoreResult<()>;
    async fn find_registration_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<RegistrationToken>>;
    /// Creates the client, its api-key when it has one, and its registration, in one
    /// transaction; a taken client id is a conflict.
    async fn register_client(
        &self,
        client: &Client,
        secret: Option<&ClientSecret>,
        registration: &ClientRegistration,
    ) -> StoreResult<()>;
    async fn find_registration(
        &self,
        access_token_hash: &str,
    ) -> StoreResult<Option<ClientRegistration>>;
    /// Rewrites a registered client and, in the same transaction, drops its api-keys
    /// when `drop_secrets` and adds `new_secret` when given.
    async fn replace_registered_client(
        &self,
        client: &Client,
        drop_secrets: bool,
        new_secret: Option<&ClientSecret>,
    ) -> StoreResult<()>;
}

/// Certificates bound to accounts and the challenges of certificate sign-in.
#[async_trait]
pub trait CertificateRepo: Send + Sync {
    /// Fails with `Conflict("thumbprint")` when the certificate is bound already.
    async fn bind_certificate(&self, binding: &CertificateBinding) -> StoreResult<()>;
    async fn find_certificate(&self, thumbprint: &str) -> StoreResult<Option<CertificateBinding>>;
    /// The certificates of an account, oldest binding first.
    async fn account_certificates(&self, account_id: &str) -> StoreResult<Vec<CertificateBinding>>;
    /// Removes a binding of the account, and the challenges made for it; false when the
    /// account had no such certificate.
    async fn unbind_certificate(&self, account_id: &str, thumbprint: &str) -> StoreResult<bool>;
    async fn insert_certificate_challenge(
        &self,
        challenge: &CertificateChallenge,
    ) -> StoreResult<()>;
    /// Atomically marks an unused challenge used. One used before is `AlreadyUsed`.
    async fn use_certificate_challenge(
        &self,
        value_hash: &str,
        now: Timestamp,
    ) -> StoreResult<ChallengeUse>;
    /// Deletes challenges that expired before `now`; returns how many.
    async fn purge_certificate_challenges(&self, now: Timestamp) -> StoreResult<u64>;
}

/// Passkeys (WebAuthn credentials) of accounts.
#[async_trait]
pub trait PasskeyRepo: Send + Sync {
    /// Fails with `Conflict("credential_id")` when the credential is registered already.
    async fn add_passkey(&self, passkey: &Passkey) -> StoreResult<()>;
    async fn find_passkey(&self, id: &str) -> StoreResult<Option<Passkey>>;
    /// The passkeys of an account, oldest first.
    async fn account_passkeys(&self, account_id: &str) -> StoreResult<Vec<Passkey>>;
    /// Records a use: the counter, the backup state and the time; false when the
    /// passkey is gone.
    async fn use_passkey(&self, id: &str, used: PasskeyUse) -> StoreResult<bool>;
    /// False when the account has no such passkey.
    async fn rename_passkey(&self, account_id: &str, id: &str, name: &str) -> StoreResult<bool>;
    /// False when the account has no such passkey.
    async fn remove_passkey(&self, account_id: &str, id: &str) -> StoreResult<bool>;
}
