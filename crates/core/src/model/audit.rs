//! Records of the audit trail: one append-only event per sign-in, failure, lockout,
//! factor change or reset (OWASP ASVS V7.2), and per operator action with the actor who
//! took it (an operator account, an API client or the command line), per token issued or
//! refused at the token endpoint (grant type, client, account; the error code) and per
//! consent given. Events never carry secrets, codes or tokens.

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
    AccountCreated,
    AccountUpdated,
    AccountBlocked,
    AccountUnblocked,
    SecondFactorReset,
    OperatorGranted,
    OperatorRevoked,
    ClientCreated,
    ClientUpdated,
    ClientSuspended,
    ClientResumed,
    ClientDeleted,
    ClientSecretAdded,
    ClientSecretRevoked,
    ProductCreated,
    ProductUpdated,
    ProductDeleted,
    KeysRotated,
    ScopeRequestApproved,
    ScopeRequestRefused,
    TrustedIssuerSaved,
    TrustedIssuerDeleted,
    TokenIssued,
    TokenRefused,
    ConsentGiven,
    AuditDropped,
    PasskeyAdded,
    PasskeyRemoved,
    CertificateBound,
    CertificateRemoved,
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
            Self::AccountCreated => "account_created",
            Self::AccountUpdated => "account_updated",
            Self::AccountBlocked => "account_blocked",
            Self::AccountUnblocked => "account_unblocked",
            Self::SecondFactorReset => "second_factor_reset",
            Self::OperatorGranted => "operator_granted",
            Self::OperatorRevoked => "operator_revoked",
            Self::ClientCreated => "client_created",
            Self::ClientUpdated => "client_updated",
            Self::ClientSuspended => "client_suspended",
            Self::ClientResumed => "client_resumed",
            Self::ClientDeleted => "client_deleted",
            Self::ClientSecretAdded => "client_secret_added",
            Self::ClientSecretRevoked => "client_secret_revoked",
            Self::ProductCreated => "product_created",
            Self::ProductUpdated => "product_updated",
            Self::ProductDeleted => "product_deleted",
            Self::KeysRotated => "keys_rotated",
            Self::ScopeRequestApproved => "scope_request_approved",
            Self::ScopeRequestRefused => "scope_request_refused",
            Self::TrustedIssuerSaved => "trusted_issuer_saved",
            Self::TrustedIssuerDeleted => "trusted_issuer_deleted",
            Self::TokenIssued => "token_issued",
            Self::TokenRefused => "token_refused",
            Self::ConsentGiven => "consent_given",
            Self::AuditDropped => "audit_dropped",
            Self::PasskeyAdded => "passkey_added",
            Self::PasskeyRemoved => "passkey_removed",
            Self::CertificateBound => "certificate_bound",
            Self::CertificateRemoved => "certificate_removed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
    }

    /// Every kind, for documents that list them.
    pub const ALL: [AuditKind; 50] = [
        Self::SignIn,
        Self::SignInFailed,
        Self::Lockout,
        Self::SecondFactorFailed,
        Self::Registered,
        Self::FactorEnabled,
        Self::FactorDisabled,
        Self::RecoveryCodesIssued,
        Self::RecoveryCodeUsed,
        Self::PasswordReset,
        Self::PasswordRehashed,
        Self::CodeSent,
        Self::CodeCapReached,
        Self::Reauthenticated,
        Self::PasswordChanged,
        Self::AccessRevoked,
        Self::SessionsEnded,
        Self::ProfileChanged,
        Self::ContactChanged,
        Self::AccountDeleted,
        Self::AccountCreated,
        Self::AccountUpdated,
        Self::AccountBlocked,
        Self::AccountUnblocked,
        Self::SecondFactorReset,
        Self::OperatorGranted,
        Self::OperatorRevoked,
        Self::ClientCreated,
        Self::ClientUpdated,
        Self::ClientSuspended,
        Self::ClientResumed,
        Self::ClientDeleted,
        Self::ClientSecretAdded,
        Self::ClientSecretRevoked,
        Self::ProductCreated,
        Self::ProductUpdated,
        Self::ProductDeleted,
        Self::KeysRotated,
        Self::ScopeRequestApproved,
        Self::ScopeRequestRefused,
        Self::TrustedIssuerSaved,
        Self::TrustedIssuerDeleted,
        Self::TokenIssued,
        Self::TokenRefused,
        Self::ConsentGiven,
        Self::AuditDropped,
        Self::PasskeyAdded,
        Self::PasskeyRemoved,
        Self::CertificateBound,
        Self::CertificateRemoved,
    ];
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: String,
    pub at: Timestamp,
    pub kind: AuditKind,
    pub account_id: Option<String>,
    pub ip: Option<String>,
    /// What happened, for people: the method (`pwd`, `sms`, `otp`…), the grant type and
    /// error code of a token request, never a secret.
    pub detail: Option<String>,
    /// Who took an operator action: `operator:<account id>`, `client:<client id>` or
    /// `cli`; none for what a user or the protocol did.
    #[serde(default)]
    pub actor: Option<String>,
    /// The client the event concerns.
    #[serde(default)]
    pub client_id: Option<String>,
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
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(kind));
        }
    }
}
