//! The integrator cabinet (`/developer`): a signed-in user accepts the integrator terms,
//! registers applications by type, edits their settings, issues and revokes api-keys,
//! requests product scopes, adds co-owners, uploads a logo, reads the quick start and
//! runs a test sign-in. Handlers call `propusk_core::developer::Cabinet` and answer every
//! successful POST with a 303; a form with a mistake is shown again with status 400.

mod apps;
mod keys;
mod logo;
mod quickstart;
mod terms;
mod test_sign_in;
pub(crate) mod upload;
mod views;

pub use views::*;

use crate::answer::see_other;
use crate::pages::{ErrorView, PageContext, join};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use propusk_core::developer::{CabinetError, Problem};
use propusk_core::model::{Account, Session};
use propusk_texts::key;
use propusk_types::routes::{self, with_id};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(routes::DEVELOPER, get(terms::show).post(terms::accept))
        .route(routes::DEVELOPER_APPS, get(apps::list))
        .route(
            routes::DEVELOPER_APP_NEW,
            get(apps::new_form).post(apps::create),
        )
        .route(routes::DEVELOPER_APP, get(apps::show).post(apps::update))
        .route(routes::DEVELOPER_APP_KEYS, post(keys::create))
        .route(routes::DEVELOPER_APP_KEY_REVOKE, post(keys::revoke))
        .route(routes::DEVELOPER_APP_SCOPES, post(apps::request_scope))
        .route(routes::DEVELOPER_APP_TEAM, post(apps::add_owner))
        .route(routes::DEVELOPER_APP_LOGO, post(logo::upload))
        .route(routes::DEVELOPER_LOGO, get(logo::serve))
        .route(routes::DEVELOPER_APP_QUICKSTART, get(quickstart::show))
        .route(routes::DEVELOPER_APP_TEST, get(test_sign_in::start))
        .route(routes::DEVELOPER_CALLBACK, get(test_sign_in::callback))
}

/// The signed-in user (the page language follows the account's), or the answer that
/// sends the browser to sign in.
async fn signed_in(context: &mut PageContext) -> Result<(Session, Account), Response> {
    context.signed_in(routes::DEVELOPER).await
}

/// A POST of the cabinet: signed in, and the form's CSRF token is right (else the error
/// page saying the form expired).
async fn signed_in_form(
    context: &mut PageContext,
    csrf_token: Option<&str>,
) -> Result<Account, Response> {
    let (session, account) = signed_in(context).await?;
    if !context.csrf_ok(&purpose(&session), csrf_token) {
        let view = ErrorView {
            message: context.text(key!("developer-form-expired")),
            code: None,
        };
        return Err(context
            .page(routes::DEVELOPER)
            .status(StatusCode::BAD_REQUEST)
            .render(&view));
    }
    Ok(account)
}

fn purpose(session: &Session) -> String {
    format!("developer:{}", session.id)
}

/// A cabinet path with the application's id and the chosen language.
fn path(context: &PageContext, route: &str, client_id: &str) -> String {
    join(with_id(route, client_id), &[context.lang_param()])
}

/// The answer to a failure that is not a mistake in a form.
fn failure(context: &PageContext, error: CabinetError, at: &str) -> Response {
    match error {
        CabinetError::NotIntegrator => see_other(&join(routes::DEVELOPER, &[context.lang_param()])),
        CabinetError::NotFound | CabinetError::Invalid(_) => {
            let view = ErrorView {
                message: context.text(key!("developer-not-found")),
                code: None,
            };
            context.page(at).status(StatusCode::NOT_FOUND).render(&view)
        }
        CabinetError::Failed(error) => context.error_page(&error, at),
    }
}

/// A mistake in a form, in words.
fn problem_text(context: &PageContext, problem: &Problem) -> String {
    match problem {
        Problem::NameMissing => context.text(key!("developer-error-name")),
        Problem::TypeUnknown => context.text(key!("developer-error-type")),
        Problem::Uri(reason) => context.format(
            key!("developer-error-uri"),
            &[("reason", reason.as_str().into())],
        ),
        Problem::LinkNotHttps(_) => context.text(key!("developer-error-link")),
        Problem::Lifetime(_, min, max) => context.format(
            key!("developer-error-lifetime"),
            &[("min", (*min).into()), ("max", (*max).into())],
        ),
        Problem::SubjectTypeUnknown => context.text(key!("developer-error-subject")),
        Problem::AuthMethodUnknown => context.text(key!("developer-error-auth-method")),
        Problem::JwksNotJson => context.text(key!("developer-error-jwks-json")),
        Problem::Keys(reason) => context.format(
            key!("developer-error-keys"),
            &[("reason", reason.as_str().into())],
        ),
        Problem::KeyNameMissing => context.text(key!("developer-error-key-name")),
        Problem::KeyExpiryInvalid => context.text(key!("developer-error-key-expiry")),
        Problem::KeysNotUsed => context.text(key!("developer-error-keys-unused")),
        Problem::ScopeUnknown => context.text(key!("developer-error-scope")),
        Problem::ScopeAlreadyAllowed => context.text(key!("developer-error-scope-twice")),
        Problem::LogoNotImage => context.text(key!("developer-error-logo")),
        Problem::LogoTooLarge => context.format(
            key!("developer-error-logo-size"),
            &[(
                "kib",
                (propusk_core::developer::MAX_LOGO_BYTES / 1024).into(),
            )],
        ),
        Problem::AccountUnknown => context.text(key!("developer-error-account")),
    }
}

/// The label of an application type.
fn type_label(context: &PageContext, app_type: propusk_core::developer::AppType) -> String {
    use propusk_core::developer::AppType;
    context.text(match app_type {
        AppType::Web => key!("developer-type-web"),
        AppType::Spa => key!("developer-type-spa"),
        AppType::Native => key!("developer-type-native"),
        AppType::Device => key!("developer-type-device"),
        AppType::Service => key!("developer-type-service"),
    })
}

/// A date for people: `YYYY-MM-DD HH:MM` UTC.
fn when(at: i64) -> String {
    let days = at.div_euclid(86_400);
    let secs = at.rem_euclid(86_400);
    format!("{} {:02}:{:02}", day(days), secs / 3600, (secs % 3600) / 60)
}

/// A day since the epoch as `YYYY-MM-DD` (proleptic Gregorian, H. Hinnant's algorithm).
fn day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_for_people() {
        assert_eq!(when(0), "1970-01-01 00:00");
        assert_eq!(when(1_796_601_600 + 3_660), "2026-12-07 01:01");
        assert_eq!(day(-1), "1969-12-31");
        assert_eq!(day(11_016), "2000-02-29");
    }
}
