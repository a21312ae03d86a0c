//! The device authorization grant (RFC 8628 §3.1–§3.5) exactly as existing integrations
//! call it: codes and their shape, every polling answer (`authorization_pending`,
//! `slow_down` with a growing interval, `access_denied`, `expired_token`), single use,
//! a repeated `scope` that may only narrow, public clients, and user code throttling.
//! The user's decision is made through the engine here; `browser/` drives the page.

use crate::common::*;
use crate::*;
use propusk_core::device::user_code;
use propusk_core::error::Error;
use propusk_core::model::{AuthMethod, Client, GrantType, Session};
use propusk_types::routes::{DEVICE_AUTHORIZATION, DEVICE_QR, TOKEN};
use propusk_types::scope::Scope;
use serde_json::Value;

const TV: &str = "tv";
const SCOPE: &str = "openid profile offline_access extern.api";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

async fn device_setup() -> Server {
    let server = setup().await;
    let tv = Client {
        grant_types: vec![GrantType::DeviceCode, GrantType::RefreshToken],
        ..confidential(TV, AuthMethod::ClientSecretPost)
    };
    server.add_client(tv, Some(SECRET)).await;
    server
}

/// `POST /connect/deviceauthorization client_id=…&client_secret=…&scope=…`
async fn authorize_device(server: &Server) -> Value {
    let response = server
        .post(
            DEVICE_AUTHORIZATION,
            &[
                ("client_id", TV),
                ("client_secret", SECRET),
                ("scope", SCOPE),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    response.json().await.expect("json")
}

async fn poll(server: &Server, device_code: &str, scope: &str) -> reqwest::Response {
    server
        .post(
            TOKEN,
            &[
                ("grant_type", DEVICE_GRANT),
                ("device_code", device_code),
                ("client_id", TV),
                ("client_secret", SECRET),
                ("scope", scope),
            ],
        )
        .await
}

async fn signed_in(server: &Server) -> Session {
    let account = server
        .store()
        .get_account("alice")
        .await
        .expect("store")
        .expect("alice");
    let (session, _) = server
        .provider
        .start_session(&account, vec!["pwd".into()], None)
        .await
        .expect("session");
    session
}

async fn decide(server: &Server, user_code: &str, allow: bool) -> Session {
    let session = signed_in(server).await;
    let callers = [format!("account:{}", session.account_id)];
    server
        .provider
        .decide_device(user_code, &callers, &session, allow)
        .await
        .expect("decided");
    session
}

fn scope_of(body: &Value) -> Scope {
    Scope::parse(text(body, "scope")).expect("scope")
}

fn text<'a>(body: &'a Value, name: &str) -> &'a str {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {body}"))
}

