//! The device authorization grant ([RFC 8628](https://www.rfc-editor.org/rfc/rfc8628)):
//! the device asks for a pair of codes (§3.1, §3.2), the user enters the user code on the
//! verification page, signs in and allows or denies (§3.3), and the device polls the
//! token endpoint (§3.4, §3.5; see `token::device_code`). Codes are stored as keyed
//! hashes; user code lookups are counted per caller and throttled (§5.1).

pub mod user_code;

use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::interaction::ScopeInfo;
use crate::model::{
    Client, Consent, DeviceAuthorization, DeviceDecision, DeviceStatus, Grant, GrantType, Session,
};
use crate::provider::Provider;
use crate::request::{Params, reject_repeated};
use crate::scope::{client_scope, optional_scope};
use crate::store::StoreError;
use propusk_types::routes;
use serde::Serialize;

/// Seconds between polls the device starts with (§3.2 `interval`).
pub const INTERVAL: i64 = 3;
/// What each `slow_down` adds to the interval (§3.5).
pub const SLOW_DOWN_STEP: i64 = 5;
/// User code lookups one caller may make per window (§5.1 brute forcing).
pub const ATTEMPT_LIMIT: i64 = 20;
pub const ATTEMPT_WINDOW: i64 = 600;

/// The device authorization response (§3.2).
#[derive(Clone, Debug, Serialize)]
pub struct DeviceAuthorizationResponse {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: i64,
    pub interval: i64,
}

/// A pending authorization as the verification page shows it.
#[derive(Debug)]
pub struct PendingDevice {
    pub authorization: DeviceAuthorization,
    pub client: Client,
    pub scopes: Vec<ScopeInfo>,
    /// The user code as typed, normalised (`BDWPHQPK`).
    pub user_code: String,
}

impl Provider {
    /// §3.1: authenticates the client (or takes a public client's `client_id`), checks
    /// that it may use the grant and the scope, and issues the pair of codes.
    pub async fn device_authorization(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
    ) -> Result<DeviceAuthorizationResponse> {
        reject_repeated(params)?;
        let client = self
            .authenticate_client(credentials, routes::DEVICE_AUTHORIZATION)
            .await?;
        if client.product.is_some() || !client.allows_grant(GrantType::DeviceCode) {
            return Err(Error::GrantNotAllowed(GrantType::DeviceCode.as_str()));
        }
        // §3.1 `scope`: within what the client registered; absent means all of it.
        let scope = client_scope(&client, optional_scope(params)?)?;
        let now = self.now();
        let device_code = self.sortable_secret(32);
        for _ in 0..3 {
            let user_code = user_code::generate(self.rng.as_ref());
            let record = DeviceAuthorization {
                device_code_hash: self.hasher.hash(&device_code),
                user_code_hash: self.user_code_hash(&user_code),
                client_id: client.id.clone(),
                scope: scope.clone(),
                status: DeviceStatus::Pending,
                account_id: None,
                grant_id: None,
                interval: INTERVAL,
                last_polled_at: None,
                created_at: now,
                expires_at: now + client.lifetimes.device_code,
            };
            match self.store.insert_device_authorization(&record).await {
                Ok(()) => return Ok(self.device_response(device_code, user_code, &client)),
                // A live user code was drawn twice: draw again.
                Err(StoreError::Conflict(_)) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Internal("could not draw a unique user code".into()))
    }

    fn device_response(
        &self,
        device_code: String,
        user_code: String,
        client: &Client,
    ) -> DeviceAuthorizationResponse {
        let verification_uri = self.config.url(routes::DEVICE);
        DeviceAuthorizationResponse {
            device_code,
            verification_uri_complete: format!("{verification_uri}?user-code={user_code}"),
            verification_uri,
            user_code,
            expires_in: client.lifetimes.device_code,
            interval: INTERVAL,
        }
    }

    fn user_code_hash(&self, normalized: &str) -> String {
        self.hasher.hash(&format!("user-code:{normalized}"))
    }

    /// The pending authorization a typed user code stands for. Every lookup counts
    /// against each of `callers` (e.g. the account and the address); past the limit the
    /// lookup is refused without touching the code.
    pub async fn pending_device(&self, typed: &str, callers: &[String]) -> Result<PendingDevice> {
        let now = self.now();
        for caller in callers {
            let key = format!("device-user-code:{caller}");
            if self.store.count_attempt(&key, ATTEMPT_WINDOW, now).await? > ATTEMPT_LIMIT {
                return Err(Error::UserCodeThrottled);
            }
        }
        let user_code = user_code::normalize(typed).ok_or(Error::UserCodeUnknown)?;
        let authorization = self
            .store
            .find_device_by_user_code(&self.user_code_hash(&user_code))
            .await?
            .filter(|a| a.status == DeviceStatus::Pending && a.expires_at > now)
            .ok_or(Error::UserCodeUnknown)?;
        let client = self
            .store
            .get_client(&authorization.client_id)
            .await?
            .ok_or(Error::UserCodeUnknown)?;
        let scopes = self.scope_infos(&authorization.scope).await?;
        Ok(PendingDevice {
            authorization,
            client,
            scopes,
            user_code,
        })
    }

    /// The signed-in user's decision (§3.3). Allowing records the grant the device will
    /// redeem and remembers the consent; either way the decision lands once.
    pub async fn decide_device(
        &self,
        typed: &str,
        callers: &[String],
        session: &Session,
        allow: bool,
    ) -> Result<PendingDevice> {
        let pending = self.pending_device(typed, callers).await?;
        let now = self.now();
        let grant_id = if allow {
            Some(self.device_grant(&pending, session).await?)
        } else {
            None
        };
        let decision = DeviceDecision {
            status: if allow {
                DeviceStatus::Approved
            } else {
                DeviceStatus::Denied
            },
            account_id: session.account_id.clone(),
            grant_id,
        };
        let user_code_hash = &pending.authorization.user_code_hash;
        if !self
            .store
            .decide_device(user_code_hash, &decision, now)
            .await?
        {
            return Err(Error::UserCodeUnknown);
        }
        Ok(pending)
    }

    async fn device_grant(&self, pending: &PendingDevice, session: &Session) -> Result<String> {
        let now = self.now();
        let (client, scope) = (&pending.client, &pending.authorization.scope);
        let grant = Grant {
            id: self.sortable_id(16),
            client_id: client.id.clone(),
            account_id: Some(session.account_id.clone()),
            session_id: Some(session.id.clone()),
            scope: scope.clone(),
            auth_time: Some(session.auth_time),
            acr: session.acr.clone(),
            amr: session.amr.clone(),
            nonce: None,
            claims: None,
            created_at: now,
            revoked_at: None,
        };
        self.store.insert_grant(&grant).await?;
        self.store
            .add_session_client(&session.id, &client.id)
            .await?;
        let previous = self
            .store
            .get_consent(&session.account_id, &client.id)
            .await?;
        let consent = Consent {
            account_id: session.account_id.clone(),
            client_id: client.id.clone(),
            scope: previous.map_or_else(|| scope.clone(), |c| c.scope.union(scope)),
            updated_at: now,
        };
        self.store.upsert_consent(&consent).await?;
        self.audit_consent(&consent);
        Ok(grant.id)
    }
}
