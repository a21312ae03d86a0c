//! Registration pages: the form (phone or e-mail, display name, password, terms), then the
//! one-time code that proves the contact, then back to the authorization request the user
//! came from (`i`), or to the security page. Reached from the sign-in page and by
//! `prompt=create` ([Initiating User Registration via OpenID Connect 1.0 §4](https://openid.net/specs/openid-connect-prompt-create-1_0.html#section-4)).

use super::code::{after_sign_in, code_refused, error_key, error_text};
use super::links::{
    back_with_error, challenge_csp, interaction_csp, interaction_locale, interaction_param, join,
    lang_suffix, sign_in_path,
};
use super::pages::{CodePage, RegisterPage};
use super::paths::{self, with_id};
use super::{AccountTexts, ClientIp, password_message, user_message};
use crate::answer::{error_page, see_other};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{Frame, form_status, render_with_seed};
use crate::state::AppState;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ChallengePurpose, Registration, SignInOutcome};
use propusk_core::error::Error;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    /// The interaction to continue afterwards.
    i: Option<String>,
    lang: Option<String>,
    e: Option<String>,
    sent: Option<String>,
}

#[derive(Deserialize)]
pub struct RegisterForm {
    csrf: Option<String>,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    terms: Option<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    pub(super) csrf: Option<String>,
    #[serde(default)]
    pub(super) code: String,
}

/// What the user typed, shown again with an error (never the password).
#[derive(Default)]
pub struct Typed<'a> {
    pub contact: &'a str,
    pub name: &'a str,
    pub terms: bool,
}

fn purpose(interaction: Option<&str>) -> String {
    format!("register:{}", interaction.unwrap_or(""))
}

/// The registration form; `interaction` is the request to continue afterwards.
pub async fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    interaction: Option<&str>,
    locale: Locale,
    typed: Typed<'_>,
    problem: Option<(&'static str, String)>,
) -> Response {
    let provider = &state.provider;
    let client = match interaction {
        Some(id) => provider.load_interaction(id).await.ok().map(|l| l.2.name),
        None => None,
    };
    let a = AccountTexts::of(locale);
    let seed = CsrfSeed::ensure(provider, headers);
    let i = interaction_param(interaction);
    let method = interaction.map(|_| "method=password".into());
    let sign_in_href = join(
        sign_in_path(interaction),
        &[
            method.unwrap_or_default(),
            format!("lang={}", locale.code()),
        ],
    );
    let (field, error) = match problem {
        Some((field, message)) => (field, Some(message)),
        None => ("", None),
    };
    let status = form_status(error.is_some());
    let page = RegisterPage {
        frame: Frame::new(
            state,
            locale,
            &join(paths::REGISTER.to_owned(), std::slice::from_ref(&i)),
        ),
        t: locale.texts(),
        a,
        client_name: client.as_deref(),
        action: join(
            paths::REGISTER.to_owned(),
            &[i, format!("lang={}", locale.code())],
        ),
        csrf: seed.token(provider, &purpose(interaction)),
        contact: typed.contact,
        name: typed.name,
        terms: typed.terms,
        field,
        error,
        sign_in_href,
        password_hint: a.password_hint(state.web.password_min_length),
    };
    let csp = interaction_csp(state, interaction).await;
    render_with_seed(status, &page, &csp, seed)
}

/// GET `/account/register`.
pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<RegisterQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = interaction_locale(&state, q.i.as_deref(), q.lang.as_deref(), &headers).await;
    form_page(
        &state,
        &headers,
        q.i.as_deref(),
        locale,
        Typed::default(),
        None,
    )
    .await
}

/// The field and message of a refused registration form; None for errors that are
/// not the user's to fix.
fn problem(error: &Error, a: &'static AccountTexts) -> Option<(&'static str, String)> {
    let found = match error {
        Error::ContactInvalid => ("contact", a.contact_invalid.to_owned()),
        Error::NameMissing => ("name", a.name_missing.to_owned()),
        Error::PasswordRejected(why) => ("password", password_message(why, a)),
        Error::TermsNotAccepted => ("terms", a.terms_missing.to_owned()),
        Error::RegistrationClosed => ("", a.registration_closed.to_owned()),
        other => ("", user_message(other, a)?.to_owned()),
    };
    Some(found)
}

