//! The device verification page (RFC 8628 §3.3): `/device` takes the user code (typed,
//! or filled from `verification_uri_complete`), signs the user in when needed, shows
//! which application asks for what, and records the allow/deny decision. The QR code of
//! `verification_uri_complete` is served as SVG (§3.3.1) for integrators to show.

use crate::accounts::ClientIp;
use crate::answer::{see_other, with_cookies};
use crate::csrf::{self, CsrfSeed};
use crate::i18n::Locale;
use crate::pages::{
    DEFAULT_CSP, DeviceCodePage, DeviceConfirmPage, DeviceDonePage, DeviceLoginPage, DeviceScope,
    FlowTexts, Frame, form_status, render, render_with_seed,
};
use crate::session::{current_session, session_cookie};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Extension, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::{Accounts, SignInOutcome};
use propusk_core::device::{PendingDevice, user_code};
use propusk_core::error::Error;
use propusk_core::model::Session;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct DeviceQuery {
    #[serde(rename = "user-code")]
    user_code: Option<String>,
    lang: Option<String>,
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

/// `/device` with the code and the explicit language, as links and redirects use it.
fn device_path(code: Option<&str>, lang: Option<&str>) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    if let Some(code) = code.filter(|c| !c.is_empty()) {
        pairs.push(("user-code", code));
    }
    if let Some(lang) = lang.filter(|l| Locale::parse(l).is_some()) {
        pairs.push(("lang", lang));
    }
    if pairs.is_empty() {
        return routes::DEVICE.to_owned();
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{}?{query}", routes::DEVICE)
}

fn with_lang(route: &str, lang: Option<&str>) -> String {
    match lang.filter(|l| Locale::parse(l).is_some()) {
        Some(lang) => format!("{route}?lang={lang}"),
        None => route.to_owned(),
    }
}

/// Lookups are counted per account (RFC 8628 §5.1).
fn callers(session: &Session) -> [String; 1] {
    [format!("account:{}", session.account_id)]
}

struct View<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    locale: Locale,
    lang: Option<&'a str>,
    code: Option<&'a str>,
}

