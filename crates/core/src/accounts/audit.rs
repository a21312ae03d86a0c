//! The audit trail of accounts: every sign-in, failure, lockout, factor change and reset
//! is one append-only event (OWASP ASVS V7.2); the account's own history is read page by
//! page, newest first. Events never carry secrets or codes.
//! Sign-ins and lockouts are also counted for `/metrics` (the `metrics` facade; without
//! an installed recorder the counts go nowhere).

use super::Accounts;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::model::{Account, AuditEvent, AuditKind};

/// One page of an account's history, newest first, and where the next page starts.
#[derive(Clone, Debug)]
pub struct HistoryPage {
    pub events: Vec<AuditEvent>,
    /// `at` and `id` of the last event shown, when older events exist.
    pub next: Option<(Timestamp, String)>,
}

impl Accounts {
    /// Records an event; a storage failure is logged, never fails the request.
    pub(crate) async fn audit(
        &self,
        kind: AuditKind,
        account_id: Option<&str>,
        ip: &str,
        detail: Option<&str>,
    ) {
        let p = &self.provider;
        let event = AuditEvent {
            id: p.sortable_id(12),
            at: p.now(),
            kind,
            account_id: account_id.map(str::to_owned),
            ip: (!ip.is_empty()).then(|| ip.to_owned()),
            detail: detail.map(str::to_owned),
            actor: None,
            client_id: None,
        };
        tracing::info!(
            event = kind.as_str(),
            account = account_id,
            ip,
            detail,
            "audit"
        );
        count(kind, detail);
        if let Err(error) = p.store.record_audit(&event).await {
            tracing::error!(%error, "audit event not stored");
        }
    }
}

impl Accounts {
    /// The account's events, newest first, `size` a page, older than `before`.
    pub async fn history(
        &self,
        account: &Account,
        before: Option<(Timestamp, &str)>,
        size: i64,
    ) -> Result<HistoryPage> {
        let mut events = self
            .provider
            .store
            .account_audit_page(&account.id, before, size + 1)
            .await?;
        let more = events.len() as i64 > size;
        events.truncate(size.max(0) as usize);
        let next = events.last().filter(|_| more).map(|e| (e.at, e.id.clone()));
        Ok(HistoryPage { events, next })
    }
}

/// Sign-ins by method and outcome, and lockouts, for `/metrics`. The method is the
/// event's detail, which the engine writes (`pwd`, `sms`, `pwd otp mfa`…).
fn count(kind: AuditKind, detail: Option<&str>) {
    let method = detail.unwrap_or("unknown").to_owned();
    match kind {
        AuditKind::SignIn => {
            metrics::counter!("propusk_sign_ins_total", "method" => method, "outcome" => "success")
                .increment(1);
        }
        AuditKind::SignInFailed | AuditKind::SecondFactorFailed => {
            metrics::counter!("propusk_sign_ins_total", "method" => method, "outcome" => "failure")
                .increment(1);
        }
        AuditKind::Lockout => {
            metrics::counter!("propusk_lockouts_total", "method" => method).increment(1);
        }
        _ => {}
    }
}
