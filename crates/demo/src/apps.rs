//! App A and App B: integrators' web applications with a server part (confidential
//! clients, code flow with PKCE), each with its own sessions and its own pairwise subject
//! of the person. Scenario 1: sign in, see the ID token's claims and UserInfo. Scenario 2:
//! call the product API with the person's access token. Scenario 3 starts here too: a
//! link into the product's own page.

use crate::pages::{self, esc, json_block};
use crate::register::PRODUCT_SCOPE;
use crate::rp::{Callback, RelyingParty};
use crate::sessions::Sessions;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// What tells one demo app from the other.
pub struct Identity {
    pub base: &'static str,
    pub site: &'static str,
    pub name: &'static str,
    pub cookie: &'static str,
    pub client_id: &'static str,
}

pub const APP_A: Identity = Identity {
    base: "/a",
    site: "a",
    name: "App A",
    cookie: "demo_app_a",
    client_id: "demo-app-a",
};

pub const APP_B: Identity = Identity {
    base: "/b",
    site: "b",
    name: "App B",
    cookie: "demo_app_b",
    client_id: "demo-app-b",
};

pub struct App {
    /// The path the app lives under (`/a`).
    pub base: &'static str,
    /// The accent of its pages (`a`, `b`).
    pub site: &'static str,
    pub name: &'static str,
    pub client_id: String,
    /// `http://host:port` of its redirect URI: its pages are served on this origin only,
    /// where its cookie is.
    pub origin: String,
    pub rp: RelyingParty,
    pub sessions: Sessions<()>,
    pub http: reqwest::Client,
    /// `http://host:port` of the product.
    pub product_origin: String,
}

pub fn routes(app: Arc<App>) -> Router {
    let base = app.base;
    Router::new()
        .route(base, get(home))
        .route(&format!("{base}/login"), get(login))
        .route(&format!("{base}/callback"), get(callback))
        .route(&format!("{base}/product"), get(product_data))
        .with_state(app)
}

impl App {
    fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.base)
    }

    /// A redirect to the same page on the app's own origin when the request came to
    /// another host name (its cookie and redirect URI live there).
    fn elsewhere(&self, headers: &HeaderMap, path: &str) -> Option<Response> {
        let host = headers.get(header::HOST)?.to_str().ok()?;
        let own = self.origin.split_once("://").map(|(_, h)| h)?;
        (!host.eq_ignore_ascii_case(own)).then(|| Redirect::to(&self.url(path)).into_response())
    }

    fn failure(&self, status: StatusCode, what: &str) -> Response {
        pages::error(status, self.site, what, self.base)
    }
}

async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(redirect) = app.elsewhere(&headers, "") {
        return redirect;
    }
    let (signed_in, _) = app.sessions.current(&headers);
    let subtitle = format!("An integrator's web application (client {})", app.client_id);
    let Some(signed_in) = signed_in else {
        let body = format!(
            "<p>{name} signs people in with Propusk. It asks for the product's scope \
             <code>{scope}</code>, so that it can call the product API for you; with the \
             second button it asks for your profile and e-mail too.</p>\
             <p><a class=\"button\" id=\"sign-in\" href=\"{base}/login\">Sign in with Propusk</a>\
             <a class=\"button\" id=\"sign-in-profile\" href=\"{base}/login?profile=1\">\
             Sign in with Propusk, sharing my profile</a></p>",
            name = esc(app.name),
            scope = PRODUCT_SCOPE,
            base = app.base,
        );
        return pages::page(app.site, app.name, &subtitle, &body);
    };
    let profile = if signed_in.granted("profile") {
        "<p class=\"ok\" id=\"profile\">You shared your profile: the ID token and UserInfo carry \
         your name.</p>"
            .to_owned()
    } else {
        "<p class=\"note\" id=\"profile\">No profile scope was granted: the ID token and \
         UserInfo carry no name and no e-mail, only your subject at this app.</p>"
            .to_owned()
    };
    let enter = format!(
        "{}/product/enter?from={}",
        app.product_origin,
        esc(&app.client_id)
    );
    let body = format!(
        "<p class=\"ok\">Signed in to {name}. Your subject at {name} (<code>sub</code>): \
         <code id=\"app-subject\">{sub}</code></p>\
         <p>Granted scopes: <code id=\"scopes\">{scopes}</code></p>{profile}\
         <h2>Scenario 1: who signed in</h2><h3>ID token claims</h3>{id_token}\
         <h3>UserInfo</h3>{userinfo}\
         <h2>Scenario 2: the product API</h2>\
         <p>The app calls the product's API with your access token; the product answers \
         with its data for you.</p>\
         <p><a class=\"button\" id=\"call-product\" href=\"{base}/product\">Call the product API</a></p>\
         <h2>Scenario 3: the product's own page</h2>\
         <p>Opens the product, which signs you in through Propusk without asking for your \
         password again, and finds or creates your product account.</p>\
         <p><a class=\"button\" id=\"open-product\" href=\"{enter}\">Open in the product</a></p>\
         <h2>Sign in again</h2>\
         <p><a href=\"{base}/login\">Sign in</a> · \
         <a id=\"sign-in-profile\" href=\"{base}/login?profile=1\">Sign in sharing my profile</a></p>",
        name = esc(app.name),
        sub = esc(signed_in.subject()),
        scopes = esc(&signed_in.scope.join(" ")),
        id_token = json_block("id-token", &signed_in.id_token),
        userinfo = json_block("userinfo", &signed_in.userinfo),
        base = app.base,
    );
    pages::page(app.site, app.name, &subtitle, &body)
}

