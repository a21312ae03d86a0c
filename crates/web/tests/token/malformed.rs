//! Malformed token requests (RFC 6749 §3.2, §5.2): `invalid_request` with 400, never a
//! 5xx or a framework rejection.

use crate::common::*;
use crate::*;
use propusk_types::routes::TOKEN;

#[tokio::test]
async fn malformed_bodies_are_invalid_request() {
    let server = setup().await;
    let auth = basic(WEB, SECRET);
    let send = |content_type: &'static str, body: &'static str| {
        server
            .http
            .post(server.url(TOKEN))
            .header("authorization", auth.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases = [
        ("application/json", r#"{"grant_type":"client_credentials"}"#),
        ("text/plain", "grant_type=client_credentials"),
        (
            "application/x-www-form-urlencoded",
            "grant_type=client_credentials&scope=%zz",
        ),
        (
            "application/x-www-form-urlencoded",
            "grant_type=client_credentials&scope=%FF",
        ),
        (
            "application/x-www-form-urlencoded",
            "grant_type=client_credentials&grant_type=client_credentials",
        ),
        (
            "application/x-www-form-urlencoded",
            "grant_type=client_credentials&scope=a&scope=b",
        ),
        ("application/x-www-form-urlencoded", "scope=extern.api"),
        (
            "application/x-www-form-urlencoded",
            "grant_type=authorization_code",
        ),
    ];
    for (content_type, body) in cases {
        let response = send(content_type, body).await.expect("request");
        assert_eq!(response.status().as_u16(), 400, "{body}");
        refused(response, 400, "invalid_request").await;
    }
    let response = server
        .http
        .get(server.url(TOKEN))
        .send()
        .await
        .expect("request");
    refused(response, 400, "invalid_request").await;
    let response = server
        .post(TOKEN, &[("grant_type", "urn:example:unknown")])
        .await;
    refused(response, 400, "unsupported_grant_type").await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_secret", SECRET),
    ];
    refused(
        server.post_basic(TOKEN, WEB, SECRET, &form).await,
        400,
        "invalid_request",
    )
    .await;
}
