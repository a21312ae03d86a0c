//! `/account/profile`: names and the preferred language (saved at once, shown next to
//! the field when refused, with what was typed kept), and a new e-mail or phone: after a
//! fresh proof a code goes to it, and `/account/profile/contact/{id}` takes the code.

use super::super::code::{CodeForm, PageQuery, code_refused, error_key, error_text};
use super::super::links::back_with_error;
use super::super::security::{purpose, signed_in, signed_in_form_of};
use super::reauth_href;
use super::views::{AccountProfileView, LanguageChoice};
use crate::answer::see_other;
use crate::pages::{CodeView, PageContext, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ProfileEdit, ProfileField};
use propusk_core::error::Error;
use propusk_core::model::{Account, Session};
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ProfileQuery {
    notice: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct ProfileForm {
    csrf: Option<String>,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    middle_name: String,
    #[serde(default)]
    nickname: String,
    #[serde(default)]
    locale: String,
}

#[derive(Deserialize)]
pub struct ContactForm {
    csrf: Option<String>,
    #[serde(default)]
    contact: String,
    /// Which form: `email` or `phone`.
    #[serde(default)]
    kind: String,
}

/// What a re-rendered profile page shows besides the account.
#[derive(Default)]
struct Shown {
    edit: Option<ProfileEdit>,
    field: Option<&'static str>,
    error: Option<String>,
    typed_contact: String,
    notice: Option<String>,
}

fn render(context: &PageContext, session: &Session, account: &Account, shown: Shown) -> Response {
    let p = &account.profile;
    let edit = shown.edit.unwrap_or_else(|| ProfileEdit {
        given_name: p.given_name.clone().unwrap_or_default(),
        family_name: p.family_name.clone().unwrap_or_default(),
        middle_name: p.middle_name.clone().unwrap_or_default(),
        nickname: p.nickname.clone().unwrap_or_default(),
        locale: p.locale.clone().unwrap_or_default(),
    });
    let texts = &context.state.theme.texts;
    let languages = texts
        .locales()
        .map(|l| LanguageChoice {
            code: l.code(),
            name: texts.name(l).to_owned(),
            selected: edit.locale == l.code(),
        })
        .collect();
    let lang = context.lang_param();
    let action = |path: &str| join(path, std::slice::from_ref(&lang));
    let status = crate::error::form_status(shown.error.is_some());
    let view = AccountProfileView {
        given_name: edit.given_name,
        family_name: edit.family_name,
        middle_name: edit.middle_name,
        nickname: edit.nickname,
        languages,
        email: account.email.clone(),
        email_verified: p.email_verified,
        phone: account.phone.clone(),
        phone_verified: p.phone_number_verified,
        csrf: context.csrf_token(&purpose(session)),
        action: action(routes::ACCOUNT_PROFILE),
        contact_action: action(routes::ACCOUNT_PROFILE_CONTACT),
        field: shown.field,
        error: shown.error,
        typed_contact: shown.typed_contact,
        notice: shown.notice,
        back_href: action(routes::ACCOUNT),
    };
    context
        .page(routes::ACCOUNT_PROFILE)
        .status(status)
        .render(&view)
}

/// GET `/account/profile`.
pub async fn show(mut context: PageContext, Query(query): Query<ProfileQuery>) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = match query.notice.as_deref() {
        Some("saved") => Some(context.text(key!("saved"))),
        Some("contact") => Some(context.text(key!("cabinet-contact-changed"))),
        _ => None,
    };
    let error = error_text(&context, query.e.as_deref());
    let shown = Shown {
        notice,
        field: error.as_ref().map(|_| "form"),
        error,
        ..Shown::default()
    };
    render(&context, &session, &account, shown)
}

