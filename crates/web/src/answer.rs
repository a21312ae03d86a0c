//! Renders protocol outcomes for the browser: the answer to the client in its response
//! mode (query/fragment by 303 redirect; form_post as an auto-submitting form, OAuth 2.0
//! Form Post Response Mode §2), and the fatal error page that never redirects.

use crate::pages::{ErrorView, FormPostView, PageContext};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use propusk_core::authorize::{AuthorizationResponse, ResponseMode};
use propusk_core::error::Error;
use propusk_texts::key;

/// A 303 See Other to a location (the answer after every POST, RFC 9110 §15.4.4).
pub fn see_other(location: &str) -> Response {
    let mut response = axum::http::StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn to_client(context: &PageContext, answer: &AuthorizationResponse) -> Response {
    match answer.mode {
        ResponseMode::Query | ResponseMode::Fragment => see_other(&answer.location()),
        ResponseMode::FormPost => {
            let nonce = context.state.provider.random(16);
            let origin = url::Url::parse(&answer.redirect_uri)
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_else(|_| "'none'".into());
            let csp = format!(
                "default-src 'none'; script-src 'nonce-{nonce}'; form-action {origin}; frame-ancestors 'none'; base-uri 'none'"
            );
            let view = FormPostView {
                action: answer.redirect_uri.clone(),
                params: answer.params.clone(),
                nonce,
            };
            context
                .page(propusk_types::routes::AUTHORIZE)
                .csp(csp)
                .render(&view)
        }
    }
}

fn message_key(error: &Error) -> &'static str {
    match error {
        Error::UnknownClient => key!("unknown-client"),
        Error::RedirectUriNotRegistered => key!("redirect-uri-not-registered"),
        Error::RedirectUriMissing => key!("redirect-uri-missing"),
        Error::InteractionExpired => key!("interaction-expired"),
        e if e.is_internal() => key!("server-error"),
        _ => key!("bad-request"),
    }
}

/// The HTML error page for a request that cannot be answered at a redirect URI.
pub fn error_page(context: &PageContext, error: &Error, path: &str) -> Response {
    if error.is_internal() {
        tracing::error!(%error, "request failed");
    } else {
        tracing::info!(%error, "request refused with an error page");
    }
    let view = ErrorView {
        message: context.text(message_key(error)),
        code: (!error.is_internal()).then(|| error.code().as_str()),
    };
    context
        .page(path)
        .status(crate::error::page_status(error))
        .render(&view)
}

/// Appends `Set-Cookie` headers to a response.
pub fn with_cookies(
    mut response: Response,
    cookies: impl IntoIterator<Item = HeaderValue>,
) -> Response {
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
