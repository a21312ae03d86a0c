//! The command line and the management API share one operator layer: blocking a user
//! from either front writes the same audit event, differing only in the actor
//! (`cli`, `client:<id>`), and the operator commands act on accounts by login.

mod common;

use common::TestDir;
use serde_json::Value;

/// The audit events of `kind`, oldest first, as the API lists them.
async fn events(http: &reqwest::Client, base: &str, token: &str, kind: &str) -> Vec<Value> {
    let url = format!("{base}/api/v1/audit-events?kind={kind}");
    let page: Value = http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("audit events")
        .json()
        .await
        .expect("json");
    let mut items = page["items"].as_array().cloned().unwrap_or_default();
    items.reverse();
    items
}

#[tokio::test]
async fn blocking_from_the_cli_and_from_the_api_writes_the_same_event() {
    let dir = TestDir::new("admin-fronts");
    let alice = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "alice",
        "--password",
        "pw-alice-1",
    ]);
    let bob = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "bob",
        "--password",
        "pw-bob-12",
    ]);
    let ops = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "ops",
        "--name",
        "Ops",
        "--scope",
        "propusk:admin",
        "--grant-type",
        "client_credentials",
    ]);
    let secret = ops["client_secret"].as_str().expect("secret").to_owned();

    let out = dir.ok(&["admin", "user", "block", "--login", "alice"]);
    assert!(out.contains("blocked"), "{out}");
    let out = dir.ok(&["admin", "user", "grant-operator", "--login", "bob"]);
    assert!(out.contains("operator"), "{out}");
    let err = dir.fails(&["admin", "user", "block", "--login", "nobody"]);
    assert!(err.contains("nobody"), "{err}");

    let server = dir.serve(&[]);
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/connect/token", server.url))
        .basic_auth("ops", Some(&secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "propusk:admin"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = token["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let bob_id = bob["id"].as_str().expect("id");
    let status = http
        .post(format!("{}/api/v1/users/{bob_id}/block", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("block")
        .status();
    assert_eq!(status, 200);

    let blocked = events(&http, &server.url, &token, "account_blocked").await;
    assert_eq!(blocked.len(), 2, "{blocked:?}");
    let (cli, api) = (&blocked[0], &blocked[1]);
    assert_eq!(cli["account_id"], alice["id"]);
    assert_eq!(cli["actor"], "cli");
    assert_eq!(api["account_id"], bob["id"]);
    assert_eq!(api["actor"], "client:ops");
    for field in ["kind", "client_id", "ip", "detail"] {
        assert_eq!(cli[field], api[field], "{field} differs between the fronts");
    }
    let granted = events(&http, &server.url, &token, "operator_granted").await;
    assert_eq!(granted.len(), 1);
    assert_eq!(granted[0]["actor"], "cli");
}
