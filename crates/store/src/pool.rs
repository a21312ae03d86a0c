//! The store's own pool of database connections: sqlx's pool without its round trips.
//!
//! sqlx's pool tests a connection every time it comes back (a `ping`), and on PostgreSQL
//! again before handing it out (`test_before_acquire`). On SQLite a ping is a round trip to
//! the connection's thread, on PostgreSQL one over the network: a read that is one
//! statement cost two or three round trips, and the database's CPU for each. This pool
//! hands a connection back out as it was left, and tests it only when there is a reason:
//! - its last holder did not finish cleanly (a transaction dropped before `COMMIT`, whose
//!   rollback is only queued; a job of the writer that did not settle);
//! - it has been idle longer than the pool's `stale_after` (PostgreSQL: a server restart or
//!   an idle timeout may have closed it; a SQLite file cannot go away under it);
//! - another connection of the pool broke since it came back (a restart breaks them all).
//!
//! A connection whose statement failed at the connection level (I/O, protocol, a crashed
//! worker) is dropped, not returned. Statements that fail for their own reasons (a
//! constraint, no row) leave the connection in use.
//!
//! Queries run on `&Pool` as on `&sqlx::AnyPool`: it implements [`Executor`], taking a
//! connection for the one statement. [`Pool::begin`] opens a transaction ([`Tx`]) on a
//! connection of its own; [`Pool::acquire`] lends one for a sequence of statements.

use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use futures_util::{FutureExt, StreamExt, TryStreamExt, stream};
use sqlx::TransactionManager;
use sqlx::any::{AnyConnectOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyConnection, Connection, Database, Describe, Either, Error, Execute, Executor};
use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

type Manager = <Any as Database>::TransactionManager;

/// What a pool is opened with.
pub(crate) struct Settings {
    /// Most connections open at once.
    pub size: u32,
    /// Run on every new connection, in order.
    pub setup: &'static [&'static str],
    /// Test a connection idle for longer than this before lending it; `None`: never.
    pub stale_after: Option<Duration>,
    /// How long [`Pool::acquire`] waits for a connection to come back.
    pub acquire_timeout: Duration,
}

/// A handle on the pool; clones share it.
#[derive(Clone)]
pub(crate) struct Pool(Arc<Shared>);

struct Shared {
    options: AnyConnectOptions,
    settings: Settings,
    idle: Mutex<Vec<Idle>>,
    permits: Arc<Semaphore>,
    /// Connections open, idle or lent.
    open: AtomicU32,
    /// Counts the connections found broken. One broken connection (a server restart)
    /// makes every idle one that came back before it suspect: each is tested once.
    breaks: AtomicU64,
}

struct Idle {
    conn: AnyConnection,
    since: Instant,
    /// `breaks` when it came back.
    breaks: u64,
    /// The last holder finished cleanly: nothing is queued on the connection.
    clean: bool,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("size", &self.0.settings.size)
            .field("open", &self.size())
            .field("idle", &self.num_idle())
            .finish()
    }
}

impl Pool {
    /// Opens the pool and its first connection, so that a wrong URL or an unreachable
    /// database is reported here rather than at the first request.
    pub(crate) async fn open(url: &str, settings: Settings) -> Result<Self, Error> {
        let options: AnyConnectOptions = url.parse()?;
        let pool = Self(Arc::new(Shared {
            options,
            permits: Arc::new(Semaphore::new(settings.size.max(1) as usize)),
            settings,
            idle: Mutex::new(Vec::new()),
            open: AtomicU32::new(0),
            breaks: AtomicU64::new(0),
        }));
        let first = pool.acquire().await?;
        drop(first.settled());
        Ok(pool)
    }

    /// Lends a connection until the returned guard is dropped.
    pub(crate) async fn acquire(&self) -> Result<Conn, Error> {
        let shared = &self.0;
        let permit = tokio::time::timeout(
            shared.settings.acquire_timeout,
            Arc::clone(&shared.permits).acquire_owned(),
        )
        .await
        .map_err(|_| Error::PoolTimedOut)?
        .map_err(|_| Error::PoolClosed)?;
        while let Some(mut idle) = shared.take_idle() {
            let trusted = idle.clean
                && idle.breaks == shared.breaks.load(Ordering::Relaxed)
                && shared
                    .settings
                    .stale_after
                    .is_none_or(|after| idle.since.elapsed() <= after);
            if trusted {
                return Ok(self.lend(idle.conn, permit));
            }
            tracing::debug!(target: "propusk_store::pool", "ping");
            if idle.conn.ping().await.is_ok() {
                return Ok(self.lend(idle.conn, permit));
            }
            // Closed under us: forget it and try the next one.
            shared.lost();
        }
        let conn = shared.connect().await?;
        shared.open.fetch_add(1, Ordering::Relaxed);
        Ok(self.lend(conn, permit))
    }