#[tokio::test]
async fn device_authorization_answers_as_existing_integrations_expect() {
    let server = device_setup().await;
    let body = authorize_device(&server).await;
    let code = text(&body, "user_code");
    assert_eq!(code.len(), 8);
    assert_eq!(user_code::normalize(code).as_deref(), Some(code));
    assert_eq!(text(&body, "verification_uri"), server.url("/device"));
    assert_eq!(
        text(&body, "verification_uri_complete"),
        format!("{}?user-code={code}", server.url("/device"))
    );
    assert_eq!(body["interval"], 3);
    assert_eq!(body["expires_in"], 300);
    assert!(text(&body, "device_code").len() >= 40);

    let qr = server
        .http
        .get(server.url(&format!("{DEVICE_QR}?user-code={code}")))
        .send()
        .await
        .expect("qr");
    assert_eq!(qr.status().as_u16(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.expect("svg").starts_with("<svg"));
}

#[tokio::test]
async fn device_polling_goes_pending_slow_down_then_tokens_once() {
    let server = device_setup().await;
    let body = authorize_device(&server).await;
    let device_code = text(&body, "device_code");
    refused(
        poll(&server, device_code, SCOPE).await,
        400,
        "authorization_pending",
    )
    .await;
    // Again at once: too fast.
    refused(poll(&server, device_code, SCOPE).await, 400, "slow_down").await;
    server.clock.advance(3);
    // Three seconds no longer suffice: the interval grew to eight, and now to thirteen.
    refused(poll(&server, device_code, SCOPE).await, 400, "slow_down").await;
    server.clock.advance(13);
    refused(
        poll(&server, device_code, SCOPE).await,
        400,
        "authorization_pending",
    )
    .await;

    // Lower case with a dash is the same code.
    let typed = user_code::display(text(&body, "user_code")).to_lowercase();
    let session = decide(&server, &typed, true).await;
    server.clock.advance(20);
    let tokens = issued(poll(&server, device_code, SCOPE).await).await;
    assert_eq!(scope_of(&tokens), Scope::parse(SCOPE).expect("scope"));
    assert!(tokens["refresh_token"].is_string());
    let id_token = text(&tokens, "id_token");
    let claims = propusk_core::jose::decode_unverified(id_token)
        .expect("jwt")
        .claims;
    assert_eq!(claims["sid"], session.id.as_str());
    assert_eq!(claims["aud"], TV);
    assert_eq!(
        userinfo_status(&server, text(&tokens, "access_token")).await,
        200
    );

    server.clock.advance(20);
    refused(
        poll(&server, device_code, SCOPE).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn device_repeated_scope_may_only_narrow() {
    let server = device_setup().await;
    let body = authorize_device(&server).await;
    let device_code = text(&body, "device_code");
    decide(&server, text(&body, "user_code"), true).await;
    refused(
        poll(&server, device_code, "openid email").await,
        400,
        "invalid_scope",
    )
    .await;
    let tokens = issued(poll(&server, device_code, "openid extern.api").await).await;
    assert_eq!(
        scope_of(&tokens),
        Scope::parse("openid extern.api").expect("scope")
    );
    assert!(
        tokens.get("refresh_token").is_none(),
        "offline_access dropped"
    );
}

#[tokio::test]
async fn device_denied_then_expired() {
    let server = device_setup().await;
    let denied = authorize_device(&server).await;
    let other = authorize_device(&server).await;
    decide(&server, text(&denied, "user_code"), false).await;
    refused(
        poll(&server, text(&denied, "device_code"), SCOPE).await,
        400,
        "access_denied",
    )
    .await;
    server.clock.advance(301);
    refused(
        poll(&server, text(&other, "device_code"), SCOPE).await,
        400,
        "expired_token",
    )
    .await;
    // An expired user code is no longer found.
    let session = signed_in(&server).await;
    let error = server
        .provider
        .decide_device(text(&other, "user_code"), &["t".into()], &session, true)
        .await
        .expect_err("expired");
    assert!(matches!(error, Error::UserCodeUnknown));
    refused(
        poll(&server, "no-such-code", SCOPE).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn device_flow_for_public_clients_and_refusals() {
    let server = device_setup().await;
    let public = Client {
        grant_types: vec![GrantType::DeviceCode],
        ..public("tv-public")
    };
    server.add_client(public, None).await;
    let response = server
        .post(
            DEVICE_AUTHORIZATION,
            &[("client_id", "tv-public"), ("scope", "openid profile")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    // The web client did not enable the grant.
    let response = server
        .post_basic(DEVICE_AUTHORIZATION, WEB, SECRET, &[("scope", "openid")])
        .await;
    refused(response, 400, "unauthorized_client").await;
    let response = server
        .post(
            DEVICE_AUTHORIZATION,
            &[
                ("client_id", TV),
                ("client_secret", "wrong"),
                ("scope", "openid"),
            ],
        )
        .await;
    refused(response, 401, "invalid_client").await;
    let response = server
        .post(
            DEVICE_AUTHORIZATION,
            &[
                ("client_id", TV),
                ("client_secret", SECRET),
                ("scope", "openid admin"),
            ],
        )
        .await;
    refused(response, 400, "invalid_scope").await;
    // Another client cannot redeem tv's device code.
    let body = authorize_device(&server).await;
    decide(&server, text(&body, "user_code"), true).await;
    let response = server
        .post(
            TOKEN,
            &[
                ("grant_type", DEVICE_GRANT),
                ("device_code", text(&body, "device_code")),
                ("client_id", "tv-public"),
            ],
        )
        .await;
    refused(response, 400, "invalid_grant").await;
}

#[tokio::test]
async fn user_code_guessing_is_throttled() {
    let server = device_setup().await;
    let callers = ["account:mallory".to_owned()];
    for _ in 0..propusk_core::device::ATTEMPT_LIMIT {
        let error = server
            .provider
            .pending_device("BCDF-GHJK", &callers)
            .await
            .expect_err("unknown");
        assert!(matches!(error, Error::UserCodeUnknown), "{error}");
    }
    // Past the limit even the right code is refused.
    let body = authorize_device(&server).await;
    let error = server
        .provider
        .pending_device(text(&body, "user_code"), &callers)
        .await
        .expect_err("throttled");
    assert!(matches!(error, Error::UserCodeThrottled));
    server
        .clock
        .advance(propusk_core::device::ATTEMPT_WINDOW + 1);
    let body = authorize_device(&server).await;
    server
        .provider
        .pending_device(text(&body, "user_code"), &callers)
        .await
        .expect("a new window");
}
