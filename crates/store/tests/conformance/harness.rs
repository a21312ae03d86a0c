//! Fresh, migrated stores for each test, and their removal afterwards. The case runs in
//! its own task so that a failing assertion still lets the database be dropped.

use propusk_store::{SqlStore, connect};
use sqlx::{AnyConnection, Connection};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const PG_URL_VAR: &str = "PROPUSK_TEST_DATABASE_URL";

/// Runs `case` with a store on a fresh SQLite file and that file's URL (for cases that
/// open more connections to the same database, as other nodes would).
pub async fn on_sqlite<F, Fut>(case: F)
where
    F: FnOnce(SqlStore, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let path = std::env::temp_dir().join(format!("propusk-store-{}.db", unique()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let store = fresh_store(&url).await;
    let outcome = tokio::spawn(case(store.clone(), url)).await;
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Runs `case` with a store on a fresh PostgreSQL database and that database's URL.
pub async fn on_postgres<F, Fut>(case: F)
where
    F: FnOnce(SqlStore, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(server) = postgres_url() else {
        return;
    };
    sqlx::any::install_default_drivers();
    let name = format!("propusk_t_{}", unique());
    let mut admin = AnyConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {PG_URL_VAR}: {e}"));
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    let mut url = url::Url::parse(&server).expect("a valid PostgreSQL URL");
    url.set_path(&name);
    let store = fresh_store(url.as_str()).await;
    let outcome = tokio::spawn(case(store.clone(), url.to_string())).await;
    store.close().await;
    sqlx::raw_sql(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop the test database");
    let _ = admin.close().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Connects twice and migrates from both pools at once, as two nodes starting together
/// would: both must succeed and the schema must be applied once.
async fn fresh_store(url: &str) -> SqlStore {
    let (first, second) = tokio::join!(connect(url), connect(url));
    let (first, second) = (first.expect("connect"), second.expect("connect"));
    let (a, b) = tokio::join!(first.migrate(), second.migrate());
    let applied = a.expect("migrate") + b.expect("migrate");
    assert!(applied >= 1, "a fresh database gets migrations");
    second.close().await;
    first
}

fn postgres_url() -> Option<String> {
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => panic!(
            "{PG_URL_VAR} is not set: in CI the PostgreSQL conformance tests must run \
             (e.g. eval \"$(scripts/pg-throwaway start)\")"
        ),
        _ => {
            eprintln!("notice: {PG_URL_VAR} is not set; PostgreSQL conformance test skipped");
            None
        }
    }
}

/// A name no other test, run or concurrent process uses.
fn unique() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
