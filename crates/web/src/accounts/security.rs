//! The signed-in user's own sign-in security (`/account/security`): TOTP enrolment
//! ([RFC 6238](https://www.rfc-editor.org/rfc/rfc6238)) with a server-rendered SVG QR code
//! and the manual key, confirmed by a first code; SMS codes as a second factor; recovery
//! codes shown once; and signing out, which ends the session and clears the cookie.

use super::code::{code_refused, error_text};
use super::links::{back_with_error, join, lang_suffix};
use super::pages::{RecoveryCodesPage, SecurityPage, TotpPage};
use super::paths::{self, with_id};
use super::register::CodeForm;
use super::{AccountTexts, ClientIp};
use crate::answer::{error_page, see_other, with_cookies};
use crate::cookies;
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{DEFAULT_CSP, Frame, render, render_with_seed};
use crate::session::current_session;
use crate::state::AppState;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::model::{Account, Session};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct SecurityQuery {
    lang: Option<String>,
    e: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SwitchForm {
    csrf: Option<String>,
    on: Option<String>,
}

/// The signed-in user, or the answer that sends the browser to sign in.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    lang: Option<&str>,
) -> Result<(Session, Account), Response> {
    let to_login = || see_other(&join(paths::LOGIN.to_owned(), &[lang_suffix(lang)]));
    let Some(session) = current_session(&state.provider, headers).await else {
        return Err(to_login());
    };
    match state.provider.store.get_account(&session.account_id).await {
        Ok(Some(account)) if !account.disabled => Ok((session, account)),
        Ok(_) => Err(to_login()),
        Err(error) => {
            let locale = Locale::choose(&[], lang, headers);
            Err(error_page(state, &error.into(), locale, paths::SECURITY))
        }
    }
}

/// A POST of the security page: signed in, and the form's CSRF token is right (else back
/// to the page with `e=expired`).
async fn signed_in_form(
    state: &AppState,
    headers: &HeaderMap,
    lang: Option<&str>,
    csrf_token: &Option<String>,
) -> Result<Account, Response> {
    let (session, account) = signed_in(state, headers, lang).await?;
    if !csrf::form_ok(state, headers, &purpose(&session), csrf_token) {
        return Err(back(lang, "e=expired"));
    }
    Ok(account)
}

fn purpose(session: &Session) -> String {
    format!("security:{}", session.id)
}

fn back(lang: Option<&str>, extra: &str) -> Response {
    see_other(&join(
        paths::SECURITY.to_owned(),
        &[lang_suffix(lang), extra.to_owned()],
    ))
}

