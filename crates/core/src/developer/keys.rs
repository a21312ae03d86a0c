//! Api-keys (client secrets, RFC 6749 §2.3.1) of an application: several live at once so
//! that a key is rotated without downtime; each has a name and an optional expiry, its
//! value is shown once and stored as the provider's keyed hash; a revoked key stops
//! authenticating at once.

use super::{AppType, Cabinet, CabinetResult, Problem, invalid};
use crate::crypto::random_token;
use crate::model::{Account, Client, ClientSecret};

/// Bytes of a generated key.
const KEY_BYTES: usize = 32;

/// Longest key name, characters.
const MAX_KEY_NAME: usize = 60;

/// Longest expiry an integrator may choose, days.
const MAX_EXPIRY_DAYS: i64 = 3650;

/// What the new-key form asks: a name and, optionally, days until it expires.
#[derive(Clone, Debug, Default)]
pub struct NewKey {
    pub name: String,
    pub expires_in_days: String,
}

impl Cabinet<'_> {
    /// The keys of an application the account owns, revoked ones included.
    pub async fn keys(&self, client: &Client) -> CabinetResult<Vec<ClientSecret>> {
        Ok(self.p.store.api_keys(&client.id).await?)
    }

    /// Creates a key; returns its record and its value, which is never readable again.
    pub async fn create_key(
        &self,
        account: &Account,
        client_id: &str,
        form: &NewKey,
    ) -> CabinetResult<(ClientSecret, String)> {
        let client = self.owned(account, client_id).await?;
        if !AppType::of(&client).uses_keys() {
            return invalid(Problem::KeysNotUsed);
        }
        let name = form.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_KEY_NAME
            || name.chars().any(char::is_control)
        {
            return invalid(Problem::KeyNameMissing);
        }
        let now = self.p.now();
        let expires_at = match form.expires_in_days.trim() {
            "" => None,
            days => match days.parse::<i64>() {
                Ok(d) if (1..=MAX_EXPIRY_DAYS).contains(&d) => Some(now + d * 86_400),
                _ => return invalid(Problem::KeyExpiryInvalid),
            },
        };
        let value = random_token(self.p.rng.as_ref(), KEY_BYTES);
        let record = ClientSecret {
            id: random_token(self.p.rng.as_ref(), 9),
            client_id: client.id.clone(),
            secret_hash: self.p.hasher.hash(&value),
            created_at: now,
            expires_at,
            name: Some(name.to_owned()),
            last_used_at: None,
            revoked_at: None,
        };
        self.p.store.add_client_secret(&record).await?;
        Ok((record, value))
    }

    /// Revokes a key of an application the account owns; false when it was revoked already
    /// or is not the application's.
    pub async fn revoke_key(
        &self,
        account: &Account,
        client_id: &str,
        key_id: &str,
    ) -> CabinetResult<bool> {
        let client = self.owned(account, client_id).await?;
        let now = self.p.now();
        Ok(self
            .p
            .store
            .revoke_client_secret(&client.id, key_id, now)
            .await?)
    }
}
