//! `private_key_jwt` client authentication (RFC 7523 §3): audience, expiry, single-use
//! `jti`, algorithm allow-list, registered keys only.

use crate::common::*;
use crate::*;
use propusk_core::client_auth::JWT_BEARER_ASSERTION;
use propusk_core::jose::{Alg, JwkSet, SigningKey};
use propusk_core::model::{AuthMethod, Client};
use propusk_types::routes::TOKEN;
use serde_json::{Value, json};

struct AssertionClient {
    key: SigningKey,
}

async fn assertion_client(server: &Server) -> AssertionClient {
    let key = SigningKey::generate(Alg::ES256, "client-key-1".into()).expect("key");
    let client = Client {
        jwks: Some(JwkSet {
            keys: vec![key.public_jwk()],
        }),
        ..confidential("signer", AuthMethod::PrivateKeyJwt)
    };
    server.add_client(client, None).await;
    AssertionClient { key }
}

fn assertion_claims(server: &Server, jti: &str) -> Value {
    json!({
        "iss": "signer",
        "sub": "signer",
        "aud": server.url(TOKEN),
        "exp": server.now() + 60,
        "iat": server.now(),
        "jti": jti,
    })
}

async fn with_assertion(server: &Server, assertion: &str) -> reqwest::Response {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", JWT_BEARER_ASSERTION),
        ("client_assertion", assertion),
    ];
    server.post(TOKEN, &form).await
}

fn unsigned(header: &Value, claims: &Value, signature: &str) -> String {
    use propusk_core::crypto::b64url;
    format!(
        "{}.{}.{signature}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

#[tokio::test]
async fn private_key_jwt_accepts_a_good_assertion_once() {
    let server = setup().await;
    let client = assertion_client(&server).await;
    let assertion = client
        .key
        .sign_jwt("JWT", &assertion_claims(&server, "j1"))
        .expect("sign");
    issued(with_assertion(&server, &assertion).await).await;
    let body = refused(
        with_assertion(&server, &assertion).await,
        401,
        "invalid_client",
    )
    .await;
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("jti replayed")),
        "{body}"
    );
    let mut issuer_aud = assertion_claims(&server, "j2");
    issuer_aud["aud"] = json!([server.base.clone()]);
    let assertion = client.key.sign_jwt("JWT", &issuer_aud).expect("sign");
    issued(with_assertion(&server, &assertion).await).await;
}

#[tokio::test]
async fn bad_client_assertions_are_invalid_client() {
    let server = setup().await;
    let client = assertion_client(&server).await;
    let sign = |claims: &Value| client.key.sign_jwt("JWT", claims).expect("sign");

    let mut wrong_aud = assertion_claims(&server, "a1");
    wrong_aud["aud"] = json!("https://elsewhere.example/token");
    let mut expired = assertion_claims(&server, "a2");
    expired["exp"] = json!(server.now() - 1);
    let mut far = assertion_claims(&server, "a3");
    far["exp"] = json!(server.now() + 24 * 3600);
    let mut no_jti = assertion_claims(&server, "a4");
    no_jti.as_object_mut().expect("object").remove("jti");
    let mut other_sub = assertion_claims(&server, "a5");
    other_sub["sub"] = json!("web");
    let impostor = SigningKey::generate(Alg::ES256, "client-key-1".into()).expect("key");
    let same_kid = impostor
        .sign_jwt("JWT", &assertion_claims(&server, "a6"))
        .expect("sign");
    let stranger = SigningKey::generate(Alg::ES256, "stranger-key".into()).expect("key");
    let unknown_key = stranger
        .sign_jwt("JWT", &assertion_claims(&server, "a9"))
        .expect("sign");
    let none = unsigned(
        &json!({"alg": "none"}),
        &assertion_claims(&server, "a7"),
        "",
    );
    let hs256 = unsigned(
        &json!({"alg": "HS256", "kid": "client-key-1"}),
        &assertion_claims(&server, "a8"),
        "c2ln",
    );

    let cases = [
        ("aud does not name", sign(&wrong_aud)),
        ("expired", sign(&expired)),
        ("too far", sign(&far)),
        ("jti missing", sign(&no_jti)),
        ("sub must equal", sign(&other_sub)),
        ("no registered key", unknown_key),
        ("signature invalid", same_kid),
        ("algorithm not allowed", none),
        ("algorithm not allowed", hs256),
        ("not a JWT", "garbage".into()),
    ];
    for (reason, assertion) in cases {
        let response = with_assertion(&server, &assertion).await;
        assert_eq!(response.status().as_u16(), 401, "{reason}");
        let body = refused(response, 401, "invalid_client").await;
        let description = body["error_description"].as_str().unwrap_or_default();
        assert!(description.contains(reason), "{reason}: {description}");
    }
}
