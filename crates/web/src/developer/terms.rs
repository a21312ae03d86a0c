//! `/developer`: the integrator terms (their text and version come from the catalogue, so
//! an operator's theme words them) and their acceptance; an integrator goes on to the
//! applications.

use super::{TermsView, purpose, signed_in, signed_in_form};
use crate::answer::see_other;
use crate::pages::{PageContext, join};
use axum::extract::Form;
use axum::response::Response;
use propusk_core::developer::Cabinet;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct AcceptForm {
    csrf: Option<String>,
    accept: Option<String>,
}

fn apps(context: &PageContext) -> Response {
    see_other(&join(routes::DEVELOPER_APPS, &[context.lang_param()]))
}

/// GET `/developer`.
pub async fn show(mut context: PageContext) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match Cabinet::new(&context.state.provider)
        .is_integrator(&account)
        .await
    {
        Ok(true) => apps(&context),
        Ok(false) => page(&context, &purpose(&session), &account, None),
        Err(error) => super::failure(&context, error, routes::DEVELOPER),
    }
}

fn page(
    context: &PageContext,
    purpose: &str,
    account: &propusk_core::model::Account,
    error: Option<String>,
) -> Response {
    let view = TermsView {
        who: account
            .profile
            .name
            .clone()
            .unwrap_or_else(|| account.login.clone()),
        action: join(routes::DEVELOPER, &[context.lang_param()]),
        csrf: context.csrf_token(purpose),
        error,
    };
    context
        .page(routes::DEVELOPER)
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// POST `/developer`: `accept=yes` records the acceptance of the current terms.
pub async fn accept(mut context: PageContext, Form(form): Form<AcceptForm>) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    if form.accept.as_deref() != Some("yes") {
        let Some(session) = context.session().await else {
            return see_other(routes::ACCOUNT_LOGIN);
        };
        let error = context.text(key!("developer-terms-required"));
        return page(&context, &purpose(&session), &account, Some(error));
    }
    let version = context.text(key!("developer-terms-version"));
    match Cabinet::new(&context.state.provider)
        .accept_terms(&account, &version)
        .await
    {
        Ok(()) => apps(&context),
        Err(error) => super::failure(&context, error, routes::DEVELOPER),
    }
}
