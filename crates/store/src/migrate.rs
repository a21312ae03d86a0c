//! Schema migrations, one SQL file per dialect under `migrations/{sqlite,postgres}/`,
//! embedded in the binary and applied in order. Each runs in its own transaction that
//! first takes the migration lock (an advisory lock on PostgreSQL, the write lock on
//! SQLite), so nodes starting at once apply each migration exactly once.

use crate::error::backend;
use crate::{Backend, SqlStore};
use propusk_core::clock::{Clock, SystemClock};
use propusk_core::store::StoreResult;
use sqlx::Executor;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $file,
            sqlite: include_str!(concat!("../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $file, ".sql")),
        }
    };
}

const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_initial"),
    migration!(2, "0002_accounts"),
    migration!(3, "0003_device_logout"),
    migration!(4, "0004_outbox_order"),
    migration!(5, "0005_coordination"),
    migration!(6, "0006_cabinet"),
    migration!(7, "0007_registration"),
    migration!(8, "0008_developer"),
    migration!(9, "0009_operators"),
    migration!(10, "0010_certificates"),
    migration!(12, "0012_pushed_requests"),
    migration!(14, "0014_dpop"),
    migration!(15, "0015_passkeys"),
];

/// Key of the PostgreSQL advisory lock held while migrating ("propusk" in ASCII).
const PG_LOCK_KEY: i64 = 0x70_72_6f_70_75_73_6b;

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations \
     (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

impl SqlStore {
    /// Applies every migration not yet recorded in `schema_migrations`; returns how many
    /// it applied. Safe to run again and from several nodes at once.
    pub async fn migrate(&self) -> StoreResult<usize> {
        // The common start: an up-to-date database, told by one read of the ledger instead
        // of a locked transaction per migration. Anything pending (or another node
        // migrating right now) takes the locked path below, which decides per migration.
        if self.pending_migrations().await? == 0 {
            return Ok(0);
        }
        let mut applied = 0;
        for migration in MIGRATIONS {
            if self.apply(migration).await? {
                tracing::info!(migration = migration.name, "applied schema migration");
                applied += 1;
            }
        }
        Ok(applied)
    }

    /// How many of this binary's migrations the database lacks; the query also proves
    /// the database answers. A database without the ledger lacks them all.
    pub async fn pending_migrations(&self) -> StoreResult<usize> {
        let ledger = sqlx::query("SELECT version FROM schema_migrations")
            .fetch_all(&self.pool)
            .await;
        let applied: Vec<i64> = match ledger {
            Ok(rows) => rows
                .iter()
                .map(|row| sqlx::Row::try_get::<i64, _>(row, 0))
                .collect::<Result<_, _>>()
                .map_err(backend)?,
            Err(sqlx::Error::Database(_)) => Vec::new(),
            Err(other) => return Err(backend(other)),
        };
        Ok(MIGRATIONS
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .count())
    }

    async fn apply(&self, migration: &Migration) -> StoreResult<bool> {
        let (begun, script) = match self.backend {
            Backend::Sqlite => (
                self.writer.begin_with("BEGIN IMMEDIATE").await,
                migration.sqlite,
            ),
            Backend::Postgres => (self.writer.begin().await, migration.postgres),
        };
        let mut tx = begun.map_err(backend)?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        sqlx::query(CREATE_LEDGER)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        let done = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        if done.is_none() {
            // Through `Executor` (a boxed `Send` future): `RawSql::execute` is not `Send` here.
            tx.execute(sqlx::raw_sql(script)).await.map_err(backend)?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(migration.version)
                .bind(SystemClock.now())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(done.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: T) {}

    #[allow(dead_code)]
    fn migrate_is_send(store: &SqlStore) {
        assert_send(store.migrate());
    }
}
