//! Registration pages: the form (phone or e-mail, display name, password, terms), then the
//! one-time code that proves the contact, then back to the authorization request the user
//! came from (`i`), or to the security page. Reached from the sign-in page and by
//! `prompt=create` ([Initiating User Registration via OpenID Connect 1.0 §4](https://openid.net/specs/openid-connect-prompt-create-1_0.html#section-4)).

use super::code::{CodeForm, PageQuery, Resendable, after_sign_in, code_refused, error_text};
use super::links::{
    back_with_error, challenge_csp, interaction_csp, interaction_param, prefer_interaction,
    sign_in_path,
};
use super::{password_hint, password_message, user_message};
use crate::answer::see_other;
use crate::pages::{CodeView, PageContext, RegisterView, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ChallengePurpose, SignInOutcome};
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    /// The interaction to continue afterwards.
    i: Option<String>,
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

/// What the user typed, shown again with an error (never the password).
#[derive(Default)]
pub struct Typed<'a> {
    pub contact: &'a str,
    pub name: &'a str,
    pub terms: bool,
}

/// The registration flow, for sending its code again.
pub struct Registration;

impl Resendable for Registration {
    const PURPOSE: ChallengePurpose = ChallengePurpose::Register;
    const PAGE: &'static str = routes::ACCOUNT_REGISTER_CODE;
    fn csrf_purpose(id: &str) -> String {
        format!("register-code:{id}")
    }
}

fn purpose(interaction: Option<&str>) -> String {
    format!("register:{}", interaction.unwrap_or(""))
}

/// The registration form; `interaction` is the request to continue afterwards;
/// `problem` the field and message of a refused form.
pub async fn form_page(
    context: &PageContext,
    interaction: Option<&str>,
    typed: Typed<'_>,
    problem: Option<(&'static str, String)>,
) -> Response {
    let client = match interaction {
        Some(id) => context
            .state
            .provider
            .load_interaction(id)
            .await
            .ok()
            .map(|l| l.2.name),
        None => None,
    };
    let i = interaction_param(interaction);
    let lang = context.lang_always();
    let method = interaction.map(|_| "method=password".into());
    let (field, error) = match problem {
        Some((field, message)) => (field, Some(message)),
        None => ("", None),
    };
    let status = crate::error::form_status(error.is_some());
    let view = RegisterView {
        client_name: client,
        action: join(routes::ACCOUNT_REGISTER, &[i.clone(), lang.clone()]),
        csrf: context.csrf_token(&purpose(interaction)),
        contact: typed.contact.to_owned(),
        name: typed.name.to_owned(),
        terms: typed.terms,
        field,
        error,
        sign_in_href: join(
            sign_in_path(interaction),
            &[method.unwrap_or_default(), lang],
        ),
        password_hint: password_hint(context),
    };
    let csp = interaction_csp(context, interaction).await;
    context
        .page(&join(routes::ACCOUNT_REGISTER, &[i]))
        .status(status)
        .csp(csp)
        .render(&view)
}

/// GET `/account/register`.
pub async fn show(mut context: PageContext, Query(query): Query<RegisterQuery>) -> Response {
    prefer_interaction(&mut context, query.i.as_deref()).await;
    form_page(&context, query.i.as_deref(), Typed::default(), None).await
}

/// The field and message of a refused registration form; None for errors that are
/// not the user's to fix.
fn problem(context: &PageContext, error: &Error) -> Option<(&'static str, String)> {
    let found = match error {
        Error::ContactInvalid => ("contact", context.text(key!("contact-invalid"))),
        Error::NameMissing => ("name", context.text(key!("name-missing"))),
        Error::PasswordRejected(why) => ("password", password_message(context, why)),
        Error::TermsNotAccepted => ("terms", context.text(key!("terms-missing"))),
        Error::RegistrationClosed => ("", context.text(key!("registration-closed"))),
        other => ("", context.text(user_message(other)?)),
    };
    Some(found)
}

/// POST `/account/register`: checks the form and sends the code.
pub async fn submit(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<RegisterQuery>,
    Form(form): Form<RegisterForm>,
) -> Response {
    let interaction = query.i.as_deref();
    prefer_interaction(&mut context, interaction).await;
    let typed = Typed {
        contact: &form.contact,
        name: &form.name,
        terms: form.terms.is_some(),
    };
    if !context.csrf_ok(&purpose(interaction), form.csrf.as_deref()) {
        let problem = Some(("", context.text(key!("form-expired"))));
        return form_page(&context, interaction, typed, problem).await;
    }
    let registration = propusk_core::accounts::Registration {
        contact: form.contact.clone(),
        password: form.password.clone(),
        name: form.name.clone(),
        terms: form.terms.is_some(),
        locale: context.locale.code().to_owned(),
    };
    match accounts
        .start_registration(&registration, &context.ip, interaction)
        .await
    {
        Ok(challenge) => see_other(&join(
            with_id(routes::ACCOUNT_REGISTER_CODE, &challenge),
            &[context.lang_always()],
        )),
        Err(error) => match problem(&context, &error) {
            Some(problem) => form_page(&context, interaction, typed, Some(problem)).await,
            None => context.error_page(&error, routes::ACCOUNT_REGISTER),
        },
    }
}

/// GET `/account/register/{id}`: the code that proves the contact.
pub async fn code_page(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let lang = context.lang_param();
    let path = with_id(routes::ACCOUNT_REGISTER_CODE, &id);
    let view = CodeView {
        title: context.text(key!("code-title")),
        intro: context.text(key!("register-code-intro")),
        label: context.text(key!("code-label")),
        inputmode: "numeric",
        action: join(path.clone(), std::slice::from_ref(&lang)),
        csrf: context.csrf_token(&Registration::csrf_purpose(&id)),
        hidden: Vec::new(),
        error: error_text(&context, query.e.as_deref()),
        notice: query
            .sent
            .is_some()
            .then(|| context.text(key!("code-resent"))),
        links: Vec::new(),
        extra_forms: vec![(
            join(with_id(routes::ACCOUNT_REGISTER_RESEND, &id), &[lang]),
            context.text(key!("resend-code")),
        )],
    };
    let csp = challenge_csp(&context, &accounts, &id, ChallengePurpose::Register).await;
    context.page(&path).csp(csp).render(&view)
}

/// POST `/account/register/{id}`: creates the account and continues the request.
pub async fn code_submit(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let page = with_id(routes::ACCOUNT_REGISTER_CODE, &id);
    let back = |e: &str| back_with_error(&page, &[context.lang_param()], e);
    if !context.csrf_ok(&Registration::csrf_purpose(&id), form.csrf.as_deref()) {
        return back("expired");
    }
    match accounts
        .finish_registration(&id, &form.code, &context.ip)
        .await
    {
        Ok(done) => after_sign_in(&context, &accounts, SignInOutcome::SignedIn(done)).await,
        Err(error) => code_refused(&context, &error, &page, back),
    }
}
