//! `propusk admin registration-token create` and `[registration] open` against the real
//! binary: the token it prints registers a client at `/connect/register` (RFC 7591 §3);
//! without one a closed server answers 401, an open one registers. A registered
//! `private_key_jwt` client whose keys are at a `jwks_uri` authenticates through the
//! fetcher, which serves loopback only with `fetch.insecure_allow_loopback`.

mod common;

use common::TestDir;
use propusk_core::jose::{Alg, JwkSet, SigningKey};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn register(base: &str, token: Option<&str>) -> reqwest::StatusCode {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/connect/register"))
        .json(&json!({"redirect_uris": ["https://app.example/cb"]}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("register").status()
}

#[tokio::test]
async fn the_printed_token_registers_a_client_and_none_is_refused() {
    let dir = TestDir::new("registration-token");
    let created = dir.json(&[
        "admin",
        "registration-token",
        "create",
        "--expires-in",
        "600",
    ]);
    let token = created["token"]
        .as_str()
        .expect("{\"token\": …}")
        .to_owned();
    let plain = dir.ok(&["admin", "registration-token", "create"]);
    let plain = plain.trim();
    assert!(!plain.is_empty() && !plain.contains(' '), "{plain}");
    let err = dir.fails(&["admin", "registration-token", "create", "--expires-in", "0"]);
    assert!(err.contains("--expires-in"), "{err}");

    let server = dir.serve(&[]);
    assert_eq!(register(&server.url, None).await, 401);
    assert_eq!(register(&server.url, Some("forged")).await, 401);
    assert_eq!(register(&server.url, Some(&token)).await, 201);
    assert_eq!(register(&server.url, Some(plain)).await, 201);
    let clients: Value = dir.json(&["admin", "client", "list"]);
    assert_eq!(clients.as_array().map(Vec::len), Some(2), "{clients}");
}

#[tokio::test]
async fn open_registration_is_a_config_key() {
    let dir = TestDir::new("registration-open");
    let server = dir.serve(&[("PROPUSK_REGISTRATION__OPEN", "true")]);
    assert_eq!(register(&server.url, None).await, 201);
}

/// Serves `body` as JSON to every request on 127.0.0.1; returns the URL.
async fn serve_keys(body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/jwks", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer).await;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    url
}

/// `POST /connect/revocation` authenticated by an assertion signed with `key`: 200 when
/// the provider found the key, 401 when not.
async fn revoke_as(base: &str, client_id: &str, key: &SigningKey) -> reqwest::Response {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let discovery: Value = reqwest::get(format!("{base}/.well-known/openid-configuration"))
        .await
        .expect("discovery")
        .json()
        .await
        .expect("JSON");
    let audience = discovery["token_endpoint"]
        .as_str()
        .expect("token_endpoint");
    let assertion = key
        .sign_jwt(
            "JWT",
            &json!({
                "iss": client_id,
                "sub": client_id,
                "aud": audience,
                "exp": now + 60,
                "jti": format!("jti-{now}-{}-{}", key.kid(), client_id),
            }),
        )
        .expect("sign");
    reqwest::Client::new()
        .post(format!("{base}/connect/revocation"))
        .form(&[
            ("token", "not-a-token"),
            ("client_id", client_id),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
        ])
        .send()
        .await
        .expect("token")
}

#[tokio::test]
async fn a_jwks_uri_client_authenticates_through_the_fetcher() {
    let key = SigningKey::generate(Alg::ES256, "dcr-key".into()).expect("key");
    let keys = serde_json::to_string(&JwkSet {
        keys: vec![key.public_jwk()],
    })
    .expect("JSON");
    let jwks_uri = serve_keys(keys).await;
    let metadata = json!({
        "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks_uri": jwks_uri,
        "scope": "openid"
    });

    let dir = TestDir::new("registration-jwks-uri");
    let server = dir.serve(&[
        ("PROPUSK_REGISTRATION__OPEN", "true"),
        ("PROPUSK_FETCH__INSECURE_ALLOW_LOOPBACK", "true"),
    ]);
    let log = std::fs::read_to_string(&server.log).expect("log");
    assert!(
        log.contains("WARN") && log.contains("insecure_allow_loopback"),
        "the allowance is announced: {log}"
    );
    let registered = reqwest::Client::new()
        .post(format!("{}/connect/register", server.url))
        .json(&metadata)
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), 201);
    let registered: Value = registered.json().await.expect("JSON");
    let client_id = registered["client_id"].as_str().expect("client_id");
    assert_eq!(registered["jwks_uri"], jwks_uri.as_str());
    let answer = revoke_as(&server.url, client_id, &key).await;
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
    let stranger = SigningKey::generate(Alg::ES256, "dcr-key-2".into()).expect("key");
    let answer = revoke_as(&server.url, client_id, &stranger).await;
    assert_eq!(answer.status(), 401, "a key outside the set is refused");

    let strict = TestDir::new("registration-jwks-uri-strict");
    let server = strict.serve(&[("PROPUSK_REGISTRATION__OPEN", "true")]);
    let refused: Value = reqwest::Client::new()
        .post(format!("{}/connect/register", server.url))
        .json(&metadata)
        .send()
        .await
        .expect("register")
        .json()
        .await
        .expect("JSON");
    assert_eq!(refused["error"], "invalid_client_metadata", "{refused}");
}
