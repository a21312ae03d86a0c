//! `/account/reauth`: the signed-in user proves again who they are — with the password,
//! or a code of the authenticator app when TOTP is on — and goes back to the cabinet page
//! (`next`) that asked for it. A stale form or a wrong proof comes back here with the
//! error next to the field; nothing here ever answers 500 for bad input.

use super::super::security::{purpose, signed_in};
use super::views::AccountReauthView;
use super::{display_name, safe_next};
use crate::answer::see_other;
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Form, Query};
use axum::response::Response;
use propusk_core::accounts::{Accounts, Proof};
use propusk_core::error::Error;
use propusk_core::model::{Account, Session};
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ReauthQuery {
    next: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct ReauthForm {
    csrf: Option<String>,
    next: Option<String>,
    password: Option<String>,
    code: Option<String>,
}

/// GET `/account/reauth?next=<cabinet path>`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<ReauthQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let next = safe_next(query.next.as_deref().unwrap_or(routes::ACCOUNT)).to_owned();
    let (field, error) = match query.e.as_deref() {
        Some("expired") => ("password", Some(context.text(key!("form-expired")))),
        _ => ("password", None),
    };
    page(&context, &accounts, &session, &account, &next, field, error).await
}

async fn page(
    context: &PageContext,
    accounts: &Accounts,
    session: &Session,
    account: &Account,
    next: &str,
    field: &'static str,
    error: Option<String>,
) -> Response {
    let methods = match accounts.proof_methods(account).await {
        Ok(methods) => methods,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_REAUTH),
    };
    let field = if field == "password" && !methods.password {
        "code"
    } else {
        field
    };
    let lang = context.lang_param();
    let status = crate::error::form_status(error.is_some());
    let view = AccountReauthView {
        who: display_name(account),
        action: join(routes::ACCOUNT_REAUTH, std::slice::from_ref(&lang)),
        csrf: context.csrf_token(&purpose(session)),
        next: next.to_owned(),
        password: methods.password,
        totp: methods.totp,
        error,
        field,
        back_href: join(next, &[lang]),
    };
    context
        .page(routes::ACCOUNT_REAUTH)
        .status(status)
        .render(&view)
}

/// POST `/account/reauth`: `password` or `code`; back to `next` once proved.
pub async fn submit(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<ReauthForm>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let next = safe_next(form.next.as_deref().unwrap_or(routes::ACCOUNT)).to_owned();
    if !context.csrf_ok(&purpose(&session), form.csrf.as_deref()) {
        let again = super::reauth_href(&context, &next);
        return see_other(&format!("{again}&e=expired"));
    }
    let (proof, field) = match (form.code.as_deref(), form.password.as_deref()) {
        (Some(code), _) if !code.trim().is_empty() => (Proof::Totp(code), "code"),
        (_, Some(password)) if !password.is_empty() => (Proof::Password(password), "password"),
        (Some(_), _) => {
            let text = context.text(key!("cabinet-code-missing"));
            return page(
                &context,
                &accounts,
                &session,
                &account,
                &next,
                "code",
                Some(text),
            )
            .await;
        }
        _ => {
            let text = context.text(key!("cabinet-password-missing"));
            let field = "password";
            return page(
                &context,
                &accounts,
                &session,
                &account,
                &next,
                field,
                Some(text),
            )
            .await;
        }
    };
    let proved = accounts
        .reauthenticate(&session, &account, proof, &context.ip)
        .await;
    let text = match proved {
        Ok(()) => return see_other(&join(next, &[context.lang_param()])),
        Err(Error::InvalidCredentials) => context.text(key!("cabinet-current-wrong")),
        Err(Error::OneTimeCodeInvalid) => context.text(key!("code-invalid")),
        Err(Error::Throttled { .. }) => context.text(key!("throttled")),
        Err(error) => return context.error_page(&error, routes::ACCOUNT_REAUTH),
    };
    page(
        &context,
        &accounts,
        &session,
        &account,
        &next,
        field,
        Some(text),
    )
    .await
}
