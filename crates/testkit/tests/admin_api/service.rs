//! Signing keys and the OpenAPI document.

use crate::*;
use propusk_testkit::TestServer;
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn keys_rotate_through_the_api() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let before = api.get(routes::API_KEYS).await.expect(StatusCode::OK);
    let rotated = api
        .post(
            routes::API_KEYS_ROTATE,
            json!({"algs": ["RS256"], "prepublish": 0}),
        )
        .await
        .expect(StatusCode::OK);
    let new_kid = rotated["items"][0]["kid"].as_str().expect("kid").to_owned();
    assert_eq!(rotated["items"][0]["state"], "active");
    let after = api.get(routes::API_KEYS).await.expect(StatusCode::OK);
    let items = after["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        before["items"].as_array().expect("items").len() + 1
    );
    let mut rs256: Vec<&str> = items
        .iter()
        .filter(|k| k["alg"] == "RS256")
        .filter_map(|k| k["state"].as_str())
        .collect();
    rs256.sort_unstable();
    assert_eq!(rs256, ["active", "retiring"]);
    let jwks = propusk_testkit::http_client()
        .get(server.url(routes::JWKS))
        .send()
        .await
        .expect("jwks")
        .text()
        .await
        .expect("text");
    assert!(jwks.contains(&new_kid));
    let events = api
        .get(&format!("{}?kind=keys_rotated", routes::API_AUDIT_EVENTS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(events["items"][0]["actor"], "client:ops");
}

#[tokio::test]
async fn the_openapi_document_is_openapi_3_1_and_lists_every_resource() {
    let server = TestServer::start().await;
    let nobody = Api {
        server: &server,
        token: None,
    };
    let doc = nobody.get(routes::API_OPENAPI).await.expect(StatusCode::OK);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    for path in [
        routes::API_USERS,
        routes::API_USER,
        routes::API_USER_BLOCK,
        routes::API_USER_UNBLOCK,
        routes::API_USER_RESET_SECOND_FACTOR,
        routes::API_USER_SIGN_OUT,
        routes::API_CLIENTS,
        routes::API_CLIENT,
        routes::API_CLIENT_SUSPEND,
        routes::API_CLIENT_RESUME,
        routes::API_CLIENT_SECRETS,
        routes::API_CLIENT_SECRET,
        routes::API_PRODUCTS,
        routes::API_PRODUCT,
        routes::API_KEYS,
        routes::API_KEYS_ROTATE,
        routes::API_TRUSTED_ISSUERS,
        routes::API_TRUSTED_ISSUER,
        routes::API_SCOPE_REQUESTS,
        routes::API_SCOPE_REQUEST_APPROVE,
        routes::API_SCOPE_REQUEST_REFUSE,
        routes::API_AUDIT_EVENTS,
        routes::API_AUDIT_EXPORT,
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
    assert_eq!(
        doc["paths"][routes::API_USER_BLOCK]["post"]["responses"]["403"]["content"]["application/problem+json"]
            ["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
}
