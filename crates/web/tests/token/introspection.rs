//! Introspection (RFC 7662): active only for the issued-to client or a product in `aud`.

use crate::common::*;
use crate::*;
use propusk_core::model::AuthMethod;
use propusk_types::routes::INTROSPECT;
use serde_json::{Value, json};

#[tokio::test]
async fn introspection_active_inactive_and_foreign() {
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

    let answer = introspect(&server, access).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["client_id"], WEB);
    assert_eq!(answer["sub"], "alice");
    assert_eq!(answer["token_type"], "Bearer");
    let answer = introspect(&server, refresh_token).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["client_id"], WEB);

    assert_eq!(
        introspect(&server, "garbage").await,
        json!({"active": false})
    );
    for token in [access, refresh_token] {
        let response = server
            .post_basic(INTROSPECT, "other", SECRET, &[("token", token)])
            .await;
        assert_eq!(
            response.json::<Value>().await.expect("json"),
            json!({"active": false})
        );
    }
    let hinted = [
        ("token", refresh_token),
        ("token_type_hint", "access_token"),
    ];
    let response = server.post_basic(INTROSPECT, WEB, SECRET, &hinted).await;
    assert_eq!(
        response.json::<Value>().await.expect("json")["active"],
        true,
        "a hint is only a hint"
    );

    server.clock.advance(3601);
    assert_eq!(introspect(&server, access).await, json!({"active": false}));
}

#[tokio::test]
async fn introspection_requires_client_authentication() {
    let server = setup().await;
    let response = server.post(INTROSPECT, &[("token", "anything")]).await;
    refused(response, 401, "invalid_client").await;
    let response = server
        .post_basic(INTROSPECT, WEB, "wrong", &[("token", "anything")])
        .await;
    refused(response, 401, "invalid_client").await;
    refused(
        server.post_basic(INTROSPECT, WEB, SECRET, &[]).await,
        400,
        "invalid_request",
    )
    .await;
}
