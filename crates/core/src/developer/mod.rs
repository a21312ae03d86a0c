//! The integrator cabinet's operations: becoming an integrator by accepting the terms,
//! registering applications by type, their settings, api-keys, requests for product
//! scopes, co-owners, logos and usage. Every operation on an application first checks
//! that the acting account owns it. Registration rules of redirect URIs are those of
//! [`crate::model::redirect_uri`] (RFC 6749 §3.1.2, RFC 8252 §7).

pub mod app_type;
mod apps;
mod keys;
mod logo;
mod scopes;
mod team;
pub mod test_sign_in;

pub use app_type::AppType;
pub use apps::{AppSettings, NewApp};
pub use keys::NewKey;
pub use logo::MAX_LOGO_BYTES;

use crate::error::Error;
pub use crate::model::client_policy::LifetimeLimits;
use crate::model::{Account, Client};
use crate::provider::Provider;
use crate::store::StoreError;

/// What an integrator can fix in a form; the web layer words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    NameMissing,
    TypeUnknown,
    /// A redirect or logout URI broke a registration rule (the reason is safe to show).
    Uri(String),
    /// A homepage, policy or terms link that is not an absolute https URL.
    LinkNotHttps(&'static str),
    /// A lifetime outside the operator's bounds: the field and the bounds.
    Lifetime(&'static str, i64, i64),
    SubjectTypeUnknown,
    /// A client authentication other than api-keys or `private_key_jwt`.
    AuthMethodUnknown,
    /// The JWK Set field is not JSON.
    JwksNotJson,
    /// The public keys broke a registration rule (the reason is safe to show).
    Keys(String),
    KeyNameMissing,
    KeyExpiryInvalid,
    /// The app authenticates without a key.
    KeysNotUsed,
    ScopeUnknown,
    ScopeAlreadyAllowed,
    LogoNotImage,
    LogoTooLarge,
    AccountUnknown,
}

#[derive(Debug, thiserror::Error)]
pub enum CabinetError {
    #[error("the account has not accepted the integrator terms")]
    NotIntegrator,
    /// No such application, or the account does not own it (not told apart).
    #[error("no such application")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(Problem),
    #[error(transparent)]
    Failed(#[from] Error),
}

impl From<StoreError> for CabinetError {
    fn from(error: StoreError) -> Self {
        Self::Failed(Error::Store(error))
    }
}

pub type CabinetResult<T> = Result<T, CabinetError>;

/// The cabinet over one provider.
pub struct Cabinet<'p> {
    pub(crate) p: &'p Provider,
    pub limits: LifetimeLimits,
}

impl<'p> Cabinet<'p> {
    pub fn new(provider: &'p Provider) -> Self {
        Self {
            p: provider,
            limits: provider.config.integrator_limits,
        }
    }

    /// Whether the account accepted the terms (of any version).
    pub async fn is_integrator(&self, account: &Account) -> CabinetResult<bool> {
        Ok(self.p.store.get_integrator(&account.id).await?.is_some())
    }

    /// Records that the account accepted the terms of `version`.
    pub async fn accept_terms(&self, account: &Account, version: &str) -> CabinetResult<()> {
        let integrator = crate::model::Integrator {
            account_id: account.id.clone(),
            terms_version: version.chars().take(64).collect(),
            accepted_at: self.p.now(),
        };
        self.p.store.put_integrator(&integrator).await?;
        Ok(())
    }

    async fn require_integrator(&self, account: &Account) -> CabinetResult<()> {
        if self.is_integrator(account).await? {
            Ok(())
        } else {
            Err(CabinetError::NotIntegrator)
        }
    }

    /// The application `client_id` when the account owns it.
    pub async fn owned(&self, account: &Account, client_id: &str) -> CabinetResult<Client> {
        self.require_integrator(account).await?;
        let owners = self.p.store.client_owners(client_id).await?;
        if !owners.iter().any(|o| o.account_id == account.id) {
            return Err(CabinetError::NotFound);
        }
        match self.p.store.get_client(client_id).await? {
            Some(client) if client.product.is_none() => Ok(client),
            _ => Err(CabinetError::NotFound),
        }
    }

    /// The applications the account owns, oldest first.
    pub async fn apps(&self, account: &Account) -> CabinetResult<Vec<Client>> {
        self.require_integrator(account).await?;
        let mut found = Vec::new();
        for id in self.p.store.owned_clients(&account.id).await? {
            if let Some(client) = self.p.store.get_client(&id).await? {
                found.push(client);
            }
        }
        Ok(found)
    }

    /// Sign-ins and tokens per day over the last `days` days.
    pub async fn usage(
        &self,
        client: &Client,
        days: i64,
    ) -> CabinetResult<Vec<crate::model::UsageDay>> {
        let since = self.p.now() - days * 86_400;
        Ok(self.p.store.client_usage(&client.id, since).await?)
    }
}

fn invalid<T>(problem: Problem) -> CabinetResult<T> {
    Err(CabinetError::Invalid(problem))
}
