//! Client authentication is throttled like passwords (RFC 6749 §10.10): failed tries past
//! the free ones make the client wait, answered 429 with `Retry-After` (RFC 6585 §4) and
//! an OAuth error body; a success after the wait forgets the failures.

use crate::common::*;
use crate::*;
use propusk_types::routes::{DEVICE_AUTHORIZATION, INTROSPECT, REVOCATION, TOKEN};

const CLIENT_CREDENTIALS: [(&str, &str); 1] = [("grant_type", "client_credentials")];

#[tokio::test]
async fn guessing_a_client_secret_gets_429_and_a_success_resets() {
    let server = setup().await;
    let mut statuses = Vec::new();
    let mut retry_after = 0;
    for i in 0..200 {
        let guess = format!("guess-{i}");
        let response = server
            .post_basic(TOKEN, WEB, &guess, &CLIENT_CREDENTIALS)
            .await;
        let status = response.status().as_u16();
        if status == 429 {
            retry_after = response.headers()["retry-after"]
                .to_str()
                .expect("ascii")
                .parse::<i64>()
                .expect("seconds");
            refused(response, 429, "invalid_client").await;
        } else {
            refused(response, 401, "invalid_client").await;
        }
        statuses.push(status);
    }
    let failed = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(failed, 10, "the free tries, then waits: {statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    assert!(retry_after >= 1);

    // Even the right secret waits its turn.
    refused(
        server
            .post_basic(TOKEN, WEB, SECRET, &CLIENT_CREDENTIALS)
            .await,
        429,
        "invalid_client",
    )
    .await;

    server.clock.advance(retry_after);
    issued(
        server
            .post_basic(TOKEN, WEB, SECRET, &CLIENT_CREDENTIALS)
            .await,
    )
    .await;
    // The success forgot the client's failures: the next mistake is an ordinary 401.
    refused(
        server
            .post_basic(TOKEN, WEB, "wrong", &CLIENT_CREDENTIALS)
            .await,
        401,
        "invalid_client",
    )
    .await;
}

#[tokio::test]
async fn every_client_authenticating_endpoint_is_throttled() {
    let server = setup().await;
    for _ in 0..10 {
        let response = server
            .post_basic(INTROSPECT, WEB, "wrong", &[("token", "x")])
            .await;
        assert_eq!(response.status().as_u16(), 401);
    }
    for route in [TOKEN, INTROSPECT, REVOCATION, DEVICE_AUTHORIZATION] {
        let response = server
            .post_basic(route, WEB, SECRET, &[("token", "x")])
            .await;
        assert_eq!(response.status().as_u16(), 429, "{route}");
        assert!(response.headers().contains_key("retry-after"), "{route}");
    }
}

#[tokio::test]
async fn a_lockout_lasts_its_time() {
    let server = setup().await;
    let mut failures = 0;
    // Wait out every delay until the failures reach the lock.
    while failures < 60 {
        let response = server
            .post_basic(TOKEN, WEB, "wrong", &CLIENT_CREDENTIALS)
            .await;
        match response.status().as_u16() {
            401 => failures += 1,
            429 => server.clock.advance(30),
            other => panic!("unexpected {other}"),
        }
    }
    let response = server
        .post_basic(TOKEN, WEB, SECRET, &CLIENT_CREDENTIALS)
        .await;
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "300");
    server.clock.advance(300);
    issued(
        server
            .post_basic(TOKEN, WEB, SECRET, &CLIENT_CREDENTIALS)
            .await,
    )
    .await;
}
