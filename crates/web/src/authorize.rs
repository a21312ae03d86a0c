//! `GET|POST /connect/authorize` (RFC 6749 §3.1: both methods; OIDC Core §3.1.2.1).
//! Parses the raw pairs, lets the engine validate and decide, and renders the outcome.

use crate::answer::{see_other, to_client};
use crate::pages::PageContext;
use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::header;
use axum::response::Response;
use propusk_core::authorize::{AuthorizeError, AuthorizeOutcome, Params};
use propusk_core::error::Error;
use propusk_types::routes;

pub async fn get(context: PageContext, RawQuery(query): RawQuery) -> Response {
    handle(context, query.as_deref().unwrap_or("")).await
}

pub async fn post(context: PageContext, body: Bytes) -> Response {
    let is_form = context
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        let error =
            Error::MalformedBody("authorization requests by POST must be form-encoded".into());
        return context.error_page(&error, routes::AUTHORIZE);
    }
    match std::str::from_utf8(&body) {
        Ok(text) => handle(context, text).await,
        Err(_) => context.error_page(&Error::MalformedBody("not UTF-8".into()), routes::AUTHORIZE),
    }
}

async fn handle(mut context: PageContext, encoded: &str) -> Response {
    let Ok(pairs) = crate::endpoints::form::parse_pairs(encoded.as_bytes()) else {
        let error = Error::MalformedBody("the query string is not valid form encoding".into());
        return context.error_page(&error, routes::AUTHORIZE);
    };
    let params = Params::from_pairs(pairs);
    if let Some(lang) = params.get("lang") {
        context.choose(lang);
    }
    let ui_locales: Vec<String> = params
        .get("ui_locales")
        .map(|l| l.split(' ').map(str::to_owned).collect())
        .unwrap_or_default();
    context.prefer(&ui_locales);
    let provider = context.state.provider.clone();
    let (request, client) = match provider.validate_authorization(&params).await {
        Ok(validated) => validated,
        Err(AuthorizeError::Fatal(error)) => {
            return context.error_page(&error, &switch_base(encoded));
        }
        Err(AuthorizeError::Redirect(answer)) => return to_client(&context, &answer),
    };
    let session = context.session().await;
    match provider
        .decide_authorization(request.clone(), &client, session)
        .await
    {
        Ok(AuthorizeOutcome::Respond(answer)) => to_client(&context, &answer),
        Ok(AuthorizeOutcome::Interact(id)) => {
            see_other(&routes::interaction(routes::INTERACTION, &id))
        }
        Err(error) if error.is_internal() => context.error_page(&error, &switch_base(encoded)),
        Err(error) => to_client(&context, &provider.error_response(&request, &error)),
    }
}

/// The request's own URL without `lang`, for the language switcher of an error page
/// (the switcher appends `?lang=` or `&lang=`). Built only when an error page is shown.
fn switch_base(encoded: &str) -> String {
    let pairs = crate::endpoints::form::parse_pairs(encoded.as_bytes()).unwrap_or_default();
    let kept: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "lang").collect();
    match serde_urlencoded::to_string(&kept) {
        Ok(query) if !query.is_empty() => format!("{}?{query}", routes::AUTHORIZE),
        _ => routes::AUTHORIZE.to_owned(),
    }
}
