//! Client authentication at the token endpoint, end to end (RFC 6749 §2.3.1 and §5.2,
//! RFC 7523 §3, OIDC Core §9): a failed authentication is 401 `invalid_client` and
//! issues nothing, and, coming before the code is looked at, leaves the code redeemable.

use propusk_core::model::AuthMethod;
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{
    ClientBuilder, ClientKey, TestAccount, TestClient, TestServer, assertion_claims,
};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::json;

async fn setup() -> (TestServer, TestAccount, TestClient) {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    (server, alice, client)
}

#[tokio::test]
async fn bad_client_assertions_are_invalid_client() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let key = ClientKey::generate();
    let client = server
        .client(ClientBuilder::confidential("jwt").private_key_jwt(key.jwks()))
        .await;
    let code = server.code_for(&alice, &client, &[]).await;
    let token_endpoint = server.url(routes::TOKEN);
    let now = server.provider.now();
    let good = || assertion_claims("jwt", &token_endpoint, now);
    let with = |name: &str, value: serde_json::Value| {
        let mut claims = good();
        claims[name] = value;
        claims
    };
    let stranger = ClientKey::generate();
    let replayed = key.sign(&good());
    let bad = [
        ("signed by an unregistered key", stranger.sign(&good())),
        (
            "audience of another server",
            key.sign(&with("aud", json!("https://other.example/token"))),
        ),
        ("expired", key.sign(&with("exp", json!(now - 10)))),
        (
            "valid for too long",
            key.sign(&with("exp", json!(now + 86_400))),
        ),
        (
            "sub differs from iss",
            key.sign(&with("sub", json!("someone"))),
        ),
        (
            "no jti",
            key.sign(&{
                let mut claims = good();
                claims.as_object_mut().expect("object").remove("jti");
                claims
            }),
        ),
        ("unsigned", unsigned(&good())),
        ("not a JWT", "not-a-jwt".to_owned()),
    ];
    for (what, assertion) in bad {
        let answer = server
            .redeem(&Auth::Assertion("jwt", assertion), &code, &[])
            .await;
        assert_eq!(
            answer.error(),
            Some("invalid_client"),
            "{what}: {}",
            answer.body
        );
        answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }

    // The first use of an assertion works; its replay (same jti) is refused.
    let first_use = server
        .redeem(&Auth::Assertion("jwt", replayed.clone()), &code, &[])
        .await;
    first_use.issued();
    let code = server.code_for(&alice, &client, &[]).await;
    let answer = server
        .redeem(&Auth::Assertion("jwt", replayed), &code, &[])
        .await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
}

/// `alg: none` (RFC 7519 §6.1), which must never authenticate anyone.
fn unsigned(claims: &serde_json::Value) -> String {
    use base64::Engine as _;
    let b64 = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(claims)
    )
}

#[tokio::test]
async fn failed_client_authentication_is_invalid_client() {
    let (server, alice, client) = setup().await;
    let post_client = server
        .client(ClientBuilder::confidential("poster").auth_method(AuthMethod::ClientSecretPost))
        .await;
    let code = server.code_for(&alice, &client, &[]).await;

    let answer = server
        .redeem(&Auth::Basic(&client.id, "wrong"), &code, &[])
        .await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    assert!(
        answer
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Basic")),
        "RFC 6749 §5.2"
    );
    let answer = server.redeem(&Auth::Basic("nobody", "x"), &code, &[]).await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    // A confidential client cannot pass as a public one (only its client_id).
    let answer = server.redeem(&Auth::Public(&client.id), &code, &[]).await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    // The two shared-secret methods stand in for each other, but the secret must be right.
    let answer = server
        .redeem(&Auth::Post(&post_client.id, "wrong"), &code, &[])
        .await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    let answer = server.redeem(&Auth::Nothing, &code, &[]).await;
    answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");

    // Authentication failed before the code was looked at: it is still good.
    server.redeem(&client.basic(), &code, &[]).await.issued();
}
