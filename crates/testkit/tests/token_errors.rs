//! Error paths of the token endpoint, end to end through a real authorization (RFC 6749
//! §4.1.3, §5.2, §6; RFC 7636 §4.6; RFC 7523 §3; RFC 9700 §4.14.2). Each test asserts the
//! exact status and error code and that nothing was issued; where a security side effect
//! is due (code replay, refresh reuse), that the earlier tokens stopped working.

use propusk_core::model::GrantType;
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{ClientBuilder, TestAccount, TestClient, TestServer, pkce_pair};
use propusk_types::routes;
use reqwest::StatusCode;

async fn setup() -> (TestServer, TestAccount, TestClient) {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    (server, alice, client)
}

#[tokio::test]
async fn attack_code_replay_revokes_what_the_first_use_issued() {
    let (server, alice, client) = setup().await;
    let code = server.code_for(&alice, &client, &[]).await;
    let first = server.redeem(&client.basic(), &code, &[]).await.issued();
    assert!(server.is_active(&client.basic(), &first.access_token).await);
    assert_eq!(
        server.userinfo(&first.access_token).await.status,
        StatusCode::OK
    );

    server
        .redeem(&client.basic(), &code, &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");

    assert!(
        !server.is_active(&client.basic(), &first.access_token).await,
        "access token of the replayed code"
    );
    let userinfo = server.userinfo(&first.access_token).await;
    assert_eq!(
        userinfo.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        userinfo.body
    );
    let challenge = userinfo.header("www-authenticate").unwrap_or_default();
    assert!(
        challenge.starts_with("Bearer") && challenge.contains("invalid_token"),
        "{challenge}"
    );
    let r1 = first.refresh_token.expect("refresh token");
    server
        .refresh(&client.basic(), &r1)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
}

#[tokio::test]
async fn code_of_another_client_is_invalid_grant() {
    let (server, alice, client) = setup().await;
    let thief = server.client(ClientBuilder::confidential("thief")).await;
    let code = server.code_for(&alice, &client, &[]).await;
    server
        .redeem(&thief.basic(), &code, &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    // The code is burned: its own client cannot redeem it afterwards either.
    server
        .redeem(&client.basic(), &code, &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
}

#[tokio::test]
async fn expired_code_is_invalid_grant() {
    let server = TestServer::start_with_manual_clock().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let code = server.code_for(&alice, &client, &[]).await;
    server.clock().advance(301);
    server
        .redeem(&client.basic(), &code, &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");

    // Control: a code redeemed within its 300 s works.
    let code = server.code_for(&alice, &client, &[]).await;
    server.clock().advance(299);
    server.redeem(&client.basic(), &code, &[]).await.issued();
}

#[tokio::test]
async fn redirect_uri_must_match_the_authorization_request() {
    let (server, alice, client) = setup().await;
    let code = server.code_for(&alice, &client, &[]).await;
    let answer = server
        .token(
            &client.basic(),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "https://rp.example/x"),
            ],
        )
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
}

#[tokio::test]
async fn bad_pkce_verifier_is_invalid_grant() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let spa = server.client(ClientBuilder::public("spa")).await;
    let public = Auth::Public("spa");

    let (verifier, challenge) = pkce_pair();
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code = server.code_for(&alice, &spa, &pkce).await;
    let (other_verifier, _) = pkce_pair();
    let answer = server
        .redeem(&public, &code, &[("code_verifier", &other_verifier)])
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    // A failed attempt burns the code: the right verifier comes too late.
    let answer = server
        .redeem(&public, &code, &[("code_verifier", &verifier)])
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_grant");

    // No verifier at all for a code with a challenge.
    let (_, challenge) = pkce_pair();
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code = server.code_for(&alice, &spa, &pkce).await;
    server
        .redeem(&public, &code, &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");

    // A verifier for a code that had no challenge (PKCE downgrade, RFC 9700 §4.8.2).
    let web = server.client(ClientBuilder::confidential("web")).await;
    let code = server.code_for(&alice, &web, &[]).await;
    let answer = server
        .redeem(&web.basic(), &code, &[("code_verifier", &verifier)])
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_grant");

    // A verifier that is not RFC 7636 syntax is a malformed request.
    let (_, challenge) = pkce_pair();
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code = server.code_for(&alice, &spa, &pkce).await;
    let answer = server
        .redeem(&public, &code, &[("code_verifier", "short")])
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
}

#[tokio::test]
async fn refresh_reuse_revokes_the_family() {
    let (server, alice, client) = setup().await;
    let code = server.code_for(&alice, &client, &[]).await;
    let first = server.redeem(&client.basic(), &code, &[]).await.issued();
    let r1 = first.refresh_token.expect("refresh token");
    let second = server.refresh(&client.basic(), &r1).await.issued();
    let r2 = second.refresh_token.expect("rotated refresh token");
    assert_ne!(r1, r2);

    server
        .refresh(&client.basic(), &r1)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    server
        .refresh(&client.basic(), &r2)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(
        !server
            .is_active(&client.basic(), &second.access_token)
            .await
    );
    assert!(!server.is_active(&client.basic(), &first.access_token).await);
    assert_eq!(
        server.userinfo(&second.access_token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn refresh_is_bound_to_its_client_and_scope() {
    let (server, alice, client) = setup().await;
    let other = server.client(ClientBuilder::confidential("other")).await;
    let code = server.code_for(&alice, &client, &[]).await;
    let first = server.redeem(&client.basic(), &code, &[]).await.issued();
    let r1 = first.refresh_token.expect("refresh token");

    let widened = [
        ("grant_type", "refresh_token"),
        ("refresh_token", r1.as_str()),
        ("scope", "openid phone"),
    ];
    let answer = server.token(&client.basic(), &widened).await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_scope");

    server
        .refresh(&other.basic(), &r1)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
}

#[tokio::test]
async fn malformed_token_requests_are_invalid_request() {
    let (server, _, client) = setup().await;
    let form = Some("application/x-www-form-urlencoded");
    let raw: [(&str, Option<&str>, Vec<u8>); 8] = [
        (
            "JSON body",
            Some("application/json"),
            br#"{"grant_type":"client_credentials"}"#.to_vec(),
        ),
        (
            "no content type",
            None,
            b"grant_type=client_credentials".to_vec(),
        ),
        (
            "text body",
            Some("text/plain"),
            b"grant_type=client_credentials".to_vec(),
        ),
        ("empty body", form, Vec::new()),
        (
            "bytes that are not UTF-8",
            form,
            b"grant_type=\xff\xfe".to_vec(),
        ),
        (
            "broken percent escape",
            form,
            b"grant_type=authorization_code&code=%ZZ".to_vec(),
        ),
        (
            "truncated percent escape",
            form,
            b"grant_type=refresh_token&refresh_token=%4".to_vec(),
        ),
        (
            "escape decoding to invalid UTF-8",
            form,
            b"grant_type=authorization_code&code=%FF".to_vec(),
        ),
    ];
    for (what, content_type, body) in raw {
        let answer = server.token_raw(content_type, body).await;
        assert_eq!(
            (answer.status, answer.error()),
            (StatusCode::BAD_REQUEST, Some("invalid_request")),
            "{what}: {}",
            answer.body
        );
        answer.assert_error(StatusCode::BAD_REQUEST, "invalid_request");
        assert_eq!(answer.header("cache-control"), Some("no-store"), "{what}");
    }

    let auth = client.basic();
    let shapes: [(&str, &[(&str, &str)]); 5] = [
        ("no grant_type", &[("code", "x")]),
        (
            "authorization_code without code",
            &[("grant_type", "authorization_code")],
        ),
        (
            "refresh_token without the token",
            &[("grant_type", "refresh_token")],
        ),
        (
            "repeated parameter",
            &[
                ("grant_type", "authorization_code"),
                ("code", "a"),
                ("code", "b"),
            ],
        ),
        (
            "repeated grant_type",
            &[
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
            ],
        ),
    ];
    for (what, params) in shapes {
        let answer = server.token(&auth, params).await;
        assert_eq!(
            (answer.status, answer.error()),
            (StatusCode::BAD_REQUEST, Some("invalid_request")),
            "{what}: {}",
            answer.body
        );
    }

    let answer = server
        .token(
            &auth,
            &[
                ("grant_type", "password"),
                ("username", "a"),
                ("password", "b"),
            ],
        )
        .await;
    // Served, but off unless the operator enables it for the client.
    answer.assert_error(StatusCode::BAD_REQUEST, "unauthorized_client");
    let answer = server
        .token(&auth, &[("grant_type", "urn:example:bogus")])
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");

    // GET is not a token request (RFC 6749 §3.2).
    let response = propusk_testkit::http_client()
        .get(server.url(routes::TOKEN))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn client_credentials_refuses_what_the_client_may_not_have() {
    let server = TestServer::start().await;
    server
        .product(propusk_testkit::ProductBuilder::new("extern.api"))
        .await;
    let web = server.client(ClientBuilder::confidential("web")).await;
    let service = server
        .client(
            ClientBuilder::confidential("svc")
                .grants(&[GrantType::ClientCredentials])
                .scope("extern.api"),
        )
        .await;
    let answer = server
        .token(
            &web.basic(),
            &[
                ("grant_type", "client_credentials"),
                ("scope", "extern.api"),
            ],
        )
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "unauthorized_client");
    let answer = server
        .token(
            &service.basic(),
            &[("grant_type", "client_credentials"), ("scope", "openid")],
        )
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_scope");
    let answer = server
        .token(
            &service.basic(),
            &[("grant_type", "authorization_code"), ("code", "x")],
        )
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "unauthorized_client");
}
