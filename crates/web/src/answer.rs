//! Renders protocol outcomes for the browser: the answer to the client in its response
//! mode (query/fragment by 303 redirect; form_post as an auto-submitting form, OAuth 2.0
//! Form Post Response Mode §2), and the fatal error page that never redirects.

use crate::i18n::{Locale, Texts};
use crate::pages::{ErrorPage, FormPostPage, Frame, render, render_with_csp};
use crate::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::authorize::{AuthorizationResponse, ResponseMode};
use propusk_core::error::Error;

/// A 303 See Other to a location (the answer after every POST, RFC 9110 §15.4.4).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn to_client(state: &AppState, answer: &AuthorizationResponse, locale: Locale) -> Response {
    match answer.mode {
        ResponseMode::Query | ResponseMode::Fragment => see_other(&answer.location()),
        ResponseMode::FormPost => {
            let nonce = state.provider.random(16);
            let origin = url::Url::parse(&answer.redirect_uri)
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_else(|_| "'none'".into());
            let csp = format!(
                "default-src 'none'; script-src 'nonce-{nonce}'; form-action {origin}; frame-ancestors 'none'; base-uri 'none'"
            );
            let page = FormPostPage {
                locale,
                t: locale.texts(),
                action: answer.redirect_uri.clone(),
                params: answer.params.clone(),
                nonce,
            };
            render_with_csp(StatusCode::OK, &page, &csp)
        }
    }
}

fn message(error: &Error, t: &'static Texts) -> &'static str {
    match error {
        Error::UnknownClient => t.unknown_client,
        Error::RedirectUriNotRegistered => t.redirect_uri_not_registered,
        Error::RedirectUriMissing => t.redirect_uri_missing,
        Error::InteractionExpired => t.interaction_expired,
        e if e.is_internal() => t.server_error,
        _ => t.bad_request,
    }
}

/// The HTML error page for a request that cannot be answered at a redirect URI.
pub fn error_page(state: &AppState, error: &Error, locale: Locale, path: &str) -> Response {
    if error.is_internal() {
        tracing::error!(%error, "request failed");
    } else {
        tracing::info!(%error, "request refused with an error page");
    }
    let t = locale.texts();
    let status = if error.is_internal() {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ErrorPage {
        frame: Frame::new(state, locale, path),
        t,
        message: message(error, t),
        code: (!error.is_internal()).then(|| error.code().as_str()),
    };
    render(status, &page)
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
