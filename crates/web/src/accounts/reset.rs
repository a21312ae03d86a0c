//! Password reset pages (NIST SP 800-63B §6.1.2.3): the phone or e-mail, the code sent to
//! it, the second factor when the account has one (the challenge page of `code.rs`), and
//! the new password. Finishing ends every session; the user then signs in again, in the
//! authorization request they came from (`i`) when there was one.

use super::code::{code_refused, error_text};
use super::links::{
    back_with_error, interaction_locale, interaction_param, join, lang_suffix, sign_in_path,
};
use super::pages::{CodePage, NewPasswordPage, ResetStartPage};
use super::paths::{self, with_id};
use super::register::{CodeForm, resend};
use super::{AccountTexts, ClientIp, password_message, user_message};
use crate::answer::{error_page, see_other};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{DEFAULT_CSP, Frame, form_status, render_with_seed};
use crate::state::AppState;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ChallengePurpose};
use propusk_core::error::Error;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ResetQuery {
    i: Option<String>,
    lang: Option<String>,
    e: Option<String>,
    sent: Option<String>,
}

#[derive(Deserialize)]
pub struct ContactForm {
    csrf: Option<String>,
    #[serde(default)]
    contact: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    password: String,
}

fn start_purpose(interaction: Option<&str>) -> String {
    format!("reset-start:{}", interaction.unwrap_or(""))
}

fn step_purpose(id: &str) -> String {
    format!("reset:{id}")
}

fn start_page(
    state: &AppState,
    headers: &HeaderMap,
    interaction: Option<&str>,
    locale: Locale,
    contact: &str,
    error: Option<&'static str>,
) -> Response {
    let seed = CsrfSeed::ensure(&state.provider, headers);
    let i = interaction_param(interaction);
    let lang = format!("lang={}", locale.code());
    let sign_in_href = join(sign_in_path(interaction), std::slice::from_ref(&lang));
    let page = ResetStartPage {
        frame: Frame::new(
            state,
            locale,
            &join(paths::RESET.to_owned(), std::slice::from_ref(&i)),
        ),
        a: AccountTexts::of(locale),
        action: join(paths::RESET.to_owned(), &[i, lang]),
        csrf: seed.token(&state.provider, &start_purpose(interaction)),
        contact,
        error,
        sign_in_href,
    };
    render_with_seed(form_status(error.is_some()), &page, DEFAULT_CSP, seed)
}

/// GET `/account/reset`.
pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<ResetQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = interaction_locale(&state, q.i.as_deref(), q.lang.as_deref(), &headers).await;
    start_page(&state, &headers, q.i.as_deref(), locale, "", None)
}

/// POST `/account/reset`: sends a code when the contact is a verified one of an account,
/// and answers the same either way.
pub async fn start(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<ResetQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<ContactForm>,
) -> Response {
    let locale = interaction_locale(&state, q.i.as_deref(), q.lang.as_deref(), &headers).await;
    let a = AccountTexts::of(locale);
    let interaction = q.i.as_deref();
    if !csrf::form_ok(&state, &headers, &start_purpose(interaction), &form.csrf) {
        let expired = Some(locale.texts().form_expired);
        return start_page(
            &state,
            &headers,
            interaction,
            locale,
            &form.contact,
            expired,
        );
    }
    match accounts
        .start_reset(&form.contact, &ip, locale.code(), interaction)
        .await
    {
        Ok(id) => see_other(&join(
            with_id(paths::RESET_STEP, &id),
            &[format!("lang={}", locale.code())],
        )),
        Err(Error::ContactInvalid) => start_page(
            &state,
            &headers,
            interaction,
            locale,
            &form.contact,
            Some(a.contact_invalid),
        ),
        Err(error) => match user_message(&error, a) {
            Some(message) => start_page(
                &state,
                &headers,
                interaction,
                locale,
                &form.contact,
                Some(message),
            ),
            None => error_page(&state, &error, locale, paths::RESET),
        },
    }
}

