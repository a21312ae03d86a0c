//! A tiny browser: a cookie jar, redirects followed only within the provider's origin
//! (a redirect elsewhere is the answer to the client, and the browser stops there), and
//! form submission. Enough to sign in and consent through the real HTML pages.

use crate::html::{self, Form};
use reqwest::StatusCode;
use reqwest::cookie::{CookieStore as _, Jar};
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION, SET_COOKIE};
use std::collections::HashMap;
use std::sync::Arc;
use url::Url;

/// Redirects followed within the provider before the browser gives up.
const MAX_HOPS: usize = 10;
/// Pages (sign-in, consent) an authorization may show before the emulator gives up.
const MAX_PAGES: usize = 6;

pub struct Browser {
    http: reqwest::Client,
    jar: Arc<Jar>,
    base: Url,
}

/// One response as the browser saw it.
#[derive(Debug)]
pub struct Page {
    /// The URL that was requested.
    pub url: Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    /// `Location`, resolved against the page URL.
    pub fn location(&self) -> Option<Url> {
        let text = self.headers.get(LOCATION)?.to_str().ok()?;
        self.url.join(text).ok()
    }

    pub fn is_redirect(&self) -> bool {
        self.status.is_redirection()
    }

    pub fn forms(&self) -> Vec<Form> {
        html::forms(&self.body)
    }

    /// The sign-in form: it asks for a password.
    pub fn login_form(&self) -> Option<Form> {
        self.forms().into_iter().find(|f| f.has_field("password"))
    }

    /// The consent form: it offers `decision=allow`.
    pub fn consent_form(&self) -> Option<Form> {
        self.forms()
            .into_iter()
            .find(|f| f.has_button("decision", "allow"))
    }

    /// Names of the cookies this response sets.
    pub fn cookies_set(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split('=').next())
            .map(|name| name.trim().to_owned())
            .collect()
    }

    pub fn sets_cookie(&self, name: &str) -> bool {
        self.cookies_set()
            .iter()
            .any(|n| n == name || n.strip_prefix("__Host-") == Some(name))
    }

    /// A fatal authorization error (RFC 6749 §4.1.2.1): an HTML page with 400 naming
    /// `code`, never a redirect, no session started.
    #[track_caller]
    pub fn assert_fatal(&self, code: &str) {
        assert_eq!(self.status, StatusCode::BAD_REQUEST, "body: {}", self.body);
        assert!(
            self.headers.get(LOCATION).is_none(),
            "a fatal error redirected"
        );
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("text/html"),
            "content type {content_type}"
        );
        assert!(
            self.body.contains(code),
            "the page does not name {code}: {}",
            self.body
        );
        assert!(
            !self.body.contains(crate::REDIRECT_URI),
            "the error page links to the client"
        );
        assert!(!self.sets_cookie("propusk_session"));
    }
}

/// Where the provider finally sent the browser: the client's redirect URI with the
/// response parameters (RFC 6749 §4.1.2, RFC 9207 `iss`).
#[derive(Clone, Debug)]
pub struct AuthorizationResult {
    pub location: Url,
    pub params: HashMap<String, String>,
}

