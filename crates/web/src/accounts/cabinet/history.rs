//! `/account/history`: the account's audit events (OWASP ASVS V7.2), newest first, 20 a
//! page, in the user's language — sign-ins by method and their failures, lockouts,
//! factor, password, profile and contact changes, accesses revoked, sessions ended.
//! The next page is addressed by the last event shown (`before_at`, `before_id`).

use super::super::security::signed_in;
use super::views::{AccountHistoryView, EventLine};
use super::when;
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Query};
use axum::response::Response;
use propusk_core::accounts::{Accounts, AuditKind};
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

const PAGE: i64 = 20;

#[derive(Deserialize, Default)]
pub struct HistoryQuery {
    before_at: Option<i64>,
    before_id: Option<String>,
}

/// The words for an event kind.
fn kind_key(kind: AuditKind) -> &'static str {
    match kind {
        AuditKind::SignIn => key!("cabinet-event-sign-in"),
        AuditKind::SignInFailed => key!("cabinet-event-sign-in-failed"),
        AuditKind::Lockout => key!("cabinet-event-lockout"),
        AuditKind::SecondFactorFailed => key!("cabinet-event-second-factor-failed"),
        AuditKind::Registered => key!("cabinet-event-registered"),
        AuditKind::FactorEnabled => key!("cabinet-event-factor-enabled"),
        AuditKind::FactorDisabled => key!("cabinet-event-factor-disabled"),
        AuditKind::RecoveryCodesIssued => key!("cabinet-event-recovery-codes-issued"),
        AuditKind::RecoveryCodeUsed => key!("cabinet-event-recovery-code-used"),
        AuditKind::PasswordReset => key!("cabinet-event-password-reset"),
        AuditKind::PasswordRehashed => key!("cabinet-event-password-rehashed"),
        AuditKind::CodeSent => key!("cabinet-event-code-sent"),
        AuditKind::CodeCapReached => key!("cabinet-event-code-cap-reached"),
        AuditKind::Reauthenticated => key!("cabinet-event-reauthenticated"),
        AuditKind::PasswordChanged => key!("cabinet-event-password-changed"),
        AuditKind::AccessRevoked => key!("cabinet-event-access-revoked"),
        AuditKind::SessionsEnded => key!("cabinet-event-sessions-ended"),
        AuditKind::ProfileChanged => key!("cabinet-event-profile-changed"),
        AuditKind::ContactChanged => key!("cabinet-event-contact-changed"),
        AuditKind::AccountDeleted => key!("cabinet-event-account-deleted"),
        AuditKind::AccountCreated => key!("api-event-account-created"),
        AuditKind::AccountUpdated => key!("api-event-account-updated"),
        AuditKind::AccountBlocked => key!("api-event-account-blocked"),
        AuditKind::AccountUnblocked => key!("api-event-account-unblocked"),
        AuditKind::SecondFactorReset => key!("api-event-second-factor-reset"),
        AuditKind::OperatorGranted => key!("api-event-operator-granted"),
        AuditKind::OperatorRevoked => key!("api-event-operator-revoked"),
        AuditKind::ClientCreated => key!("api-event-client-created"),
        AuditKind::ClientUpdated => key!("api-event-client-updated"),
        AuditKind::ClientSuspended => key!("api-event-client-suspended"),
        AuditKind::ClientResumed => key!("api-event-client-resumed"),
        AuditKind::ClientDeleted => key!("api-event-client-deleted"),
        AuditKind::ClientSecretAdded => key!("api-event-client-secret-added"),
        AuditKind::ClientSecretRevoked => key!("api-event-client-secret-revoked"),
        AuditKind::ProductCreated => key!("api-event-product-created"),
        AuditKind::ProductUpdated => key!("api-event-product-updated"),
        AuditKind::ProductDeleted => key!("api-event-product-deleted"),
        AuditKind::KeysRotated => key!("api-event-keys-rotated"),
        AuditKind::ScopeRequestApproved => key!("api-event-scope-request-approved"),
        AuditKind::ScopeRequestRefused => key!("api-event-scope-request-refused"),
        AuditKind::TrustedIssuerSaved => key!("api-event-trusted-issuer-saved"),
        AuditKind::TrustedIssuerDeleted => key!("api-event-trusted-issuer-deleted"),
        AuditKind::TokenIssued => key!("admin-event-token-issued"),
        AuditKind::TokenRefused => key!("admin-event-token-refused"),
        AuditKind::ConsentGiven => key!("admin-event-consent-given"),
        AuditKind::PasskeyAdded => key!("admin-event-passkey-added"),
        AuditKind::PasskeyRemoved => key!("admin-event-passkey-removed"),
        AuditKind::AuditDropped => key!("admin-event-audit-dropped"),
        AuditKind::CertificateBound => key!("cabinet-event-certificate-bound"),
        AuditKind::CertificateRemoved => key!("cabinet-event-certificate-removed"),
    }
}

/// A method or channel named in an event's detail, in words; other details as they are.
fn detail_text(context: &PageContext, detail: &str) -> String {
    let word = |token: &str| {
        let key = match token {
            "pwd" => key!("cabinet-method-pwd"),
            "otp" => key!("cabinet-method-otp"),
            "sms" => key!("cabinet-method-sms"),
            "code" => key!("cabinet-method-sms"),
            "email" => key!("cabinet-method-email"),
            "phone" => key!("cabinet-method-phone"),
            "rc" | "recovery" => key!("cabinet-method-recovery"),
            "phone_sign_in" => key!("cabinet-phone-sign-in"),
            "mfa" => return None,
            other => return Some(other.to_owned()),
        };
        Some(context.text(key))
    };
    detail
        .split(' ')
        .filter_map(word)
        .collect::<Vec<_>>()
        .join(", ")
}

/// GET `/account/history`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<HistoryQuery>,
) -> Response {
    let (_, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let before = match (query.before_at, query.before_id.as_deref()) {
        (Some(at), Some(id)) => Some((at, id)),
        _ => None,
    };
    let page = match accounts.history(&account, before, PAGE).await {
        Ok(page) => page,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_HISTORY),
    };
    let events = page
        .events
        .iter()
        .map(|e| EventLine {
            kind: e.kind.as_str(),
            at: when(e.at),
            text: context.text(kind_key(e.kind)),
            detail: e.detail.as_deref().map(|d| detail_text(&context, d)),
            ip: e.ip.clone(),
        })
        .collect();
    let lang = context.lang_param();
    let next_href = page.next.map(|(at, id)| {
        let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
        join(
            routes::ACCOUNT_HISTORY,
            &[
                lang.clone(),
                format!("before_at={at}"),
                format!("before_id={id}"),
            ],
        )
    });
    let view = AccountHistoryView {
        events,
        next_href,
        first_href: before.map(|_| join(routes::ACCOUNT_HISTORY, std::slice::from_ref(&lang))),
        back_href: join(routes::ACCOUNT, &[lang]),
    };
    context.page(routes::ACCOUNT_HISTORY).render(&view)
}
