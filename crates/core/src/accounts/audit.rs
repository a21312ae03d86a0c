//! The audit trail of accounts: every sign-in, failure, lockout, factor change and reset
//! is one append-only event (OWASP ASVS V7.2). Events never carry secrets or codes.

use super::Accounts;
use crate::model::{AuditEvent, AuditKind};

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
        };
        tracing::info!(
            event = kind.as_str(),
            account = account_id,
            ip,
            detail,
            "audit"
        );
        if let Err(error) = p.store.record_audit(&event).await {
            tracing::error!(%error, "audit event not stored");
        }
    }
}
