//! The page context: what every HTML handler needs, extracted once per request — the
//! page language, the browser's CSRF seed, the client IP, the theme — and the one way
//! pages are rendered (with the chrome of `base.html` and the security headers).
//!
//! The language of a page is, in order: the `lang` parameter (the language switcher of
//! the page just left), the request's `ui_locales` (OIDC Core §3.1.2.1), the user's saved
//! choice (the account's language where the page knows the account, else the cookie the
//! switcher leaves), `Accept-Language` (RFC 9110 §12.5.4), and Russian.

use super::View;
use crate::cookies;
use crate::csrf::CsrfSeed;
use crate::state::AppState;
use crate::theme::Theme;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::Value;
use minijinja::value::Object;
use propusk_core::authorize::ValidatedAuthorizationRequest;
use propusk_core::error::Error;
use propusk_core::model::{Account, Client, Session};
use propusk_texts::{Arg, Locale};
use serde::Serialize;
use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;

/// How long the switcher's choice is remembered, seconds.
const LANG_COOKIE_AGE: i64 = 365 * 24 * 3600;

pub struct PageContext {
    pub state: AppState,
    pub locale: Locale,
    /// The language the switcher chose (`lang` of the query); links carry it on.
    pub chosen: Option<Locale>,
    /// The client's address, for throttling and the audit trail.
    pub ip: String,
    pub headers: HeaderMap,
    csrf: CsrfSeed,
    /// The language the switcher's cookie remembers, read once.
    remembered: Option<Locale>,
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let texts = &state.theme.texts;
        let chosen = query_lang(parts.uri.query()).and_then(|l| texts.find(&l));
        let headers = parts.headers.clone();
        let csrf = CsrfSeed::ensure(&state.provider, &headers);
        let https = state.provider.config.is_https();
        let remembered = cookies::get(&headers, cookies::LANG, https).and_then(|l| texts.find(&l));
        let mut context = Self {
            state: state.clone(),
            locale: Locale::RU,
            chosen,
            ip: crate::accounts::client_ip(parts),
            headers,
            csrf,
            remembered,
        };
        context.locale = context.resolve(&[], None);
        Ok(context)
    }
}

fn query_lang(query: Option<&str>) -> Option<String> {
    let query = query.filter(|q| q.contains("lang="))?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

impl PageContext {
    fn resolve(&self, ui_locales: &[String], account: Option<&str>) -> Locale {
        let texts = &self.state.theme.texts;
        self.chosen
            .or_else(|| texts.first_of(ui_locales))
            .or_else(|| account.and_then(|l| texts.find(l)))
            .or(self.remembered)
            .or_else(|| {
                let header = self.headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
                texts.from_accept_language(header)
            })
            .unwrap_or(Locale::RU)
    }

    /// A language chosen by a `lang` parameter outside the query (a form body).
    pub fn choose(&mut self, tag: &str) {
        if let Some(locale) = self.state.theme.texts.find(tag) {
            self.chosen = Some(locale);
            self.locale = locale;
        }
    }

    /// The page belongs to an authorization request: its `ui_locales` count.
    pub fn prefer(&mut self, ui_locales: &[String]) {
        self.locale = self.resolve(ui_locales, None);
    }

    /// The page knows the account: its saved language counts.
    pub fn prefer_account(&mut self, locale: Option<&str>) {
        self.locale = self.resolve(&[], locale);
    }

    /// `lang=<code>` when the switcher chose the language; empty otherwise.
    pub fn lang_param(&self) -> String {
        self.chosen
            .map(|l| format!("lang={}", l.code()))
            .unwrap_or_default()
    }

    /// `lang=<code>` of the page's language.
    pub fn lang_always(&self) -> String {
        format!("lang={}", self.locale.code())
    }

    /// The text of `key` in the page's language.
    pub fn text(&self, key: &str) -> String {
        self.state.theme.texts.text(self.locale, key)
    }

    /// The text of `key` with arguments.
    pub fn format(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.state.theme.texts.format(self.locale, key, args)
    }

    /// The browser's SSO session (storage failures count as none and are logged).
    pub async fn session(&self) -> Option<Session> {
        crate::session::current_session(&self.state.provider, &self.headers).await
    }

    /// The signed-in browser's session and its live account, the page then in the
    /// account's language; otherwise the answer: a redirect to `/account/login`, or the
    /// error page at `page` when the store fails.
    pub async fn signed_in(&mut self, page: &str) -> Result<(Session, Account), Response> {
        let to_login = crate::answer::see_other(&super::join(
            propusk_types::routes::ACCOUNT_LOGIN,
            &[self.lang_param()],
        ));
        let Some(session) = self.session().await else {
            return Err(to_login);
        };
        match self
            .state
            .provider
            .store
            .get_account(&session.account_id)
            .await
        {
            Ok(Some(account)) if !account.disabled => {
                self.prefer_account(account.profile.locale.as_deref());
                Ok((session, account))
            }
            Ok(_) => Err(to_login),
            Err(error) => Err(self.error_page(&error.into(), page)),
        }
    }

    /// The CSRF token of a form for `purpose`, bound to this browser and its session.
    pub fn csrf_token(&self, purpose: &str) -> String {
        self.csrf.token(&self.state.provider, purpose)
    }

    /// Whether a submitted form's token is this browser's for `purpose`.
    pub fn csrf_ok(&self, purpose: &str, submitted: Option<&str>) -> bool {
        crate::csrf::verify(&self.state.provider, &self.headers, purpose, submitted)
    }

    /// The stored interaction `id`, its request's `ui_locales` applied to the page
    /// language; or the error page.
    pub async fn interaction(
        &mut self,
        id: &str,
    ) -> Result<(ValidatedAuthorizationRequest, Client), Response> {
        match self.state.provider.load_interaction(id).await {
            Ok((_, request, client)) => {
                self.prefer(&request.ui_locales);
                Ok((request, client))
            }
            Err(error) => {
                let path =
                    propusk_types::routes::interaction(propusk_types::routes::INTERACTION, id);
                Err(self.error_page(&error, &path))
            }
        }
    }

    /// The HTML error page of a request that cannot be answered at a redirect URI; the
    /// status comes from [`crate::error::page_status`].
    pub fn error_page(&self, error: &Error, path: &str) -> Response {
        crate::answer::error_page(self, error, path)
    }

    /// A page shown at `path` (the language switcher links to it).
    pub fn page(&self, path: &str) -> PageBuilder<'_> {
        PageBuilder {
            context: self,
            path: path.to_owned(),
            status: StatusCode::OK,
            csp: Cow::Borrowed(super::DEFAULT_CSP),
        }
    }

    fn frame(&self, path: &str) -> Frame<'_> {
        let texts = &self.state.theme.texts;
        let web = &self.state.web;
        Frame {
            lang: self.locale.code(),
            operator: &web.operator_name,
            logo: web
                .logo_url
                .as_deref()
                .unwrap_or(propusk_types::routes::LOGO),
            languages: texts
                .locales()
                .filter(|l| *l != self.locale)
                .map(|l| Switch {
                    href: switch_href(path, l),
                    lang: l.code(),
                    name: texts.name(l),
                })
                .collect(),
        }
    }

    /// The cookies a rendered page sets: a new CSRF seed, the switcher's choice.
    fn cookies(&self) -> Vec<HeaderValue> {
        let https = self.state.provider.config.is_https();
        let mut set: Vec<HeaderValue> = self.csrf.set_cookie.iter().cloned().collect();
        if let Some(chosen) = self.chosen
            && self.remembered != Some(chosen)
        {
            set.push(cookies::set(
                cookies::LANG,
                chosen.code(),
                https,
                Some(LANG_COOKIE_AGE),
            ));
        }
        set
    }
}

