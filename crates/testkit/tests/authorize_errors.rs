//! Error paths of the authorization endpoint, end to end over a socket (RFC 6749
//! §4.1.2.1, OIDC Core §3.1.2.6, RFC 9207). Each test asserts the exact status and error
//! code and that nothing was issued: no code, and no redirect where none may happen.

use propusk_testkit::{
    ClientBuilder, OTHER_REDIRECT_URI, REDIRECT_URI, TestAccount, TestClient, TestServer,
};
use reqwest::StatusCode;
use reqwest::header::LOCATION;

async fn setup() -> (TestServer, TestAccount, TestClient) {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    (server, alice, client)
}

#[tokio::test]
async fn unknown_client_gets_an_error_page() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let page = browser
        .get(&server.authorize_url(&client.code_request(&[("client_id", "nobody")], &[])))
        .await;
    page.assert_fatal("invalid_client");
    let page = browser
        .get(&server.authorize_url(&client.code_request(&[], &["client_id"])))
        .await;
    page.assert_fatal("invalid_request");
}

#[tokio::test]
async fn unregistered_redirect_uri_never_redirects() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    for uri in [
        "https://evil.example/cb",
        "https://rp.example/cb/",
        "https://rp.example/cb?x=1",
        "https://RP.example/cb",
        "http://rp.example/cb",
    ] {
        let page = browser
            .get(&server.authorize_url(&client.code_request(&[("redirect_uri", uri)], &[])))
            .await;
        page.assert_fatal("invalid_request");
    }
}

#[tokio::test]
async fn missing_redirect_uri_with_several_registered_is_fatal() {
    let server = TestServer::start().await;
    let two = server
        .client(
            ClientBuilder::confidential("two").redirect_uris(&[REDIRECT_URI, OTHER_REDIRECT_URI]),
        )
        .await;
    let browser = server.browser();
    let page = browser
        .get(&server.authorize_url(&two.code_request(&[], &["redirect_uri"])))
        .await;
    page.assert_fatal("invalid_request");

    // With exactly one registered, the omitted parameter means that one.
    let one = server.client(ClientBuilder::confidential("one")).await;
    let page = browser
        .get(&server.authorize_url(&one.code_request(&[], &["redirect_uri"])))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        page.location()
            .expect("location")
            .path()
            .starts_with("/interaction/")
    );
}

#[tokio::test]
async fn unsupported_response_type_is_redirected() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    for response_type in ["token", "id_token", "code id_token", "bogus"] {
        let url =
            server.authorize_url(&client.code_request(&[("response_type", response_type)], &[]));
        let page = browser.get(&url).await;
        browser.assert_redirected_error(&page, "unsupported_response_type");
    }
    let page = browser
        .get(&server.authorize_url(&client.code_request(&[], &["response_type"])))
        .await;
    browser.assert_redirected_error(&page, "invalid_request");
}

#[tokio::test]
async fn public_client_without_pkce_is_refused() {
    let server = TestServer::start().await;
    let public = server.client(ClientBuilder::public("spa")).await;
    let browser = server.browser();
    let page = browser
        .get(&server.authorize_url(&public.code_request(&[], &[])))
        .await;
    browser.assert_redirected_error(&page, "invalid_request");
    let method_only = [("code_challenge_method", "S256")];
    let page = browser
        .get(&server.authorize_url(&public.code_request(&method_only, &[])))
        .await;
    browser.assert_redirected_error(&page, "invalid_request");
}

#[tokio::test]
async fn nonce_without_openid_is_refused() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let url =
        server.authorize_url(&client.code_request(&[("scope", "profile"), ("nonce", "n-1")], &[]));
    let page = browser.get(&url).await;
    browser.assert_redirected_error(&page, "invalid_request");
}

#[tokio::test]
async fn prompt_none_without_session_is_login_required() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let page = browser
        .get(&server.authorize_url(&client.code_request(&[("prompt", "none")], &[])))
        .await;
    browser.assert_redirected_error(&page, "login_required");
    assert!(!browser.has_session());
}

