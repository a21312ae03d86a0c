//! Browser sessions of signed-in users (the SSO session). A session has an absolute and an
//! idle lifetime; every sign-in creates a new one with a new id (no fixation). The cookie
//! value is a random secret; only its keyed hash is stored.

use crate::accounts::{LegacyHash, verify_legacy};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::model::{Account, Session};
use crate::provider::Provider;

impl Provider {
    /// Starts a session for a freshly authenticated account. Returns the session and the
    /// secret for the cookie.
    pub async fn start_session(
        &self,
        account: &Account,
        amr: Vec<String>,
        acr: Option<String>,
    ) -> Result<(Session, String)> {
        let now = self.now();
        let secret = self.sortable_secret(32);
        let session = Session {
            id: self.sortable_id(16),
            secret_hash: self.hasher.hash(&secret),
            account_id: account.id.clone(),
            auth_time: now,
            acr,
            amr,
            created_at: now,
            last_active_at: now,
            expires_at: now + self.config.session_lifetime,
            ended_at: None,
        };
        self.store.create_session(&session).await?;
        Ok((session, secret))
    }

    /// The live session a cookie secret stands for, refreshing its idle timer.
    pub async fn session_from_secret(&self, secret: &str) -> Result<Option<Session>> {
        let now = self.now();
        let Some(session) = self
            .store
            .find_session_by_secret(&self.hasher.hash(secret))
            .await?
        else {
            return Ok(None);
        };
        if !self.session_is_live(&session, now) {
            return Ok(None);
        }
        if now - session.last_active_at > 60 {
            self.store.touch_session(&session.id, now).await?;
        }
        Ok(Some(session))
    }

    pub fn session_is_live(&self, session: &Session, now: Timestamp) -> bool {
        session.is_live(now) && now - session.last_active_at < self.config.session_idle_lifetime
    }

    /// Verifies on the blocking pool (argon2id takes tens of milliseconds of CPU). With no
    /// stored hash the same work is done against a dummy, and the answer is `Invalid`.
    /// Hashes imported from other systems (bcrypt, PBKDF2) verify too and always ask to
    /// be rehashed with argon2id.
    pub async fn verify_password(
        &self,
        password: &str,
        hash: Option<&str>,
    ) -> Result<crate::crypto::PasswordCheck> {
        let hasher = self.passwords.clone();
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        let permit = self
            .password_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| crate::error::Error::Internal(format!("password slots: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            match hash {
                Some(hash) if LegacyHash::of(&hash) == LegacyHash::Argon2 => {
                    hasher.verify(&password, &hash)
                }
                Some(hash) if LegacyHash::of(&hash) == LegacyHash::Unknown => {
                    hasher.dummy_verify(&password);
                    crate::crypto::PasswordCheck::Invalid
                }
                Some(hash) if verify_legacy(&password, &hash) => {
                    crate::crypto::PasswordCheck::Valid { needs_rehash: true }
                }
                Some(_) => crate::crypto::PasswordCheck::Invalid,
                None => {
                    hasher.dummy_verify(&password);
                    crate::crypto::PasswordCheck::Invalid
                }
            }
        })
        .await
        .map_err(|e| crate::error::Error::Internal(format!("password check task: {e}")))
    }

    /// Hashes a new password with argon2id on the blocking pool.
    pub async fn hash_password(&self, password: &str) -> Result<String> {
        let (hasher, rng, password) = (
            self.passwords.clone(),
            self.rng.clone(),
            password.to_owned(),
        );
        tokio::task::spawn_blocking(move || hasher.hash(rng.as_ref(), &password))
            .await
            .map_err(|e| crate::error::Error::Internal(format!("password hash task: {e}")))?
            .map_err(|e| crate::error::Error::Internal(e.to_string()))
    }
}
