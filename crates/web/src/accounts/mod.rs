//! Account pages beyond the password form of an interaction: phone + SMS code sign-in,
//! code entry, the second-factor challenge and the development outbox. Handlers call
//! `propusk_core::accounts::Accounts` (shared through an `Extension`) and answer every
//! POST with a 303.

mod code;
mod ip;
mod outbox;
mod pages;
mod texts;

pub use code::{after_sign_in, phone_form};
pub use ip::ClientIp;
pub use texts::AccountTexts;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use propusk_core::error::Error;

/// Paths of the account pages; `{id}` is a challenge id.
pub mod paths {
    pub const INTERACTION_CODE: &str = "/interaction/{id}/code";
    pub const CODE: &str = "/account/code/{id}";
    pub const FACTOR: &str = "/account/factor/{id}";
    pub const FACTOR_SMS: &str = "/account/factor/{id}/sms";
    pub const DEV_OUTBOX: &str = "/dev/outbox";

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
