//! Opening a pool from a database URL: `sqlite:///abs/path.db`, `sqlite:relative.db`,
//! `sqlite::memory:` or `postgres://…`. A SQLite file is created when missing unless the
//! URL names another `mode` (such as `mode=ro`). SQLite connections get their pragmas
//! here, once per connection.
//!
//! SQLite admits one writer at a time; writers that race on its lock sleep in the
//! `busy_timeout` handler (1, 2, 5… 100 ms), which under load costs far more than the
//! writes. So a file database gets two pools: readers (several connections, WAL lets them
//! run beside the writer) and a writer of exactly one connection, on which writes queue
//! in order instead of spinning; the hot writes are also committed in groups (`writer`).
//! PostgreSQL uses one pool for both.

use crate::cache::ReadCache;
use crate::error::backend;
use crate::pool::{Pool, Settings};
use crate::writer::Writes;
use crate::{Backend, SqlStore};
use propusk_core::store::StoreError;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Set on every SQLite connection; `busy_timeout` first so that the others wait for locks.
const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
];

const SQLITE_POOL_SIZE: u32 = 4;
const POSTGRES_POOL_SIZE: u32 = 10;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);
/// A PostgreSQL connection idle for longer is tested before it is lent again: a server
/// restart or an idle timeout may have closed it. Under load connections come back
/// within milliseconds and are lent untested; a restart shorter than this is caught by the
/// first connection that fails (the pool then tests every idle one).
const POSTGRES_STALE_AFTER: Duration = Duration::from_secs(1);

/// Connects to the database named by `url`. Does not migrate: call [`SqlStore::migrate`].
pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
    sqlx::any::install_default_drivers();
    let kind = backend_of(url)?;
    let (pool, writer, writes) = match kind {
        Backend::Sqlite => connect_sqlite(url).await?,
        Backend::Postgres => {
            let pool = Pool::open(
                url,
                Settings {
                    size: POSTGRES_POOL_SIZE,
                    setup: &[],
                    stale_after: Some(POSTGRES_STALE_AFTER),
                    acquire_timeout: ACQUIRE_TIMEOUT,
                },
            )
            .await
            .map_err(backend)?;
            (pool.clone(), pool.clone(), Writes::direct(pool))
        }
    };
    Ok(SqlStore {
        pool,
        writer,
        writes,
        backend: kind,
        cache: Arc::new(ReadCache::default()),
        session_clients: Arc::default(),
    })
}

fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Backend(
            "unsupported database URL: expected sqlite: or postgres://".into(),
        ))
    }
}

/// The reader pool and the writer pool (the same one for an in-memory database), and how
/// the hot writes reach the writer.
async fn connect_sqlite(url: &str) -> Result<(Pool, Pool, Writes), StoreError> {
    let (path, params) = sqlite_path(url);
    let in_memory = path.is_empty() || path == ":memory:" || params.contains("mode=memory");
    if in_memory {
        // Every connection to `:memory:` is a separate database: keep exactly one, forever
        // (the pool drops a connection only when it breaks, which a memory one does not).
        let pool = sqlite_pool(url, 1).await?;
        return Ok((pool.clone(), pool.clone(), Writes::direct(pool)));
    }
    create_parent_dir(path)?;
    let url = &create_if_missing(url, params);
    // The writer first: it creates the file and switches it to WAL before readers open it.
    let writer = sqlite_pool(url, 1).await?;
    let readers = sqlite_pool(url, SQLITE_POOL_SIZE).await?;
    Ok((readers, writer.clone(), Writes::batched(writer)))
}

/// A connection to a local file cannot go stale: none is tested for having been idle.
async fn sqlite_pool(url: &str, size: u32) -> Result<Pool, StoreError> {
    Pool::open(
        url,
        Settings {
            size,
            setup: &SQLITE_PRAGMAS,
            stale_after: None,
            acquire_timeout: ACQUIRE_TIMEOUT,
        },
    )
    .await
    .map_err(backend)
}

/// Splits `sqlite://path?params` (or `sqlite:path?params`) into the path and the params.
fn sqlite_path(url: &str) -> (&str, &str) {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    rest.split_once('?').unwrap_or((rest, ""))
}

