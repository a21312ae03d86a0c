//! The test sign-in: GET `/developer/apps/{client_id}/test` sends the browser through the
//! application's own authorization request with the provider's callback as redirect URI
//! (a service gets its client-credentials token at once); GET `/developer/callback`
//! checks `state` against a short-lived cookie of this browser, redeems the code for the
//! application and shows the decoded ID token, access token and UserInfo. A device's
//! test shows its user code with a link to the device page; `?poll=1` then redeems the
//! device code kept in a short-lived cookie.

use super::apps::owned_app;
use super::{DeviceStep, TestView, path};
use crate::answer::{see_other, with_cookies};
use crate::cookies;
use crate::pages::PageContext;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use propusk_core::developer::test_sign_in::TestResult;
use propusk_core::developer::{AppType, Cabinet, CabinetError};
use propusk_core::model::Client;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;

/// The cookie that carries `client_id`, `state` and the PKCE verifier to the callback.
const COOKIE: &str = "propusk_devtest";

/// The cookie that carries `client_id`, the user code and the device code of a device.
const DEVICE_COOKIE: &str = "propusk_devdevice";

/// How long a test sign-in may take, seconds.
const COOKIE_AGE: i64 = 600;

#[derive(Deserialize)]
pub struct TestQuery {
    poll: Option<String>,
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// GET `/developer/apps/{client_id}/test`.
pub async fn start(
    mut context: PageContext,
    Path(client_id): Path<String>,
    Query(query): Query<TestQuery>,
) -> Response {
    let (_, client) = match owned_app(&mut context, &client_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let cabinet = Cabinet::new(&context.state.provider);
    match AppType::of(&client) {
        AppType::Service => {
            let result = cabinet.service_test(&client).await;
            return page(&context, &client, result);
        }
        AppType::Device if query.poll.is_some() => return device_poll(&context, &client).await,
        AppType::Device => return device_start(&context, &client).await,
        AppType::Web | AppType::Spa | AppType::Native => {}
    }
    match cabinet.start_test(&client) {
        Ok(started) => {
            let https = context.state.provider.config.is_https();
            let value = format!("{}.{}.{}", client.id, started.state, started.verifier);
            let cookie = cookies::set(COOKIE, &value, https, Some(COOKIE_AGE));
            with_cookies(see_other(&started.authorize_url), [cookie])
        }
        Err(error) => super::failure(
            &context,
            error,
            &with_id(routes::DEVELOPER_APP_TEST, &client.id),
        ),
    }
}

/// Asks for a user code and shows it with the link that confirms it.
async fn device_start(context: &PageContext, client: &Client) -> Response {
    let cabinet = Cabinet::new(&context.state.provider);
    let started = match cabinet.start_device_test(client).await {
        Ok(started) => started,
        Err(error) => return page(context, client, Err(error)),
    };
    let https = context.state.provider.config.is_https();
    let value = format!(
        "{}|{}|{}",
        client.id, started.user_code, started.device_code
    );
    let cookie = cookies::set(DEVICE_COOKIE, &value, https, Some(COOKIE_AGE));
    let step = device_step(
        context,
        client,
        started.user_code,
        started.verification_uri_complete,
        false,
    );
    with_cookies(device_page(context, client, step), [cookie])
}

fn device_step(
    context: &PageContext,
    client: &Client,
    user_code: String,
    verify_href: String,
    pending: bool,
) -> DeviceStep {
    DeviceStep {
        user_code,
        verify_href,
        poll_href: crate::pages::join(
            with_id(routes::DEVELOPER_APP_TEST, &client.id),
            &[context.lang_param(), "poll=1".into()],
        ),
        pending,
    }
}

/// Redeems the device code of this browser's test, or shows the code again while it waits.
async fn device_poll(context: &PageContext, client: &Client) -> Response {
    let https = context.state.provider.config.is_https();
    let remembered = cookies::get(&context.headers, DEVICE_COOKIE, https);
    let parsed = remembered.as_deref().and_then(|v| {
        let mut parts = v.splitn(3, '|');
        Some((parts.next()?, parts.next()?, parts.next()?))
    });
    let Some((_, user_code, device_code)) = parsed.filter(|p| p.0 == client.id) else {
        return device_start(context, client).await;
    };
    let result = Cabinet::new(&context.state.provider)
        .finish_device_test(client, device_code)
        .await;
    match result {
        Err(CabinetError::Failed(
            propusk_core::error::Error::DeviceAuthorizationPending
            | propusk_core::error::Error::DeviceSlowDown,
        )) => {
            let verify = format!(
                "{}?user-code={user_code}",
                context.state.provider.config.url(routes::DEVICE)
            );
            let step = device_step(context, client, user_code.to_owned(), verify, true);
            device_page(context, client, step)
        }
        other => {
            let clear = cookies::set(DEVICE_COOKIE, "", https, Some(0));
            with_cookies(page(context, client, other), [clear])
        }
    }
}

fn device_page(context: &PageContext, client: &Client, step: DeviceStep) -> Response {
    let view = TestView {
        name: client.name.clone(),
        device: Some(step),
        error: None,
        id_token: None,
        access_token: String::new(),
        access_token_claims: None,
        userinfo: None,
        again_href: None,
        back_href: path(context, routes::DEVELOPER_APP, &client.id),
    };
    context
        .page(&with_id(routes::DEVELOPER_APP_TEST, &client.id))
        .render(&view)
}

/// GET `/developer/callback`.
pub async fn callback(mut context: PageContext, Query(query): Query<CallbackQuery>) -> Response {
    let https = context.state.provider.config.is_https();
    let remembered = cookies::get(&context.headers, COOKIE, https);
    let parsed = remembered.as_deref().and_then(|v| {
        let mut parts = v.splitn(3, '.');
        Some((parts.next()?, parts.next()?, parts.next()?))
    });
    let Some((client_id, state, verifier)) = parsed else {
        return unknown(&context);
    };
    if query.state.as_deref() != Some(state) {
        return unknown(&context);
    }
    let (_, client) = match owned_app(&mut context, client_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let clear = cookies::set(COOKIE, "", https, Some(0));
    let result = match (&query.code, &query.error) {
        (Some(code), None) => {
            Cabinet::new(&context.state.provider)
                .finish_test(&client, code, verifier)
                .await
        }
        _ => Err(CabinetError::Failed(
            propusk_core::error::Error::AccessDenied,
        )),
    };
    with_cookies(page(&context, &client, result), [clear])
}

/// A callback this browser did not start.
fn unknown(context: &PageContext) -> Response {
    let view = crate::pages::ErrorView {
        message: context.text(key!("developer-test-unknown")),
        code: None,
    };
    context
        .page(routes::DEVELOPER_CALLBACK)
        .status(StatusCode::BAD_REQUEST)
        .render(&view)
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn page(
    context: &PageContext,
    client: &Client,
    result: Result<TestResult, CabinetError>,
) -> Response {
    let again = path(context, routes::DEVELOPER_APP_TEST, &client.id);
    let back_href = path(context, routes::DEVELOPER_APP, &client.id);
    let at = with_id(routes::DEVELOPER_APP_TEST, &client.id);
    let view = match result {
        Ok(result) => TestView {
            name: client.name.clone(),
            device: None,
            error: None,
            id_token: result.id_token.as_ref().map(pretty),
            access_token: result.access_token,
            access_token_claims: result.access_token_claims.as_ref().map(pretty),
            userinfo: result.userinfo.as_ref().map(pretty),
            again_href: Some(again),
            back_href,
        },
        Err(CabinetError::Failed(error)) if !error.is_internal() => TestView {
            name: client.name.clone(),
            device: None,
            error: Some(context.format(
                key!("developer-test-failed"),
                &[("code", error.code().as_str().into())],
            )),
            id_token: None,
            access_token: String::new(),
            access_token_claims: None,
            userinfo: None,
            again_href: Some(again),
            back_href,
        },
        Err(error) => return super::failure(context, error, &at),
    };
    let status = if view.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    context.page(&at).status(status).render(&view)
}
