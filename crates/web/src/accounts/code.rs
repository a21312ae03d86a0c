//! Phone + SMS code sign-in, code entry and the second-factor challenge (RFC 8176 `amr`
//! values end up in the session). Errors come back to the GET page as a short `e`
//! parameter, so that every POST is answered with a 303.

use super::links::{back_with_error, challenge_csp, join, lang_suffix};
use super::pages::{CodePage, SignInCodePage};
use super::paths::{self, with_id};
use super::{AccountTexts, ClientIp, user_message};
use crate::answer::{error_page, see_other, with_cookies};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{DEFAULT_CSP, Frame, render_with_seed};
use crate::session::session_cookie;
use crate::state::AppState;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ChallengePurpose, SecondFactorMethod, SignInOutcome};
use propusk_core::error::Error;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    lang: Option<String>,
    e: Option<String>,
    method: Option<String>,
    sent: Option<String>,
}

#[derive(Deserialize)]
pub struct PhoneForm {
    csrf: Option<String>,
    #[serde(default)]
    phone: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    csrf: Option<String>,
    #[serde(default)]
    code: String,
    method: Option<String>,
}

pub(super) fn error_key(error: &Error) -> Option<&'static str> {
    match error {
        Error::OneTimeCodeInvalid => Some("invalid"),
        Error::OneTimeCodeExpired => Some("expired"),
        Error::Throttled { .. } => Some("throttled"),
        Error::SendCapReached { .. } => Some("cap"),
        Error::ContactInvalid => Some("contact"),
        Error::AlreadyRegistered => Some("taken"),
        _ => None,
    }
}

