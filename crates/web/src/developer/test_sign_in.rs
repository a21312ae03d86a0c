//! The test sign-in: GET `/developer/apps/{client_id}/test` sends the browser through the
//! application's own authorization request with the provider's callback as redirect URI
//! (a service gets its client-credentials token at once); GET `/developer/callback`
//! checks `state` against a short-lived cookie of this browser, redeems the code for the
//! application and shows the decoded ID token, access token and UserInfo.

use super::apps::owned_app;
use super::{TestView, path};
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

/// How long a test sign-in may take, seconds.
const COOKIE_AGE: i64 = 600;

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// GET `/developer/apps/{client_id}/test`.
pub async fn start(mut context: PageContext, Path(client_id): Path<String>) -> Response {
    let (_, client) = match owned_app(&mut context, &client_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let cabinet = Cabinet::new(&context.state.provider);
    if AppType::of(&client) == AppType::Service {
        let result = cabinet.service_test(&client).await;
        return page(&context, &client, result);
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