    fn lend(&self, conn: AnyConnection, permit: OwnedSemaphorePermit) -> Conn {
        Conn {
            conn: Some(conn),
            state: State::Unsettled,
            shared: Arc::clone(&self.0),
            _permit: permit,
        }
    }

    /// Begins a transaction on a connection of its own.
    pub(crate) async fn begin(&self) -> Result<Tx, Error> {
        self.begin_as(None).await
    }

    /// Begins a transaction with `statement` instead of the backend's plain `BEGIN`.
    pub(crate) async fn begin_with(&self, statement: &'static str) -> Result<Tx, Error> {
        self.begin_as(Some(Cow::Borrowed(statement))).await
    }

    async fn begin_as(&self, statement: Option<Cow<'static, str>>) -> Result<Tx, Error> {
        let mut conn = self.acquire().await?;
        match Manager::begin(&mut conn, statement).await {
            Ok(()) => Ok(Tx { conn, open: true }),
            Err(error) => {
                conn.settle::<()>(Err(&error));
                Err(error)
            }
        }
    }

    /// Connections open, idle or lent.
    pub(crate) fn size(&self) -> u32 {
        self.0.open.load(Ordering::Relaxed)
    }

    pub(crate) fn num_idle(&self) -> usize {
        self.0.idle_list().len()
    }

    /// Lends no more connections and closes the idle ones; a lent one is closed when it
    /// comes back.
    pub(crate) async fn close(&self) {
        self.0.permits.close();
        let idle: Vec<Idle> = std::mem::take(&mut *self.0.idle_list());
        for idle in idle {
            self.0.open.fetch_sub(1, Ordering::Relaxed);
            if let Err(error) = idle.conn.close().await {
                tracing::debug!(%error, "closing a pooled connection");
            }
        }
    }
}

impl Shared {
    /// Forgets a connection that broke.
    fn lost(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
        self.breaks.fetch_add(1, Ordering::Relaxed);
    }

    /// A new connection with its setup run. SQLite answers "busy" to a connection that
    /// switches a fresh file to WAL while another opens it, whatever the busy timeout: such
    /// an attempt is repeated, with a growing pause, until the acquire timeout.
    async fn connect(&self) -> Result<AnyConnection, Error> {
        let began = Instant::now();
        let mut pause = Duration::from_millis(5);
        loop {
            match self.try_connect().await {
                Err(error) if busy(&error) && began.elapsed() < self.settings.acquire_timeout => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                done => return done,
            }
        }
    }

    async fn try_connect(&self) -> Result<AnyConnection, Error> {
        let mut conn = AnyConnection::connect_with(&self.options).await?;
        for statement in self.settings.setup {
            conn.execute(*statement).await?;
        }
        Ok(conn)
    }

    /// The connection that came back last (LIFO keeps the fewest connections warm).
    fn take_idle(&self) -> Option<Idle> {
        self.idle_list().pop()
    }

    fn idle_list(&self) -> MutexGuard<'_, Vec<Idle>> {
        // A panic while holding the lock leaves a plain Vec behind: still usable.
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// SQLITE_BUSY or SQLITE_LOCKED (PostgreSQL's codes are five-character SQLSTATEs).
fn busy(error: &Error) -> bool {
    matches!(error, Error::Database(e) if matches!(e.code().as_deref(), Some("5" | "6")))
}

/// Whether `error` says the connection itself is broken, rather than the statement.
fn breaks_connection(error: &Error) -> bool {
    matches!(
        error,
        Error::Io(_) | Error::Tls(_) | Error::Protocol(_) | Error::WorkerCrashed
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Lent, and its holder has not said how it went: tested before the next loan.
    Unsettled,
    Clean,
    Broken,
}

/// A lent connection; goes back to the pool when dropped.
pub(crate) struct Conn {
    /// `Some` until dropped.
    conn: Option<AnyConnection>,
    state: State,
    shared: Arc<Shared>,
    _permit: OwnedSemaphorePermit,
}

impl Conn {
    /// Records how the holder's last statement went: a clean result or a statement's own
    /// error leaves the connection fit to lend as it is; a connection-level error has it
    /// dropped.
    pub(crate) fn settle<T>(&mut self, result: Result<T, &Error>) {
        self.state = match result {
            Err(error) if breaks_connection(error) => State::Broken,
            _ => State::Clean,
        };
    }

    /// Settles the connection by `result` (see [`Conn::settle`]) and hands it on.
    fn settled_by<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        self.settle(result.as_ref());
        result
    }

    /// The connection, marked as left in a clean state by its holder.
    pub(crate) fn settled(mut self) -> Self {
        self.state = State::Clean;
        self
    }
}

impl Deref for Conn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.conn
            .as_ref()
            .expect("a lent connection is present until it is dropped")
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn
            .as_mut()
            .expect("a lent connection is present until it is dropped")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if self.state == State::Broken {
            self.shared.lost();
            return;
        }
        if self.shared.permits.is_closed() {
            self.shared.open.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        let breaks = self.shared.breaks.load(Ordering::Relaxed);
        self.shared.idle_list().push(Idle {
            conn,
            since: Instant::now(),
            breaks,
            clean: self.state == State::Clean,
        });
    }
}

