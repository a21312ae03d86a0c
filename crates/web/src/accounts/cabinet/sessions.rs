//! `/account/sessions`: every live browser session of the account, with sign-out of one
//! or of all the others (the latter after a fresh proof). The page that answers a
//! sign-out loads the front-channel logout URIs of the ended sessions in hidden iframes
//! (Front-Channel Logout 1.0 §2), so it is rendered directly rather than redirected.

use super::super::security::{purpose, signed_in, signed_in_form_of};
use super::views::{AccountSessionsView, SessionLine};
use super::{reauth_href, when};
use crate::answer::see_other;
use crate::pages::{DEFAULT_CSP, PageContext, join, web_origins};
use axum::extract::{Extension, Form, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_core::logout::LoggedOut;
use propusk_core::model::Session;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct SessionsQuery {
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct EndForm {
    csrf: Option<String>,
    #[serde(default)]
    session: String,
}

/// GET `/account/sessions`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<SessionsQuery>,
) -> Response {
    let (session, _) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let error = (query.e.as_deref() == Some("expired")).then(|| context.text(key!("form-expired")));
    page(
        &context,
        &accounts,
        &session,
        None,
        error,
        LoggedOut::default(),
    )
    .await
}

async fn page(
    context: &PageContext,
    accounts: &Accounts,
    current: &Session,
    notice: Option<String>,
    error: Option<String>,
    out: LoggedOut,
) -> Response {
    let found = match accounts.browser_sessions(current).await {
        Ok(found) => found,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_SESSIONS),
    };
    let unknown = context.text(key!("cabinet-device-unknown"));
    let sessions = found
        .into_iter()
        .map(|s| {
            let device = match (s.browser, s.system) {
                ("", "") => unknown.clone(),
                (browser, "") => browser.to_owned(),
                ("", system) => system.to_owned(),
                (browser, system) => context.format(
                    key!("cabinet-device"),
                    &[("browser", browser.into()), ("system", system.into())],
                ),
            };
            SessionLine {
                id: s.session.id.clone(),
                device,
                ip: s.device.ip.unwrap_or_else(|| unknown.clone()),
                started: when(s.session.created_at),
                last_seen: when(s.session.last_active_at),
                applications: s.applications,
                current: s.current,
            }
        })
        .collect();
    let lang = context.lang_param();
    let action = |path: &str| join(path, std::slice::from_ref(&lang));
    let origins = web_origins(&out.frontchannel);
    let csp = if origins.is_empty() {
        DEFAULT_CSP.to_owned()
    } else {
        format!("{DEFAULT_CSP}; frame-src {}", origins.join(" "))
    };
    let view = AccountSessionsView {
        sessions,
        csrf: context.csrf_token(&purpose(current)),
        end_action: action(routes::ACCOUNT_SESSIONS_END),
        others_action: action(routes::ACCOUNT_SESSIONS_OTHERS),
        notice,
        error,
        frames: out.frontchannel,
        back_href: action(routes::ACCOUNT),
    };
    context
        .page(routes::ACCOUNT_SESSIONS)
        .csp(csp)
        .render(&view)
}

/// POST `/account/sessions/end`: `session=<id>` of another browser.
pub async fn end_one(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<EndForm>,
) -> Response {
    let page_path = routes::ACCOUNT_SESSIONS;
    let (session, _) = match signed_in_form_of(&mut context, form.csrf.as_deref(), page_path).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    match accounts
        .end_browser_session(&session, &form.session, &context.ip)
        .await
    {
        Ok(out) => {
            let notice = Some(context.text(key!("cabinet-session-ended")));
            page(&context, &accounts, &session, notice, None, out).await
        }
        Err(Error::InvalidParameter { .. }) => {
            let error = Some(context.text(key!("cabinet-session-gone")));
            page(
                &context,
                &accounts,
                &session,
                None,
                error,
                LoggedOut::default(),
            )
            .await
        }
        Err(error) => context.error_page(&error, page_path),
    }
}

/// POST `/account/sessions/others`: every other browser is signed out (fresh proof
/// required; without it, through re-authentication and back).
pub async fn end_others(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<EndForm>,
) -> Response {
    let page_path = routes::ACCOUNT_SESSIONS;
    let (session, _) = match signed_in_form_of(&mut context, form.csrf.as_deref(), page_path).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    match accounts
        .end_other_browser_sessions(&session, &context.ip)
        .await
    {
        Ok(out) => {
            let notice = Some(context.text(key!("cabinet-sessions-ended")));
            page(&context, &accounts, &session, notice, None, out).await
        }
        Err(Error::ReauthenticationRequired) => see_other(&reauth_href(&context, page_path)),
        Err(error) => context.error_page(&error, page_path),
    }
}