impl AuthorizationResult {
    fn from_location(location: Url) -> Self {
        let query = location
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()));
        let fragment: Vec<(String, String)> = location
            .fragment()
            .map(|f| {
                url::form_urlencoded::parse(f.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let params = query.chain(fragment).collect();
        Self { location, params }
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    pub fn code(&self) -> &str {
        self.param("code")
            .unwrap_or_else(|| panic!("no code in {}", self.location))
    }

    pub fn error(&self) -> Option<&str> {
        self.param("error")
    }

    /// The redirect URI the answer went to, without its parameters.
    pub fn redirect_uri(&self) -> String {
        let mut bare = self.location.clone();
        bare.set_query(None);
        bare.set_fragment(None);
        bare.to_string()
    }
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let jar = Arc::new(Jar::default());
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .build()
            .expect("building the browser");
        Self {
            http,
            jar,
            base: Url::parse(base).expect("base URL"),
        }
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The value of a cookie the browser holds for the provider.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.jar.cookies(&self.base)?;
        let text = header.to_str().ok()?.to_owned();
        text.split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name || n.strip_prefix("__Host-") == Some(name))
            .map(|(_, v)| v.to_owned())
    }

    /// Puts a cookie into the browser as if the provider had set it, the way an attacker
    /// plants a value before the victim signs in (session fixation).
    pub fn plant_cookie(&self, name: &str, value: &str) {
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &self.base);
    }

    pub fn has_session(&self) -> bool {
        self.cookie("propusk_session").is_some()
    }

    /// One GET, no redirect followed.
    pub async fn get(&self, url: &Url) -> Page {
        let response = self.http.get(url.clone()).send().await.expect("GET");
        page(url.clone(), response).await
    }

    /// A GET that follows redirects while they stay at the provider.
    pub async fn navigate(&self, url: &Url) -> Page {
        self.follow(self.get(url).await).await
    }

    /// Submits a form as it is, pressing `button` when given, with `overrides` applied to
    /// its fields; follows redirects within the provider.
    pub async fn submit(
        &self,
        on: &Page,
        form: &Form,
        button: Option<(&str, &str)>,
        overrides: &[(&str, &str)],
    ) -> Page {
        let action = on.url.join(&form.action).expect("form action");
        let mut values = form.values_with(overrides);
        if let Some((name, value)) = button {
            values.push((name.to_owned(), value.to_owned()));
        }
        let response = self
            .http
            .post(action.clone())
            .form(&values)
            .send()
            .await
            .expect("POST");
        self.follow(page(action, response).await).await
    }

    /// Fills in and submits the sign-in form of `on`.
    pub async fn sign_in(&self, on: &Page, login: &str, password: &str) -> Page {
        let form = on
            .login_form()
            .unwrap_or_else(|| panic!("no sign-in form on {}: {}", on.url, on.body));
        self.submit(on, &form, None, &[("login", login), ("password", password)])
            .await
    }

    /// Presses allow or deny on the consent page `on`.
    pub async fn consent(&self, on: &Page, allow: bool) -> Page {
        let form = on
            .consent_form()
            .unwrap_or_else(|| panic!("no consent form on {}: {}", on.url, on.body));
        self.submit(
            on,
            &form,
            Some(("decision", if allow { "allow" } else { "deny" })),
            &[],
        )
        .await
    }

    /// Runs an authorization as a user would: signs in when asked, allows when asked,
    /// and returns where the provider sent the browser back to the client.
    pub async fn authorize(&self, url: &Url, login: &str, password: &str) -> AuthorizationResult {
        let mut current = self.navigate(url).await;
        for _ in 0..MAX_PAGES {
            if let Some(answer) = self.answer(&current) {
                return answer;
            }
            current = if current.login_form().is_some() {
                self.sign_in(&current, login, password).await
            } else if current.consent_form().is_some() {
                self.consent(&current, true).await
            } else {
                panic!(
                    "unexpected page {} ({}): {}",
                    current.url, current.status, current.body
                )
            };
        }
        panic!("authorization did not end after {MAX_PAGES} pages")
    }

    /// The answer to the client, when `page` redirects away from the provider.
    pub fn answer(&self, page: &Page) -> Option<AuthorizationResult> {
        let location = page.location().filter(|_| page.is_redirect())?;
        (!self.is_provider(&location)).then(|| AuthorizationResult::from_location(location))
    }

    /// A redirectable authorization error: 303 to [`crate::REDIRECT_URI`] with `error`,
    /// [`crate::STATE`] and `iss` (RFC 9207), and no code.
    #[track_caller]
    pub fn assert_redirected_error(&self, page: &Page, code: &str) -> AuthorizationResult {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "body: {}", page.body);
        let answer = self
            .answer(page)
            .unwrap_or_else(|| panic!("no redirect to the client: {:?}", page.location()));
        assert_eq!(answer.redirect_uri(), crate::REDIRECT_URI);
        assert_eq!(answer.error(), Some(code), "answer {}", answer.location);
        assert_eq!(answer.param("state"), Some(crate::STATE));
        let issuer = self.base.as_str().trim_end_matches('/');
        assert_eq!(answer.param("iss"), Some(issuer), "RFC 9207 iss");
        assert_eq!(answer.param("code"), None, "an error carried a code");
        answer
    }

    fn is_provider(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }

    async fn follow(&self, mut current: Page) -> Page {
        for _ in 0..MAX_HOPS {
            match current.location().filter(|_| current.is_redirect()) {
                Some(next) if self.is_provider(&next) => current = self.get(&next).await,
                _ => return current,
            }
        }
        panic!(
            "more than {MAX_HOPS} redirects within the provider, last {}",
            current.url
        )
    }
}

async fn page(url: Url, response: reqwest::Response) -> Page {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("response body");
    Page {
        url,
        status,
        headers,
        body,
    }
}
