//! The identifiers in the account's bound certificates as claims: scope `certificate`
//! releases `inn`, `inn_le`, `ogrn`, `ogrnip` and `snils` at userinfo, the `claims`
//! request puts them into the ID token, only a client registered with the scope may ask
//! for it, and discovery lists the scope and the claims.

#[path = "common/mod.rs"]
mod common;

use common::{CodeSetup, REDIRECT_URI, SECRET, Server, confidential, server};
use propusk_certs::test_pki::{KeyKind, Leaf, TestCa};
use propusk_core::jose::decode_unverified;
use propusk_core::model::{AuthMethod, Client};
use propusk_types::scope::Scope;
use serde_json::{Value, json};

const INN: &str = "500100732259";
const SNILS: &str = "11223344595";

fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// A server where alice has a bound certificate with INN and SNILS, `allowed` may ask
/// for scope `certificate` and `plain` may not.
async fn setup() -> Server {
    let server = server().await;
    server.clock.set(wall_clock());
    server.add_account("alice").await;
    let root = TestCa::root("Claims Root");
    common::trust(&server.provider, &[&root.pem]);
    let cert = root.issue(Leaf::new(KeyKind::P256, "Alice").with_ids(INN, SNILS));
    let parsed = propusk_certs::Certificate::from_der(&cert.der).expect("parses");
    server
        .provider
        .bind_certificate("alice", &parsed)
        .await
        .expect("bound");
    let allowed = Client {
        scope: Scope::parse("openid profile certificate").expect("scope"),
        ..confidential("allowed", AuthMethod::ClientSecretBasic)
    };
    server.add_client(allowed, Some(SECRET)).await;
    server
        .add_client(
            confidential("plain", AuthMethod::ClientSecretBasic),
            Some(SECRET),
        )
        .await;
    server
}

/// The token response of a code for `setup`.
async fn tokens(server: &Server, setup: CodeSetup) -> Value {
    let client = setup.client_id.clone();
    let code = server.code(setup).await;
    let answer = server
        .post_basic(
            "/connect/token",
            &client,
            SECRET,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT_URI),
            ],
        )
        .await;
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("json")
}

async fn userinfo(server: &Server, access_token: &str) -> Value {
    let answer = server
        .http
        .get(server.url("/connect/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("json")
}

#[tokio::test]
async fn scope_certificate_releases_the_identifiers() {
    let server = setup().await;
    let body = tokens(
        &server,
        CodeSetup::new("allowed", "alice").scope("openid certificate"),
    )
    .await;
    let claims = userinfo(&server, body["access_token"].as_str().expect("at")).await;
    assert_eq!(claims, json!({"sub": "alice", "inn": INN, "snils": SNILS}));
    let id_token = decode_unverified(body["id_token"].as_str().expect("id token")).expect("jwt");
    assert!(id_token.claims.get("inn").is_none());

    let mut asked = CodeSetup::new("allowed", "alice").scope("openid certificate");
    asked.claims = Some(json!({"id_token": {"inn": null, "snils": {"essential": true}}}));
    let body = tokens(&server, asked).await;
    let id_token = decode_unverified(body["id_token"].as_str().expect("id token")).expect("jwt");
    assert_eq!(id_token.claims["inn"], INN);
    assert_eq!(id_token.claims["snils"], SNILS);
}

#[tokio::test]
async fn without_the_scope_nothing_is_released() {
    let server = setup().await;
    let mut asked = CodeSetup::new("allowed", "alice").scope("openid profile");
    asked.claims = Some(json!({"id_token": {"inn": null}, "userinfo": {"snils": null}}));
    let body = tokens(&server, asked).await;
    let id_token = decode_unverified(body["id_token"].as_str().expect("id token")).expect("jwt");
    assert!(id_token.claims.get("inn").is_none());
    let claims = userinfo(&server, body["access_token"].as_str().expect("at")).await;
    assert!(claims.get("snils").is_none(), "{claims}");
}

#[tokio::test]
async fn only_a_client_allowed_the_scope_may_ask_for_it() {
    let server = setup().await;
    let authorize = |client: &'static str| {
        server
            .http
            .get(server.url("/connect/authorize"))
            .query(&[
                ("client_id", client),
                ("response_type", "code"),
                ("redirect_uri", REDIRECT_URI),
                ("scope", "openid certificate"),
                ("state", "s1"),
            ])
            .send()
    };
    let refused = authorize("plain").await.expect("authorize");
    let location = refused.headers()["location"].to_str().expect("location");
    assert!(location.contains("error=invalid_scope"), "{location}");
    let accepted = authorize("allowed").await.expect("authorize");
    let location = accepted.headers()["location"].to_str().expect("location");
    assert!(!location.contains("error="), "{location}");
}

#[tokio::test]
async fn discovery_lists_the_scope_and_its_claims() {
    let server = setup().await;
    let metadata: Value = server
        .http
        .get(server.url("/.well-known/openid-configuration"))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    let listed = |member: &str, name: &str| {
        metadata[member]
            .as_array()
            .expect("array")
            .iter()
            .any(|v| v == name)
    };
    assert!(listed("scopes_supported", "certificate"));
    for claim in ["inn", "inn_le", "ogrn", "ogrnip", "snils"] {
        assert!(listed("claims_supported", claim), "{claim}");
    }
}
