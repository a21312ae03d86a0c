//! Signing in outside an authorization request, to reach the user's own pages
//! (`/account/login` → `/account`): login (or e-mail, or phone) + password, then
//! the second factor when the account has one.

use super::after_sign_in;
use crate::answer::see_other;
use crate::pages::{DEFAULT_CSP, LoginView, PageContext, csp_with_scripts, join};
use axum::extract::{Extension, Form, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

const PURPOSE: &str = "account-login";

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    csrf: Option<String>,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// The notice a page shows after a redirect (`notice=out`, `notice=reset`).
pub fn notice(context: &PageContext, key: Option<&str>) -> Option<String> {
    let key = match key? {
        "out" => key!("signed-out"),
        "reset" => key!("password-changed"),
        _ => return None,
    };
    Some(context.text(key))
}

fn page(
    context: &PageContext,
    login: &str,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let lang = context.lang_always();
    let view = LoginView {
        client_name: context.text(key!("account-title")),
        action: join(routes::ACCOUNT_LOGIN, std::slice::from_ref(&lang)),
        csrf: context.csrf_token(PURPOSE),
        login: login.to_owned(),
        notice,
        alt_href: None,
        reset_href: join(routes::ACCOUNT_RESET, std::slice::from_ref(&lang)),
        register_href: Some(join(routes::ACCOUNT_REGISTER, &[lang])),
        signature_href: None,
        tls_href: None,
        passkey: Some(super::passkeys::sign_in_form(context, None)),
        error,
    };
    context
        .page(routes::ACCOUNT_LOGIN)
        .status(crate::error::form_status(view.error.is_some()))
        .csp(csp_with_scripts(DEFAULT_CSP))
        .render(&view)
}

/// GET `/account/login`; a signed-in user goes straight to the cabinet.
pub async fn show(context: PageContext, Query(query): Query<NoticeQuery>) -> Response {
    if context.session().await.is_some() {
        return see_other(&join(routes::ACCOUNT, &[context.lang_param()]));
    }
    page(
        &context,
        "",
        None,
        notice(&context, query.notice.as_deref()),
    )
}

/// POST `/account/login`.
pub async fn submit(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let refused = |key: &str| page(&context, &form.login, Some(context.text(key)), None);
    if !context.csrf_ok(PURPOSE, form.csrf.as_deref()) {
        return refused(key!("form-expired"));
    }
    match accounts
        .sign_in_password(&form.login, &form.password, &context.ip, None)
        .await
    {
        Ok(outcome) => after_sign_in(&context, &accounts, outcome).await,
        Err(Error::InvalidCredentials) => refused(key!("invalid-credentials")),
        Err(Error::Throttled { .. }) => refused(key!("throttled")),
        Err(error) => context.error_page(&error, routes::ACCOUNT_LOGIN),
    }
}
