//! `/connect/endsession` (RP-Initiated Logout 1.0 §2, §3): the request is validated by
//! the engine (an invalid one gets the error page and never a redirect); a request that
//! proves who asks ends the session at once, any other one asks the user on a
//! CSRF-protected confirmation page. After sign-out the session cookie is cleared,
//! back-channel deliveries start outside the request, and the logged-out page loads each
//! client's front-channel URI in an iframe (Front-Channel Logout 1.0 §2) before the
//! browser continues to the registered `post_logout_redirect_uri` with `state`.

use crate::answer::{see_other, with_cookies};
use crate::backchannel;
use crate::cookies;
use crate::endpoints::form;
use crate::pages::{DEFAULT_CSP, LoggedOutView, LogoutConfirmView, PageContext, csp_towards};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use propusk_core::authorize::Params;
use propusk_core::error::Error;
use propusk_core::logout::{EndSessionRequest, LoggedOut, ValidatedEndSession};
use propusk_core::model::Session;
use propusk_types::routes;

const CONFIRM_PURPOSE: &str = "end-session";
/// Seconds the logged-out page leaves the front-channel iframes before continuing.
const FRONTCHANNEL_WAIT: u32 = 2;

pub async fn get(context: PageContext, uri: Uri) -> Response {
    let params =
        form::parse_pairs(uri.query().unwrap_or_default().as_bytes()).map(Params::from_pairs);
    handle(context, params).await
}

pub async fn post(context: PageContext, body: Result<Bytes, BytesRejection>) -> Response {
    let params = form::parse(&context.headers, body);
    handle(context, params).await
}

async fn handle(mut context: PageContext, params: Result<Params, Error>) -> Response {
    let request = match params.and_then(|p| EndSessionRequest::parse(&p)) {
        Ok(request) => request,
        Err(error) => return context.error_page(&error, routes::END_SESSION),
    };
    context.prefer(&request.ui_locales);
    let provider = context.state.provider.clone();
    let validated = match provider.validate_end_session(request).await {
        Ok(validated) => validated,
        Err(error) => return context.error_page(&error, routes::END_SESSION),
    };
    match context.session().await {
        None => finished(&context, &validated, LoggedOut::default(), true),
        Some(session) if provider.end_session_proven(&validated, &session) => {
            sign_out(&context, &validated, &session).await
        }
        Some(_) => confirm_page(&context, &validated),
    }
}

fn confirm_page(context: &PageContext, request: &ValidatedEndSession) -> Response {
    let view = LogoutConfirmView {
        client_name: request.client.as_ref().map(|c| c.name.clone()),
        action: routes::END_SESSION_CONFIRM.to_owned(),
        csrf: context.csrf_token(CONFIRM_PURPOSE),
        client_id: request
            .client
            .as_ref()
            .map(|c| c.id.clone())
            .unwrap_or_default(),
        post_logout_redirect_uri: request.post_logout_redirect_uri.clone().unwrap_or_default(),
        state: request.state.clone().unwrap_or_default(),
        ui_locales: request.ui_locales.join(" "),
    };
    let csp = match &request.post_logout_redirect_uri {
        Some(uri) => csp_towards(uri),
        None => DEFAULT_CSP.to_owned(),
    };
    context.page(routes::END_SESSION).csp(csp).render(&view)
}

/// `POST /connect/endsession/confirm`: the user's answer on the confirmation page. The
/// carried parameters are validated again; nothing from the form is trusted.
pub async fn confirm(mut context: PageContext, body: Result<Bytes, BytesRejection>) -> Response {
    let params = match form::parse(&context.headers, body) {
        Ok(params) => params,
        Err(error) => return context.error_page(&error, routes::END_SESSION),
    };
    let request = EndSessionRequest {
        id_token_hint: None,
        client_id: params.get("client_id").map(str::to_owned),
        post_logout_redirect_uri: params.get("post_logout_redirect_uri").map(str::to_owned),
        state: params.get("state").map(str::to_owned),
        ui_locales: params
            .get("ui_locales")
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
    };
    context.prefer(&request.ui_locales);
    if !context.csrf_ok(CONFIRM_PURPOSE, params.get("csrf")) {
        let error = Error::InvalidParameter {
            name: "csrf",
            reason: "the form expired; start the sign-out again",
        };
        return context.error_page(&error, routes::END_SESSION);
    }
    let provider = context.state.provider.clone();
    let validated = match provider.validate_end_session(request).await {
        Ok(validated) => validated,
        Err(error) => return context.error_page(&error, routes::END_SESSION),
    };
    let session = context.session().await;
    match (params.get("decision"), session) {
        (Some("logout"), Some(session)) => sign_out(&context, &validated, &session).await,
        (Some("logout"), None) => finished(&context, &validated, LoggedOut::default(), true),
        _ => finished(&context, &validated, LoggedOut::default(), false),
    }
}

async fn sign_out(
    context: &PageContext,
    request: &ValidatedEndSession,
    session: &Session,
) -> Response {
    let provider = &context.state.provider;
    match provider.end_session_everywhere(session).await {
        Ok(outcome) => {
            if outcome.backchannel > 0 {
                backchannel::deliver_soon(provider.clone());
            }
            finished(context, request, outcome, true)
        }
        Err(error) => context.error_page(&error, routes::END_SESSION),
    }
}

/// Redirects straight to the registered URI when there is nothing to load in frames;
/// otherwise shows the logged-out page (which continues by itself after the frames).
fn finished(
    context: &PageContext,
    request: &ValidatedEndSession,
    outcome: LoggedOut,
    signed_out: bool,
) -> Response {
    let location = request.redirect_location();
    let https = context.state.provider.config.is_https();
    let clear = cookies::set(cookies::SESSION, "", https, Some(0));
    if let (Some(location), true, true) = (&location, outcome.frontchannel.is_empty(), signed_out) {
        return with_cookies(see_other(location), signed_out.then_some(clear));
    }
    let view = LoggedOutView {
        signed_out,
        frames: outcome.frontchannel.clone(),
        continue_to: location.clone(),
    };
    let mut response = context
        .page(routes::END_SESSION)
        .csp(frame_csp(&outcome.frontchannel))
        .render(&view);
    if let Some(location) = location.filter(|_| signed_out && !outcome.frontchannel.is_empty())
        && let Ok(value) = HeaderValue::from_str(&format!("{FRONTCHANNEL_WAIT}; url={location}"))
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("refresh"), value);
    }
    with_cookies(response, signed_out.then_some(clear))
}

/// The page policy, with `frame-src` naming the origins of the front-channel URIs.
fn frame_csp(frames: &[String]) -> String {
    let origins = crate::pages::web_origins(frames);
    if origins.is_empty() {
        return DEFAULT_CSP.to_owned();
    }
    format!("{DEFAULT_CSP}; frame-src {}", origins.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_sources_are_the_origins() {
        let csp = frame_csp(&[
            "https://a.example/fc?iss=x".into(),
            "http://127.0.0.1:9/fc".into(),
            "https://a.example/other".into(),
        ]);
        assert!(
            csp.ends_with("; frame-src http://127.0.0.1:9 https://a.example"),
            "{csp}"
        );
        assert_eq!(frame_csp(&[]), DEFAULT_CSP);
    }
}
