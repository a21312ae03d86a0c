//! Records of the account audit trail: one append-only event per sign-in, failure,
//! lockout, factor change or reset (OWASP ASVS V7.2). Events never carry secrets or codes.

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
    Reauthenticated,
    PasswordChanged,
    AccessRevoked,
    SessionsEnded,
    ProfileChanged,
    ContactChanged,
    AccountDeleted,
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
            Self::Reauthenticated => "reauthenticated",
            Self::PasswordChanged => "password_changed",
            Self::AccessRevoked => "access_revoked",
            Self::SessionsEnded => "sessions_ended",
            Self::ProfileChanged => "profile_changed",
            Self::ContactChanged => "contact_changed",
            Self::AccountDeleted => "account_deleted",
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
