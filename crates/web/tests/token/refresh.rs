//! `refresh_token` (RFC 6749 §6): rotation, reuse revoking the family (RFC 9700
//! §4.14.2), scope narrowing only.

use crate::common::*;
use crate::*;
use propusk_core::jose::decode_unverified;
use propusk_core::model::AuthMethod;
use propusk_types::routes::TOKEN;

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let server = setup().await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let first = issued(exchange(&server, &code, &[]).await).await;
    let r1 = first["refresh_token"].as_str().expect("refresh");

    let second = issued(refresh(&server, r1, &[]).await).await;
    let r2 = second["refresh_token"].as_str().expect("rotated");
    assert_ne!(r1, r2);
    let id_token = decode_unverified(second["id_token"].as_str().expect("id_token")).expect("jwt");
    assert!(
        id_token.claims.get("nonce").is_none(),
        "no nonce on refresh"
    );
    assert_eq!(id_token.claims["auth_time"], START - 10);
    let access2 = second["access_token"].as_str().expect("access");
    assert_eq!(introspect(&server, access2).await["active"], true);

    refused(refresh(&server, r1, &[]).await, 400, "invalid_grant").await;

    refused(refresh(&server, r2, &[]).await, 400, "invalid_grant").await;
    assert_eq!(introspect(&server, access2).await["active"], false);
}

#[tokio::test]
async fn refresh_scope_may_narrow_but_not_widen() {
    let server = setup().await;
    let code = server
        .code(CodeSetup::new(WEB, "alice").scope("openid offline_access extern.api"))
        .await;
    let first = issued(exchange(&server, &code, &[]).await).await;
    let r1 = first["refresh_token"].as_str().expect("refresh");

    refused(
        refresh(&server, r1, &[("scope", "openid profile")]).await,
        400,
        "invalid_scope",
    )
    .await;

    let narrowed = issued(refresh(&server, r1, &[("scope", "extern.api")]).await).await;
    assert_eq!(narrowed["scope"], "extern.api");
    assert!(narrowed.get("id_token").is_none());
    let r2 = narrowed["refresh_token"].as_str().expect("rotated");
    let full = issued(refresh(&server, r2, &[]).await).await;
    assert_eq!(
        full["scope"], "extern.api offline_access openid",
        "the family keeps the original scope"
    );
}

#[tokio::test]
async fn attack_refresh_token_of_another_client() {
    let server = setup().await;
    server
        .add_client(
            confidential("other", AuthMethod::ClientSecretBasic),
            Some(SECRET),
        )
        .await;
    let code = server.code(CodeSetup::new(WEB, "alice")).await;
    let first = issued(exchange(&server, &code, &[]).await).await;
    let r1 = first["refresh_token"].as_str().expect("refresh");
    let form = [("grant_type", "refresh_token"), ("refresh_token", r1)];
    refused(
        server.post_basic(TOKEN, "other", SECRET, &form).await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn no_refresh_token_without_offline_access() {
    let server = setup().await;
    let code = server
        .code(CodeSetup::new(WEB, "alice").scope("openid extern.api"))
        .await;
    let body = issued(exchange(&server, &code, &[]).await).await;
    assert!(body.get("refresh_token").is_none());
}