/// A transaction on a connection of its own; rolled back unless committed.
pub(crate) struct Tx {
    conn: Conn,
    open: bool,
}

impl Tx {
    pub(crate) async fn commit(mut self) -> Result<(), Error> {
        let result = Manager::commit(&mut self.conn).await;
        self.open = false;
        self.conn.settled_by(result)
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.open {
            // Queued on the connection; the pool tests (and so flushes) it before the
            // next loan, as the connection is left unsettled.
            Manager::start_rollback(&mut self.conn);
        }
    }
}

impl<'p> Executor<'p> for &'p Pool {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        // Buffered: the store's statements answer a few rows, and a stream that held the
        // connection would have to borrow from itself.
        stream::once(async move {
            let mut conn = self.acquire().await?;
            let all: Result<Vec<_>, Error> = (&mut *conn).fetch_many(query).try_collect().await;
            conn.settled_by(all)
        })
        .map_ok(|all| stream::iter(all.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        async move {
            let mut conn = self.acquire().await?;
            let found = (&mut *conn).fetch_optional(query).await;
            conn.settled_by(found)
        }
        .boxed()
    }

    fn fetch_all<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Vec<AnyRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        async move {
            let mut conn = self.acquire().await?;
            let found = (&mut *conn).fetch_all(query).await;
            conn.settled_by(found)
        }
        .boxed()
    }

    fn execute<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<AnyQueryResult, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        async move {
            let mut conn = self.acquire().await?;
            let done = (&mut *conn).execute(query).await;
            conn.settled_by(done)
        }
        .boxed()
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, Error>>
    where
        'p: 'e,
    {
        async move {
            let mut conn = self.acquire().await?;
            let prepared = (&mut *conn).prepare_with(sql, parameters).await;
            conn.settled_by(prepared)
        }
        .boxed()
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, Error>>
    where
        'p: 'e,
    {
        async move {
            let mut conn = self.acquire().await?;
            let described = (&mut *conn).describe(sql).await;
            conn.settled_by(described)
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    async fn memory(size: u32, acquire_timeout: Duration) -> Pool {
        sqlx::any::install_default_drivers();
        Pool::open(
            "sqlite::memory:",
            Settings {
                size,
                setup: &["CREATE TABLE t (v INTEGER)"],
                stale_after: None,
                acquire_timeout,
            },
        )
        .await
        .expect("open")
    }

    async fn count(pool: &Pool) -> i64 {
        sqlx::query("SELECT COUNT(*) AS n FROM t")
            .fetch_one(pool)
            .await
            .and_then(|row| row.try_get("n"))
            .expect("count")
    }

    #[tokio::test]
    async fn a_transaction_dropped_before_commit_is_rolled_back_before_the_next_loan() {
        let pool = memory(1, Duration::from_secs(5)).await;
        let mut tx = pool.begin().await.expect("begin");
        sqlx::query("INSERT INTO t (v) VALUES (1)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        drop(tx);
        assert_eq!(count(&pool).await, 0, "the dropped insert is gone");
        let mut tx = pool.begin().await.expect("begin again");
        sqlx::query("INSERT INTO t (v) VALUES (2)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        assert_eq!(count(&pool).await, 1);
        assert_eq!(
            (pool.size(), pool.num_idle()),
            (1, 1),
            "one connection, reused"
        );
    }

    #[tokio::test]
    async fn a_statement_error_leaves_the_connection_in_the_pool() {
        let pool = memory(1, Duration::from_secs(5)).await;
        sqlx::query("INSERT INTO t (v) VALUES (1)")
            .execute(&pool)
            .await
            .expect("insert");
        let missing = sqlx::query("SELECT * FROM no_such_table")
            .fetch_all(&pool)
            .await;
        assert!(
            matches!(missing, Err(Error::Database(_))),
            "a missing table is the statement's own error"
        );
        assert_eq!(count(&pool).await, 1, "the same memory database answers");
        assert_eq!(pool.size(), 1);
    }

    #[tokio::test]
    async fn a_loan_waits_at_most_the_acquire_timeout_and_none_is_made_once_closed() {
        let pool = memory(1, Duration::from_millis(50)).await;
        let held = pool.acquire().await.expect("the only connection");
        assert!(matches!(pool.acquire().await, Err(Error::PoolTimedOut)));
        drop(held);
        pool.close().await;
        assert!(matches!(pool.acquire().await, Err(Error::PoolClosed)));
        assert_eq!(pool.size(), 0, "the idle connection was closed");
    }
}
