//! The key ring: signing keys loaded from the store, decrypted once, cached, and reloaded
//! when the store reports a change of cached data (any node's or process's key write) and
//! at the latest every `cache_ttl` seconds. Rotation (RFC 7517 key
//! sets; OIDC Core §10.1.1) publishes a new key `prepublish` seconds before it signs and
//! keeps the retired key in the JWKS until every token it signed has expired.

use crate::clock::{Clock, Timestamp};
use crate::crypto::{MasterKey, Rng, random_token};
use crate::error::{Error, Result};
use crate::jose::{Alg, SigningKey, VerifyingKeys};
use crate::model::KeyRecord;
use crate::store::Store;
use propusk_types::jwk::JwkSet;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

#[derive(Clone, Copy, Debug)]
pub struct KeyPolicy {
    /// Seconds a new key is published before it signs.
    pub prepublish: i64,
    /// Seconds a node trusts its cached copy of the key set.
    pub cache_ttl: i64,
    /// Longest lifetime of anything a key signs; a retired key stays published this long.
    pub max_token_lifetime: i64,
}

impl Default for KeyPolicy {
    fn default() -> Self {
        Self {
            prepublish: 3600,
            cache_ttl: 30,
            max_token_lifetime: 24 * 3600,
        }
    }
}

#[derive(Default)]
struct Loaded {
    loaded_at: Option<Timestamp>,
    /// The store's cache generation when loaded: a key written since by another node or
    /// process makes the store forget its caches, and the ring reloads.
    generation: u64,
    /// The key that signs now, per algorithm.
    current: HashMap<Alg, SigningKey>,
    published: Arc<JwkSet>,
    /// The published keys, parsed for verification.
    verifying: Arc<VerifyingKeys>,
}

pub struct KeyRing {
    master: MasterKey,
    policy: KeyPolicy,
    loaded: RwLock<Loaded>,
}

impl KeyRing {
    pub fn new(master: MasterKey, policy: KeyPolicy) -> Self {
        Self {
            master,
            policy,
            loaded: RwLock::new(Loaded::default()),
        }
    }

    pub fn policy(&self) -> KeyPolicy {
        self.policy
    }

    /// Makes sure every algorithm has a key that signs now; used at first start, when no
    /// token can exist yet, so the new keys sign at once.
    pub async fn ensure_keys(
        &self,
        store: &dyn Store,
        clock: &dyn Clock,
        rng: &dyn Rng,
    ) -> Result<()> {
        let now = clock.now();
        let records = store.list_keys().await?;
        let missing: Vec<Alg> = Alg::ALL
            .into_iter()
            .filter(|alg| {
                !records
                    .iter()
                    .any(|r| r.alg == alg.as_str() && signs_at(r, now))
            })
            .collect();
        for record in self.new_records(&missing, now, now, rng) {
            store.insert_key(&record?).await?;
        }
        self.reload(store, now).await
    }

