//! `/account/delete` (confirm, then delete the account: a fresh proof is required, the
//! session cookie is cleared and the page loads the front-channel logouts of the ended
//! sessions) and `/account/export` (everything kept about the user, as a JSON download).

use super::super::security::{purpose, signed_in, signed_in_form_of};
use super::views::AccountDeleteView;
use super::{display_name, reauth_href};
use crate::answer::{see_other, with_cookies};
use crate::cookies;
use crate::pages::{DEFAULT_CSP, PageContext, join, web_origins};
use axum::extract::{Extension, Form, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct DeleteQuery {
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct DeleteForm {
    csrf: Option<String>,
    confirm: Option<String>,
}

/// GET `/account/delete`: what deletion does, and the button.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<DeleteQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let fresh = match accounts.is_fresh(&session).await {
        Ok(fresh) => fresh,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_DELETE),
    };
    let error = match query.e.as_deref() {
        Some("expired") => Some(context.text(key!("form-expired"))),
        Some("confirm") => Some(context.text(key!("cabinet-delete-confirm-missing"))),
        _ => None,
    };
    let lang = context.lang_param();
    let view = AccountDeleteView {
        deleted: false,
        who: display_name(&account),
        fresh,
        csrf: context.csrf_token(&purpose(&session)),
        action: join(routes::ACCOUNT_DELETE, std::slice::from_ref(&lang)),
        reauth_href: reauth_href(&context, routes::ACCOUNT_DELETE),
        export_href: join(routes::ACCOUNT_EXPORT, std::slice::from_ref(&lang)),
        error,
        frames: Vec::new(),
        back_href: join(routes::ACCOUNT, &[lang]),
    };
    context
        .page(routes::ACCOUNT_DELETE)
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// POST `/account/delete`: `confirm=yes` and a fresh proof delete the account.
pub async fn delete(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<DeleteForm>,
) -> Response {
    let page = routes::ACCOUNT_DELETE;
    let (session, account) = match signed_in_form_of(&mut context, form.csrf.as_deref(), page).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    if form.confirm.as_deref() != Some("yes") {
        return see_other(&join(page, &[context.lang_param(), "e=confirm".into()]));
    }
    let out = match accounts.delete_account(&session, &account).await {
        Ok(out) => out,
        Err(Error::ReauthenticationRequired) => return see_other(&reauth_href(&context, page)),
        Err(error) => return context.error_page(&error, page),
    };
    let origins = web_origins(&out.frontchannel);
    let csp = if origins.is_empty() {
        DEFAULT_CSP.to_owned()
    } else {
        format!("{DEFAULT_CSP}; frame-src {}", origins.join(" "))
    };
    let lang = context.lang_param();
    let view = AccountDeleteView {
        deleted: true,
        who: String::new(),
        fresh: false,
        csrf: String::new(),
        action: String::new(),
        reauth_href: String::new(),
        export_href: String::new(),
        error: None,
        frames: out.frontchannel,
        back_href: join(routes::ACCOUNT_LOGIN, &[lang]),
    };
    let https = context.state.provider.config.is_https();
    let clear = cookies::set(cookies::SESSION, "", https, Some(0));
    let answer = context.page(page).csp(csp).render(&view);
    with_cookies(answer, [clear])
}

/// GET `/account/export`: a JSON file of everything kept about the user.
pub async fn export(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
) -> Response {
    let (_, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let data = match accounts.export(&account).await {
        Ok(data) => data,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_EXPORT),
    };
    let body = match serde_json::to_string_pretty(&data) {
        Ok(body) => body,
        Err(error) => {
            let error = Error::Internal(format!("export: {error}"));
            return context.error_page(&error, routes::ACCOUNT_EXPORT);
        }
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"propusk-account.json\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