impl View<'_> {
    fn frame(&self) -> Frame<'_> {
        Frame::new(self.state, self.locale, &device_path(self.code, None))
    }

    fn code_page(&self, status: StatusCode, error: Option<&'static str>) -> Response {
        let page = DeviceCodePage {
            frame: self.frame(),
            f: FlowTexts::of(self.locale),
            action: routes::DEVICE.to_owned(),
            user_code: self.code.unwrap_or_default().to_owned(),
            error,
        };
        render(status, &page)
    }

    fn login_page(&self, login: &str, error: Option<&'static str>) -> Response {
        let provider = &self.state.provider;
        let seed = CsrfSeed::ensure(provider, self.headers);
        let page = DeviceLoginPage {
            frame: self.frame(),
            f: FlowTexts::of(self.locale),
            t: self.locale.texts(),
            action: with_lang(routes::DEVICE_LOGIN, self.lang),
            csrf: seed.token(provider, LOGIN_PURPOSE),
            user_code: self.code.unwrap_or_default().to_owned(),
            login: login.to_owned(),
            error,
        };
        let status = form_status(error.is_some());
        render_with_seed(status, &page, DEFAULT_CSP, seed)
    }

    fn confirm_page(&self, pending: &PendingDevice) -> Response {
        let provider = &self.state.provider;
        let f = FlowTexts::of(self.locale);
        let seed = CsrfSeed::ensure(provider, self.headers);
        let scopes = pending
            .scopes
            .iter()
            .map(|s| {
                let described = match self.locale {
                    Locale::Ru => s.description_ru.clone(),
                    Locale::En => s.description_en.clone(),
                };
                DeviceScope {
                    text: f
                        .standard_scope(&s.name)
                        .map(str::to_owned)
                        .or(described)
                        .unwrap_or_else(|| s.name.clone()),
                    product: s.product.clone(),
                }
            })
            .collect();
        let page = DeviceConfirmPage {
            frame: self.frame(),
            f,
            client_name: pending.client.name.clone(),
            shown_code: user_code::display(&pending.user_code),
            user_code: pending.user_code.clone(),
            scopes,
            action: with_lang(routes::DEVICE_DECISION, self.lang),
            csrf: seed.token(provider, &decision_purpose(&pending.user_code)),
        };
        render_with_seed(StatusCode::OK, &page, DEFAULT_CSP, seed)
    }

    /// A refused lookup shows the code form again with the reason.
    fn refused(&self, error: &Error) -> Response {
        let f = FlowTexts::of(self.locale);
        match error {
            Error::UserCodeThrottled => {
                self.code_page(StatusCode::TOO_MANY_REQUESTS, Some(f.device_throttled))
            }
            Error::UserCodeUnknown => {
                self.code_page(StatusCode::BAD_REQUEST, Some(f.device_code_unknown))
            }
            other => crate::answer::error_page(
                self.state,
                other,
                self.locale,
                &device_path(self.code, None),
            ),
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    Query(query): Query<DeviceQuery>,
    headers: HeaderMap,
) -> Response {
    let view = View {
        state: &state,
        headers: &headers,
        locale: Locale::choose(&[], query.lang.as_deref(), &headers),
        lang: query.lang.as_deref(),
        code: query.user_code.as_deref(),
    };
    let Some(session) = current_session(&state.provider, &headers).await else {
        return view.login_page("", None);
    };
    let Some(code) = view.code.filter(|c| !c.trim().is_empty()) else {
        return view.code_page(StatusCode::OK, None);
    };
    match state
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
    State(state): State<AppState>,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<DeviceQuery>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let provider = &state.provider;
    let view = View {
        state: &state,
        headers: &headers,
        locale: Locale::choose(&[], query.lang.as_deref(), &headers),
        lang: query.lang.as_deref(),
        code: Some(form.user_code.as_str()),
    };
    let t = view.locale.texts();
    if !csrf::form_ok(&state, &headers, LOGIN_PURPOSE, &form.csrf) {
        return view.login_page(&form.login, Some(t.form_expired));
    }
    match accounts
        .sign_in_password(&form.login, &form.password, &ip, None)
        .await
    {
        Ok(SignInOutcome::SignedIn(done)) => with_cookies(
            see_other(&device_path(view.code, view.lang)),
            [session_cookie(provider, &done.secret)],
        ),
        Ok(outcome) => crate::accounts::after_sign_in(&state, outcome, view.lang),
        Err(Error::InvalidCredentials) => view.login_page(&form.login, Some(t.invalid_credentials)),
        Err(Error::Throttled { .. }) => {
            let throttled = crate::accounts::AccountTexts::of(view.locale).throttled;
            view.login_page(&form.login, Some(throttled))
        }
        Err(error) => view.refused(&error),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    Query(query): Query<DeviceQuery>,
    headers: HeaderMap,
    Form(form): Form<DecisionForm>,
) -> Response {
    let provider = &state.provider;
    let code = user_code::normalize(&form.user_code).unwrap_or_default();
    let view = View {
        state: &state,
        headers: &headers,
        locale: Locale::choose(&[], query.lang.as_deref(), &headers),
        lang: query.lang.as_deref(),
        code: Some(form.user_code.as_str()),
    };
    let again = see_other(&device_path(view.code, view.lang));
    let Some(session) = current_session(provider, &headers).await else {
        return again;
    };
    if !csrf::form_ok(&state, &headers, &decision_purpose(&code), &form.csrf) {
        return again;
    }
    let allow = form.decision.as_deref() == Some("allow");
    match provider
        .decide_device(&code, &callers(&session), &session, allow)
        .await
    {
        Ok(pending) => {
            let page = DeviceDonePage {
                frame: Frame::new(&state, view.locale, routes::DEVICE),
                f: FlowTexts::of(view.locale),
                approved: allow,
                client_name: pending.client.name,
            };
            render(StatusCode::OK, &page)
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