/// The URL with `mode=rwc` (create the file when missing) unless it names a mode.
fn create_if_missing(url: &str, params: &str) -> String {
    let has_mode = params
        .split('&')
        .any(|pair| pair.split('=').next() == Some("mode"));
    match (has_mode, params.is_empty()) {
        (true, _) => url.to_owned(),
        (false, true) => format!("{}?mode=rwc", url.trim_end_matches('?')),
        (false, false) => format!("{url}&mode=rwc"),
    }
}

fn create_parent_dir(path: &str) -> Result<(), StoreError> {
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Backend(format!("cannot create the database directory: {e}"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    #[test]
    fn splits_sqlite_urls() {
        assert_eq!(
            sqlite_path("sqlite:///var/db/p.db?mode=rwc"),
            ("/var/db/p.db", "mode=rwc")
        );
        assert_eq!(sqlite_path("sqlite:data/p.db"), ("data/p.db", ""));
        assert_eq!(sqlite_path("sqlite::memory:"), (":memory:", ""));
    }

    #[test]
    fn sqlite_files_are_created_unless_a_mode_is_named() {
        let url = |u: &'static str| create_if_missing(u, sqlite_path(u).1);
        assert_eq!(url("sqlite:///var/p.db"), "sqlite:///var/p.db?mode=rwc");
        assert_eq!(url("sqlite:p.db"), "sqlite:p.db?mode=rwc");
        assert_eq!(
            url("sqlite:p.db?cache=shared"),
            "sqlite:p.db?cache=shared&mode=rwc"
        );
        assert_eq!(url("sqlite:p.db?mode=ro"), "sqlite:p.db?mode=ro");
    }

    #[test]
    fn rejects_unknown_schemes() {
        assert!(backend_of("mysql://x").is_err());
        assert_eq!(
            backend_of("postgresql://h/db").ok(),
            Some(Backend::Postgres)
        );
    }

    /// The whole crate relies on SQLite accepting PostgreSQL-style `$n` placeholders.
    #[tokio::test]
    async fn sqlite_accepts_numbered_placeholders() {
        let store = connect("sqlite::memory:").await.expect("connect");
        let row = sqlx::query("SELECT $2 - $1 AS d, $1 AS a, $3 AS t")
            .bind(2_i64)
            .bind(7_i64)
            .bind("x")
            .fetch_one(&store.pool)
            .await
            .expect("query");
        assert_eq!(row.try_get::<i64, _>("d").expect("d"), 5);
        assert_eq!(row.try_get::<i64, _>("a").expect("a"), 2);
        assert_eq!(row.try_get::<String, _>("t").expect("t"), "x");
    }

    #[tokio::test]
    async fn sqlite_connections_get_the_pragmas() {
        let store = connect("sqlite::memory:").await.expect("connect");
        let fk: i64 = sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&store.pool)
            .await
            .and_then(|r| r.try_get(0))
            .expect("pragma");
        assert_eq!(fk, 1);
    }

    #[tokio::test]
    async fn sqlite_file_gets_its_directory_and_wal() {
        let dir = std::env::temp_dir().join(format!("propusk-store-unit-{}", std::process::id()));
        let url = format!("sqlite://{}/nested/p.db?mode=rwc", dir.display());
        let store = connect(&url).await.expect("connect");
        let pragma = |name: &'static str| {
            let pool = store.pool.clone();
            async move {
                let row = sqlx::query(name).fetch_one(&pool).await.expect("pragma");
                row.try_get::<String, _>(0)
                    .or_else(|_| row.try_get::<i64, _>(0).map(|v| v.to_string()))
                    .expect("value")
            }
        };
        assert_eq!(pragma("PRAGMA journal_mode").await, "wal");
        assert_eq!(pragma("PRAGMA synchronous").await, "1");
        assert_eq!(pragma("PRAGMA busy_timeout").await, "5000");
        store.close().await;
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    #[tokio::test]
    async fn plain_sqlite_urls_create_the_file() {
        let dir = std::env::temp_dir().join(format!("propusk-store-plain-{}", std::process::id()));
        let absolute = dir.join("abs.db");
        let store = connect(&format!("sqlite://{}", absolute.display()))
            .await
            .expect("absolute URL without mode");
        store.migrate().await.expect("migrate");
        store.close().await;
        assert!(absolute.is_file());
        std::fs::remove_dir_all(dir).expect("clean up");
    }
}