pub(super) fn error_text(key: Option<&str>, a: &'static AccountTexts) -> Option<&'static str> {
    let error = match key? {
        "invalid" => Error::OneTimeCodeInvalid,
        "expired" => Error::OneTimeCodeExpired,
        "throttled" => Error::Throttled { retry_after: 0 },
        "cap" => Error::SendCapReached { retry_after: 0 },
        "contact" => Error::ContactInvalid,
        "taken" => return Some(a.already_registered),
        _ => return None,
    };
    user_message(&error, a)
}

/// An error of a code step: back to its page with `e=<key>` when the user can fix it,
/// the error page otherwise.
pub(super) fn code_refused(
    state: &AppState,
    error: &Error,
    headers: &HeaderMap,
    lang: Option<&str>,
    path: &str,
    back: impl FnOnce(&str) -> Response,
) -> Response {
    match error_key(error) {
        Some(key) => back(key),
        None => error_page(state, error, Locale::choose(&[], lang, headers), path),
    }
}

/// Where a finished first or second step sends the browser, with the session cookie.
pub fn after_sign_in(state: &AppState, outcome: SignInOutcome, lang: Option<&str>) -> Response {
    match outcome {
        SignInOutcome::SignedIn(done) => {
            let next = match &done.interaction_id {
                Some(id) => routes::interaction(routes::INTERACTION, id),
                None => paths::SECURITY.to_owned(),
            };
            with_cookies(
                see_other(&join(next, &[lang_suffix(lang)])),
                [session_cookie(&state.provider, &done.secret)],
            )
        }
        SignInOutcome::SecondFactor { challenge, .. } => see_other(&join(
            with_id(paths::FACTOR, &challenge),
            &[lang_suffix(lang)],
        )),
    }
}

/// POST `/interaction/{id}/code`: sends a code to the phone (or pretends to).
pub async fn start(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<PhoneForm>,
) -> Response {
    let provider = &state.provider;
    let path = routes::interaction(routes::INTERACTION, &id);
    let (_, request, client) = match provider.load_interaction(&id).await {
        Ok(loaded) => loaded,
        Err(error) => {
            return error_page(
                &state,
                &error,
                Locale::choose(&[], q.lang.as_deref(), &headers),
                &path,
            );
        }
    };
    let locale = Locale::choose(&request.ui_locales, q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let error = if !csrf::form_ok(&state, &headers, &format!("login:{id}"), &form.csrf) {
        Some(locale.texts().form_expired)
    } else {
        match accounts
            .start_code_sign_in(&form.phone, &ip, locale.code(), Some(&id))
            .await
        {
            Ok(challenge) => {
                return see_other(&join(
                    with_id(paths::CODE, &challenge),
                    &[lang_suffix(Some(locale.code()))],
                ));
            }
            Err(error) => match user_message(&error, a) {
                Some(message) => Some(message),
                None => return error_page(&state, &error, locale, &path),
            },
        }
    };
    let seed = CsrfSeed::ensure(provider, &headers);
    let page = SignInCodePage {
        frame: Frame::new(&state, locale, &join(path.clone(), &["method=code".into()])),
        t: locale.texts(),
        a,
        client_name: &client.name,
        password_href: join(path.clone(), &[lang_suffix(q.lang.as_deref())]),
        action: join(
            with_id(paths::INTERACTION_CODE, &id),
            &[lang_suffix(q.lang.as_deref())],
        ),
        csrf: seed.token(provider, &format!("login:{id}")),
        phone: &form.phone,
        error,
    };
    render_with_seed(StatusCode::BAD_REQUEST, &page, DEFAULT_CSP, seed)
}

/// The phone sign-in form of an interaction (`/interaction/{id}?method=code`).
pub fn phone_form(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    lang: Option<&str>,
    locale: Locale,
    client_name: &str,
) -> Response {
    let provider = &state.provider;
    let path = routes::interaction(routes::INTERACTION, id);
    let seed = CsrfSeed::ensure(provider, headers);
    let page = SignInCodePage {
        frame: Frame::new(state, locale, &join(path.clone(), &["method=code".into()])),
        t: locale.texts(),
        a: AccountTexts::of(locale),
        client_name,
        password_href: join(path, &[lang_suffix(lang)]),
        action: join(with_id(paths::INTERACTION_CODE, id), &[lang_suffix(lang)]),
        csrf: seed.token(provider, &format!("login:{id}")),
        phone: "",
        error: None,
    };
    render_with_seed(StatusCode::OK, &page, DEFAULT_CSP, seed)
}

/// GET `/account/code/{id}`: the code entry page of a phone sign-in.
pub async fn show(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let seed = CsrfSeed::ensure(&state.provider, &headers);
    let page = CodePage {
        frame: Frame::new(&state, locale, &with_id(paths::CODE, &id)),
        a,
        title: a.code_title,
        intro: a.code_intro,
        label: a.code_label,
        inputmode: "numeric",
        action: join(with_id(paths::CODE, &id), &[lang_suffix(q.lang.as_deref())]),
        csrf: seed.token(&state.provider, &format!("code:{id}")),
        hidden: Vec::new(),
        error: error_text(q.e.as_deref(), a),
        notice: None,
        links: Vec::new(),
        extra_forms: Vec::new(),
    };
    let csp = challenge_csp(&state, &accounts, &id, ChallengePurpose::SignInCode).await;
    render_with_seed(StatusCode::OK, &page, &csp, seed)
}

/// POST `/account/code/{id}`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = lang_suffix(q.lang.as_deref());
    let page = with_id(paths::CODE, &id);
    let back = |e: &str| back_with_error(&page, std::slice::from_ref(&lang), e);
    if !csrf::form_ok(&state, &headers, &format!("code:{id}"), &form.csrf) {
        return back("expired");
    }
    match accounts.finish_code_sign_in(&id, &form.code, &ip).await {
        Ok(outcome) => after_sign_in(&state, outcome, q.lang.as_deref()),
        Err(error) => code_refused(
            &state,
            &error,
            &headers,
            q.lang.as_deref(),
            &with_id(paths::CODE, &id),
            back,
        ),
    }
}

fn method_label(method: SecondFactorMethod, a: &'static AccountTexts) -> &'static str {
    match method {
        SecondFactorMethod::Totp => a.factor_totp,
        SecondFactorMethod::Sms => a.factor_sms,
        SecondFactorMethod::Recovery => a.factor_recovery,
    }
}

/// GET `/account/factor/{id}?method=…`: the second-factor challenge.
pub async fn factor(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let path = with_id(paths::FACTOR, &id);
    let methods = match accounts.pending_second_factor(&id).await {
        Ok(m) if !m.is_empty() => m,
        Ok(_) => return error_page(&state, &Error::ChallengeExpired, locale, &path),
        Err(error) => return error_page(&state, &error, locale, &path),
    };
    let method = q
        .method
        .as_deref()
        .and_then(SecondFactorMethod::parse)
        .filter(|m| methods.contains(m))
        .unwrap_or(methods[0]);
    let lang = lang_suffix(q.lang.as_deref());
    let links = methods
        .iter()
        .filter(|m| **m != method)
        .map(|m| {
            (
                join(
                    path.clone(),
                    &[lang.clone(), format!("method={}", m.as_str())],
                ),
                method_label(*m, a),
            )
        })
        .collect();
    let extra_forms = if method == SecondFactorMethod::Sms {
        vec![(
            join(with_id(paths::FACTOR_SMS, &id), std::slice::from_ref(&lang)),
            a.factor_send_sms,
        )]
    } else {
        Vec::new()
    };
    let seed = CsrfSeed::ensure(&state.provider, &headers);
    let page = CodePage {
        frame: Frame::new(
            &state,
            locale,
            &join(path.clone(), &[format!("method={}", method.as_str())]),
        ),
        a,
        title: a.factor_title,
        intro: a.factor_intro,
        label: method_label(method, a),
        inputmode: if method == SecondFactorMethod::Recovery {
            "text"
        } else {
            "numeric"
        },
        action: join(path.clone(), std::slice::from_ref(&lang)),
        csrf: seed.token(&state.provider, &format!("factor:{id}")),
        hidden: vec![("method", method.as_str().to_owned())],
        error: error_text(q.e.as_deref(), a),
        notice: q.sent.is_some().then_some(a.factor_sms_sent),
        links,
        extra_forms,
    };
    let csp = challenge_csp(&state, &accounts, &id, ChallengePurpose::SecondFactor).await;
    render_with_seed(StatusCode::OK, &page, &csp, seed)
}

/// POST `/account/factor/{id}`.
pub async fn factor_submit(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = lang_suffix(q.lang.as_deref());
    let method = form
        .method
        .as_deref()
        .and_then(SecondFactorMethod::parse)
        .unwrap_or(SecondFactorMethod::Totp);
    let path = with_id(paths::FACTOR, &id);
    let params = [lang.clone(), format!("method={}", method.as_str())];
    let back = |e: &str| back_with_error(&path, &params, e);
    if !csrf::form_ok(&state, &headers, &format!("factor:{id}"), &form.csrf) {
        return back("expired");
    }
    match accounts
        .finish_second_factor(&id, method, &form.code, &ip)
        .await
    {
        Ok(Some(outcome)) => after_sign_in(&state, outcome, q.lang.as_deref()),
        Ok(None) => see_other(&join(
            with_id(paths::RESET_STEP, &id),
            std::slice::from_ref(&lang),
        )),
        Err(error) => code_refused(&state, &error, &headers, q.lang.as_deref(), &path, back),
    }
}

/// POST `/account/factor/{id}/sms`: sends the SMS code of the second step.
pub async fn factor_sms(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = lang_suffix(q.lang.as_deref());
    let path = with_id(paths::FACTOR, &id);
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let back = |extra: &str| {
        let params = [lang.clone(), "method=sms".into(), extra.to_owned()];
        see_other(&join(path.clone(), &params))
    };
    if !csrf::form_ok(&state, &headers, &format!("factor:{id}"), &form.csrf) {
        return back("e=expired");
    }
    match accounts
        .send_second_factor_sms(&id, &ip, locale.code())
        .await
    {
        Ok(()) => back("sent=1"),
        Err(error) => code_refused(&state, &error, &headers, q.lang.as_deref(), &path, |key| {
            back(&format!("e={key}"))
        }),
    }
}
