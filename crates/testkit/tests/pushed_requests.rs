//! Pushed authorization requests (RFC 9126) end to end: the client pushes, the browser
//! brings only `client_id` and `request_uri`, and the code is redeemed. Each error path
//! asserts the exact answer: JSON at the PAR endpoint (§2.3), an error page at the
//! authorization endpoint for a `request_uri` that is unknown, used, expired or of
//! another client (§4), and a `request_uri` that is not ours is never fetched.

use propusk_core::authorize::REQUEST_URI_PREFIX;
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{ClientBuilder, STATE, TestClient, TestServer, counting_listener};
use propusk_types::routes;
use reqwest::StatusCode;
use std::sync::atomic::Ordering;

async fn push(server: &TestServer, client: &TestClient, params: &[(&str, &str)]) -> String {
    let answer = server.post_form(routes::PAR, &client.basic(), params).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(answer.json["expires_in"], 60);
    let request_uri = answer.str("request_uri").expect("request_uri").to_owned();
    assert!(request_uri.starts_with(REQUEST_URI_PREFIX), "{request_uri}");
    request_uri
}

fn by_reference<'a>(client: &'a TestClient, request_uri: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", client.id.as_str()),
        ("request_uri", request_uri),
    ]
}

#[tokio::test]
async fn pushed_request_authorizes_once() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let request_uri = push(&server, &client, &client.code_request(&[], &[])).await;
    let url = server.authorize_url(&by_reference(&client, &request_uri));
    let answer = server
        .browser()
        .authorize(&url, &alice.login, &alice.password)
        .await;
    assert_eq!(answer.param("state"), Some(STATE));
    let issued = server
        .redeem(&client.basic(), answer.code(), &[])
        .await
        .issued();
    assert!(issued.id_token.is_some());

    // A request_uri used twice is refused, with a page, not a redirect.
    server
        .browser()
        .navigate(&url)
        .await
        .assert_fatal("invalid_request_uri");
}

#[tokio::test]
async fn parameters_beside_the_request_uri_are_ignored() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let request_uri = push(&server, &client, &client.code_request(&[], &[])).await;
    let mut params = by_reference(&client, &request_uri);
    params.extend([
        ("state", "injected"),
        ("scope", "openid email offline_access"),
        ("redirect_uri", "https://evil.example/cb"),
    ]);
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&params),
            &alice.login,
            &alice.password,
        )
        .await;
    assert_eq!(answer.param("state"), Some(STATE));
    assert_eq!(answer.redirect_uri(), client.redirect_uri);
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    assert_eq!(tokens.str("scope"), Some("openid profile"));
}

#[tokio::test]
async fn request_uri_of_another_client_is_refused_and_kept() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let other = server.client(ClientBuilder::confidential("other")).await;
    let request_uri = push(&server, &client, &client.code_request(&[], &[])).await;
    server
        .browser()
        .navigate(&server.authorize_url(&by_reference(&other, &request_uri)))
        .await
        .assert_fatal("invalid_request_uri");
    server
        .browser()
        .navigate(&server.authorize_url(&[("request_uri", request_uri.as_str())]))
        .await
        .assert_fatal("invalid_request");
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&by_reference(&client, &request_uri)),
            &alice.login,
            &alice.password,
        )
        .await;
    assert!(answer.param("code").is_some(), "{}", answer.location);
}

#[tokio::test]
async fn expired_request_uri_is_refused() {
    let server = TestServer::start_with_manual_clock().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let request_uri = push(&server, &client, &client.code_request(&[], &[])).await;
    server.clock().advance(61);
    server
        .browser()
        .navigate(&server.authorize_url(&by_reference(&client, &request_uri)))
        .await
        .assert_fatal("invalid_request_uri");
}

#[tokio::test]
async fn par_errors_are_json_never_redirects() {
    let server = TestServer::start().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let valid = client.code_request(&[], &[]);
    let unauthenticated = server.post_form(routes::PAR, &Auth::Nothing, &valid).await;
    unauthenticated.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    let wrong_secret = server
        .post_form(routes::PAR, &Auth::Basic("web", "wrong"), &valid)
        .await;
    wrong_secret.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[("redirect_uri", "https://evil.example/cb")],
            "invalid_request",
        ),
        (&[("scope", "openid admin")], "invalid_scope"),
        (&[("response_type", "token")], "unsupported_response_type"),
        (
            &[("request_uri", "urn:ietf:params:oauth:request_uri:x")],
            "invalid_request",
        ),
        (
            &[("resource", "https://unknown.example/")],
            "invalid_target",
        ),
        (&[("client_id", "other")], "invalid_request"),
    ];
    for (set, code) in cases {
        let params = client.code_request(set, &[]);
        let answer = server
            .post_form(routes::PAR, &client.basic(), &params)
            .await;
        assert!(answer.header("location").is_none(), "{set:?}");
        answer.assert_error(StatusCode::BAD_REQUEST, code);
    }
}

#[tokio::test]
async fn a_client_that_requires_par_cannot_skip_it() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server
        .client(ClientBuilder::confidential("strict").require_par(true))
        .await;
    let browser = server.browser();
    let page = browser
        .navigate(&server.authorize_url(&client.code_request(&[], &[])))
        .await;
    let refused = browser.assert_redirected_error(&page, "invalid_request");
    assert!(
        refused
            .param("error_description")
            .is_some_and(|d| d.contains("pushed")),
        "{}",
        refused.location
    );
    let request_uri = push(&server, &client, &client.code_request(&[], &[])).await;
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&by_reference(&client, &request_uri)),
            &alice.login,
            &alice.password,
        )
        .await;
    assert!(answer.param("code").is_some(), "{}", answer.location);
}

#[tokio::test]
async fn discovery_lists_the_par_endpoint() {
    let server = TestServer::start().await;
    let metadata: serde_json::Value = propusk_testkit::http_client()
        .get(server.url(routes::DISCOVERY))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(
        metadata["pushed_authorization_request_endpoint"],
        server.url(routes::PAR)
    );
    assert_eq!(metadata["require_pushed_authorization_requests"], false);
}

#[tokio::test]
async fn attack_ssrf_through_request_uri_is_never_fetched() {
    let server = TestServer::start().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let (base, hits) = counting_listener().await;
    let target = format!("{base}/request.jwt");

    // At the authorization endpoint: a request_uri that is not ours is an error page.
    server
        .browser()
        .navigate(&server.authorize_url(&by_reference(&client, &target)))
        .await
        .assert_fatal("invalid_request_uri");
    // Dressed up as ours, with the URL after the prefix, it is only a lookup.
    let disguised = format!("{REQUEST_URI_PREFIX}{target}");
    server
        .browser()
        .navigate(&server.authorize_url(&by_reference(&client, &disguised)))
        .await
        .assert_fatal("invalid_request_uri");
    // At the PAR endpoint a request_uri is refused outright.
    let params = client.code_request(&[("request_uri", target.as_str())], &[]);
    server
        .post_form(routes::PAR, &client.basic(), &params)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the request_uri was fetched"
    );
}
