//! The sign-in and consent pages of a stored interaction. They read the next step from the
//! engine, report what the user did, and send the browser back with a 303.

use crate::answer::{see_other, to_client};
use crate::pages::{ConsentView, LoginView, PageContext, ScopeLine, csp_towards, join};
use axum::Form;
use axum::extract::{Extension, Path, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::authorize::{Prompt, ValidatedAuthorizationRequest};
use propusk_core::error::Error;
use propusk_core::interaction::{InteractionStep, ScopeInfo};
use propusk_core::model::Client;
use propusk_texts::{Locale, key};
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct StepQuery {
    /// `code`: the phone + SMS code sign-in form instead of the password form;
    /// `register`: the registration form; `password`: the password form even when the
    /// request asked for `prompt=create`.
    method: Option<String>,
    /// A notice after a redirect (`reset`: the password was changed).
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

#[derive(Deserialize)]
pub struct ConsentForm {
    csrf: Option<String>,
    decision: Option<String>,
}

fn login_purpose(id: &str) -> String {
    format!("login:{id}")
}

fn consent_purpose(id: &str) -> String {
    format!("consent:{id}")
}

fn page_path(id: &str) -> String {
    routes::interaction(routes::INTERACTION, id)
}

pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<StepQuery>,
) -> Response {
    let session = context.session().await;
    let step = match context.state.provider.interaction_step(&id, session).await {
        Ok(step) => step,
        Err(error) => return context.error_page(&error, &page_path(&id)),
    };
    let method = query.method.as_deref();
    match step {
        InteractionStep::Login {
            request, client, ..
        } => {
            context.prefer(&request.ui_locales);
            if method == Some("code") {
                return crate::accounts::phone_form(&context, &id, &client.name);
            }
            if method == Some("register") || (method.is_none() && request.prompts(Prompt::Create)) {
                let typed = crate::accounts::Typed::default();
                return crate::accounts::registration_page(&context, Some(&id), typed, None).await;
            }
            let mut view = login_view(&context, &id, &client);
            view.login = request.login_hint.clone().unwrap_or_default();
            view.notice = crate::accounts::notice(&context, query.notice.as_deref());
            login_page(&context, &id, &request, view)
        }
        InteractionStep::Consent {
            request,
            client,
            scopes,
            ..
        } => {
            context.prefer(&request.ui_locales);
            consent_page(&context, &id, &request, &client, &scopes)
        }
        InteractionStep::StepUp {
            request, session, ..
        } => {
            context.prefer(&request.ui_locales);
            step_up(&context, &accounts, &id, &session).await
        }
        InteractionStep::Respond(answer) => to_client(&context, &answer),
    }
}

/// The session lacks the factor the request needs: the second-factor page for it, or,
/// when the account has no other factor, `unmet_authentication_requirements` for the
/// client.
async fn step_up(
    context: &PageContext,
    accounts: &Accounts,
    id: &str,
    session: &propusk_core::model::Session,
) -> Response {
    let provider = &context.state.provider;
    let answer = match accounts.start_step_up(session, id).await {
        Ok(Some(challenge)) => {
            let page = routes::with_id(routes::ACCOUNT_FACTOR, &challenge);
            return see_other(&join(page, &[context.lang_param()]));
        }
        Ok(None) => provider.interaction_unmet(id).await,
        Err(error) => Err(error),
    };
    match answer {
        Ok(answer) => to_client(context, &answer),
        Err(error) => context.error_page(&error, &page_path(id)),
    }
}

/// The password form of interaction `id`, empty.
fn login_view(context: &PageContext, id: &str, client: &Client) -> LoginView {
    let base = page_path(id);
    let lang = context.lang_always();
    LoginView {
        client_name: client.name.clone(),
        action: join(
            routes::interaction(routes::INTERACTION_LOGIN, id),
            &[context.lang_param()],
        ),
        csrf: context.csrf_token(&login_purpose(id)),
        login: String::new(),
        error: None,
        notice: None,
        alt_href: Some(join(base.clone(), &["method=code".into(), lang.clone()])),
        reset_href: join(routes::ACCOUNT_RESET, &[format!("i={id}"), lang.clone()]),
        register_href: Some(join(base, &["method=register".into(), lang.clone()])),
        passkey: Some(crate::accounts::passkey_sign_in_form(context, Some(id))),
        signature_href: (!context
            .state
            .provider
            .certificates
            .current()
            .roots()
            .is_empty())
        .then(|| {
            join(
                routes::interaction(routes::INTERACTION_SIGNATURE, id),
                &[lang],
            )
        }),
        tls_href: context
            .state
            .web
            .tls_sign_in_url
            .as_deref()
            .map(|base| crate::accounts::tls::sign_in_link(context, base, id)),
    }
}

fn login_page(
    context: &PageContext,
    id: &str,
    request: &ValidatedAuthorizationRequest,
    view: LoginView,
) -> Response {
    context
        .page(&page_path(id))
        .status(crate::error::form_status(view.error.is_some()))
        .csp(crate::pages::csp_with_scripts(&csp_towards(
            &request.redirect_uri,
        )))
        .render(&view)
}

/// The words for a scope: the standard scopes' own texts, else the product's
/// description in the page language, else the scope's name.
pub fn scope_line(context: &PageContext, scope: &ScopeInfo) -> ScopeLine {
    let standard = match scope.name.as_str() {
        "openid" => Some(key!("scope-openid")),
        "profile" => Some(key!("scope-profile")),
        "email" => Some(key!("scope-email")),
        "phone" => Some(key!("scope-phone")),
        "address" => Some(key!("scope-address")),
        "offline_access" => Some(key!("scope-offline-access")),
        "certificate" => Some(key!("scope-certificate")),
        _ => None,
    };
    let described = match context.locale {
        Locale::EN => scope.description_en.clone(),
        _ => scope.description_ru.clone(),
    };
    let text = standard
        .map(|k| context.text(k))
        .or(described)
        .unwrap_or_else(|| scope.name.clone());
    ScopeLine {
        text,
        product: scope.product.clone(),
    }
}

fn consent_page(
    context: &PageContext,
    id: &str,
    request: &ValidatedAuthorizationRequest,
    client: &Client,
    scopes: &[ScopeInfo],
) -> Response {
    let view = ConsentView {
        client_name: client.name.clone(),
        scopes: scopes.iter().map(|s| scope_line(context, s)).collect(),
        action: join(
            routes::interaction(routes::INTERACTION_CONSENT, id),
            &[context.lang_param()],
        ),
        csrf: context.csrf_token(&consent_purpose(id)),
    };
    context
        .page(&page_path(id))
        .csp(csp_towards(&request.redirect_uri))
        .render(&view)
}

pub async fn login(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<LoginForm>,
) -> Response {
    let (request, client) = match context.interaction(&id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let refused = |key: &str| {
        let mut view = login_view(&context, &id, &client);
        view.login = form.login.clone();
        view.error = Some(context.text(key));
        login_page(&context, &id, &request, view)
    };
    if !context.csrf_ok(&login_purpose(&id), form.csrf.as_deref()) {
        return refused(key!("form-expired"));
    }
    match accounts
        .sign_in_password(&form.login, &form.password, &context.ip, Some(&id))
        .await
    {
        Ok(outcome) => crate::accounts::after_sign_in(&context, &accounts, outcome).await,
        Err(Error::InvalidCredentials) => refused(key!("invalid-credentials")),
        Err(Error::Throttled { .. }) => refused(key!("throttled")),
        Err(error) => context.error_page(&error, &page_path(&id)),
    }
}

pub async fn consent(
    mut context: PageContext,
    Path(id): Path<String>,
    Form(form): Form<ConsentForm>,
) -> Response {
    if let Err(response) = context.interaction(&id).await {
        return response;
    }
    let again = join(page_path(&id), &[context.lang_param()]);
    if !context.csrf_ok(&consent_purpose(&id), form.csrf.as_deref()) {
        // Show the consent page again with a fresh token.
        return see_other(&again);
    }
    let allow = form.decision.as_deref() == Some("allow");
    let session = context.session().await;
    match context
        .state
        .provider
        .interaction_consent(&id, session, allow)
        .await
    {
        Ok(answer) => to_client(&context, &answer),
        Err(Error::LoginRequired) => see_other(&again),
        Err(error) => context.error_page(&error, &page_path(&id)),
    }
}
