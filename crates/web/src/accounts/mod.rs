//! Account pages beyond the password form of an interaction: phone + SMS code sign-in,
//! code entry, the second-factor challenge, registration, password reset, the security
//! page (TOTP, SMS factor, recovery codes, password, sign-out), the personal cabinet
//! (`cabinet`: the overview and re-authentication) and the development outbox. Handlers call
//! `propusk_core::accounts::Accounts` (shared through an `Extension`) and answer every
//! POST with a 303.

mod cabinet;
mod code;
mod links;
mod next;
mod outbox;
mod passkeys;
mod register;
mod reset;
mod security;
pub mod signature;
mod signin;
pub mod tls;

pub use crate::client_ip::client_ip;
pub use cabinet::{display_name, when};
pub use code::{after_sign_in, phone_form};
pub use next::return_after_sign_in;
pub use passkeys::sign_in_form as passkey_sign_in_form;
pub use register::{Typed, form_page as registration_page};
pub(crate) use security::purpose as session_purpose;
pub use signin::notice;

use crate::pages::PageContext;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use propusk_core::accounts::PasswordRejected;
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(routes::INTERACTION_CODE, post(code::start))
        .route(routes::ACCOUNT_CODE, get(code::show).post(code::submit))
        .route(
            routes::ACCOUNT_FACTOR,
            get(code::factor).post(code::factor_submit),
        )
        .route(routes::ACCOUNT_FACTOR_SMS, post(code::factor_sms))
        .route(
            routes::ACCOUNT_FACTOR_PASSKEY_OPTIONS,
            post(passkeys::factor_options),
        )
        .route(routes::ACCOUNT_FACTOR_PASSKEY, post(passkeys::factor))
        .route(
            routes::ACCOUNT_PASSKEY_OPTIONS,
            post(passkeys::sign_in_options),
        )
        .route(routes::ACCOUNT_PASSKEY, post(passkeys::sign_in))
        .route(routes::DEV_OUTBOX, get(outbox::show))
        .route(
            routes::ACCOUNT_LOGIN,
            get(signin::show).post(signin::submit),
        )
        .route(
            routes::ACCOUNT_REGISTER,
            get(register::show).post(register::submit),
        )
        .route(
            routes::ACCOUNT_REGISTER_CODE,
            get(register::code_page).post(register::code_submit),
        )
        .route(
            routes::ACCOUNT_REGISTER_RESEND,
            post(code::resend::<register::Registration>),
        )
        .route(routes::ACCOUNT_RESET, get(reset::show).post(reset::start))
        .route(
            routes::ACCOUNT_RESET_STEP,
            get(reset::step).post(reset::code_submit),
        )
        .route(routes::ACCOUNT_RESET_PASSWORD, post(reset::finish))
        .route(
            routes::ACCOUNT_RESET_RESEND,
            post(code::resend::<reset::Reset>),
        )
        .route(routes::ACCOUNT_SECURITY, get(security::show))
        .route(routes::ACCOUNT_SECURITY_TOTP, post(security::totp_switch))
        .route(
            routes::ACCOUNT_SECURITY_TOTP_STEP,
            get(security::totp_page).post(security::totp_confirm),
        )
        .route(routes::ACCOUNT_SECURITY_SMS, post(security::sms_switch))
        .route(
            routes::ACCOUNT_SECURITY_RECOVERY,
            post(security::new_recovery_codes),
        )
        .route(routes::ACCOUNT_SECURITY_CODES, get(security::codes))
        .route(routes::ACCOUNT_SIGN_OUT, post(security::sign_out))
        .route(
            routes::ACCOUNT_SECURITY_PASSWORD,
            post(security::change_password),
        )
        .route(routes::ACCOUNT_SECURITY_PHONE, post(security::phone_switch))
        .merge(cabinet::routes())
}

/// Why a new password was refused, in words (NIST SP 800-63B §5.1.1.2 asks to say why).
pub fn password_message(context: &PageContext, why: &PasswordRejected) -> String {
    match why {
        PasswordRejected::TooShort(n) => {
            context.format(key!("password-short"), &[("n", (*n).into())])
        }
        PasswordRejected::TooLong(n) => {
            context.format(key!("password-long"), &[("n", (*n).into())])
        }
        PasswordRejected::Common => context.text(key!("password-common")),
        PasswordRejected::SameAsIdentifier => context.text(key!("password-same")),
    }
}

/// The message key for an error of a sign-in step; None for errors that are not the
/// user's to fix (they get the error page).
pub fn user_message(error: &Error) -> Option<&'static str> {
    match error {
        Error::OneTimeCodeInvalid => Some(key!("code-invalid")),
        Error::OneTimeCodeExpired => Some(key!("code-expired")),
        Error::Throttled { .. } => Some(key!("throttled")),
        Error::SendCapReached { .. } => Some(key!("send-cap")),
        Error::ContactInvalid => Some(key!("phone-invalid")),
        _ => None,
    }
}

/// The password hint with the configured minimum length.
pub fn password_hint(context: &PageContext) -> String {
    let min = context.state.web.password_min_length;
    context.format(key!("password-hint"), &[("min", min.into())])
}
