//! Signing keys: listed with their state, and rotated (OIDC Core §10.1.1). A rotation
//! publishes each successor at once and lets it sign after the pre-publication window;
//! the retired key stays published until every token it signed has expired.

use super::{Actor, Admin, AdminResult, Subject, invalid};
use crate::clock::Timestamp;
use crate::jose::Alg;
use crate::model::{AuditKind, KeyRecord};

/// Where a key is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Published, not signing yet.
    Next,
    /// Signs now.
    Active,
    /// Published for verification only, until `unpublish_at`.
    Retiring,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Next => "next",
            Self::Active => "active",
            Self::Retiring => "retiring",
        }
    }

    fn of(key: &KeyRecord, now: Timestamp) -> Self {
        if key.retired_at.is_some_and(|at| at <= now) {
            Self::Retiring
        } else if key.active_from > now {
            Self::Next
        } else {
            Self::Active
        }
    }
}

/// A key as listed: its public half and its window, never the private key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyView {
    pub kid: String,
    pub alg: String,
    pub state: KeyState,
    pub created_at: Timestamp,
    pub active_from: Timestamp,
    pub retired_at: Option<Timestamp>,
    pub unpublish_at: Option<Timestamp>,
}

impl KeyView {
    fn of(key: &KeyRecord, now: Timestamp) -> Self {
        Self {
            kid: key.kid.clone(),
            alg: key.alg.clone(),
            state: KeyState::of(key, now),
            created_at: key.created_at,
            active_from: key.active_from,
            retired_at: key.retired_at,
            unpublish_at: key.unpublish_at,
        }
    }
}

impl Admin {
    /// Every stored key, by algorithm then creation.
    pub async fn keys(&self) -> AdminResult<Vec<KeyView>> {
        let now = self.provider.now();
        let mut keys = self.provider.store.list_keys().await?;
        keys.sort_by(|a, b| (&a.alg, a.created_at, &a.kid).cmp(&(&b.alg, b.created_at, &b.kid)));
        Ok(keys.iter().map(|k| KeyView::of(k, now)).collect())
    }

    /// Rotates the keys of `algs` (every algorithm when empty); successors sign after
    /// `prepublish` seconds (the configured window when `None`).
    pub async fn rotate_keys(
        &self,
        actor: &Actor,
        algs: &[Alg],
        prepublish: Option<i64>,
    ) -> AdminResult<Vec<KeyView>> {
        let p = &self.provider;
        let prepublish = prepublish.unwrap_or(p.config.keys.prepublish);
        if !(0..=30 * 24 * 3600).contains(&prepublish) {
            return Err(invalid("prepublish", "from 0 to 2592000 seconds"));
        }
        let requested = if algs.is_empty() { &Alg::ALL[..] } else { algs };
        let mut unique: Vec<Alg> = Vec::new();
        for alg in requested {
            if !unique.contains(alg) {
                unique.push(*alg);
            }
        }
        let created = p
            .keys
            .rotate(
                p.store.as_ref(),
                p.clock.as_ref(),
                p.rng.as_ref(),
                &unique,
                prepublish,
            )
            .await?;
        let now = p.now();
        let views: Vec<KeyView> = created.iter().map(|k| KeyView::of(k, now)).collect();
        let detail = views
            .iter()
            .map(|k| format!("{} {}", k.alg, k.kid))
            .collect::<Vec<_>>()
            .join(", ");
        let subject = Subject {
            detail: Some(&detail),
            ..Subject::default()
        };
        self.record(actor, AuditKind::KeysRotated, subject).await?;
        Ok(views)
    }
}