/// GET `/account/security`.
pub async fn show(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<SecurityQuery>,
    headers: HeaderMap,
) -> Response {
    let (session, account) = match signed_in(&state, &headers, q.lang.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let overview = match accounts.security_overview(&account).await {
        Ok(o) => o,
        Err(error) => return error_page(&state, &error, locale, paths::SECURITY),
    };
    let lang = lang_suffix(q.lang.as_deref());
    let action = |path: &str| join(path.to_owned(), std::slice::from_ref(&lang));
    let seed = CsrfSeed::ensure(&state.provider, &headers);
    let who = account
        .profile
        .name
        .clone()
        .or_else(|| account.phone.clone())
        .or_else(|| account.email.clone())
        .unwrap_or_else(|| account.login.clone());
    let page = SecurityPage {
        frame: Frame::new(&state, locale, paths::SECURITY),
        a,
        who,
        totp: overview.totp,
        sms: overview.sms,
        phone_verified: overview.phone_verified,
        recovery_left: overview.recovery_left,
        csrf: seed.token(&state.provider, &purpose(&session)),
        totp_action: action(paths::SECURITY_TOTP),
        sms_action: action(paths::SECURITY_SMS),
        recovery_action: action(paths::SECURITY_RECOVERY),
        sign_out_action: action(paths::SIGN_OUT),
        notice: match q.notice.as_deref() {
            Some("saved") => Some(a.saved),
            _ => None,
        },
        error: match q.e.as_deref() {
            Some("codes") => Some(a.codes_gone),
            Some("phone") => Some(a.sms_needs_phone),
            other => error_text(other, a),
        },
    };
    render_with_seed(StatusCode::OK, &page, DEFAULT_CSP, seed)
}

/// POST `/account/security/totp`: `on=yes` starts an enrolment, `on=no` turns TOTP off.
pub async fn totp_switch(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<SecurityQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SwitchForm>,
) -> Response {
    let lang = q.lang.as_deref();
    let account = match signed_in_form(&state, &headers, lang, &form.csrf).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let locale = Locale::choose(&[], lang, &headers);
    if form.on.as_deref() == Some("yes") {
        match accounts.begin_totp(&account).await {
            Ok(enrolment) => see_other(&join(
                with_id(paths::SECURITY_TOTP_STEP, &enrolment.challenge),
                &[lang_suffix(lang)],
            )),
            Err(error) => error_page(&state, &error, locale, paths::SECURITY),
        }
    } else {
        match accounts.disable_totp(&account, &ip).await {
            Ok(()) => back(lang, "notice=saved"),
            Err(error) => error_page(&state, &error, locale, paths::SECURITY),
        }
    }
}

/// GET `/account/security/totp/{id}`: the QR code, the manual key and the first code.
pub async fn totp_page(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<SecurityQuery>,
    headers: HeaderMap,
) -> Response {
    let (session, account) = match signed_in(&state, &headers, q.lang.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let path = with_id(paths::SECURITY_TOTP_STEP, &id);
    let enrolment = match accounts.totp_enrolment(&id, &account).await {
        Ok(e) => e,
        Err(error) => return error_page(&state, &error, locale, &path),
    };
    let lang = lang_suffix(q.lang.as_deref());
    let seed = CsrfSeed::ensure(&state.provider, &headers);
    let page = TotpPage {
        frame: Frame::new(&state, locale, &path),
        a,
        qr_svg: crate::qr::svg(&enrolment.uri).unwrap_or_default(),
        manual_key: enrolment.manual_key,
        action: join(path.clone(), std::slice::from_ref(&lang)),
        csrf: seed.token(&state.provider, &purpose(&session)),
        error: error_text(q.e.as_deref(), a),
        back_href: join(paths::SECURITY.to_owned(), &[lang]),
    };
    render_with_seed(StatusCode::OK, &page, DEFAULT_CSP, seed)
}

/// POST `/account/security/totp/{id}`: the first code turns TOTP on.
pub async fn totp_confirm(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<SecurityQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = q.lang.as_deref();
    let (session, account) = match signed_in(&state, &headers, lang).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let path = with_id(paths::SECURITY_TOTP_STEP, &id);
    let again = |e: &str| back_with_error(&path, &[lang_suffix(lang)], e);
    if !csrf::form_ok(&state, &headers, &purpose(&session), &form.csrf) {
        return again("expired");
    }
    match accounts.confirm_totp(&id, &account, &form.code, &ip).await {
        Ok(codes) => show_codes(&codes, lang),
        Err(error) => code_refused(&state, &error, &headers, lang, &path, again),
    }
}

fn show_codes(id: &str, lang: Option<&str>) -> Response {
    see_other(&join(
        with_id(paths::SECURITY_CODES, id),
        &[lang_suffix(lang)],
    ))
}

/// POST `/account/security/sms`: SMS codes as a second factor on (`on=yes`) or off.
pub async fn sms_switch(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<SecurityQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SwitchForm>,
) -> Response {
    let lang = q.lang.as_deref();
    let account = match signed_in_form(&state, &headers, lang, &form.csrf).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let on = form.on.as_deref() == Some("yes");
    match accounts.set_sms_factor(&account, on, &ip).await {
        Ok(Some(codes)) => show_codes(&codes, lang),
        Ok(None) => back(lang, "notice=saved"),
        Err(propusk_core::error::Error::FactorUnavailable) => back(lang, "e=phone"),
        Err(error) => error_page(
            &state,
            &error,
            Locale::choose(&[], lang, &headers),
            paths::SECURITY,
        ),
    }
}

/// POST `/account/security/recovery`: ten new recovery codes (the old ones stop working).
pub async fn new_recovery_codes(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<SecurityQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SwitchForm>,
) -> Response {
    let lang = q.lang.as_deref();
    let account = match signed_in_form(&state, &headers, lang, &form.csrf).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    match accounts.recovery_codes_to_show(&account, &ip).await {
        Ok(codes) => show_codes(&codes, lang),
        Err(error) => error_page(
            &state,
            &error,
            Locale::choose(&[], lang, &headers),
            paths::SECURITY,
        ),
    }
}

/// GET `/account/security/codes/{id}`: the recovery codes, once.
pub async fn codes(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<SecurityQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = q.lang.as_deref();
    let (_, account) = match signed_in(&state, &headers, lang).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let codes = match accounts.take_recovery_codes(&id, &account).await {
        Ok(codes) => codes,
        Err(_) => return back(lang, "e=codes"),
    };
    let locale = Locale::choose(&[], lang, &headers);
    let page = RecoveryCodesPage {
        // The codes are gone once shown: the switcher leads to the security page.
        frame: Frame::new(&state, locale, paths::SECURITY),
        a: AccountTexts::of(locale),
        codes,
        back_href: join(paths::SECURITY.to_owned(), &[lang_suffix(lang)]),
    };
    render(StatusCode::OK, &page)
}

/// POST `/account/sign-out`: ends the session (as RP-initiated logout would: its grants
/// are revoked and clients with back-channel logout are told) and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    Query(q): Query<SecurityQuery>,
    headers: HeaderMap,
    Form(form): Form<SwitchForm>,
) -> Response {
    let lang = q.lang.as_deref();
    let to_login = join(
        paths::LOGIN.to_owned(),
        &[lang_suffix(lang), "notice=out".into()],
    );
    let Some(session) = current_session(&state.provider, &headers).await else {
        return see_other(&to_login);
    };
    if !csrf::form_ok(&state, &headers, &purpose(&session), &form.csrf) {
        return back(lang, "e=expired");
    }
    if let Err(error) = state.provider.end_session_everywhere(&session).await {
        let locale = Locale::choose(&[], lang, &headers);
        return error_page(&state, &error, locale, paths::SECURITY);
    }
    let https = state.provider.config.is_https();
    let clear = cookies::set(cookies::SESSION, "", https, Some(0));
    with_cookies(see_other(&to_login), [clear])
}
