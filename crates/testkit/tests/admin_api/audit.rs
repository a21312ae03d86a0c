//! The token endpoint in the audit trail: tokens issued by each grant and refusals, read
//! back through the API once the batching writer has stored them; no event carries the
//! token, code or secret that went over the wire.

use crate::*;
use propusk_testkit::{ClientBuilder, TestServer};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// The events of `kind` for `client`, once at least `count` are stored (up to ~2 s), and
/// the raw body of the answer.
async fn events(api: &Api<'_>, kind: &str, client: &str, count: usize) -> (Vec<Value>, String) {
    let path = format!(
        "{}?kind={kind}&client_id={client}",
        routes::API_AUDIT_EVENTS
    );
    for _ in 0..40 {
        let reply = api.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "body: {}", reply.text);
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        if items.len() >= count {
            return (items, reply.text);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} {kind} events for {client} after 2 s");
}

#[tokio::test]
async fn tokens_issued_and_refused_are_audited_without_secrets() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let alice = server.alice().await;
    let web = server.client(ClientBuilder::confidential("web")).await;
    let svc = server
        .client(
            ClientBuilder::confidential("svc")
                .grants(&[propusk_core::model::GrantType::ClientCredentials])
                .scope("propusk:admin.read")
                .consent_required(false),
        )
        .await;

    let own = server
        .token(
            &svc.basic(),
            &[
                ("grant_type", "client_credentials"),
                ("scope", "propusk:admin.read"),
            ],
        )
        .await
        .issued();
    let code = server.code_for(&alice, &web, &[]).await;
    let first = server.redeem(&web.basic(), &code, &[]).await.issued();
    let refresh = first.refresh_token.clone().expect("refresh token");
    let second = server.refresh(&web.basic(), &refresh).await.issued();
    server
        .refresh(&web.basic(), "no-such-refresh-token-7f3a")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    let wrong_secret = "not-the-secret-91c2";
    server
        .token(
            &propusk_testkit::endpoints::Auth::Basic("svc", wrong_secret),
            &[("grant_type", "client_credentials")],
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_client");

    let (issued, svc_text) = events(&api, "token_issued", "svc", 1).await;
    assert_eq!(issued[0]["detail"], "client_credentials");
    assert!(issued[0]["account_id"].is_null());

    let (issued, web_text) = events(&api, "token_issued", "web", 2).await;
    let grants: Vec<(&str, &str)> = issued
        .iter()
        .map(|e| {
            (
                e["detail"].as_str().unwrap_or_default(),
                e["account_id"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        grants,
        [
            ("refresh_token", alice.id.as_str()),
            ("authorization_code", alice.id.as_str())
        ]
    );

    let (refused, refused_web) = events(&api, "token_refused", "web", 1).await;
    assert_eq!(refused[0]["detail"], "refresh_token invalid_grant");
    let (refused, refused_svc) = events(&api, "token_refused", "svc", 1).await;
    assert_eq!(refused[0]["detail"], "client_credentials invalid_client");

    let (consents, consent_text) = events(&api, "consent_given", "web", 1).await;
    assert_eq!(consents[0]["account_id"], alice.id.as_str());

    let secrets = [
        own.access_token.as_str(),
        first.access_token.as_str(),
        refresh.as_str(),
        second.access_token.as_str(),
        second.refresh_token.as_deref().unwrap_or("-"),
        first.id_token.as_deref().unwrap_or("-"),
        code.as_str(),
        web.secret(),
        svc.secret(),
        "no-such-refresh-token-7f3a",
        wrong_secret,
    ];
    for text in [svc_text, web_text, refused_web, refused_svc, consent_text] {
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{secret} in the audit trail: {text}"
            );
        }
    }
}
