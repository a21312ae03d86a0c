//! Password reset pages (NIST SP 800-63B §6.1.2.3): the phone or e-mail, the code sent to
//! it, the second factor when the account has one (the challenge page of `code.rs`), and
//! the new password. Finishing ends every session; the user then signs in again, in the
//! authorization request they came from (`i`) when there was one.

use super::code::{CodeForm, PageQuery, Resendable, code_refused, error_text};
use super::links::{back_with_error, interaction_param, prefer_interaction, sign_in_path};
use super::{password_hint, password_message, user_message};
use crate::answer::see_other;
use crate::pages::{CodeView, NewPasswordView, PageContext, ResetStartView, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ChallengePurpose};
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ResetQuery {
    i: Option<String>,
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

/// The reset flow, for sending its code again.
pub struct Reset;

impl Resendable for Reset {
    const PURPOSE: ChallengePurpose = ChallengePurpose::Reset;
    const PAGE: &'static str = routes::ACCOUNT_RESET_STEP;
    fn csrf_purpose(id: &str) -> String {
        step_purpose(id)
    }
}

fn start_purpose(interaction: Option<&str>) -> String {
    format!("reset-start:{}", interaction.unwrap_or(""))
}

fn step_purpose(id: &str) -> String {
    format!("reset:{id}")
}

fn start_page(
    context: &PageContext,
    interaction: Option<&str>,
    contact: &str,
    error: Option<String>,
) -> Response {
    let i = interaction_param(interaction);
    let lang = context.lang_always();
    let view = ResetStartView {
        action: join(routes::ACCOUNT_RESET, &[i.clone(), lang.clone()]),
        csrf: context.csrf_token(&start_purpose(interaction)),
        contact: contact.to_owned(),
        sign_in_href: join(sign_in_path(interaction), &[lang]),
        error,
    };
    context
        .page(&join(routes::ACCOUNT_RESET, &[i]))
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// GET `/account/reset`.
pub async fn show(mut context: PageContext, Query(query): Query<ResetQuery>) -> Response {
    prefer_interaction(&mut context, query.i.as_deref()).await;
    start_page(&context, query.i.as_deref(), "", None)
}

/// POST `/account/reset`: sends a code when the contact is a verified one of an account,
/// and answers the same either way.
pub async fn start(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<ResetQuery>,
    Form(form): Form<ContactForm>,
) -> Response {
    let interaction = query.i.as_deref();
    prefer_interaction(&mut context, interaction).await;
    let refused = |key: &str| {
        start_page(
            &context,
            interaction,
            &form.contact,
            Some(context.text(key)),
        )
    };
    if !context.csrf_ok(&start_purpose(interaction), form.csrf.as_deref()) {
        return refused(key!("form-expired"));
    }
    match accounts
        .start_reset(
            &form.contact,
            &context.ip,
            context.locale.code(),
            interaction,
        )
        .await
    {
        Ok(id) => see_other(&join(
            with_id(routes::ACCOUNT_RESET_STEP, &id),
            &[context.lang_always()],
        )),
        Err(Error::ContactInvalid) => refused(key!("contact-invalid")),
        Err(error) => match user_message(&error) {
            Some(key) => refused(key),
            None => context.error_page(&error, routes::ACCOUNT_RESET),
        },
    }
}

fn password_page(context: &PageContext, id: &str, error: Option<String>) -> Response {
    let view = NewPasswordView {
        action: join(
            with_id(routes::ACCOUNT_RESET_PASSWORD, id),
            &[context.lang_always()],
        ),
        csrf: context.csrf_token(&step_purpose(id)),
        password_hint: password_hint(context),
        error,
    };
    context
        .page(&with_id(routes::ACCOUNT_RESET_STEP, id))
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// GET `/account/reset/{id}`: the page of the reset's current stage.
pub async fn step(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let lang = context.lang_param();
    let path = with_id(routes::ACCOUNT_RESET_STEP, &id);
    let stage = match accounts.reset_stage(&id).await {
        Ok((stage, _)) => stage,
        Err(error) => return context.error_page(&error, &path),
    };
    match stage.as_str() {
        "factor" => see_other(&join(with_id(routes::ACCOUNT_FACTOR, &id), &[lang])),
        "password" => password_page(&context, &id, None),
        _ => {
            let view = CodeView {
                title: context.text(key!("reset-title")),
                intro: context.text(key!("reset-code-intro")),
                label: context.text(key!("code-label")),
                inputmode: "numeric",
                action: join(path.clone(), std::slice::from_ref(&lang)),
                csrf: context.csrf_token(&step_purpose(&id)),
                hidden: Vec::new(),
                error: error_text(&context, query.e.as_deref()),
                notice: query
                    .sent
                    .is_some()
                    .then(|| context.text(key!("code-resent"))),
                links: Vec::new(),
                extra_forms: vec![(
                    join(with_id(routes::ACCOUNT_RESET_RESEND, &id), &[lang]),
                    context.text(key!("resend-code")),
                )],
            };
            context.page(&path).render(&view)
        }
    }
}

/// POST `/account/reset/{id}`: the code; then on to the stage's page.
pub async fn code_submit(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let path = with_id(routes::ACCOUNT_RESET_STEP, &id);
    let lang = [context.lang_param()];
    let back = |e: &str| back_with_error(&path, &lang, e);
    if !context.csrf_ok(&step_purpose(&id), form.csrf.as_deref()) {
        return back("expired");
    }
    match accounts
        .verify_reset_code(&id, &form.code, &context.ip)
        .await
    {
        Ok(_) => see_other(&join(path.clone(), &lang)),
        Err(error) => code_refused(&context, &error, &path, back),
    }
}

/// POST `/account/reset/{id}/password`: sets the password; every session ends.
pub async fn finish(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Response {
    if !context.csrf_ok(&step_purpose(&id), form.csrf.as_deref()) {
        let expired = Some(context.text(key!("form-expired")));
        return password_page(&context, &id, expired);
    }
    match accounts
        .finish_reset(&id, &form.password, &context.ip)
        .await
    {
        Ok(interaction) => see_other(&join(
            sign_in_path(interaction.as_deref()),
            &[context.lang_always(), "notice=reset".into()],
        )),
        Err(Error::PasswordRejected(why)) => {
            password_page(&context, &id, Some(password_message(&context, &why)))
        }
        Err(error) => context.error_page(&error, &with_id(routes::ACCOUNT_RESET_STEP, &id)),
    }
}