/// POST `/account/profile`: names and language.
pub async fn save(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<ProfileForm>,
) -> Response {
    let page = routes::ACCOUNT_PROFILE;
    let (session, account) = match signed_in_form_of(&mut context, form.csrf.as_deref(), page).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let edit = ProfileEdit {
        given_name: form.given_name,
        family_name: form.family_name,
        middle_name: form.middle_name,
        nickname: form.nickname,
        locale: form.locale,
    };
    match accounts.update_profile(&account, &edit, &context.ip).await {
        Ok(Ok(_)) => see_other(&join(page, &[context.lang_param(), "notice=saved".into()])),
        Ok(Err(which)) => {
            let (field, message) = match which {
                ProfileField::GivenName => ("given_name", key!("cabinet-name-invalid")),
                ProfileField::FamilyName => ("family_name", key!("cabinet-name-invalid")),
                ProfileField::MiddleName => ("middle_name", key!("cabinet-name-invalid")),
                ProfileField::Nickname => ("nickname", key!("cabinet-name-invalid")),
                ProfileField::Locale => ("locale", key!("cabinet-locale-invalid")),
            };
            let error =
                context.format(message, &[("max", propusk_core::accounts::NAME_MAX.into())]);
            let shown = Shown {
                edit: Some(edit),
                field: Some(field),
                error: Some(error),
                ..Shown::default()
            };
            render(&context, &session, &account, shown)
        }
        Err(error) => context.error_page(&error, page),
    }
}

/// POST `/account/profile/contact`: a new e-mail or phone gets a code.
pub async fn contact(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<ContactForm>,
) -> Response {
    let page = routes::ACCOUNT_PROFILE;
    let (session, account) = match signed_in_form_of(&mut context, form.csrf.as_deref(), page).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    let field = if form.kind == "phone" {
        "phone"
    } else {
        "email"
    };
    let started = accounts
        .start_contact_change(&session, &account, &form.contact, &context.ip)
        .await;
    let message = match started {
        Ok(id) => {
            let step = with_id(routes::ACCOUNT_PROFILE_CONTACT_STEP, &id);
            return see_other(&join(step, &[context.lang_param()]));
        }
        Err(Error::ReauthenticationRequired) => return see_other(&reauth_href(&context, page)),
        Err(Error::ContactInvalid) => context.text(key!("contact-invalid")),
        Err(ref error) => match error_key(error) {
            Some(key) => error_text(&context, Some(key)).unwrap_or_default(),
            None => return context.error_page(error, page),
        },
    };
    let shown = Shown {
        field: Some(field),
        error: Some(message),
        typed_contact: form.contact,
        ..Shown::default()
    };
    render(&context, &session, &account, shown)
}

/// GET `/account/profile/contact/{id}`: the code sent to the new contact.
pub async fn code_page(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let path = with_id(routes::ACCOUNT_PROFILE_CONTACT_STEP, &id);
    let destination = match accounts.pending_contact(&id, &account).await {
        Ok(found) => found,
        Err(error) => return context.error_page(&error, &path),
    };
    let lang = context.lang_param();
    let view = CodeView {
        title: context.text(key!("cabinet-contact-code-title")),
        intro: context.format(
            key!("cabinet-contact-code-intro"),
            &[("to", destination.as_str().into())],
        ),
        label: context.text(key!("code-label")),
        inputmode: "numeric",
        action: join(path.clone(), std::slice::from_ref(&lang)),
        csrf: context.csrf_token(&purpose(&session)),
        hidden: Vec::new(),
        error: error_text(&context, query.e.as_deref()),
        notice: None,
        links: vec![(
            join(routes::ACCOUNT_PROFILE, &[lang]),
            context.text(key!("cabinet-back")),
        )],
        extra_forms: Vec::new(),
    };
    context
        .page(&path)
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// POST `/account/profile/contact/{id}`: the right code makes the new contact the
/// account's, verified.
pub async fn code_submit(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let path = with_id(routes::ACCOUNT_PROFILE_CONTACT_STEP, &id);
    let again = |e: &str| back_with_error(&path, &[context.lang_param()], e);
    if !context.csrf_ok(&purpose(&session), form.csrf.as_deref()) {
        return again("expired");
    }
    match accounts
        .finish_contact_change(&id, &account, &form.code, &context.ip)
        .await
    {
        Ok(_) => see_other(&join(
            routes::ACCOUNT_PROFILE,
            &[context.lang_param(), "notice=contact".into()],
        )),
        Err(Error::AlreadyRegistered) => see_other(&join(
            routes::ACCOUNT_PROFILE,
            &[context.lang_param(), "e=taken".into()],
        )),
        Err(error) => code_refused(&context, &error, &path, again),
    }
}