#[tokio::test]
async fn prompt_none_with_session_but_no_consent_is_consent_required() {
    let (server, alice, client) = setup().await;
    let browser = server.signed_in(&alice, &client, "openid").await;

    // Consent covers `openid` only: asking for more without a page is refused…
    let url = server.authorize_url(
        &client.code_request(&[("prompt", "none"), ("scope", "openid profile")], &[]),
    );
    let page = browser.get(&url).await;
    browser.assert_redirected_error(&page, "consent_required");

    // …while the consented scope is answered silently.
    let url =
        server.authorize_url(&client.code_request(&[("prompt", "none"), ("scope", "openid")], &[]));
    let answer = browser
        .answer(&browser.get(&url).await)
        .expect("redirect to the client");
    assert!(answer.param("code").is_some(), "{}", answer.location);
    assert_eq!(answer.param("iss"), Some(server.issuer.as_str()));
}

#[tokio::test]
async fn duplicate_parameters_are_refused() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let mut twice_scope = client.code_request(&[], &[]);
    twice_scope.push(("scope", "openid"));
    let page = browser.get(&server.authorize_url(&twice_scope)).await;
    browser.assert_redirected_error(&page, "invalid_request");

    let mut twice_nonce = client.code_request(&[("nonce", "a")], &[]);
    twice_nonce.push(("nonce", "b"));
    let page = browser.get(&server.authorize_url(&twice_nonce)).await;
    browser.assert_redirected_error(&page, "invalid_request");

    // Repeated client_id or redirect_uri: the client cannot be trusted, so no redirect.
    for name in ["client_id", "redirect_uri"] {
        let mut twice = client.code_request(&[], &[]);
        let value = twice
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .expect("present");
        twice.push((name, value));
        let page = browser.get(&server.authorize_url(&twice)).await;
        page.assert_fatal("invalid_request");
    }
}

#[tokio::test]
async fn malformed_query_encoding_gets_an_error_page() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let base = server.url(propusk_types::routes::AUTHORIZE);
    let good = format!(
        "response_type=code&client_id={}&redirect_uri={}&scope=openid",
        client.id,
        url::form_urlencoded::byte_serialize(REDIRECT_URI.as_bytes()).collect::<String>()
    );
    for broken in [
        // Percent-escapes that do not decode to UTF-8, and ones that are not escapes.
        format!("{good}&state=%FF%FE"),
        format!("{good}&state=%E2%82"),
        format!("{good}&state=%ZZ"),
        format!("{good}&nonce=%"),
    ] {
        let url = url::Url::parse(&format!("{base}?{broken}")).expect("url");
        let page = browser.get(&url).await;
        assert_eq!(
            page.status,
            StatusCode::BAD_REQUEST,
            "query {broken} answered {:?}",
            page.location()
        );
        page.assert_fatal("invalid_request");
    }
}

#[tokio::test]
async fn scope_not_allowed_is_invalid_scope() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let page = browser
        .get(&server.authorize_url(&client.code_request(&[("scope", "openid admin")], &[])))
        .await;
    browser.assert_redirected_error(&page, "invalid_scope");
}

#[tokio::test]
async fn authorize_by_post_takes_form_bodies_only() {
    let (server, _, client) = setup().await;
    let browser = server.browser();
    let endpoint = server.url(propusk_types::routes::AUTHORIZE);
    let params = client.code_request(&[], &[]);
    let json: serde_json::Map<String, serde_json::Value> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let response = browser
        .http()
        .post(&endpoint)
        .json(&json)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get(LOCATION).is_none());
    let body = response.text().await.expect("body");
    assert!(body.contains("invalid_request"), "{body}");

    // The same request form-encoded is an authorization request (RFC 6749 §3.1).
    let response = browser
        .http()
        .post(&endpoint)
        .form(&params)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(location.starts_with("/interaction/"), "{location}");
}
