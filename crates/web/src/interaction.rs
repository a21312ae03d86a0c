//! The sign-in and consent pages of a stored interaction. They read the next step from the
//! engine, report what the user did, and send the browser back with a 303.

use crate::accounts::ClientIp;
use crate::answer::{error_page, see_other, to_client};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{
    ConsentPage, Frame, LoginPage, ScopeLine, csp_towards, form_status, render_with_seed,
};
use crate::session::current_session;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::authorize::{Prompt, ValidatedAuthorizationRequest};
use propusk_core::error::Error;
use propusk_core::interaction::{InteractionStep, ScopeInfo};
use propusk_core::model::Client;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
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

fn with_lang(path: String, lang: &LangQuery) -> String {
    match &lang.lang {
        Some(l) if Locale::parse(l).is_some() => format!("{path}?lang={l}"),
        _ => path,
    }
}

fn login_purpose(id: &str) -> String {
    format!("login:{id}")
}

fn consent_purpose(id: &str) -> String {
    format!("consent:{id}")
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(lang): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let provider = &state.provider;
    let session = current_session(provider, &headers).await;
    let path = routes::interaction(routes::INTERACTION, &id);
    let step = match provider.interaction_step(&id, session).await {
        Ok(step) => step,
        Err(error) => {
            return error_page(
                &state,
                &error,
                Locale::choose(&[], lang.lang.as_deref(), &headers),
                &path,
            );
        }
    };
    match step {
        InteractionStep::Login {
            request, client, ..
        } if lang.method.as_deref() == Some("code") => {
            let locale = Locale::choose(&request.ui_locales, lang.lang.as_deref(), &headers);
            crate::accounts::phone_form(
                &state,
                &headers,
                &id,
                lang.lang.as_deref(),
                locale,
                &client.name,
            )
        }
        InteractionStep::Login { request, .. }
            if lang.method.as_deref() == Some("register")
                || (lang.method.is_none() && request.prompts(Prompt::Create)) =>
        {
            let locale = Locale::choose(&request.ui_locales, lang.lang.as_deref(), &headers);
            crate::accounts::registration_page(
                &state,
                &headers,
                Some(&id),
                locale,
                crate::accounts::Typed::default(),
                None,
            )
            .await
        }
        InteractionStep::Login {
            request, client, ..
        } => {
            let login = request.login_hint.clone().unwrap_or_default();
            login_page(
                &state, &headers, &id, &lang, &request, &client, &login, None,
            )
        }
        InteractionStep::Consent {
            request,
            client,
            scopes,
            ..
        } => consent_page(&state, &headers, &id, &lang, &request, &client, &scopes),
        InteractionStep::Respond(answer) => {
            let locale = Locale::choose(&[], lang.lang.as_deref(), &headers);
            to_client(&state, &answer, locale)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    lang: &LangQuery,
    request: &ValidatedAuthorizationRequest,
    client: &Client,
    login: &str,
    error: Option<&'static str>,
) -> Response {
    let locale = Locale::choose(&request.ui_locales, lang.lang.as_deref(), headers);
    let seed = CsrfSeed::ensure(&state.provider, headers);
    let a = crate::accounts::AccountTexts::of(locale);
    let base = routes::interaction(routes::INTERACTION, id);
    let code = locale.code();
    let page = LoginPage {
        frame: Frame::new(state, locale, &routes::interaction(routes::INTERACTION, id)),
        t: locale.texts(),
        client_name: &client.name,
        action: with_lang(routes::interaction(routes::INTERACTION_LOGIN, id), lang),
        csrf: seed.token(&state.provider, &login_purpose(id)),
        login,
        error,
        notice: crate::accounts::notice(lang.notice.as_deref(), a),
        alt_current: a.by_password,
        alt: Some((format!("{base}?method=code&lang={code}"), a.by_code)),
        a,
        reset_href: format!("/account/reset?i={id}&lang={code}"),
        register_href: Some(format!("{base}?method=register&lang={code}")),
    };
    let csp = csp_towards(&request.redirect_uri);
    render_with_seed(form_status(error.is_some()), &page, &csp, seed)
}

fn consent_page(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    lang: &LangQuery,
    request: &ValidatedAuthorizationRequest,
    client: &Client,
    scopes: &[ScopeInfo],
) -> Response {
    let locale = Locale::choose(&request.ui_locales, lang.lang.as_deref(), headers);
    let t = locale.texts();
    let seed = CsrfSeed::ensure(&state.provider, headers);
    let lines = scopes
        .iter()
        .map(|s| {
            let standard = match s.name.as_str() {
                "openid" => Some(t.scope_openid),
                "profile" => Some(t.scope_profile),
                "email" => Some(t.scope_email),
                "phone" => Some(t.scope_phone),
                "address" => Some(t.scope_address),
                "offline_access" => Some(t.scope_offline_access),
                _ => None,
            };
            let described = match locale {
                Locale::Ru => s.description_ru.clone(),
                Locale::En => s.description_en.clone(),
            };
            let text = standard
                .map(str::to_owned)
                .or(described)
                .unwrap_or_else(|| s.name.clone());
            ScopeLine {
                text,
                product: s.product.clone(),
            }
        })
        .collect();
    let page = ConsentPage {
        frame: Frame::new(state, locale, &routes::interaction(routes::INTERACTION, id)),
        t,
        client_name: &client.name,
        scopes: lines,
        action: with_lang(routes::interaction(routes::INTERACTION_CONSENT, id), lang),
        csrf: seed.token(&state.provider, &consent_purpose(id)),
    };
    let csp = csp_towards(&request.redirect_uri);
    render_with_seed(StatusCode::OK, &page, &csp, seed)
}

pub async fn login(
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(lang): Query<LangQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let provider = &state.provider;
    let path = routes::interaction(routes::INTERACTION, &id);
    let (_, request, client) = match provider.load_interaction(&id).await {
        Ok(loaded) => loaded,
        Err(error) => {
            return error_page(
                &state,
                &error,
                Locale::choose(&[], lang.lang.as_deref(), &headers),
                &path,
            );
        }
    };
    let locale = Locale::choose(&request.ui_locales, lang.lang.as_deref(), &headers);
    if !csrf::form_ok(&state, &headers, &login_purpose(&id), &form.csrf) {
        let error = Some(locale.texts().form_expired);
        return login_page(
            &state,
            &headers,
            &id,
            &lang,
            &request,
            &client,
            &form.login,
            error,
        );
    }
    match accounts
        .sign_in_password(&form.login, &form.password, &ip, Some(&id))
        .await
    {
        Ok(outcome) => crate::accounts::after_sign_in(&state, outcome, Some(locale.code())),
        Err(error @ (Error::InvalidCredentials | Error::Throttled { .. })) => {
            let t = locale.texts();
            let message = match error {
                Error::Throttled { .. } => crate::accounts::AccountTexts::of(locale).throttled,
                _ => t.invalid_credentials,
            };
            login_page(
                &state,
                &headers,
                &id,
                &lang,
                &request,
                &client,
                &form.login,
                Some(message),
            )
        }
        Err(error) => error_page(&state, &error, locale, &path),
    }
}

pub async fn consent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(lang): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<ConsentForm>,
) -> Response {
    let provider = &state.provider;
    let path = routes::interaction(routes::INTERACTION, &id);
    let ui_locales = match provider.load_interaction(&id).await {
        Ok((_, request, _)) => request.ui_locales,
        Err(error) => {
            return error_page(
                &state,
                &error,
                Locale::choose(&[], lang.lang.as_deref(), &headers),
                &path,
            );
        }
    };
    let locale = Locale::choose(&ui_locales, lang.lang.as_deref(), &headers);
    if !csrf::form_ok(&state, &headers, &consent_purpose(&id), &form.csrf) {
        // Show the consent page again with a fresh token.
        return see_other(&with_lang(path, &lang));
    }
    let allow = form.decision.as_deref() == Some("allow");
    let session = current_session(provider, &headers).await;
    match provider.interaction_consent(&id, session, allow).await {
        Ok(answer) => to_client(&state, &answer, locale),
        Err(Error::LoginRequired) => see_other(&with_lang(path, &lang)),
        Err(error) => error_page(&state, &error, locale, &path),
    }
}
