//! Revocation (RFC 7009): own tokens only, refresh tokens take their family, and 200
//! for anything unknown or foreign.

use crate::common::*;
use crate::*;
use propusk_core::model::AuthMethod;
use propusk_types::routes::{REVOCATION, TOKEN};

#[tokio::test]
async fn revoking_an_access_token() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let body = issued(exchange(&server, &code, &[]).await).await;
    let access = body["access_token"].as_str().expect("access");
    let response = server
        .post_basic(REVOCATION, WEB, SECRET, &[("token", access)])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(introspect(&server, access).await["active"], false);
    assert_eq!(userinfo_status(&server, access).await, 401);
    // The refresh token lives on.
    issued(
        refresh(
            &server,
            body["refresh_token"].as_str().expect("refresh"),
            &[],
        )
        .await,
    )
    .await;
}

#[tokio::test]
async fn revoking_a_client_credentials_jwt() {
    let server = setup().await;
    let body = issued(
        server
            .post_basic(TOKEN, WEB, SECRET, &[("grant_type", "client_credentials")])
            .await,
    )
    .await;
    let access = body["access_token"].as_str().expect("access");
    assert_eq!(introspect(&server, access).await["active"], true);
    let response = server
        .post_basic(REVOCATION, WEB, SECRET, &[("token", access)])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(introspect(&server, access).await["active"], false);
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_the_family() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let body = issued(exchange(&server, &code, &[]).await).await;
    let access = body["access_token"].as_str().expect("access");
    let refresh_token = body["refresh_token"].as_str().expect("refresh");
    let form = [
        ("token", refresh_token),
        ("token_type_hint", "refresh_token"),
    ];
    let response = server.post_basic(REVOCATION, WEB, SECRET, &form).await;
    assert_eq!(response.status().as_u16(), 200);
    refused(
        refresh(&server, refresh_token, &[]).await,
        400,
        "invalid_grant",
    )
    .await;
    assert_eq!(introspect(&server, access).await["active"], false);
}

#[tokio::test]
async fn revocation_of_unknown_or_foreign_tokens_answers_200_and_revokes_nothing() {
    let server = setup().await;
    server
        .add_client(
            confidential("other", AuthMethod::ClientSecretBasic),
            Some(SECRET),
        )
        .await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let body = issued(exchange(&server, &code, &[]).await).await;
    let access = body["access_token"].as_str().expect("access");
    let refresh_token = body["refresh_token"].as_str().expect("refresh");
    for token in [access, refresh_token, "unknown", "a.b.c"] {
        let form = [("token", token), ("token_type_hint", "weird_hint")];
        let response = server.post_basic(REVOCATION, "other", SECRET, &form).await;
        assert_eq!(response.status().as_u16(), 200, "{token}");
    }
    assert_eq!(introspect(&server, access).await["active"], true);
    assert_eq!(introspect(&server, refresh_token).await["active"], true);
    let response = server.post(REVOCATION, &[("token", access)]).await;
    refused(response, 401, "invalid_client").await;
}
