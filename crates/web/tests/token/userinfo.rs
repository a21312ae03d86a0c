//! UserInfo (OIDC Core §5.3) with RFC 6750 bearer usage and errors.

use crate::common::*;
use crate::*;
use propusk_core::jose::decode_unverified;
use propusk_types::routes::USERINFO;
use serde_json::{Value, json};

async fn user_access_token(server: &Server, scope: &str) -> String {
    let code = server.code(CodeSetup::new(WEB, "alice").scope(scope)).await;
    let body = issued(exchange(server, &code, &[]).await).await;
    body["access_token"].as_str().expect("access").to_owned()
}

#[tokio::test]
async fn tokens_for_no_product_are_reference_tokens_unless_configured_as_jwt() {
    let server = setup().await;
    let token = user_access_token(&server, "openid email").await;
    assert!(
        decode_unverified(&token).is_err(),
        "a reference token: {token}"
    );
    assert_eq!(userinfo_sub(&server, &token).await, "alice");

    let server =
        provision(server_with(|config| config.own_access_token_format = TokenFormat::Jwt).await)
            .await;
    let token = user_access_token(&server, "openid email").await;
    let jwt = decode_unverified(&token).expect("a JWT");
    assert_eq!(jwt.header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(jwt.claims["aud"], server.base.as_str());
    assert_eq!(userinfo_sub(&server, &token).await, "alice");
}

async fn userinfo_sub(server: &Server, token: &str) -> Value {
    let response = get_userinfo(server, token).await;
    assert_eq!(response.status().as_u16(), 200);
    response.json::<Value>().await.expect("json")["sub"].take()
}

#[tokio::test]
async fn userinfo_by_get_and_post() {
    let server = setup().await;
    let token = user_access_token(&server, "openid email extern.api").await;
    let response = get_userinfo(&server, &token).await;
    assert_eq!(response.status().as_u16(), 200);
    let claims: Value = response.json().await.expect("json");
    assert_eq!(
        claims,
        json!({"sub": "alice", "email": "alice@example.com", "email_verified": true})
    );

    let response = server
        .post(USERINFO, &[("access_token", token.as_str())])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.json::<Value>().await.expect("json")["sub"],
        "alice"
    );

    let response = server
        .http
        .post(server.url(USERINFO))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn userinfo_without_token_is_a_bare_challenge() {
    let server = setup().await;
    let response = server
        .http
        .get(server.url(USERINFO))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer realm=\"propusk\""
    );
}

#[tokio::test]
async fn userinfo_with_bad_token_is_invalid_token() {
    let server = setup().await;
    let response = server
        .http
        .get(server.url(USERINFO))
        .bearer_auth("forged")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .expect("ascii");
    assert!(
        challenge.starts_with("Bearer realm=\"propusk\", error=\"invalid_token\""),
        "{challenge}"
    );
    // An ID token is not an access token.
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let body = issued(exchange(&server, &code, &[]).await).await;
    assert_eq!(
        userinfo_status(&server, body["id_token"].as_str().expect("id_token")).await,
        401
    );
    // Expired.
    server.clock.advance(3601);
    assert_eq!(
        userinfo_status(&server, body["access_token"].as_str().expect("access")).await,
        401
    );
}

#[tokio::test]
async fn userinfo_without_openid_is_insufficient_scope() {
    let server = setup().await;
    let token = user_access_token(&server, "extern.api").await;
    let response = get_userinfo(&server, &token).await;
    assert_eq!(response.status().as_u16(), 403);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .expect("ascii");
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
}

#[tokio::test]
async fn userinfo_token_in_header_and_body_is_invalid_request() {
    let server = setup().await;
    let token = user_access_token(&server, "openid").await;
    let response = server
        .http
        .post(server.url(USERINFO))
        .bearer_auth(&token)
        .form(&[("access_token", token.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "invalid_request"
    );
}
