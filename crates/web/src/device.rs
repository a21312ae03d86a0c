//! The device verification page (RFC 8628 §3.3): `/device` takes the user code (typed,
//! or filled from `verification_uri_complete`), signs the user in when needed, shows
//! which application asks for what, and records the allow/deny decision. The QR code of
//! `verification_uri_complete` is served as SVG (§3.3.1) for integrators to show.

use crate::answer::{see_other, with_cookies};
use crate::interaction::scope_line;
use crate::pages::{
    DeviceCodeView, DeviceConfirmView, DeviceDoneView, DeviceLoginView, PageContext, join,
};
use crate::session::session_cookie;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::{Accounts, SignInOutcome};
use propusk_core::device::{PendingDevice, user_code};
use propusk_core::error::Error;
use propusk_core::model::Session;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct DeviceQuery {
    #[serde(rename = "user-code")]
    user_code: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    csrf: Option<String>,
    #[serde(default)]
    user_code: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: Option<String>,
    #[serde(default)]
    user_code: String,
    decision: Option<String>,
}

const LOGIN_PURPOSE: &str = "device-login";

fn decision_purpose(code: &str) -> String {
    format!("device:{code}")
}

/// `/device` with the code and the chosen language, as links and redirects use it.
fn device_path(code: Option<&str>, lang: String) -> String {
    let code = code
        .filter(|c| !c.is_empty())
        .map(|c| serde_urlencoded::to_string([("user-code", c)]).unwrap_or_default())
        .unwrap_or_default();
    join(routes::DEVICE, &[code, lang])
}

/// Lookups are counted per account (RFC 8628 §5.1).
fn callers(session: &Session) -> [String; 1] {
    [format!("account:{}", session.account_id)]
}

/// The device pages of one request: its context and the user code it is about.
struct View<'a> {
    context: &'a PageContext,
    code: Option<&'a str>,
}

impl View<'_> {
    fn path(&self) -> String {
        device_path(self.code, String::new())
    }

    fn code_page(&self, status: StatusCode, error: Option<&str>) -> Response {
        let view = DeviceCodeView {
            action: routes::DEVICE.to_owned(),
            user_code: self.code.unwrap_or_default().to_owned(),
            error: error.map(|k| self.context.text(k)),
        };
        self.context.page(&self.path()).status(status).render(&view)
    }

    fn login_page(&self, login: &str, error: Option<&str>) -> Response {
        let context = self.context;
        let view = DeviceLoginView {
            action: join(routes::DEVICE_LOGIN, &[context.lang_param()]),
            csrf: context.csrf_token(LOGIN_PURPOSE),
            user_code: self.code.unwrap_or_default().to_owned(),
            login: login.to_owned(),
            error: error.map(|k| context.text(k)),
        };
        context
            .page(&self.path())
            .status(crate::error::form_status(error.is_some()))
            .render(&view)
    }

    fn confirm_page(&self, pending: &PendingDevice) -> Response {
        let context = self.context;
        let view = DeviceConfirmView {
            client_name: pending.client.name.clone(),
            shown_code: user_code::display(&pending.user_code),
            user_code: pending.user_code.clone(),
            scopes: pending
                .scopes
                .iter()
                .map(|s| scope_line(context, s))
                .collect(),
            action: join(routes::DEVICE_DECISION, &[context.lang_param()]),
            csrf: context.csrf_token(&decision_purpose(&pending.user_code)),
        };
        context.page(&self.path()).render(&view)
    }

    /// A refused lookup shows the code form again with the reason.
    fn refused(&self, error: &Error) -> Response {
        let status = crate::error::page_status(error);
        match error {
            Error::UserCodeThrottled => self.code_page(status, Some(key!("device-throttled"))),
            Error::UserCodeUnknown => self.code_page(status, Some(key!("device-code-unknown"))),
            other => self.context.error_page(other, &self.path()),
        }
    }
}

pub async fn show(context: PageContext, Query(query): Query<DeviceQuery>) -> Response {
    let view = View {
        context: &context,
        code: query.user_code.as_deref(),
    };
    let Some(session) = context.session().await else {
        return view.login_page("", None);
    };
    let Some(code) = view.code.filter(|c| !c.trim().is_empty()) else {
        return view.code_page(StatusCode::OK, None);
    };
    match context
        .state
        .provider
        .pending_device(code, &callers(&session))
        .await
    {
        Ok(pending) => view.confirm_page(&pending),
        Err(error) => view.refused(&error),
    }
}

/// Signs the user in with the same rules as every other sign-in page (throttling, the
/// second factor when the account has one). After a second factor the user lands on the
/// security page and opens the device link again.
pub async fn login(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let view = View {
        context: &context,
        code: Some(form.user_code.as_str()),
    };
    if !context.csrf_ok(LOGIN_PURPOSE, form.csrf.as_deref()) {
        return view.login_page(&form.login, Some(key!("form-expired")));
    }
    match accounts
        .sign_in_password(&form.login, &form.password, &context.ip, None)
        .await
    {
        Ok(SignInOutcome::SignedIn(done)) => with_cookies(
            see_other(&device_path(view.code, context.lang_param())),
            [session_cookie(&context.state.provider, &done.secret)],
        ),
        Ok(outcome) => crate::accounts::after_sign_in(&context, &accounts, outcome).await,
        Err(Error::InvalidCredentials) => {
            view.login_page(&form.login, Some(key!("invalid-credentials")))
        }
        Err(Error::Throttled { .. }) => view.login_page(&form.login, Some(key!("throttled"))),
        Err(error) => view.refused(&error),
    }
}

pub async fn decide(context: PageContext, Form(form): Form<DecisionForm>) -> Response {
    let provider = &context.state.provider;
    let code = user_code::normalize(&form.user_code).unwrap_or_default();
    let view = View {
        context: &context,
        code: Some(form.user_code.as_str()),
    };
    let again = see_other(&device_path(view.code, context.lang_param()));
    let Some(session) = context.session().await else {
        return again;
    };
    if !context.csrf_ok(&decision_purpose(&code), form.csrf.as_deref()) {
        return again;
    }
    let allow = form.decision.as_deref() == Some("allow");
    match provider
        .decide_device(&code, &callers(&session), &session, allow)
        .await
    {
        Ok(pending) => {
            let done = DeviceDoneView {
                approved: allow,
                client_name: pending.client.name,
            };
            context.page(routes::DEVICE).render(&done)
        }
        Err(error) => view.refused(&error),
    }
}

/// `GET /device/qr.svg?user-code=…`: the QR code of `verification_uri_complete`.
pub async fn qr(State(state): State<AppState>, Query(query): Query<DeviceQuery>) -> Response {
    let Some(code) = query.user_code.as_deref().and_then(user_code::normalize) else {
        return (StatusCode::BAD_REQUEST, "user-code missing or malformed").into_response();
    };
    let uri = format!(
        "{}?user-code={code}",
        state.provider.config.url(routes::DEVICE)
    );
    match crate::qr::svg(&uri) {
        Some(svg) => {
            let mut response = svg.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        None => (StatusCode::INTERNAL_SERVER_ERROR, "QR code failed").into_response(),
    }
}
