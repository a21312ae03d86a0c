//! The sign-in and consent pages of a stored interaction. They read the next step from the
//! engine, report what the user did, and send the browser back with a 303.

use crate::answer::{error_page, see_other, to_client, with_cookies};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{ConsentPage, LoginPage, ScopeLine, csp_towards, render_with_csp, switch_href};
use crate::session::{current_session, session_cookie};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use propusk_core::authorize::ValidatedAuthorizationRequest;
use propusk_core::error::Error;
use propusk_core::interaction::{InteractionStep, ScopeInfo};
use propusk_core::model::Client;
use propusk_types::routes;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
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
    let page = LoginPage {
        locale,
        t: locale.texts(),
        operator: &state.web.operator_name,
        switch_href: switch_href(
            &routes::interaction(routes::INTERACTION, id),
            locale.other(),
        ),
        client_name: &client.name,
        action: with_lang(routes::interaction(routes::INTERACTION_LOGIN, id), lang),
        csrf: seed.token(&state.provider, &login_purpose(id)),
        login,
        error,
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    with_cookies(
        render_with_csp(status, &page, &csp_towards(&request.redirect_uri)),
        seed.set_cookie,
    )
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
        locale,
        t,
        operator: &state.web.operator_name,
        switch_href: switch_href(
            &routes::interaction(routes::INTERACTION, id),
            locale.other(),
        ),
        client_name: &client.name,
        scopes: lines,
        action: with_lang(routes::interaction(routes::INTERACTION_CONSENT, id), lang),
        csrf: seed.token(&state.provider, &consent_purpose(id)),
    };
    with_cookies(
        render_with_csp(StatusCode::OK, &page, &csp_towards(&request.redirect_uri)),
        seed.set_cookie,
    )
}

pub async fn login(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(lang): Query<LangQuery>,
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
    if !csrf::verify(
        provider,
        &headers,
        &login_purpose(&id),
        form.csrf.as_deref(),
    ) {
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
    let account = match provider
        .authenticate_password(&form.login, &form.password)
        .await
    {
        Ok(account) => account,
        Err(Error::InvalidCredentials) => {
            let error = Some(locale.texts().invalid_credentials);
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
        Err(error) => return error_page(&state, &error, locale, &path),
    };
    let acr = Some(propusk_core::authorize::ACR_PASSWORD.to_owned());
    let signed_in = match provider
        .start_session(&account, vec!["pwd".into()], acr)
        .await
    {
        Ok((session, secret)) => provider
            .interaction_signed_in(&id, &session)
            .await
            .map(|()| secret),
        Err(error) => Err(error),
    };
    match signed_in {
        Ok(secret) => with_cookies(
            see_other(&with_lang(path, &lang)),
            [session_cookie(provider, &secret)],
        ),
        Err(error) => error_page(
            &state,
            &error,
            locale,
            &routes::interaction(routes::INTERACTION, &id),
        ),
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
    if !csrf::verify(
        provider,
        &headers,
        &consent_purpose(&id),
        form.csrf.as_deref(),
    ) {
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
