//! The operator's actions, one function each, shared by every front: the command line,
//! the management REST API and the web console call these and nothing below them. Each
//! action that changes something writes one audit event naming its [`Actor`]; events
//! never carry a secret, code or token.
//!
//! Lists come in pages ([`Page`]) keyed by an opaque cursor, so a front never counts
//! offsets. Failures are [`AdminError`]s a front maps to its own answer.

mod audit;
mod clients;
mod keys;
mod products;
mod scope_requests;
mod trusted_issuers;
mod users;

pub use audit::{AuditCounts, AuditQuery};
pub use clients::{ClientSpec, IssuedSecret, SecretView, uses_secret};
pub use keys::{KeyState, KeyView};
pub use products::{ProductChanges, ProductSpec};
pub use users::{NewUser, PasswordSource, UserChanges};

use crate::error::Error;
use crate::model::client_metadata::MetadataError;
use crate::model::{AuditEvent, AuditKind};
use crate::provider::Provider;
use crate::store::StoreError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::sync::Arc;

pub use crate::scope::{ADMIN_READ_SCOPE, ADMIN_SCOPE, is_admin_scope};

/// Largest page any list answers.
pub const MAX_PAGE: i64 = 200;

/// Who takes an operator action; written on its audit event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// An operator signed in to the console, by account id.
    Operator(String),
    /// An API client holding a management scope, by client id.
    ApiClient(String),
    /// The `propusk admin` command line (whoever can run it owns the database).
    Cli,
}

impl Actor {
    /// `operator:<id>`, `client:<id>` or `cli`.
    pub fn audit_name(&self) -> String {
        match self {
            Self::Operator(id) => format!("operator:{id}"),
            Self::ApiClient(id) => format!("client:{id}"),
            Self::Cli => "cli".to_owned(),
        }
    }
}

/// Why an operator action was refused.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The named thing does not exist.
    #[error("no {what} `{id}`")]
    NotFound { what: &'static str, id: String },
    /// An identifier is taken already.
    #[error("{0}")]
    Conflict(String),
    /// A field's value is refused.
    #[error("{field}: {description}")]
    Invalid {
        field: &'static str,
        description: String,
    },
    /// Client metadata the shared validator refused (RFC 7591 §3.2.2).
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// A failure below the layer (storage, key generation).
    #[error(transparent)]
    Engine(#[from] Error),
}

impl From<StoreError> for AdminError {
    fn from(error: StoreError) -> Self {
        Self::Engine(Error::Store(error))
    }
}

pub type AdminResult<T> = Result<T, AdminError>;

pub(crate) fn invalid(field: &'static str, description: impl Into<String>) -> AdminError {
    AdminError::Invalid {
        field,
        description: description.into(),
    }
}

pub(crate) fn not_found(what: &'static str, id: &str) -> AdminError {
    AdminError::NotFound {
        what,
        id: id.chars().take(128).collect(),
    }
}

/// One page of a list and the cursor of the next page, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A page size within `1..=MAX_PAGE`, 50 when none is asked for.
pub fn page_size(limit: Option<i64>) -> AdminResult<i64> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(invalid("limit", format!("must be from 1 to {MAX_PAGE}"))),
    }
}

/// The opaque form of a cursor: base64url of its text.
pub(crate) fn encode_cursor(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

pub(crate) fn decode_cursor(cursor: &str) -> AdminResult<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| invalid("cursor", "not a cursor this list gave"))
}

/// A page out of items sorted by key, the first `after` the cursor's key.
pub(crate) fn page_by_key<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> &str,
    cursor: Option<&str>,
    limit: i64,
) -> AdminResult<Page<T>> {
    let after = cursor.map(decode_cursor).transpose()?;
    items.sort_by(|a, b| key(a).cmp(key(b)));
    if let Some(after) = &after {
        items.retain(|item| key(item) > after.as_str());
    }
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = items
        .last()
        .filter(|_| more)
        .map(|last| encode_cursor(key(last)));
    Ok(Page { items, next_cursor })
}

/// The operator's actions over one provider.
#[derive(Clone)]
pub struct Admin {
    provider: Arc<Provider>,
}

/// What one audit event of an operator action says besides its kind.
#[derive(Default)]
pub(crate) struct Subject<'a> {
    pub account_id: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub detail: Option<&'a str>,
}

impl Admin {
    pub fn new(provider: Arc<Provider>) -> Self {
        Self { provider }
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// Records the action; unlike sign-in events, a storage failure fails the action's
    /// answer, so that no operator change goes unrecorded without anyone knowing.
    pub(crate) async fn record(
        &self,
        actor: &Actor,
        kind: AuditKind,
        subject: Subject<'_>,
    ) -> AdminResult<()> {
        let p = &self.provider;
        let actor = actor.audit_name();
        let event = AuditEvent {
            id: p.sortable_id(12),
            at: p.now(),
            kind,
            account_id: subject.account_id.map(str::to_owned),
            ip: None,
            detail: subject.detail.map(str::to_owned),
            actor: Some(actor.clone()),
            client_id: subject.client_id.map(str::to_owned),
        };
        tracing::info!(
            event = kind.as_str(),
            actor,
            account = subject.account_id,
            client = subject.client_id,
            detail = subject.detail,
            "audit"
        );
        p.store.record_audit(&event).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_are_named_on_events() {
        assert_eq!(Actor::Operator("a1".into()).audit_name(), "operator:a1");
        assert_eq!(Actor::ApiClient("svc".into()).audit_name(), "client:svc");
        assert_eq!(Actor::Cli.audit_name(), "cli");
    }

    #[test]
    fn pages_follow_their_cursor() {
        let items = vec!["c", "a", "b", "d"];
        let first = page_by_key(items.clone(), |s| s, None, 2).expect("first");
        assert_eq!(first.items, ["a", "b"]);
        let cursor = first.next_cursor.expect("more");
        let second = page_by_key(items, |s| s, Some(&cursor), 2).expect("second");
        assert_eq!((second.items, second.next_cursor), (vec!["c", "d"], None));
        assert!(decode_cursor("!!").is_err());
        assert!(page_size(Some(0)).is_err());
        assert_eq!(page_size(None).ok(), Some(50));
    }
}
