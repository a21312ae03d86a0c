//! `/connect/endsession` through the real router (RP-Initiated Logout 1.0 §2, §3) and
//! back-channel logout delivery (Back-Channel Logout 1.0 §2.4–§2.8) to a receiver on
//! loopback: a proven request signs out at once, anything else asks first; unregistered
//! redirect URIs never redirect; the session's grants are revoked except offline ones.

use crate::common::*;
use crate::*;
use axum::routing::post;
use propusk_core::jose::{Alg, JwkSet, verify_jwt};
use propusk_core::model::{AuthCode, AuthMethod, Client, Grant, Session};
use propusk_types::routes::{END_SESSION, END_SESSION_CONFIRM, JWKS};
use propusk_types::scope::Scope;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::mpsc;

const BYE: &str = "https://app.example/bye";
const FRONT: &str = "https://app.example/fc";

/// A relying party's back-channel endpoint: every `logout_token` it receives.
async fn receiver() -> (String, mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let tx = Arc::new(tx);
    let app = axum::Router::new().route(
        "/backchannel",
        post(move |axum::Form(form): axum::Form<Vec<(String, String)>>| {
            let tx = tx.clone();
            async move {
                for (name, value) in form {
                    if name == "logout_token" {
                        let _ = tx.send(value);
                    }
                }
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/backchannel",
        listener.local_addr().expect("address")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

struct SignedIn {
    session: Session,
    cookie: String,
    id_token: String,
    refresh_token: String,
}

/// A session of alice at `web` with one grant in it (scope as given), as after a code flow.
async fn signed_in(server: &Server, scope: &str) -> SignedIn {
    let account = server
        .store()
        .get_account("alice")
        .await
        .expect("store")
        .expect("alice");
    let (session, secret) = server
        .provider
        .start_session(&account, vec!["pwd".into()], None)
        .await
        .expect("session");
    let now = server.now();
    let grant = Grant {
        id: format!("g-{}", session.id),
        client_id: WEB.into(),
        account_id: Some("alice".into()),
        session_id: Some(session.id.clone()),
        scope: Scope::parse(scope).expect("scope"),
        auth_time: Some(now),
        acr: None,
        amr: vec!["pwd".into()],
        nonce: None,
        claims: None,
        created_at: now,
        revoked_at: None,
    };
    server.store().insert_grant(&grant).await.expect("grant");
    let code = format!("code-{}", session.id);
    let record = AuthCode {
        code_hash: server.provider.hasher.hash(&code),
        grant_id: grant.id.clone(),
        client_id: WEB.into(),
        redirect_uri: REDIRECT_URI.into(),
        code_challenge: None,
        created_at: now,
        expires_at: now + 300,
        used_at: None,
    };
    server.store().insert_code(&record).await.expect("code");
    server
        .store()
        .add_session_client(&session.id, WEB)
        .await
        .expect("participant");
    let tokens = issued(exchange(server, &code, &[]).await).await;
    SignedIn {
        cookie: format!("propusk_session={secret}"),
        session,
        id_token: tokens["id_token"].as_str().expect("id").to_owned(),
        refresh_token: tokens["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    }
}

async fn logout_setup(backchannel: Option<String>, frontchannel: Option<&str>) -> Server {
    let server = server().await;
    let web = Client {
        post_logout_redirect_uris: vec![BYE.into()],
        allowed_origins: Vec::new(),
        backchannel_logout_uri: backchannel,
        frontchannel_logout_uri: frontchannel.map(str::to_owned),
        ..confidential(WEB, AuthMethod::ClientSecretBasic)
    };
    server.add_client(web, Some(SECRET)).await;
    server.add_account("alice").await;
    server
        .add_product("extern.api", &["extern.api"], TokenFormat::Jwt)
        .await;
    server
}

async fn end_session(server: &Server, cookie: &str, query: &[(&str, &str)]) -> reqwest::Response {
    let query = serde_urlencoded::to_string(query).expect("query");
    server
        .http
        .get(format!("{}?{query}", server.url(END_SESSION)))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
}

async fn session_ended(server: &Server, id: &str) -> bool {
    server
        .store()
        .get_session(id)
        .await
        .expect("store")
        .expect("session")
        .ended_at
        .is_some()
}

#[tokio::test]
async fn proven_logout_redirects_with_state_and_revokes_online_grants() {
    let server = logout_setup(None, None).await;
    let online = signed_in(&server, "openid profile").await;
    let response = end_session(
        &server,
        &online.cookie,
        &[
            ("id_token_hint", &online.id_token),
            ("post_logout_redirect_uri", BYE),
            ("state", "s 1&x"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("{BYE}?state=s+1%26x")
    );
    let cleared = response.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cleared.starts_with("propusk_session=;") && cleared.contains("Max-Age=0"));
    assert!(session_ended(&server, &online.session.id).await);
    let grant = server
        .store()
        .get_grant(&format!("g-{}", online.session.id))
        .await
        .expect("store")
        .expect("grant");
    assert!(grant.revoked_at.is_some(), "the session's grant is revoked");
}

#[tokio::test]
async fn offline_grants_survive_logout_by_default() {
    let server = logout_setup(None, None).await;
    let offline = signed_in(&server, "openid offline_access").await;
    let response = end_session(
        &server,
        &offline.cookie,
        &[("id_token_hint", &offline.id_token)],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200, "logged-out page");
    assert!(session_ended(&server, &offline.session.id).await);
    issued(refresh(&server, &offline.refresh_token, &[]).await).await;
}

#[tokio::test]
async fn expired_hint_still_proves_and_foreign_redirects_never_happen() {
    let server = logout_setup(None, None).await;
    let user = signed_in(&server, "openid").await;
    // Unregistered redirect: an error page, no Location, still signed in.
    for uri in [
        "https://evil.example/bye",
        "https://app.example/bye/",
        "https://app.example/byex",
    ] {
        let response = end_session(
            &server,
            &user.cookie,
            &[
                ("id_token_hint", &user.id_token),
                ("post_logout_redirect_uri", uri),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 400, "{uri}");
        assert!(response.headers().get("location").is_none());
        assert!(!session_ended(&server, &user.session.id).await);
    }
    // A redirect without any client to check it against is refused too.
    let response = end_session(&server, &user.cookie, &[("post_logout_redirect_uri", BYE)]).await;
    assert_eq!(response.status().as_u16(), 400);
    // client_id must agree with the hint.
    let response = end_session(
        &server,
        &user.cookie,
        &[("id_token_hint", &user.id_token), ("client_id", "other")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 400);
    // Forged hint.
    let forged = format!("{}x", user.id_token);
    let response = end_session(&server, &user.cookie, &[("id_token_hint", &forged)]).await;
    assert_eq!(response.status().as_u16(), 400);
    // Two hours later the ID token is expired; the hint is still accepted.
    server.clock.advance(7200);
    let response = end_session(
        &server,
        &user.cookie,
        &[
            ("id_token_hint", &user.id_token),
            ("post_logout_redirect_uri", BYE),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(session_ended(&server, &user.session.id).await);
}

/// `name="csrf" value="…"` of the page, and the CSRF cookie it set.
fn form_token(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    html[start..].split('"').next().expect("value").to_owned()
}

#[tokio::test]
async fn unproven_logout_asks_first_with_a_csrf_form() {
    let server = logout_setup(None, None).await;
    let user = signed_in(&server, "openid").await;
    let response = end_session(
        &server,
        &user.cookie,
        &[
            ("client_id", WEB),
            ("post_logout_redirect_uri", BYE),
            ("state", "st"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let csrf_cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let html = response.text().await.expect("html");
    assert!(html.contains(END_SESSION_CONFIRM));
    assert!(!session_ended(&server, &user.session.id).await, "not yet");
    let token = form_token(&html);
    let confirm = |csrf: String| {
        let cookie = format!("{}; {csrf_cookie}", user.cookie);
        let server = &server;
        async move {
            server
                .http
                .post(server.url(END_SESSION_CONFIRM))
                .header("cookie", cookie)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("client_id", WEB),
                    ("post_logout_redirect_uri", BYE),
                    ("state", "st"),
                    ("decision", "logout"),
                ])
                .send()
                .await
                .expect("request")
        }
    };
    let forged = confirm("forged".into()).await;
    assert_eq!(forged.status().as_u16(), 400);
    assert!(!session_ended(&server, &user.session.id).await);
    let response = confirm(token).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], format!("{BYE}?state=st"));
    assert!(session_ended(&server, &user.session.id).await);
}

#[tokio::test]
async fn backchannel_and_frontchannel_reach_the_participants() {
    let (uri, mut tokens) = receiver().await;
    let server = logout_setup(Some(uri), Some(FRONT)).await;
    let user = signed_in(&server, "openid").await;
    let response = end_session(
        &server,
        &user.cookie,
        &[
            ("id_token_hint", &user.id_token),
            ("post_logout_redirect_uri", BYE),
            ("state", "st"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200, "the page with the iframes");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("frame-src https://app.example"), "{csp}");
    let refresh = response.headers()["refresh"].to_str().expect("refresh");
    assert!(
        refresh.ends_with(&format!("url={BYE}?state=st")),
        "{refresh}"
    );
    let html = response.text().await.expect("html");
    let iss = serde_urlencoded::to_string([("iss", server.base.as_str())]).expect("iss");
    assert!(
        html.contains(&format!("{FRONT}?{}&amp;sid={}", iss, user.session.id))
            || html.contains(&format!("{FRONT}?{}&#38;sid={}", iss, user.session.id)),
        "{html}"
    );

    let token = tokio::time::timeout(std::time::Duration::from_secs(10), tokens.recv())
        .await
        .expect("delivered in time")
        .expect("a token");
    let jwks: JwkSet = server
        .http
        .get(server.url(JWKS))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let jwt = verify_jwt(&token, &jwks.keys, &Alg::ALL).expect("signed by the provider");
    assert_eq!(jwt.header.typ.as_deref(), Some("logout+jwt"));
    let claims = &jwt.claims;
    assert_eq!(claims["iss"], server.base.as_str());
    assert_eq!(claims["aud"], WEB);
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["sid"], user.session.id.as_str());
    assert!(claims["iat"].is_i64() && claims["jti"].is_string());
    assert!(claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(claims.get("nonce").is_none());
    let deliveries = server
        .store()
        .list_logout_deliveries(WEB)
        .await
        .expect("recorded");
    assert_eq!(deliveries.len(), 1);
    let _: &Value = &claims["sid"];
}
