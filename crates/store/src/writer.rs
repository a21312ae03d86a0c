//! Group commit for the hot single-statement writes (tokens, grants, codes, session
//! touches) on an SQLite file.
//!
//! SQLite commits one transaction at a time, and each commit costs a lock round and a WAL
//! append, however small the write. So one task owns the writer connection, takes every
//! write queued at that moment (up to [`MAX_BATCH`]), runs them in one transaction and
//! answers each caller only after `COMMIT`: a caller never sees a write that is not
//! durable (to the `synchronous` level set in `connect`), and what it returns to its own
//! client is visible to every reader. A statement that fails (a unique violation) fails
//! alone: SQLite rolls back that statement, not the transaction. If `COMMIT` fails, every
//! write of the batch fails.
//!
//! Access-token records, the commonest write (one per reference token), are queued as
//! rows rather than as statements, and a batch inserts them with one multi-row `INSERT`
//! per [`ACCESS_CHUNK`] rows: each statement is a round trip to SQLite's worker thread,
//! which under load costs more than the insert. Should such an insert fail (a taken
//! `jti` or hash), its rows are inserted again one by one, so that only the conflicting
//! caller gets the error, as before.
//!
//! On PostgreSQL and in-memory SQLite each write simply runs on its own (PostgreSQL
//! handles concurrent writers itself).

use crate::error::backend;
use crate::pool::Pool;
use crate::tokens::{self, AccessRow};
use propusk_core::store::{StoreError, StoreResult};
use sqlx::{AnyConnection, Executor};
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// Most writes committed together.
const MAX_BATCH: usize = 256;

/// Most access-token rows in one `INSERT` (10 parameters each).
const ACCESS_CHUNK: usize = 64;

pub(crate) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Called once the batch is settled, with the error of `COMMIT` if it failed.
type Settle = Box<dyn FnOnce(Option<&str>) + Send>;

type Job = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Settle> + Send>;

/// What waits in the queue: any write, or an access-token row.
enum Queued {
    Job(Job),
    Access(AccessRow, oneshot::Sender<StoreResult<()>>),
}

/// Where writes go: a batching task, or straight to the pool.
#[derive(Clone, Debug)]
pub(crate) struct Writes {
    pool: Pool,
    queue: Option<mpsc::UnboundedSender<Queued>>,
}

impl Writes {
    /// Writes run one by one on `pool`.
    pub(crate) fn direct(pool: Pool) -> Self {
        Self { pool, queue: None }
    }

    /// Writes are batched by a task that owns a connection of `pool` while it commits.
    pub(crate) fn batched(pool: Pool) -> Self {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(run(pool.clone(), jobs));
        Self {
            pool,
            queue: Some(queue),
        }
    }

    /// Runs `write` on the writer connection and returns its result once committed.
    pub(crate) async fn run<T, F>(&self, write: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, StoreResult<T>> + Send + 'static,
    {
        let Some(queue) = &self.queue else {
            let mut conn = self.pool.acquire().await.map_err(backend)?;
            let result = write(&mut conn).await;
            if result.is_ok() {
                conn.settle(Ok(()));
            }
            return result;
        };
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = write(conn).await;
                Box::new(move |commit_error: Option<&str>| {
                    let result = match commit_error {
                        Some(error) if result.is_ok() => Err(StoreError::Backend(error.to_owned())),
                        _ => result,
                    };
                    let _ = answer.send(result);
                }) as Settle
            })
        });
        if queue.send(Queued::Job(job)).is_err() {
            return Err(stopped());
        }
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// Inserts an access-token record; returns once committed.
    pub(crate) async fn insert_access(&self, row: AccessRow) -> StoreResult<()> {
        let Some(queue) = &self.queue else {
            let mut conn = self.pool.acquire().await.map_err(backend)?;
            let result = tokens::insert_access_row(&mut conn, &row).await;
            if result.is_ok() {
                conn.settle(Ok(()));
            }
            return result;
        };
        let (answer, answered) = oneshot::channel();
        if queue.send(Queued::Access(row, answer)).is_err() {
            return Err(stopped());
        }
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the database writer has stopped".into())
}

/// Inserts the queued access-token rows, a chunk per statement, and returns each row's
/// answer and result (a failed chunk is retried row by row).
async fn insert_access_rows(
    conn: &mut AnyConnection,
    queued: Vec<(AccessRow, oneshot::Sender<StoreResult<()>>)>,
) -> Vec<(oneshot::Sender<StoreResult<()>>, StoreResult<()>)> {
    let mut settled = Vec::with_capacity(queued.len());
    let mut queued = queued.into_iter().peekable();
    while queued.peek().is_some() {
        let (rows, answers): (Vec<_>, Vec<_>) = queued.by_ref().take(ACCESS_CHUNK).unzip();
        if tokens::insert_access_rows(conn, &rows).await.is_ok() {
            settled.extend(answers.into_iter().map(|answer| (answer, Ok(()))));
            continue;
        }
        for (row, answer) in rows.iter().zip(answers) {
            settled.push((answer, tokens::insert_access_row(conn, row).await));
        }
    }
    settled
}

async fn run(pool: Pool, mut jobs: mpsc::UnboundedReceiver<Queued>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut settles = Vec::with_capacity(batch.len());
        let mut access = Vec::new();
        let mut conn = match pool.acquire().await {
            Ok(conn) => conn,
            Err(error) => {
                // The jobs are dropped unrun: their callers get "the writer has stopped".
                batch.clear();
                tracing::error!(error = %backend(error), "the database writer has no connection");
                continue;
            }
        };
        let single = batch.len() == 1;
        let began = if single {
            Ok(())
        } else {
            conn.execute("BEGIN IMMEDIATE").await.map(|_| ())
        };
        if let Err(error) = began {
            batch.clear();
            tracing::error!(error = %backend(error), "the database writer cannot begin");
            continue;
        }
        for queued in batch.drain(..) {
            match queued {
                Queued::Job(job) => settles.push(job(&mut conn).await),
                Queued::Access(row, answer) => access.push((row, answer)),
            }
        }
        let access = insert_access_rows(&mut conn, access).await;
        let commit_error = if single {
            None
        } else {
            match conn.execute("COMMIT").await {
                Ok(_) => None,
                Err(error) => {
                    let _ = conn.execute("ROLLBACK").await;
                    Some(backend(error).to_string())
                }
            }
        };
        if commit_error.is_none() {
            conn.settle(Ok(()));
        }
        drop(conn);
        for settle in settles {
            settle(commit_error.as_deref());
        }
        for (answer, result) in access {
            let result = match &commit_error {
                Some(error) if result.is_ok() => Err(StoreError::Backend(error.clone())),
                _ => result,
            };
            let _ = answer.send(result);
        }
    }
}