/// POST `/account/register`: checks the form and sends the code.
pub async fn submit(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(q): Query<RegisterQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<RegisterForm>,
) -> Response {
    let locale = interaction_locale(&state, q.i.as_deref(), q.lang.as_deref(), &headers).await;
    let a = AccountTexts::of(locale);
    let interaction = q.i.as_deref();
    let typed = Typed {
        contact: &form.contact,
        name: &form.name,
        terms: form.terms.is_some(),
    };
    if !csrf::form_ok(&state, &headers, &purpose(interaction), &form.csrf) {
        let problem = Some(("", locale.texts().form_expired.to_owned()));
        return form_page(&state, &headers, interaction, locale, typed, problem).await;
    }
    let registration = Registration {
        contact: form.contact.clone(),
        password: form.password.clone(),
        name: form.name.clone(),
        terms: form.terms.is_some(),
        locale: locale.code().to_owned(),
    };
    match accounts
        .start_registration(&registration, &ip, interaction)
        .await
    {
        Ok(challenge) => see_other(&join(
            with_id(paths::REGISTER_CODE, &challenge),
            &[format!("lang={}", locale.code())],
        )),
        Err(error) => match problem(&error, a) {
            Some(problem) => {
                form_page(&state, &headers, interaction, locale, typed, Some(problem)).await
            }
            None => error_page(&state, &error, locale, paths::REGISTER),
        },
    }
}

/// GET `/account/register/{id}`: the code that proves the contact.
pub async fn code_page(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<RegisterQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let a = AccountTexts::of(locale);
    let lang = lang_suffix(q.lang.as_deref());
    let seed = CsrfSeed::ensure(&state.provider, &headers);
    let page = CodePage {
        frame: Frame::new(&state, locale, &with_id(paths::REGISTER_CODE, &id)),
        a,
        title: a.code_title,
        intro: a.register_code_intro,
        label: a.code_label,
        inputmode: "numeric",
        action: join(
            with_id(paths::REGISTER_CODE, &id),
            std::slice::from_ref(&lang),
        ),
        csrf: seed.token(&state.provider, &format!("register-code:{id}")),
        hidden: Vec::new(),
        error: error_text(q.e.as_deref(), a),
        notice: q.sent.is_some().then_some(a.code_resent),
        links: Vec::new(),
        extra_forms: vec![(
            join(with_id(paths::REGISTER_RESEND, &id), &[lang]),
            a.resend_code,
        )],
    };
    let csp = challenge_csp(&state, &accounts, &id, ChallengePurpose::Register).await;
    render_with_seed(StatusCode::OK, &page, &csp, seed)
}

/// POST `/account/register/{id}`: creates the account and continues the request.
pub async fn code_submit(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<RegisterQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = lang_suffix(q.lang.as_deref());
    let page = with_id(paths::REGISTER_CODE, &id);
    let back = |e: &str| back_with_error(&page, std::slice::from_ref(&lang), e);
    if !csrf::form_ok(&state, &headers, &format!("register-code:{id}"), &form.csrf) {
        return back("expired");
    }
    match accounts.finish_registration(&id, &form.code, &ip).await {
        Ok(done) => after_sign_in(&state, SignInOutcome::SignedIn(done), q.lang.as_deref()),
        Err(error) => code_refused(
            &state,
            &error,
            &headers,
            q.lang.as_deref(),
            &with_id(paths::REGISTER_CODE, &id),
            back,
        ),
    }
}

/// POST `/account/register/{id}/resend`, and the same for a reset code.
#[allow(clippy::too_many_arguments)]
pub async fn resend(
    state: &AppState,
    accounts: &Accounts,
    id: &str,
    purpose: ChallengePurpose,
    ip: &str,
    headers: &HeaderMap,
    form: &CodeForm,
    lang: Option<&str>,
) -> Response {
    let (page, csrf_purpose) = match purpose {
        ChallengePurpose::Register => (paths::REGISTER_CODE, format!("register-code:{id}")),
        _ => (paths::RESET_STEP, format!("reset:{id}")),
    };
    let lang = lang_suffix(lang);
    let back = |extra: &str| see_other(&join(with_id(page, id), &[lang.clone(), extra.into()]));
    if !csrf::form_ok(state, headers, &csrf_purpose, &form.csrf) {
        return back("e=expired");
    }
    match accounts.resend_code(id, purpose, ip).await {
        Ok(()) => back("sent=1"),
        Err(error) => match error_key(&error) {
            Some(key) => back(&format!("e={key}")),
            None => back("e=expired"),
        },
    }
}

pub async fn resend_registration(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(q): Query<RegisterQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    resend(
        &state,
        &accounts,
        &id,
        ChallengePurpose::Register,
        &ip,
        &headers,
        &form,
        q.lang.as_deref(),
    )
    .await
}
