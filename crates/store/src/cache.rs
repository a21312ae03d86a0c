//! A read-through cache of what every client-authenticated request reads and what
//! changes rarely: clients (one by one and the whole list), their api-keys and the
//! product list, kept parsed.
//!
//! Bounds on staleness: an entry lives [`TTL`] at most, so a change made by another node
//! or another process (`propusk admin`) is seen within that time. A write through this
//! store (any clone of it) empties the cache at once, and a read that raced with a write
//! does not put its possibly older result back (the generation check). Absent clients and
//! empty key lists are not cached, so unknown ids cannot fill memory.

use propusk_core::model::{Client, ClientSecret, Product};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a cached entry is trusted.
pub(crate) const TTL: Duration = Duration::from_secs(5);

/// Entries per map beyond which the map is emptied instead of grown.
const MAX_ENTRIES: usize = 10_000;

struct Entry<T> {
    at: Instant,
    value: T,
}

#[derive(Default)]
struct Maps {
    /// Bumped by every write; a read puts its result back only if unchanged.
    generation: u64,
    clients: HashMap<String, Entry<Arc<Client>>>,
    secrets: HashMap<String, Entry<Arc<Vec<ClientSecret>>>>,
    products: Option<Entry<Arc<Vec<Product>>>>,
    /// Every client, for the questions asked of all of them (which origins any allows).
    all_clients: Option<Entry<Arc<Vec<Client>>>>,
}

#[derive(Default)]
pub(crate) struct ReadCache {
    maps: RwLock<Maps>,
}

impl fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadCache").finish_non_exhaustive()
    }
}

/// What a read saw before going to the database; hand it back to `put_*`.
#[derive(Clone, Copy)]
pub(crate) struct Ticket(u64);

fn fresh<T: Clone>(entry: Option<&Entry<T>>) -> Option<T> {
    entry
        .filter(|e| e.at.elapsed() < TTL)
        .map(|e| e.value.clone())
}

impl ReadCache {
    fn read<T>(&self, f: impl FnOnce(&Maps) -> T) -> T {
        let maps = self.maps.read().unwrap_or_else(|e| e.into_inner());
        f(&maps)
    }

    fn write(&self, f: impl FnOnce(&mut Maps)) {
        let mut maps = self.maps.write().unwrap_or_else(|e| e.into_inner());
        f(&mut maps);
    }

    /// Moves with every [`invalidate`](Self::invalidate).
    pub(crate) fn generation(&self) -> u64 {
        self.read(|m| m.generation)
    }

    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.read(|m| m.generation))
    }

    pub(crate) fn client(&self, id: &str) -> Option<Arc<Client>> {
        self.read(|m| fresh(m.clients.get(id)))
    }

    pub(crate) fn put_client(&self, ticket: Ticket, client: Arc<Client>) {
        self.write(|m| {
            if m.generation == ticket.0 {
                if m.clients.len() >= MAX_ENTRIES {
                    m.clients.clear();
                }
                let at = Instant::now();
                m.clients
                    .insert(client.id.clone(), Entry { at, value: client });
            }
        });
    }

    pub(crate) fn secrets(&self, client_id: &str) -> Option<Arc<Vec<ClientSecret>>> {
        self.read(|m| fresh(m.secrets.get(client_id)))
    }

    pub(crate) fn put_secrets(
        &self,
        ticket: Ticket,
        client_id: &str,
        secrets: Arc<Vec<ClientSecret>>,
    ) {
        self.write(|m| {
            if m.generation == ticket.0 && !secrets.is_empty() {
                if m.secrets.len() >= MAX_ENTRIES {
                    m.secrets.clear();
                }
                let at = Instant::now();
                m.secrets
                    .insert(client_id.to_owned(), Entry { at, value: secrets });
            }
        });
    }

    /// Records a key's last use in the cached keys of its client, if they are cached: the
    /// entry keeps its age and the generation does not move, since no other field changed.
    pub(crate) fn touch_secret(&self, client_id: &str, secret_id: &str, at: i64) {
        self.write(|m| {
            if let Some(entry) = m.secrets.get_mut(client_id) {
                let mut secrets = Vec::clone(&entry.value);
                for secret in secrets.iter_mut().filter(|s| s.id == secret_id) {
                    secret.last_used_at = Some(at);
                }
                entry.value = Arc::new(secrets);
            }
        });
    }

    pub(crate) fn products(&self) -> Option<Arc<Vec<Product>>> {
        self.read(|m| fresh(m.products.as_ref()))
    }

    pub(crate) fn put_products(&self, ticket: Ticket, products: Arc<Vec<Product>>) {
        self.write(|m| {
            if m.generation == ticket.0 {
                m.products = Some(Entry {
                    at: Instant::now(),
                    value: products,
                });
            }
        });
    }

    pub(crate) fn all_clients(&self) -> Option<Arc<Vec<Client>>> {
        self.read(|m| fresh(m.all_clients.as_ref()))
    }

    pub(crate) fn put_all_clients(&self, ticket: Ticket, clients: Arc<Vec<Client>>) {
        self.write(|m| {
            if m.generation == ticket.0 {
                m.all_clients = Some(Entry {
                    at: Instant::now(),
                    value: clients,
                });
            }
        });
    }

    /// Forgets everything; called after every write to clients, api-keys, products or
    /// signing keys, and when another node or process wrote them.
    pub(crate) fn invalidate(&self) {
        self.write(|m| {
            m.generation = m.generation.wrapping_add(1);
            m.clients.clear();
            m.secrets.clear();
            m.products = None;
            m.all_clients = None;
        });
    }
}

/// Pairs this process knows are already rows of a table whose rows, once written, stay
/// until their parent row goes (`session_clients`: a session's row cascades them away, and
/// a session whose row is gone can sign nobody in). An insert of a known pair is skipped;
/// forgetting a pair (the set is emptied when full) only costs one idempotent insert.
#[derive(Default)]
pub(crate) struct Recorded {
    pairs: RwLock<std::collections::HashSet<(String, String)>>,
}

impl fmt::Debug for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recorded")
    }
}

impl Recorded {
    pub(crate) fn contains(&self, a: &str, b: &str) -> bool {
        self.pairs
            .read()
            .is_ok_and(|p| p.contains(&(a.to_owned(), b.to_owned())))
    }

    pub(crate) fn insert(&self, a: &str, b: &str) {
        if let Ok(mut pairs) = self.pairs.write() {
            if pairs.len() >= MAX_ENTRIES * 10 {
                pairs.clear();
            }
            pairs.insert((a.to_owned(), b.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_raced_a_write_is_not_kept() {
        let cache = ReadCache::default();
        let before = cache.ticket();
        cache.invalidate();
        cache.put_products(before, Arc::new(Vec::new()));
        assert!(cache.products().is_none());
        cache.put_products(cache.ticket(), Arc::new(Vec::new()));
        assert!(cache.products().is_some());
        cache.invalidate();
        assert!(cache.products().is_none());
    }
}
