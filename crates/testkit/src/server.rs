//! A real provider for one test: a fresh database (SQLite in a temporary directory, or a
//! fresh PostgreSQL database when `PROPUSK_TEST_DATABASE_URL` is set and the test asks
//! for it), migrations applied, signing keys made, and the router served on
//! `127.0.0.1:0` with the issuer `http://127.0.0.1:PORT`.

use crate::browser::Browser;
use propusk_core::clock::{Clock, ManualClock, SystemClock};
use propusk_core::crypto::{MasterKey, SystemRng};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_core::store::Store;
use propusk_web::{AppState, WebConfig, router};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// The environment variable naming a PostgreSQL server for [`TestServer::start_pg`].
pub const PG_URL_VAR: &str = "PROPUSK_TEST_DATABASE_URL";

pub struct TestServer {
    /// The issuer, also the base URL: `http://127.0.0.1:PORT`.
    pub issuer: String,
    pub provider: Arc<Provider>,
    /// The clock the provider reads, when the test drives time.
    pub clock: Option<Arc<ManualClock>>,
    serve: JoinHandle<()>,
    _database: Database,
}

impl TestServer {
    /// A provider on the wall clock over SQLite.
    pub async fn start() -> Self {
        Self::start_configured(|_| {}).await
    }

    /// A provider on the wall clock over SQLite, its configuration changed by `configure`.
    pub async fn start_configured(configure: impl FnOnce(&mut ProviderConfig)) -> Self {
        Self::launch(
            Arc::new(SystemClock),
            None,
            Database::sqlite(),
            false,
            configure,
        )
        .await
    }

    /// A provider on the wall clock whose fetcher of client URLs (`jwks_uri`) also
    /// reads `http` on loopback addresses, where a test serves them; every other rule of
    /// the fetcher stays.
    pub async fn start_with_loopback_fetcher() -> Self {
        Self::launch(
            Arc::new(SystemClock),
            None,
            Database::sqlite(),
            true,
            |_| {},
        )
        .await
    }

    /// A provider whose clock the test moves (`server.clock()`), starting at the present.
    pub async fn start_with_manual_clock() -> Self {
        let clock = Arc::new(ManualClock::new(SystemClock.now()));
        Self::launch(
            clock.clone(),
            Some(clock),
            Database::sqlite(),
            false,
            |_| {},
        )
        .await
    }

    /// A provider over a fresh PostgreSQL database created on the server named by
    /// `PROPUSK_TEST_DATABASE_URL`; `None` when the variable is not set.
    pub async fn start_pg() -> Option<Self> {
        let admin_url = std::env::var(PG_URL_VAR).ok().filter(|u| !u.is_empty())?;
        let database = Database::postgres(admin_url).await;
        Some(Self::launch(Arc::new(SystemClock), None, database, false, |_| {}).await)
    }

    async fn launch(
        clock: Arc<dyn Clock>,
        manual: Option<Arc<ManualClock>>,
        database: Database,
        loopback_fetcher: bool,
        configure: impl FnOnce(&mut ProviderConfig),
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let issuer = format!("http://127.0.0.1:{port}");
        let store = propusk_store::connect(&database.url)
            .await
            .expect("connecting to the test database");
        store.migrate().await.expect("migrating the test database");
        let store: Arc<dyn Store> = Arc::new(store);
        let rng = Arc::new(SystemRng);
        let master = MasterKey::generate(rng.as_ref());
        let mut config = ProviderConfig::new(&issuer);
        configure(&mut config);
        let mut provider = Provider::new(config, store, master, clock.clone(), rng);
        if loopback_fetcher {
            let policy = propusk_fetch::FetchPolicy {
                insecure_allow_loopback: true,
                ..propusk_fetch::FetchPolicy::default()
            };
            provider = provider.with_fetcher(Arc::new(propusk_fetch::JwksCache::new(
                propusk_fetch::Fetcher::new(policy),
                clock,
            )));
        }
        let provider = Arc::new(provider);
        provider.init().await.expect("making signing keys");
        let app = router(AppState::new(provider.clone(), WebConfig::default()));
        let serve = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("serving the test provider");
        });
        Self {
            issuer,
            provider,
            clock: manual,
            serve,
            _database: database,
        }
    }

    /// Absolute URL of a route of this provider.
    pub fn url(&self, route: &str) -> String {
        format!("{}{route}", self.issuer)
    }

    /// The authorization endpoint with these query parameters, encoded as given.
    pub fn authorize_url(&self, params: &[(&str, &str)]) -> url::Url {
        let mut url =
            url::Url::parse(&self.url(propusk_types::routes::AUTHORIZE)).expect("authorize URL");
        url.query_pairs_mut().extend_pairs(params);
        url
    }

    pub fn store(&self) -> &dyn Store {
        self.provider.store.as_ref()
    }

    /// The manual clock; panics when the server runs on the wall clock.
    pub fn clock(&self) -> &ManualClock {
        self.clock
            .as_deref()
            .expect("start the server with TestServer::start_with_manual_clock")
    }

    /// A fresh browser (empty cookie jar) for this provider.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.issuer)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.serve.abort();
    }
}

/// The database behind one server, removed when the server goes.
struct Database {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Database {
    fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("propusk-test-{}", crate::random(12)));
        std::fs::create_dir_all(&dir).expect("creating the test directory");
        let url = format!("sqlite://{}?mode=rwc", dir.join("propusk.db").display());
        Self {
            url,
            cleanup: Cleanup::Directory(dir),
        }
    }

    async fn postgres(admin_url: String) -> Self {
        use sqlx::{Connection as _, Executor as _};
        sqlx::any::install_default_drivers();
        let name = format!(
            "propusk_test_{}",
            crate::random(9).to_ascii_lowercase().replace('-', "_")
        );
        let mut admin = sqlx::AnyConnection::connect(&admin_url)
            .await
            .expect("connecting to PostgreSQL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("creating the test database");
        let _ = admin.close().await;
        let mut url = url::Url::parse(&admin_url).expect("PROPUSK_TEST_DATABASE_URL is a URL");
        url.set_path(&format!("/{name}"));
        Self {
            url: url.to_string(),
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                // Drop runs inside the test's runtime: drop the database from a thread of its own.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || drop_pg_database(&admin_url, &name)).join();
            }
        }
    }
}

fn drop_pg_database(admin_url: &str, name: &str) {
    use sqlx::{Connection as _, Executor as _};
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        if let Ok(mut admin) = sqlx::AnyConnection::connect(admin_url).await {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
            let _ = admin.close().await;
        }
    });
}
