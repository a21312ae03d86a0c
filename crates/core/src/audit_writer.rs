//! Audit events written off the answering path: tokens issued and refused, consents
//! given. They go into a bounded queue; one task drains it and appends each batch with
//! one multi-row insert, every [`FLUSH_EVERY`] or [`MAX_BATCH`] events, whichever comes
//! first, so an event is stored within about 100 ms of the answer. When the queue is
//! full the event is dropped, counted in `propusk_audit_dropped_total`, and the next
//! batch carries one `audit_dropped` event with the number lost. [`AuditWriter::flush`]
//! writes what waits (on shutdown). Sign-in and security events are not written here:
//! they are stored before their request is answered.

use crate::clock::Clock;
use crate::crypto::{Rng, sortable_id};
use crate::model::{AuditEvent, AuditKind};
use crate::store::Store;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Most events waiting; beyond this they are dropped and counted.
pub const QUEUE: usize = 8192;

/// Most events in one batch.
pub const MAX_BATCH: usize = 512;

/// Longest an event waits in the queue for others to join its batch.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);

enum Message {
    Event(Box<AuditEvent>),
    Flush(oneshot::Sender<()>),
}

/// What the drain task needs, kept until the first event starts it.
struct Drain {
    queue: mpsc::Receiver<Message>,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    rng: Arc<dyn Rng>,
}

/// The queue of events and its one drain task, started with the first event.
pub struct AuditWriter {
    sender: mpsc::Sender<Message>,
    drain: Mutex<Option<Drain>>,
    started: OnceLock<()>,
    dropped: Arc<AtomicU64>,
}

impl AuditWriter {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, rng: Arc<dyn Rng>) -> Self {
        Self::with_capacity(QUEUE, store, clock, rng)
    }

    /// A writer whose queue holds `capacity` events.
    pub fn with_capacity(
        capacity: usize,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        rng: Arc<dyn Rng>,
    ) -> Self {
        let (sender, queue) = mpsc::channel(capacity.max(1));
        Self {
            sender,
            drain: Mutex::new(Some(Drain {
                queue,
                store,
                clock,
                rng,
            })),
            started: OnceLock::new(),
            dropped: Arc::default(),
        }
    }

    /// Queues `event` without waiting; a full queue drops it and counts the loss.
    pub fn record(&self, event: AuditEvent) {
        self.start();
        if self
            .sender
            .try_send(Message::Event(Box::new(event)))
            .is_err()
        {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            metrics::counter!("propusk_audit_dropped_total").increment(1);
        }
    }

    /// Writes every event queued before the call; returns once they are stored (or
    /// their write failed and was logged).
    pub async fn flush(&self) {
        self.start();
        let (done, written) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }

    /// Events dropped since the last batch that reported them.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn start(&self) {
        self.started.get_or_init(|| {
            let drain = self.drain.lock().ok().and_then(|mut d| d.take());
            if let Some(drain) = drain {
                tokio::spawn(run(drain, self.dropped.clone()));
            }
        });
    }
}

async fn run(mut drain: Drain, dropped: Arc<AtomicU64>) {
    let mut batch: Vec<AuditEvent> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = drain.queue.recv().await {
        let mut flushed = Vec::new();
        take(first, &mut batch, &mut flushed);
        let deadline = tokio::time::Instant::now() + FLUSH_EVERY;
        while flushed.is_empty() && batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(deadline, drain.queue.recv()).await {
                Ok(Some(message)) => take(message, &mut batch, &mut flushed),
                Ok(None) | Err(_) => break,
            }
        }
        while batch.len() < MAX_BATCH {
            match drain.queue.try_recv() {
                Ok(message) => take(message, &mut batch, &mut flushed),
                Err(_) => break,
            }
        }
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            batch.push(dropped_event(&drain, lost));
        }
        if !batch.is_empty() {
            if let Err(error) = drain.store.record_audit_batch(&batch).await {
                tracing::error!(%error, events = batch.len(), "audit events not stored");
            }
            batch.clear();
        }
        for done in flushed {
            let _ = done.send(());
        }
    }
}

fn take(message: Message, batch: &mut Vec<AuditEvent>, flushed: &mut Vec<oneshot::Sender<()>>) {
    match message {
        Message::Event(event) => batch.push(*event),
        Message::Flush(done) => flushed.push(done),
    }
}

/// The event that reports `lost` events dropped on a full queue.
fn dropped_event(drain: &Drain, lost: u64) -> AuditEvent {
    tracing::warn!(lost, "audit queue full: events dropped");
    AuditEvent {
        id: sortable_id(drain.clock.now_micros(), drain.rng.as_ref(), 12),
        at: drain.clock.now(),
        kind: AuditKind::AuditDropped,
        account_id: None,
        ip: None,
        detail: Some(lost.to_string()),
        actor: None,
        client_id: None,
    }
}
