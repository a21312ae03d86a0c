//! Signing in outside an authorization request, to reach the user's own pages
//! (`/account/login` → `/account/security`): login (or e-mail, or phone) + password, then
//! the second factor when the account has one.

use super::links::{join, lang_suffix};
use super::paths;
use super::{AccountTexts, ClientIp, after_sign_in};
use crate::answer::{error_page, see_other};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{DEFAULT_CSP, Frame, LoginPage, form_status, render_with_seed};
use crate::session::current_session;
use crate::state::AppState;
use axum::extract::{Extension, Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use serde::Deserialize;
use std::sync::Arc;

const PURPOSE: &str = "account-login";

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    lang: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    csrf: Option<String>,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// The notice a page shows after a redirect (`notice=out`, `notice=reset`).
pub fn notice(key: Option<&str>, a: &'static AccountTexts) -> Option<&'static str> {
    match key? {
        "out" => Some(a.signed_out),
        "reset" => Some(a.password_changed),
        _ => None,
    }
}

fn page(
    state: &AppState,
    headers: &HeaderMap,
    locale: Locale,
    login: &str,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> Response {
    let a = AccountTexts::of(locale);
    let lang = format!("lang={}", locale.code());
    let seed = CsrfSeed::ensure(&state.provider, headers);
    let page = LoginPage {
        frame: Frame::new(state, locale, paths::LOGIN),
        t: locale.texts(),
        client_name: a.account_title,
        action: join(paths::LOGIN.to_owned(), std::slice::from_ref(&lang)),
        csrf: seed.token(&state.provider, PURPOSE),
        login,
        error,
        notice,
        alt_current: a.by_password,
        alt: None,
        a,
        reset_href: join(paths::RESET.to_owned(), std::slice::from_ref(&lang)),
        register_href: Some(join(paths::REGISTER.to_owned(), &[lang])),
    };
    render_with_seed(form_status(error.is_some()), &page, DEFAULT_CSP, seed)
}

/// GET `/account/login`; a signed-in user goes straight to the security page.
pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<LoginQuery>,
    headers: HeaderMap,
) -> Response {
    if current_session(&state.provider, &headers).await.is_some() {
        return see_other(&join(
            paths::SECURITY.to_owned(),
            &[lang_suffix(q.lang.as_deref())],
        ));
    }
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    page(
        &state,
        &headers,
        locale,
        "",
        None,
        notice(q.notice.as_deref(), a),
    )
}

/// POST `/account/login`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<LoginQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    if !csrf::form_ok(&state, &headers, PURPOSE, &form.csrf) {
        let expired = Some(locale.texts().form_expired);
        return page(&state, &headers, locale, &form.login, expired, None);
    }
    match accounts
        .sign_in_password(&form.login, &form.password, &ip, None)
        .await
    {
        Ok(outcome) => after_sign_in(&state, outcome, Some(locale.code())),
        Err(Error::InvalidCredentials) => page(
            &state,
            &headers,
            locale,
            &form.login,
            Some(locale.texts().invalid_credentials),
            None,
        ),
        Err(Error::Throttled { .. }) => page(
            &state,
            &headers,
            locale,
            &form.login,
            Some(a.throttled),
            None,
        ),
        Err(error) => error_page(&state, &error, locale, paths::LOGIN),
    }
}
