//! `/account/passkeys`: the passkeys of the account (name, when added, when last used),
//! adding one (WebAuthn registration, which needs JavaScript and a fresh proof of
//! identity), renaming and removing one (forms that work without JavaScript).

use super::super::security::{purpose, signed_in, signed_in_form_of};
use super::views::{AccountPasskeysView, PasskeyLine};
use super::{reauth_href, when};
use crate::answer::see_other;
use crate::pages::{DEFAULT_CSP, PageContext, PasskeyForm, csp_with_scripts, join};
use axum::Json;
use axum::extract::{Extension, Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_core::model::Passkey;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

const PAGE: &str = routes::ACCOUNT_PASSKEYS;

#[derive(Deserialize, Default)]
pub struct PasskeysQuery {
    notice: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct PasskeyIdForm {
    csrf: Option<String>,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    credential: String,
}

fn line(passkey: &Passkey) -> PasskeyLine {
    PasskeyLine {
        id: passkey.id.clone(),
        name: passkey.name.clone(),
        created: when(passkey.created_at),
        last_used: passkey.last_used_at.map(when),
        synced: passkey.backup_eligible,
    }
}

fn back(context: &PageContext, extra: &str) -> Response {
    see_other(&join(PAGE, &[context.lang_param(), extra.to_owned()]))
}

/// GET `/account/passkeys`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<PasskeysQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let passkeys = match accounts.passkeys(&account.id).await {
        Ok(found) => found,
        Err(error) => return context.error_page(&error, PAGE),
    };
    let lang = context.lang_param();
    let notice = match query.notice.as_deref() {
        Some("added") => Some(context.text(key!("passkeys-added"))),
        Some("renamed") => Some(context.text(key!("passkeys-renamed"))),
        Some("removed") => Some(context.text(key!("passkeys-removed"))),
        Some("none") => Some(context.text(key!("passkeys-gone"))),
        _ => None,
    };
    let error = match query.e.as_deref() {
        Some("refused") => Some(context.text(key!("passkey-error-refused"))),
        Some("expired") => Some(context.text(key!("passkey-error-expired"))),
        Some("name") => Some(context.text(key!("passkeys-name-missing"))),
        _ => None,
    };
    let csrf = context.csrf_token(&purpose(&session));
    let view = AccountPasskeysView {
        passkeys: passkeys.iter().map(line).collect(),
        passkey: PasskeyForm {
            options: routes::ACCOUNT_PASSKEYS_OPTIONS.to_owned(),
            action: join(routes::ACCOUNT_PASSKEYS_ADD, std::slice::from_ref(&lang)),
            csrf: csrf.clone(),
            interaction: None,
        },
        csrf,
        rename_action: join(routes::ACCOUNT_PASSKEYS_RENAME, std::slice::from_ref(&lang)),
        remove_action: join(routes::ACCOUNT_PASSKEYS_REMOVE, std::slice::from_ref(&lang)),
        notice,
        error,
        back_href: join(routes::ACCOUNT, &[lang]),
    };
    context
        .page(PAGE)
        .csp(csp_with_scripts(DEFAULT_CSP))
        .render(&view)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// POST `/account/passkeys/options`: the options of a new passkey (JSON). Without a
/// fresh proof of identity the answer names the re-authentication page in `reauth`.
pub async fn options(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let refused = |status: StatusCode, error: &str, reauth: Option<String>| {
        let body = serde_json::json!({ "error": error, "reauth": reauth });
        (status, Json(body)).into_response()
    };
    let Some(session) = context.session().await else {
        return refused(StatusCode::UNAUTHORIZED, "login_required", None);
    };
    if !context.csrf_ok(&purpose(&session), form.csrf.as_deref()) {
        return refused(StatusCode::FORBIDDEN, "invalid_request", None);
    }
    let account = match accounts
        .provider
        .store
        .get_account(&session.account_id)
        .await
    {
        Ok(Some(account)) if !account.disabled => account,
        _ => return refused(StatusCode::UNAUTHORIZED, "login_required", None),
    };
    match accounts.begin_passkey(&account, &session).await {
        Ok(options) => Json(options).into_response(),
        Err(Error::ReauthenticationRequired) => refused(
            StatusCode::FORBIDDEN,
            "login_required",
            Some(reauth_href(&context, PAGE)),
        ),
        Err(error) => {
            let status = if error.is_internal() {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::BAD_REQUEST
            };
            refused(status, error.code().as_str(), None)
        }
    }
}

/// POST `/account/passkeys/add`: `name`, `credential` (the registration as JSON).
pub async fn add(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<PasskeyIdForm>,
) -> Response {
    let (session, account) = match signed_in_form_of(&mut context, form.csrf.as_deref(), PAGE).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    match accounts
        .finish_passkey(
            &account,
            &session,
            &form.credential,
            &form.name,
            &context.ip,
        )
        .await
    {
        Ok(_) => back(&context, "notice=added"),
        Err(Error::ReauthenticationRequired) => see_other(&reauth_href(&context, PAGE)),
        Err(Error::PasskeyRefused(_)) => back(&context, "e=refused"),
        Err(Error::ChallengeExpired) => back(&context, "e=expired"),
        Err(error) => context.error_page(&error, PAGE),
    }
}

/// POST `/account/passkeys/rename`: `id`, `name`.
pub async fn rename(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<PasskeyIdForm>,
) -> Response {
    let account = match signed_in_form_of(&mut context, form.csrf.as_deref(), PAGE).await {
        Ok((_, account)) => account,
        Err(response) => return response,
    };
    match accounts
        .rename_passkey(&account, &form.id, &form.name)
        .await
    {
        Ok(true) => back(&context, "notice=renamed"),
        Ok(false) => back(&context, "notice=none"),
        Err(Error::NameMissing) => back(&context, "e=name"),
        Err(error) => context.error_page(&error, PAGE),
    }
}

/// POST `/account/passkeys/remove`: `id`. A removed passkey signs nobody in.
pub async fn remove(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<PasskeyIdForm>,
) -> Response {
    let (session, account) = match signed_in_form_of(&mut context, form.csrf.as_deref(), PAGE).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    match accounts
        .remove_passkey(&account, &session, &form.id, &context.ip)
        .await
    {
        Ok(true) => back(&context, "notice=removed"),
        Ok(false) => back(&context, "notice=none"),
        Err(Error::ReauthenticationRequired) => see_other(&reauth_href(&context, PAGE)),
        Err(error) => context.error_page(&error, PAGE),
    }
}