/// The chrome `base.html` reads: language, operator, logo, the language switcher.
#[derive(Serialize)]
pub struct Frame<'a> {
    pub lang: &'static str,
    pub operator: &'a str,
    pub logo: &'a str,
    pub languages: Vec<Switch<'a>>,
}

#[derive(Serialize)]
pub struct Switch<'a> {
    pub href: String,
    pub lang: &'static str,
    pub name: &'a str,
}

/// Renders `view` with its template, the chrome and the page language.
#[cfg(test)]
pub fn render_view<V: View>(
    theme: &Theme,
    locale: Locale,
    frame: &Frame<'_>,
    view: &V,
) -> Result<String, minijinja::Error> {
    render_template(theme, locale, frame, V::TEMPLATE, view)
}

/// Renders `template` with `view`, the chrome and the page language.
fn render_template<V: Serialize>(
    theme: &Theme,
    locale: Locale,
    frame: &Frame<'_>,
    template: &str,
    view: &V,
) -> Result<String, minijinja::Error> {
    let values = PageValues {
        frame: Value::from_serialize(frame),
        lang: locale.code(),
        view: Value::from_serialize(view),
    };
    theme.render(locale, template, Value::from_object(values))
}

/// What a template sees: the chrome (`frame`, `lang`) and the fields of the view. One
/// object that looks a name up once, where merging two maps looked it up in each.
#[derive(Debug)]
struct PageValues {
    frame: Value,
    lang: &'static str,
    view: Value,
}

impl Object for PageValues {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "frame" => Some(self.frame.clone()),
            "lang" => Some(Value::from(self.lang)),
            _ => self.view.as_object()?.get_value(key),
        }
    }
}

/// `href` of the language switcher: the current path with `lang` set.
fn switch_href(path: &str, other: Locale) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}lang={}", other.code())
}

/// A page about to be rendered: its status and policy may still change.
pub struct PageBuilder<'c> {
    context: &'c PageContext,
    path: String,
    status: StatusCode,
    csp: Cow<'static, str>,
}

impl PageBuilder<'_> {
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// A Content-Security-Policy other than [`super::DEFAULT_CSP`].
    pub fn csp(mut self, csp: String) -> Self {
        self.csp = Cow::Owned(csp);
        self
    }

    /// Renders the view's template with the view.
    pub fn render<V: View>(self, view: &V) -> Response {
        self.render_as(V::TEMPLATE, view)
    }

    /// Renders a template chosen at run time (a docs page in the page's language).
    pub fn render_as<V: Serialize>(self, template: &str, view: &V) -> Response {
        let context = self.context;
        let frame = context.frame(&self.path);
        match render_template(&context.state.theme, context.locale, &frame, template, view) {
            Ok(html) => {
                let response = super::with_page_headers(self.status, html, &self.csp);
                crate::answer::with_cookies(response, context.cookies())
            }
            Err(error) => {
                tracing::error!(template, %error, "template failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}
