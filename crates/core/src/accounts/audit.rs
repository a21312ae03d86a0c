//! The audit trail of accounts: every sign-in, failure, lockout, factor change and reset
//! is one append-only event (OWASP ASVS V7.2). Events never carry secrets or codes.
//! Sign-ins and lockouts are also counted for `/metrics` (the `metrics` facade; without
//! an installed recorder the counts go nowhere).

use super::Accounts;
use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    SignIn,
    SignInFailed,
    Lockout,
    SecondFactorFailed,
    Registered,
    FactorEnabled,
    FactorDisabled,
    RecoveryCodesIssued,
    RecoveryCodeUsed,
    PasswordReset,
    PasswordRehashed,
    CodeSent,
    CodeCapReached,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::Lockout => "lockout",
            Self::SecondFactorFailed => "second_factor_failed",
            Self::Registered => "registered",
            Self::FactorEnabled => "factor_enabled",
            Self::FactorDisabled => "factor_disabled",
            Self::RecoveryCodesIssued => "recovery_codes_issued",
            Self::RecoveryCodeUsed => "recovery_code_used",
            Self::PasswordReset => "password_reset",
            Self::PasswordRehashed => "password_rehashed",
            Self::CodeSent => "code_sent",
            Self::CodeCapReached => "code_cap_reached",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: String,
    pub at: Timestamp,
    pub kind: AuditKind,
    pub account_id: Option<String>,
    pub ip: Option<String>,
    /// What happened, for people: the method (`pwd`, `sms`, `otp`…), never a secret.
    pub detail: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_as_text() {
        for kind in [
            AuditKind::SignIn,
            AuditKind::Lockout,
            AuditKind::PasswordReset,
        ] {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AuditKind::parse("nope"), None);
    }
}
