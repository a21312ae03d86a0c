//! `client_credentials` (RFC 6749 §4.4): JWT access tokens per RFC 9068 verified with the
//! published JWKS, reference tokens answered by introspection to their product.

use crate::common::*;
use crate::*;
use propusk_core::jose::{Alg, JwkSet, verify_jwt};
use propusk_core::model::{AuthMethod, Client, GrantType, TokenFormat};
use propusk_types::routes::{INTROSPECT, JWKS, TOKEN};
use serde_json::{Value, json};

async fn jwks(server: &Server) -> JwkSet {
    server
        .http
        .get(server.url(JWKS))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn client_credentials_jwt_verifies_with_the_jwks() {
    let server = setup().await;
    let body = issued(
        server
            .post_basic(TOKEN, WEB, SECRET, &[("grant_type", "client_credentials")])
            .await,
    )
    .await;
    assert_eq!(body["scope"], "extern.api");
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
    let token = body["access_token"].as_str().expect("access");
    let jwt = verify_jwt(token, &jwks(&server).await.keys, &Alg::ALL).expect("verifies");
    assert_eq!(jwt.header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(jwt.header.alg, "RS256");
    let claims = &jwt.claims;
    assert_eq!(claims["aud"], "extern.api");
    assert_eq!(claims["scope"], "extern.api");
    assert_eq!(claims["sub"], WEB);
    assert_eq!(claims["client_id"], WEB);
    assert_eq!(claims["iss"], server.base.as_str());
    assert_eq!(claims["exp"], START + 3600);
    assert!(claims["jti"].is_string() && claims["iat"].is_i64());
    // Not for userinfo: no user and no openid.
    assert_eq!(userinfo_status(&server, token).await, 403);
}

#[tokio::test]
async fn client_credentials_refuses_non_product_scopes() {
    let server = setup().await;
    for scope in ["openid", "offline_access", "extern.api other.api"] {
        let form = [("grant_type", "client_credentials"), ("scope", scope)];
        refused(
            server.post_basic(TOKEN, WEB, SECRET, &form).await,
            400,
            "invalid_scope",
        )
        .await;
    }
}

#[tokio::test]
async fn client_credentials_reference_token_is_introspected_by_the_product() {
    let server = setup().await;
    server
        .add_product("reports.api", &["reports.read"], TokenFormat::Reference)
        .await;
    let svc = Client {
        scope: propusk_types::scope::Scope::parse("reports.read").expect("scope"),
        grant_types: vec![GrantType::ClientCredentials],
        ..confidential("svc", AuthMethod::ClientSecretBasic)
    };
    server.add_client(svc, Some(SECRET)).await;
    server
        .add_client(product_client("reports-rs", "reports.api"), Some(SECRET))
        .await;
    server
        .add_client(product_client("extern-rs", "extern.api"), Some(SECRET))
        .await;

    let body = issued(
        server
            .post_basic(
                TOKEN,
                "svc",
                SECRET,
                &[("grant_type", "client_credentials")],
            )
            .await,
    )
    .await;
    let token = body["access_token"].as_str().expect("access");
    assert_ne!(
        token.split('.').count(),
        3,
        "a reference token is not a JWT"
    );

    let response = server
        .post_basic(INTROSPECT, "reports-rs", SECRET, &[("token", token)])
        .await;
    let answer: Value = response.json().await.expect("json");
    assert_eq!(answer["active"], true);
    assert_eq!(answer["aud"], "reports.api");
    assert_eq!(answer["scope"], "reports.read");
    assert_eq!(answer["client_id"], "svc");
    assert_eq!(answer["sub"], "svc");

    let response = server
        .post_basic(INTROSPECT, "extern-rs", SECRET, &[("token", token)])
        .await;
    assert_eq!(
        response.json::<Value>().await.expect("json"),
        json!({"active": false})
    );

    // A product cannot obtain tokens itself.
    let response = server
        .post_basic(
            TOKEN,
            "reports-rs",
            SECRET,
            &[("grant_type", "client_credentials")],
        )
        .await;
    refused(response, 400, "unauthorized_client").await;
}

#[tokio::test]
async fn grant_not_registered_is_unauthorized_client() {
    let server = setup().await;
    let client = Client {
        grant_types: vec![GrantType::AuthorizationCode],
        ..confidential("narrow", AuthMethod::ClientSecretBasic)
    };
    server.add_client(client, Some(SECRET)).await;
    let response = server
        .post_basic(
            TOKEN,
            "narrow",
            SECRET,
            &[("grant_type", "client_credentials")],
        )
        .await;
    refused(response, 400, "unauthorized_client").await;
}