fn password_page(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    locale: Locale,
    error: Option<String>,
) -> Response {
    let seed = CsrfSeed::ensure(&state.provider, headers);
    let status = form_status(error.is_some());
    let a = AccountTexts::of(locale);
    let page = NewPasswordPage {
        frame: Frame::new(state, locale, &with_id(paths::RESET_STEP, id)),
        a,
        action: join(
            with_id(paths::RESET_PASSWORD, id),
            &[format!("lang={}", locale.code())],
        ),
        csrf: seed.token(&state.provider, &step_purpose(id)),
        error,
        password_hint: a.password_hint(state.web.password_min_length),
    };
    render_with_seed(status, &page, DEFAULT_CSP, seed)
}

/// GET `/account/reset/{id}`: the page of the reset's current stage.
pub async fn step(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<ResetQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let lang = lang_suffix(q.lang.as_deref());
    let path = with_id(paths::RESET_STEP, &id);
    let stage = match accounts.reset_stage(&id).await {
        Ok((stage, _)) => stage,
        Err(error) => return error_page(&state, &error, locale, &path),
    };
    match stage.as_str() {
        "factor" => see_other(&join(with_id(paths::FACTOR, &id), &[lang])),
        "password" => password_page(&state, &headers, &id, locale, None),
        _ => {
            let seed = CsrfSeed::ensure(&state.provider, &headers);
            let page = CodePage {
                frame: Frame::new(&state, locale, &path),
                a,
                title: a.reset_title,
                intro: a.reset_code_intro,
                label: a.code_label,
                inputmode: "numeric",
                action: join(path.clone(), std::slice::from_ref(&lang)),
                csrf: seed.token(&state.provider, &step_purpose(&id)),
                hidden: Vec::new(),
                error: error_text(q.e.as_deref(), a),
                notice: q.sent.is_some().then_some(a.code_resent),
                links: Vec::new(),
                extra_forms: vec![(
                    join(with_id(paths::RESET_RESEND, &id), &[lang]),
                    a.resend_code,
                )],
            };
            render_with_seed(StatusCode::OK, &page, DEFAULT_CSP, seed)
        }
    }
}

/// POST `/account/reset/{id}`: the code; then on to the stage's page.
pub async fn code_submit(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<ResetQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let path = with_id(paths::RESET_STEP, &id);
    let lang = lang_suffix(q.lang.as_deref());
    let back = |e: &str| back_with_error(&path, std::slice::from_ref(&lang), e);
    if !csrf::form_ok(&state, &headers, &step_purpose(&id), &form.csrf) {
        return back("expired");
    }
    match accounts.verify_reset_code(&id, &form.code, &ip).await {
        Ok(_) => see_other(&join(path.clone(), std::slice::from_ref(&lang))),
        Err(error) => code_refused(&state, &error, &headers, q.lang.as_deref(), &path, back),
    }
}

/// POST `/account/reset/{id}/password`: sets the password; every session ends.
pub async fn finish(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<ResetQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    if !csrf::form_ok(&state, &headers, &step_purpose(&id), &form.csrf) {
        let expired = Some(locale.texts().form_expired.to_owned());
        return password_page(&state, &headers, &id, locale, expired);
    }
    let lang = format!("lang={}", locale.code());
    match accounts.finish_reset(&id, &form.password, &ip).await {
        Ok(interaction) => see_other(&join(
            sign_in_path(interaction.as_deref()),
            &[lang, "notice=reset".into()],
        )),
        Err(Error::PasswordRejected(why)) => password_page(
            &state,
            &headers,
            &id,
            locale,
            Some(password_message(&why, a)),
        ),
        Err(error) => error_page(&state, &error, locale, &with_id(paths::RESET_STEP, &id)),
    }
}

/// POST `/account/reset/{id}/resend`.
pub async fn resend_reset(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<ResetQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    resend(
        &state,
        &accounts,
        &id,
        ChallengePurpose::Reset,
        &ip,
        &headers,
        &form,
        q.lang.as_deref(),
    )
    .await
}
