//! `GET|POST /connect/authorize` (RFC 6749 §3.1: both methods; OIDC Core §3.1.2.1).
//! Parses the raw pairs, lets the engine validate and decide, and renders the outcome.

use crate::answer::{error_page, see_other, to_client};
use crate::i18n::Locale;
use crate::session::current_session;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use propusk_core::authorize::{AuthorizeError, AuthorizeOutcome, Params};
use propusk_core::error::Error;
use propusk_types::routes;

pub async fn get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    handle(state, query.as_deref().unwrap_or(""), headers).await
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let locale = Locale::choose(&[], None, &headers);
    if !is_form {
        let error =
            Error::MalformedBody("authorization requests by POST must be form-encoded".into());
        return error_page(&state, &error, locale, routes::AUTHORIZE);
    }
    match std::str::from_utf8(&body) {
        Ok(text) => handle(state, text, headers).await,
        Err(_) => error_page(
            &state,
            &Error::MalformedBody("not UTF-8".into()),
            locale,
            routes::AUTHORIZE,
        ),
    }
}

async fn handle(state: AppState, encoded: &str, headers: HeaderMap) -> Response {
    let fallback_locale = Locale::choose(&[], None, &headers);
    let Ok(pairs) = crate::endpoints::form::parse_pairs(encoded.as_bytes()) else {
        let error = Error::MalformedBody("the query string is not valid form encoding".into());
        return error_page(&state, &error, fallback_locale, routes::AUTHORIZE);
    };
    let switch_path = switch_base(&pairs);
    let params = Params::from_pairs(pairs);
    let locale = Locale::choose(
        &params
            .get("ui_locales")
            .map(|l| l.split(' ').map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_default(),
        params.get("lang"),
        &headers,
    );
    let provider = &state.provider;
    let (request, client) = match provider.validate_authorization(&params).await {
        Ok(validated) => validated,
        Err(AuthorizeError::Fatal(error)) => {
            return error_page(&state, &error, locale, &switch_path);
        }
        Err(AuthorizeError::Redirect(answer)) => return to_client(&state, &answer, locale),
    };
    let session = current_session(provider, &headers).await;
    match provider
        .decide_authorization(request.clone(), &client, session)
        .await
    {
        Ok(AuthorizeOutcome::Respond(answer)) => to_client(&state, &answer, locale),
        Ok(AuthorizeOutcome::Interact(id)) => {
            see_other(&routes::interaction(routes::INTERACTION, &id))
        }
        Err(error) if error.is_internal() => error_page(&state, &error, locale, &switch_path),
        Err(error) => to_client(&state, &provider.error_response(&request, &error), locale),
    }
}

/// The request's own URL without `lang`, for the language switcher of an error page
/// (the switcher appends `?lang=` or `&lang=`).
fn switch_base(pairs: &[(String, String)]) -> String {
    let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "lang").collect();
    match serde_urlencoded::to_string(&kept) {
        Ok(query) if !query.is_empty() => format!("{}?{query}", routes::AUTHORIZE),
        _ => routes::AUTHORIZE.to_owned(),
    }
}
