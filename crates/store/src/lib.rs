//! The storage traits of `propusk_core::store` implemented once, in SQL, for SQLite (the
//! embedded default) and PostgreSQL (scale-out) through sqlx's Any driver, on connections
//! of the store's own pool (`pool`: sqlx's pool pinged on every return).
//!
//! SQL is written once with `$1, $2…` placeholders, which both backends accept. Columns use
//! only what the Any driver carries well: integers (timestamps as unix seconds, booleans
//! as 0/1), text (structured fields as JSON) and bytes. Backend differences live in
//! [`connect`] and [`SqlStore::migrate`] only; repository methods never branch on them.

mod account_security;
mod accounts;
mod admin;
mod cache;
mod certificates;
mod clients;
mod connect;
mod consents;
mod coordination;
mod developer;
mod devices;
mod error;
mod grants;
mod holder;
mod interactions;
mod keys;
mod logout;
mod migrate;
mod passkeys;
mod pool;
mod products;
mod pushed;
mod registrations;
mod replay;
mod rows;
mod sessions;
mod tokens;
mod trusted_issuers;
mod writer;

pub use connect::connect;

use pool::Pool;
use std::sync::Arc;

/// Which database is behind the pool; consulted only when connecting and migrating, and
/// deliberately not public, so that no caller branches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A `propusk_core::store::Store` over an SQL database. Cheap to clone (a pool handle).
/// Open with [`connect`], then [`SqlStore::migrate`].
#[derive(Clone, Debug)]
pub struct SqlStore {
    /// Reads.
    pool: Pool,
    /// Writes and transactions: one connection on SQLite (see [`connect`]), the same pool
    /// as `pool` on PostgreSQL.
    writer: Pool,
    /// The hot single-statement writes, batched on an SQLite file (see `writer`).
    writes: writer::Writes,
    backend: Backend,
    /// Clients, api-keys and products, shared by every clone (see `cache`).
    cache: Arc<cache::ReadCache>,
    /// Session-client pairs already recorded, so that single sign-on into a client the
    /// session knows writes nothing (see `cache::Recorded`).
    session_clients: Arc<cache::Recorded>,
}

/// Connections of the store's pool of readers (on PostgreSQL, its only pool).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStats {
    pub open: u32,
    pub idle: u32,
}

/// Work waiting in the queues that background workers drain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueDepths {
    /// Messages (SMS, e-mail) neither sent nor given up.
    pub messages: i64,
    /// Back-channel logout tokens neither delivered nor abandoned.
    pub backchannel_logouts: i64,
}

impl SqlStore {
    /// How much work waits in the message outbox and the back-channel logout queue.
    pub async fn queue_depths(&self) -> Result<QueueDepths, propusk_core::store::StoreError> {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts < $1) AS messages, \
             (SELECT COUNT(*) FROM logout_deliveries \
              WHERE delivered_at IS NULL AND abandoned_at IS NULL) AS logouts",
        )
        .bind(propusk_core::accounts::MAX_ATTEMPTS)
        .fetch_one(&self.pool)
        .await
        .map_err(error::backend)?;
        Ok(QueueDepths {
            messages: row.try_get("messages").map_err(error::backend)?,
            backchannel_logouts: row.try_get("logouts").map_err(error::backend)?,
        })
    }

    pub fn pool_stats(&self) -> PoolStats {
        PoolStats {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
        }
    }

    /// Closes every pooled connection; waits for connections in use to come back.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}
