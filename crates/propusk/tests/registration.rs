//! `propusk admin registration-token create` and `[registration] open` against the real
//! binary: the token it prints registers a client at `/connect/register` (RFC 7591 §3);
//! without one a closed server answers 401, an open one registers.

mod common;

use common::TestDir;
use serde_json::{Value, json};

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
