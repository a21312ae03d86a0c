//! Wiring shared by the commands: the clock and randomness constructed once in `main`,
//! the store picked from the database URL (migrated on open) and the engine on top.

use crate::config::Settings;
use crate::error::CliResult;
use crate::master_key;
use propusk_core::clock::Clock;
use propusk_core::crypto::Rng;
use propusk_core::provider::Provider;
use propusk_core::store::Store;
use propusk_store::SqlStore;
use std::sync::Arc;

/// Time and randomness, passed down from `main` so that tests can move time and fix them.
#[derive(Clone)]
pub struct Runtime {
    pub clock: Arc<dyn Clock>,
    pub rng: Arc<dyn Rng>,
}

/// An open store and the engine over it.
pub struct App {
    pub provider: Arc<Provider>,
    /// The same store as `provider.store`, kept to close the pool on exit.
    pub store: SqlStore,
}

impl App {
    /// Obtains the master key, connects to the database and applies pending migrations.
    pub async fn open(settings: &Settings, runtime: &Runtime) -> CliResult<Self> {
        let master = master_key::obtain(&settings.master_key, runtime.rng.as_ref())?;
        let store = open_store(settings).await?;
        let shared: Arc<dyn Store> = Arc::new(store.clone());
        let provider = Provider::new(
            settings.provider.clone(),
            shared,
            master,
            runtime.clock.clone(),
            runtime.rng.clone(),
        )
        .with_fetcher(Arc::new(propusk_fetch::JwksCache::new(
            propusk_fetch::Fetcher::new(settings.fetch.clone()),
            runtime.clock.clone(),
        )))
        .with_certificate_trust(Arc::new(trust_of(settings)?));
        Ok(Self {
            provider: Arc::new(provider),
            store,
        })
    }

    pub fn now(&self) -> i64 {
        self.provider.now()
    }

    pub fn store(&self) -> &dyn Store {
        self.provider.store.as_ref()
    }

    pub async fn close(self) {
        self.store.close().await;
    }
}

/// Connects and migrates; the database URL alone picks SQLite or PostgreSQL.
pub async fn open_store(settings: &Settings) -> CliResult<SqlStore> {
    let store = propusk_store::connect(settings.database_url.expose()).await?;
    let applied = store.migrate().await?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(store)
}

/// The certificate trust of `[certificates] trust_dir`, read now.
fn trust_of(settings: &Settings) -> CliResult<propusk_core::certificates::CertificateTrust> {
    propusk_core::certificates::CertificateTrust::from_dir(&settings.trust_dir).map_err(|e| {
        crate::error::CliError::Invalid(format!(
            "certificates.trust_dir {}: {e}",
            settings.trust_dir.display()
        ))
    })
}
