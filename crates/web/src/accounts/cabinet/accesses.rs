//! `/account/accesses`: the applications holding access to the account, with the scopes
//! in the user's language, and **Revoke** for each (see
//! `propusk_core::accounts::Accounts::revoke_access` for what it does).

use super::super::security::{purpose, signed_in, signed_in_form_of};
use super::views::{AccessLine, AccountAccessesView};
use super::when;
use crate::answer::see_other;
use crate::interaction::scope_line;
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Form, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct AccessesQuery {
    notice: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct RevokeForm {
    csrf: Option<String>,
    #[serde(default)]
    client: String,
}

/// GET `/account/accesses`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<AccessesQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let found = match accounts.accesses(&account).await {
        Ok(found) => found,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_ACCESSES),
    };
    let lines = found
        .iter()
        .map(|access| AccessLine {
            client_id: access.client.id.clone(),
            name: access.client.name.clone(),
            logo_src: access
                .has_logo
                .then(|| routes::with_id(routes::DEVELOPER_LOGO, &access.client.id)),
            integrator: access.integrator.clone(),
            product: access.client.product.clone(),
            scopes: access
                .scopes
                .iter()
                .map(|s| scope_line(&context, s))
                .collect(),
            granted: when(access.granted_at),
            last_used: access.last_used_at.map(when),
        })
        .collect();
    let lang = context.lang_param();
    let notice = match query.notice.as_deref() {
        Some("revoked") => Some(context.text(key!("cabinet-access-revoked"))),
        Some("none") => Some(context.text(key!("cabinet-access-gone"))),
        _ => None,
    };
    let error = (query.e.as_deref() == Some("expired")).then(|| context.text(key!("form-expired")));
    let view = AccountAccessesView {
        error,
        accesses: lines,
        csrf: context.csrf_token(&purpose(&session)),
        revoke_action: join(routes::ACCOUNT_ACCESSES_REVOKE, std::slice::from_ref(&lang)),
        notice,
        back_href: join(routes::ACCOUNT, &[lang]),
    };
    context.page(routes::ACCOUNT_ACCESSES).render(&view)
}

/// POST `/account/accesses/revoke`: `client=<client id>`.
pub async fn revoke(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let back = |context: &PageContext, extra: &str| {
        see_other(&join(
            routes::ACCOUNT_ACCESSES,
            &[context.lang_param(), extra.to_owned()],
        ))
    };
    let page = routes::ACCOUNT_ACCESSES;
    let account = match signed_in_form_of(&mut context, form.csrf.as_deref(), page).await {
        Ok((_, account)) => account,
        Err(response) => return response,
    };
    match accounts
        .revoke_access(&account, &form.client, &context.ip)
        .await
    {
        Ok(_) => back(&context, "notice=revoked"),
        Err(Error::UnknownClient) => back(&context, "notice=none"),
        Err(error) => context.error_page(&error, routes::ACCOUNT_ACCESSES),
    }
}