#[derive(Deserialize)]
struct Login {
    profile: Option<String>,
}

async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(login): Query<Login>,
) -> Response {
    if let Some(redirect) = app.elsewhere(&headers, "/login") {
        return redirect;
    }
    let scopes: &[&str] = if login.profile.is_some() {
        &[PRODUCT_SCOPE, "profile", "email"]
    } else {
        &[PRODUCT_SCOPE]
    };
    let (url, pending) = app.rp.start(scopes);
    let ((), cookie) = app.sessions.with(&headers, |s| s.pending = Some(pending));
    redirect_with(&url, cookie)
}

async fn callback(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
    let Some(pending) = app
        .sessions
        .update(&headers, |s| s.pending.take())
        .flatten()
    else {
        return app.failure(
            StatusCode::BAD_REQUEST,
            "No sign-in was started in this browser, or it was finished already.",
        );
    };
    match app.rp.finish(pending, answer).await {
        Ok(signed_in) => {
            app.sessions
                .update(&headers, |s| s.signed_in = Some(signed_in));
            Redirect::to(app.base).into_response()
        }
        Err(error) => {
            tracing::warn!(app = app.name, %error, "sign-in failed");
            app.failure(StatusCode::BAD_REQUEST, &error)
        }
    }
}

/// Scenario 2: the product API called with the person's access token.
async fn product_data(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(redirect) = app.elsewhere(&headers, "/product") {
        return redirect;
    }
    let (Some(signed_in), _) = app.sessions.current(&headers) else {
        return Redirect::to(app.base).into_response();
    };
    let url = format!("{}/product/api/me", app.product_origin);
    let answer = app
        .http
        .get(&url)
        .bearer_auth(&signed_in.access_token)
        .send()
        .await;
    let (status, data) = match answer {
        Ok(response) => {
            let status = response.status();
            let data = response.json::<Value>().await.unwrap_or(Value::Null);
            (status, data)
        }
        Err(error) => {
            return app.failure(StatusCode::BAD_GATEWAY, &format!("GET {url}: {error}"));
        }
    };
    let body = format!(
        "<p>{name} sent <code>GET {url}</code> with your access token; the product \
         answered <code id=\"product-status\">{status}</code>:</p>{data}\
         <p>The product knows you by its own subject, the same whichever application calls \
         it, and never by your name: it received no profile.</p>\
         <p><a href=\"{base}\">Back to {name}</a></p>",
        name = esc(app.name),
        url = esc(&url),
        status = status.as_u16(),
        data = json_block("product-data", &data),
        base = app.base,
    );
    pages::page(
        app.site,
        &format!("{}: product data", app.name),
        "Scenario 2",
        &body,
    )
}

/// A 303 to `url`, setting the session cookie when the session is new.
pub fn redirect_with(url: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = Redirect::to(url).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