    /// New keys for `algs`, generated side by side: a first start makes two RSA keys, and
    /// each one's prime search takes tens to hundreds of milliseconds on its own core.
    fn new_records(
        &self,
        algs: &[Alg],
        now: Timestamp,
        active_from: Timestamp,
        rng: &dyn Rng,
    ) -> Vec<Result<KeyRecord>> {
        if algs.len() < 2 {
            return algs
                .iter()
                .map(|&alg| self.new_record(alg, now, active_from, rng))
                .collect();
        }
        std::thread::scope(|scope| {
            let running: Vec<_> = algs
                .iter()
                .map(|&alg| scope.spawn(move || self.new_record(alg, now, active_from, rng)))
                .collect();
            running
                .into_iter()
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|_| Err(Error::Internal("key generation panicked".into())))
                })
                .collect()
        })
    }

    /// Creates a successor for each algorithm given: published now, signing after the
    /// pre-publication window; the predecessor stops signing then and leaves the JWKS once
    /// every token it signed has expired.
    pub async fn rotate(
        &self,
        store: &dyn Store,
        clock: &dyn Clock,
        rng: &dyn Rng,
        algs: &[Alg],
        prepublish: i64,
    ) -> Result<Vec<KeyRecord>> {
        let now = clock.now();
        let active_from = now + prepublish.max(0);
        let mut created = Vec::new();
        for record in store.list_keys().await? {
            let Ok(alg) = record.alg.parse::<Alg>() else {
                continue;
            };
            if algs.contains(&alg) && record.retired_at.is_none() {
                let mut old = record;
                old.retired_at = Some(active_from);
                old.unpublish_at = Some(active_from + self.policy.max_token_lifetime);
                store.update_key(&old).await?;
            }
        }
        for record in self.new_records(algs, now, active_from, rng) {
            let record = record?;
            store.insert_key(&record).await?;
            created.push(record);
        }
        self.reload(store, now).await?;
        Ok(created)
    }

    fn new_record(
        &self,
        alg: Alg,
        now: Timestamp,
        active_from: Timestamp,
        rng: &dyn Rng,
    ) -> Result<KeyRecord> {
        let kid = random_token(rng, 12);
        let key = SigningKey::generate(alg, kid.clone())
            .map_err(|e| Error::Internal(format!("key generation: {e}")))?;
        Ok(KeyRecord {
            sealed_private: self.master.seal(rng, &key.to_pkcs8(), kid.as_bytes()),
            public_jwk: key.public_jwk(),
            kid,
            alg: alg.as_str().to_owned(),
            created_at: now,
            active_from,
            retired_at: None,
            unpublish_at: None,
        })
    }

    /// Scheduled rotation: rotates every algorithm whose newest key was created `every`
    /// seconds ago or earlier (or that has no key), with the usual pre-publication.
    /// Returns the new keys; none when nothing is due.
    pub async fn rotate_due(
        &self,
        store: &dyn Store,
        clock: &dyn Clock,
        rng: &dyn Rng,
        every: i64,
    ) -> Result<Vec<KeyRecord>> {
        let now = clock.now();
        let records = store.list_keys().await?;
        let due: Vec<Alg> = Alg::ALL
            .into_iter()
            .filter(|alg| {
                records
                    .iter()
                    .filter(|r| r.alg == alg.as_str() && r.retired_at.is_none())
                    .map(|r| r.created_at)
                    .max()
                    .is_none_or(|newest| now - newest >= every)
            })
            .collect();
        if due.is_empty() {
            return Ok(Vec::new());
        }
        self.rotate(store, clock, rng, &due, self.policy.prepublish)
            .await
    }

    /// Reads the key set from the store and replaces the cache.
    pub async fn reload(&self, store: &dyn Store, now: Timestamp) -> Result<()> {
        let generation = store.cache_generation();
        let records = store.list_keys().await?;
        let mut current: HashMap<Alg, (Timestamp, SigningKey)> = HashMap::new();
        let mut published = Vec::new();
        for record in &records {
            if record.unpublish_at.is_some_and(|t| t <= now) {
                continue;
            }
            published.push(record.public_jwk.clone());
            let Ok(alg) = record.alg.parse::<Alg>() else {
                continue;
            };
            if !signs_at(record, now) {
                continue;
            }
            if current
                .get(&alg)
                .is_some_and(|(from, _)| *from >= record.active_from)
            {
                continue;
            }
            let der = self
                .master
                .open(&record.sealed_private, record.kid.as_bytes())
                .map_err(|e| {
                    Error::Internal(format!("key {} cannot be opened: {e}", record.kid))
                })?;
            let key = SigningKey::from_pkcs8(alg, record.kid.clone(), &der).map_err(|e| {
                Error::Internal(format!("key {} cannot be parsed: {e}", record.kid))
            })?;
            current.insert(alg, (record.active_from, key));
        }
        let mut loaded = self
            .loaded
            .write()
            .map_err(|_| Error::Internal("key ring lock poisoned".into()))?;
        loaded.loaded_at = Some(now);
        loaded.generation = generation;
        loaded.current = current
            .into_iter()
            .map(|(alg, (_, key))| (alg, key))
            .collect();
        loaded.verifying = Arc::new(VerifyingKeys::new(&published));
        loaded.published = Arc::new(JwkSet { keys: published });
        Ok(())
    }

    async fn refresh_if_stale(&self, store: &dyn Store, now: Timestamp) -> Result<()> {
        let stale = {
            let loaded = self
                .loaded
                .read()
                .map_err(|_| Error::Internal("key ring lock poisoned".into()))?;
            loaded.generation != store.cache_generation()
                || loaded
                    .loaded_at
                    .is_none_or(|at| now - at >= self.policy.cache_ttl || now < at)
        };
        if stale {
            self.reload(store, now).await
        } else {
            Ok(())
        }
    }

    /// The key that signs for `alg` now.
    pub async fn signer(&self, store: &dyn Store, now: Timestamp, alg: Alg) -> Result<SigningKey> {
        self.refresh_if_stale(store, now).await?;
        let loaded = self
            .loaded
            .read()
            .map_err(|_| Error::Internal("key ring lock poisoned".into()))?;
        loaded
            .current
            .get(&alg)
            .cloned()
            .ok_or_else(|| Error::Internal(format!("no active signing key for {}", alg.as_str())))
    }

    /// The published key set (JWKS document).
    pub async fn jwks(&self, store: &dyn Store, now: Timestamp) -> Result<Arc<JwkSet>> {
        self.refresh_if_stale(store, now).await?;
        let loaded = self
            .loaded
            .read()
            .map_err(|_| Error::Internal("key ring lock poisoned".into()))?;
        Ok(loaded.published.clone())
    }

    /// The published keys, parsed once, to check our own signatures with.
    pub async fn verifying_keys(
        &self,
        store: &dyn Store,
        now: Timestamp,
    ) -> Result<Arc<VerifyingKeys>> {
        self.refresh_if_stale(store, now).await?;
        let loaded = self
            .loaded
            .read()
            .map_err(|_| Error::Internal("key ring lock poisoned".into()))?;
        Ok(loaded.verifying.clone())
    }
}

fn signs_at(record: &KeyRecord, now: Timestamp) -> bool {
    record.active_from <= now && record.retired_at.is_none_or(|t| t > now)
}
