//! Account pages beyond the password form of an interaction: phone + SMS code sign-in,
//! code entry, the second-factor challenge, registration, password reset, the security
//! page (TOTP, SMS factor, recovery codes, sign-out) and the development outbox. Handlers call
//! `propusk_core::accounts::Accounts` (shared through an `Extension`) and answer every
//! POST with a 303.

mod code;
mod links;
mod outbox;
mod pages;
mod register;
mod reset;
mod security;
mod signin;
mod texts;

pub use crate::client_ip::ClientIp;
pub use code::{after_sign_in, phone_form};
pub use register::{Typed, form_page as registration_page};
pub use signin::notice;
pub use texts::AccountTexts;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use propusk_core::accounts::PasswordRejected;
use propusk_core::error::Error;

/// Paths of the account pages; `{id}` is a challenge id.
pub mod paths {
    pub const INTERACTION_CODE: &str = "/interaction/{id}/code";
    pub const CODE: &str = "/account/code/{id}";
    pub const FACTOR: &str = "/account/factor/{id}";
    pub const FACTOR_SMS: &str = "/account/factor/{id}/sms";
    pub const DEV_OUTBOX: &str = "/dev/outbox";
    pub const LOGIN: &str = "/account/login";
    pub const REGISTER: &str = "/account/register";
    pub const REGISTER_CODE: &str = "/account/register/{id}";
    pub const REGISTER_RESEND: &str = "/account/register/{id}/resend";
    pub const RESET: &str = "/account/reset";
    pub const RESET_STEP: &str = "/account/reset/{id}";
    pub const RESET_PASSWORD: &str = "/account/reset/{id}/password";
    pub const RESET_RESEND: &str = "/account/reset/{id}/resend";
    pub const SECURITY: &str = "/account/security";
    pub const SECURITY_TOTP: &str = "/account/security/totp";
    pub const SECURITY_TOTP_STEP: &str = "/account/security/totp/{id}";
    pub const SECURITY_SMS: &str = "/account/security/sms";
    pub const SECURITY_RECOVERY: &str = "/account/security/recovery";
    pub const SECURITY_CODES: &str = "/account/security/codes/{id}";
    pub const SIGN_OUT: &str = "/account/sign-out";

    pub fn with_id(route: &str, id: &str) -> String {
        route.replace("{id}", id)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::INTERACTION_CODE, post(code::start))
        .route(paths::CODE, get(code::show).post(code::submit))
        .route(paths::FACTOR, get(code::factor).post(code::factor_submit))
        .route(paths::FACTOR_SMS, post(code::factor_sms))
        .route(paths::DEV_OUTBOX, get(outbox::show))
        .route(paths::LOGIN, get(signin::show).post(signin::submit))
        .route(paths::REGISTER, get(register::show).post(register::submit))
        .route(
            paths::REGISTER_CODE,
            get(register::code_page).post(register::code_submit),
        )
        .route(paths::REGISTER_RESEND, post(register::resend_registration))
        .route(paths::RESET, get(reset::show).post(reset::start))
        .route(paths::RESET_STEP, get(reset::step).post(reset::code_submit))
        .route(paths::RESET_PASSWORD, post(reset::finish))
        .route(paths::RESET_RESEND, post(reset::resend_reset))
        .route(paths::SECURITY, get(security::show))
        .route(paths::SECURITY_TOTP, post(security::totp_switch))
        .route(
            paths::SECURITY_TOTP_STEP,
            get(security::totp_page).post(security::totp_confirm),
        )
        .route(paths::SECURITY_SMS, post(security::sms_switch))
        .route(paths::SECURITY_RECOVERY, post(security::new_recovery_codes))
        .route(paths::SECURITY_CODES, get(security::codes))
        .route(paths::SIGN_OUT, post(security::sign_out))
}

/// Why a new password was refused, in words (NIST SP 800-63B §5.1.1.2 asks to say why).
pub fn password_message(why: &PasswordRejected, a: &'static AccountTexts) -> String {
    match why {
        PasswordRejected::TooShort(n) => a.password_short.replace("{n}", &n.to_string()),
        PasswordRejected::TooLong(n) => a.password_long.replace("{n}", &n.to_string()),
        PasswordRejected::Common => a.password_common.to_owned(),
        PasswordRejected::SameAsIdentifier => a.password_same.to_owned(),
    }
}

/// The message for an error of a sign-in step; None for errors that are not the
/// user's to fix (they get the error page).
pub fn user_message(error: &Error, a: &'static AccountTexts) -> Option<&'static str> {
    match error {
        Error::OneTimeCodeInvalid => Some(a.code_invalid),
        Error::OneTimeCodeExpired => Some(a.code_expired),
        Error::Throttled { .. } => Some(a.throttled),
        Error::SendCapReached { .. } => Some(a.send_cap),
        Error::ContactInvalid => Some(a.phone_invalid),
        _ => None,
    }
}
