//! `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3) and client
//! authentication by api-key (RFC 6749 §2.3.1, the registered method only).

use crate::common::*;
use crate::*;
use propusk_core::jose::decode_unverified;
use propusk_core::model::AuthMethod;
use propusk_types::routes::TOKEN;
use serde_json::json;

#[tokio::test]
async fn code_exchange_issues_id_access_and_refresh_tokens() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let body = issued(exchange(&server, &code, &[]).await).await;
    assert_eq!(
        body["scope"],
        "email extern.api offline_access openid profile"
    );
    assert_eq!(body["expires_in"], 3600);
    let id_token = decode_unverified(body["id_token"].as_str().expect("id_token")).expect("jwt");
    let claims = &id_token.claims;
    assert_eq!(claims["iss"], server.base.as_str());
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["aud"], WEB);
    assert_eq!(claims["azp"], WEB);
    assert_eq!(claims["nonce"], "n-0S6");
    assert_eq!(claims["sid"], "session-1");
    assert_eq!(claims["auth_time"], START - 10);
    assert!(claims.get("at_hash").is_some());
    assert!(
        claims.get("email").is_none(),
        "scope claims go to userinfo when an access token is issued"
    );
    let access = decode_unverified(body["access_token"].as_str().expect("access")).expect("jwt");
    assert_eq!(access.header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(access.claims["aud"], "extern.api");
    assert_eq!(access.claims["client_id"], WEB);
    assert!(body["refresh_token"].is_string());
}

#[tokio::test]
async fn unknown_client_is_invalid_client_with_basic_challenge() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    let response = server.post_basic(TOKEN, "nobody", SECRET, &form).await;
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=\"propusk\""
    );
    let unknown = refused(response, 401, "invalid_client").await;

    let mut post = form.to_vec();
    post.extend([("client_id", "nobody"), ("client_secret", SECRET)]);
    let response = server.post(TOKEN, &post).await;
    assert!(
        response.headers().get("www-authenticate").is_none(),
        "no Basic challenge without Basic"
    );
    refused(response, 401, "invalid_client").await;

    let wrong = refused(
        server.post_basic(TOKEN, WEB, "wrong", &form).await,
        401,
        "invalid_client",
    )
    .await;
    assert_eq!(
        unknown["error_description"], wrong["error_description"],
        "unknown client and wrong secret look alike"
    );
    // The code was not consumed by the failed attempts.
    issued(exchange(&server, &code, &[]).await).await;
}

#[tokio::test]
async fn shared_secret_methods_stand_in_for_each_other() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    // Registered for client_secret_basic, the api-key in the body works too: existing
    // integrations send it there.
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", WEB),
        ("client_secret", SECRET),
    ];
    issued(server.post(TOKEN, &form).await).await;
    // A confidential client cannot authenticate as a public one.
    let response = server
        .post(
            TOKEN,
            &[("grant_type", "client_credentials"), ("client_id", WEB)],
        )
        .await;
    let body = refused(response, 401, "invalid_client").await;
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("client_secret_basic")),
        "{body}"
    );
}

#[tokio::test]
async fn client_secret_post_client_also_accepts_basic() {
    let server = setup().await;
    server
        .add_client(
            confidential("poster", AuthMethod::ClientSecretPost),
            Some(SECRET),
        )
        .await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "poster"),
        ("client_secret", SECRET),
    ];
    issued(server.post(TOKEN, &form).await).await;
    let response = server
        .post_basic(
            TOKEN,
            "poster",
            SECRET,
            &[("grant_type", "client_credentials")],
        )
        .await;
    issued(response).await;
}

#[tokio::test]
async fn wrong_pkce_verifier_is_invalid_grant() {
    let server = setup().await;
    let code = server
        .code(CodeSetup::new(WEB, "alice").pkce(VERIFIER))
        .await;
    let other = "x".repeat(43);
    refused(
        exchange(&server, &code, &[("code_verifier", &other)]).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn missing_pkce_verifier_is_invalid_grant() {
    let server = setup().await;
    let code = server
        .code(CodeSetup::new(WEB, "alice").pkce(VERIFIER))
        .await;
    refused(exchange(&server, &code, &[]).await, 400, "invalid_grant").await;
}

#[tokio::test]
async fn verifier_without_challenge_is_invalid_grant() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    refused(
        exchange(&server, &code, &[("code_verifier", VERIFIER)]).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn malformed_verifier_is_invalid_request() {
    let server = setup().await;
    let code = server
        .code(CodeSetup::new(WEB, "alice").pkce(VERIFIER))
        .await;
    refused(
        exchange(&server, &code, &[("code_verifier", "short")]).await,
        400,
        "invalid_request",
    )
    .await;
}

#[tokio::test]
async fn public_client_with_pkce() {
    let server = setup().await;
    server.add_client(public("spa"), None).await;
    let code = server
        .code(CodeSetup::new("spa", "alice").pkce(VERIFIER))
        .await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", "spa"),
        ("code_verifier", VERIFIER),
    ];
    let body = issued(server.post(TOKEN, &form).await).await;
    assert!(body["id_token"].is_string());
    let response = server
        .post(
            TOKEN,
            &[("grant_type", "client_credentials"), ("client_id", "spa")],
        )
        .await;
    refused(response, 400, "unauthorized_client").await;
}

#[tokio::test]
async fn code_replay_revokes_what_the_first_use_issued() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let first = issued(exchange(&server, &code, &[]).await).await;
    let access = first["access_token"].as_str().expect("access");
    let refresh_token = first["refresh_token"].as_str().expect("refresh");
    assert_eq!(introspect(&server, access).await["active"], true);
    assert_eq!(userinfo_status(&server, access).await, 200);

    refused(exchange(&server, &code, &[]).await, 400, "invalid_grant").await;

    assert_eq!(introspect(&server, access).await, json!({"active": false}));
    assert_eq!(
        introspect(&server, refresh_token).await,
        json!({"active": false})
    );
    assert_eq!(userinfo_status(&server, access).await, 401);
    refused(
        refresh(&server, refresh_token, &[]).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn code_of_another_client_is_invalid_grant_and_revokes_the_grant() {
    let server = setup().await;
    server
        .add_client(
            confidential("other", AuthMethod::ClientSecretBasic),
            Some(SECRET),
        )
        .await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    refused(
        server.post_basic(TOKEN, "other", SECRET, &form).await,
        400,
        "invalid_grant",
    )
    .await;
    refused(exchange(&server, &code, &[]).await, 400, "invalid_grant").await;
}

#[tokio::test]
async fn expired_code_is_invalid_grant() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    server.clock.advance(301);
    refused(exchange(&server, &code, &[]).await, 400, "invalid_grant").await;
}

#[tokio::test]
async fn redirect_uri_must_match() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "https://app.example/other"),
    ];
    refused(
        server.post_basic(TOKEN, WEB, SECRET, &form).await,
        400,
        "invalid_grant",
    )
    .await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
    ];
    refused(
        server.post_basic(TOKEN, WEB, SECRET, &form).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn unknown_code_is_invalid_grant() {
    let server = setup().await;
    refused(
        exchange(&server, "no-such-code", &[]).await,
        400,
        "invalid_grant",
    )
    .await;
}
