//! The personal cabinet (`/account`): the overview a sign-in without an authorization
//! request lands on; re-authentication (`/account/reauth`), the fresh proof that
//! sensitive changes of the account ask for (OWASP ASVS 4.0 V3.7.1); the applications
//! with access (`/account/accesses`); the certificates bound to the account
//! (`/account/certificates`) and binding one by proof of possession; the passkeys
//! (`/account/passkeys`); the browser sessions (`/account/sessions`); the profile
//! (`/account/profile`); the history (`/account/history`); the export
//! (`/account/export`) and the deletion (`/account/delete`) of the account. The security page
//! itself lives in `super::security`; every cabinet page shares its sign-in check and
//! its session-bound CSRF purpose.

mod accesses;
mod certificate_binding;
mod certificates;
mod erase;
mod history;
mod overview;
mod passkeys;
mod profile;
mod reauth;
mod sessions;
mod views;

#[cfg(test)]
mod tests;

use crate::pages::{PageContext, join};
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use propusk_core::model::Account;
use propusk_types::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(routes::ACCOUNT, get(overview::show))
        .route(
            routes::ACCOUNT_REAUTH,
            get(reauth::show).post(reauth::submit),
        )
        .route(routes::ACCOUNT_ACCESSES, get(accesses::show))
        .route(routes::ACCOUNT_ACCESSES_REVOKE, post(accesses::revoke))
        .route(routes::ACCOUNT_CERTIFICATES, get(certificates::show))
        .route(
            routes::ACCOUNT_CERTIFICATES_ADD,
            post(certificate_binding::add),
        )
        .route(
            routes::ACCOUNT_CERTIFICATES_PROVE,
            post(certificate_binding::prove),
        )
        .route(
            routes::ACCOUNT_CERTIFICATES_REMOVE,
            post(certificates::remove),
        )
        .route(routes::ACCOUNT_PASSKEYS, get(passkeys::show))
        .route(routes::ACCOUNT_PASSKEYS_OPTIONS, post(passkeys::options))
        .route(routes::ACCOUNT_PASSKEYS_ADD, post(passkeys::add))
        .route(routes::ACCOUNT_PASSKEYS_RENAME, post(passkeys::rename))
        .route(routes::ACCOUNT_PASSKEYS_REMOVE, post(passkeys::remove))
        .route(
            routes::ACCOUNT_PROFILE,
            get(profile::show).post(profile::save),
        )
        .route(routes::ACCOUNT_PROFILE_CONTACT, post(profile::contact))
        .route(
            routes::ACCOUNT_PROFILE_CONTACT_STEP,
            get(profile::code_page).post(profile::code_submit),
        )
        .route(routes::ACCOUNT_HISTORY, get(history::show))
        .route(routes::ACCOUNT_EXPORT, get(erase::export))
        .route(routes::ACCOUNT_DELETE, get(erase::show).post(erase::delete))
        .route(routes::ACCOUNT_SESSIONS, get(sessions::show))
        .route(routes::ACCOUNT_SESSIONS_END, post(sessions::end_one))
        .route(routes::ACCOUNT_SESSIONS_OTHERS, post(sessions::end_others))
}

/// A moment as the cabinet shows it: `YYYY-MM-DD HH:MM UTC` (proleptic Gregorian, from
/// days since 1970-01-01 by the civil-from-days method).
pub fn when(at: propusk_core::clock::Timestamp) -> String {
    let days = at.div_euclid(86_400);
    let seconds = at.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// How the cabinet names the signed-in user: the display name, else a contact, else the
/// login.
pub fn display_name(account: &Account) -> String {
    account
        .profile
        .name
        .clone()
        .or_else(|| account.phone.clone())
        .or_else(|| account.email.clone())
        .unwrap_or_else(|| account.login.clone())
}

/// The re-authentication page that returns to `next` (a cabinet path) once proved.
pub fn reauth_href(context: &PageContext, next: &str) -> String {
    let next: String = url::form_urlencoded::byte_serialize(safe_next(next).as_bytes()).collect();
    join(
        routes::ACCOUNT_REAUTH,
        &[context.lang_param(), format!("next={next}")],
    )
}

/// `next` when it is a path of the cabinet (no scheme, host, query or dot segments, so
/// never an open redirect); the overview otherwise.
pub fn safe_next(next: &str) -> &str {
    let plain = next
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '-' || c == '_');
    let inside = next == routes::ACCOUNT || next.starts_with("/account/");
    if plain && inside && !next.contains("//") {
        next
    } else {
        routes::ACCOUNT
    }
}
