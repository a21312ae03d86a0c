//! Signed request objects (RFC 9101) end to end, at the authorization endpoint and at
//! PAR (RFC 9126 §3). A refusal before the signature checked out is an error page; after
//! it, the object's own `redirect_uri` is trusted and gets `invalid_request_object`.
//! Only the object's parameters count: those beside it in the query are ignored.

use propusk_testkit::{ClientBuilder, ClientKey, STATE, TestClient, TestServer, jws_with};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The claims of a good request object for `client`: a code request, `state`
/// [`STATE`], a fresh `jti`, valid for a minute.
fn object_claims(server: &TestServer, client: &TestClient) -> Value {
    let now = now();
    json!({
        "iss": client.id,
        "aud": server.issuer,
        "client_id": client.id,
        "response_type": "code",
        "redirect_uri": client.redirect_uri,
        "scope": "openid profile",
        "state": STATE,
        "nonce": "n-0S6_WzA2Mj",
        "iat": now,
        "nbf": now,
        "exp": now + 60,
        "jti": propusk_testkit::random(12),
    })
}

/// A client (secret-based at the token endpoint) whose request objects `key` signs.
async fn client_with_key(server: &TestServer, builder: ClientBuilder) -> (TestClient, ClientKey) {
    let key = ClientKey::generate();
    let client = server.client(builder.jwks(key.jwks())).await;
    (client, key)
}

fn by_value<'a>(client: &'a TestClient, object: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("client_id", client.id.as_str()), ("request", object)]
}

#[tokio::test]
async fn signed_request_object_authorizes_with_its_own_parameters() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let (client, key) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let object = key.sign(&object_claims(&server, &client));
    let mut params = by_value(&client, &object);
    // RFC 9101 §6.3: parameters beside the object are not used.
    params.extend([
        ("state", "injected"),
        ("scope", "openid email offline_access"),
        ("redirect_uri", "https://evil.example/cb"),
        ("response_type", "token"),
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
    let issued = tokens.issued();
    assert!(issued.id_token.is_some());
}

#[tokio::test]
async fn attack_algorithm_confusion_alg_none_request_object() {
    let server = TestServer::start().await;
    let (client, _) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let claims = object_claims(&server, &client);
    let unsigned = jws_with(&json!({"alg": "none"}), &claims, |_| Vec::new());
    let page = server
        .browser()
        .navigate(&server.authorize_url(&by_value(&client, &unsigned)))
        .await;
    page.assert_fatal("invalid_request_object");
    refused_at_par(&server, &client, &unsigned, "alg none").await;
}

/// At PAR the refusal is JSON, with a description naming the reason.
async fn refused_at_par(server: &TestServer, client: &TestClient, object: &str, reason: &str) {
    let answer = server
        .post_form(routes::PAR, &client.basic(), &[("request", object)])
        .await;
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_request_object");
    let description = answer.str("error_description").unwrap_or_default();
    assert!(description.contains(reason), "{description}");
}

#[tokio::test]
async fn attack_algorithm_confusion_hs256_with_the_public_key() {
    let server = TestServer::start().await;
    let (client, key) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let claims = object_claims(&server, &client);
    // The classic confusion: the public key, as the verifier may hold it, used as the
    // HMAC secret.
    let public = serde_json::to_vec(&key.jwk()).expect("jwk");
    let forged = jws_with(&json!({"alg": "HS256", "kid": key.kid}), &claims, |input| {
        let secret = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &public);
        aws_lc_rs::hmac::sign(&secret, input).as_ref().to_vec()
    });
    let page = server
        .browser()
        .navigate(&server.authorize_url(&by_value(&client, &forged)))
        .await;
    page.assert_fatal("invalid_request_object");
    refused_at_par(&server, &client, &forged, "HMAC").await;
}

#[tokio::test]
async fn object_signed_by_another_key_is_refused_with_a_page() {
    let server = TestServer::start().await;
    let (client, _) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let stranger = ClientKey::generate();
    let object = stranger.sign(&object_claims(&server, &client));
    server
        .browser()
        .navigate(&server.authorize_url(&by_value(&client, &object)))
        .await
        .assert_fatal("invalid_request_object");
}

#[tokio::test]
async fn wrong_audience_is_refused_at_the_client() {
    let server = TestServer::start().await;
    let (client, key) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let mut claims = object_claims(&server, &client);
    claims["aud"] = json!("https://other-provider.example");
    let browser = server.browser();
    let page = browser
        .navigate(&server.authorize_url(&by_value(&client, &key.sign(&claims))))
        .await;
    let refused = browser.assert_redirected_error(&page, "invalid_request_object");
    assert!(
        refused
            .param("error_description")
            .is_some_and(|d| d.contains("aud")),
        "{}",
        refused.location
    );
}

#[tokio::test]
async fn expired_or_early_objects_are_refused() {
    let server = TestServer::start().await;
    let (client, key) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let now = now();
    let changes: [(&str, Value, &str); 4] = [
        ("exp", json!(now - 1), "expired"),
        ("exp", Value::Null, "exp missing"),
        ("nbf", json!(now + 600), "nbf"),
        ("exp", json!(now + 7200), "60 minutes"),
    ];
    for (name, value, expected) in changes {
        let mut claims = object_claims(&server, &client);
        match value {
            Value::Null => {
                claims.as_object_mut().map(|c| c.remove(name));
            }
            value => claims[name] = value,
        }
        let browser = server.browser();
        let page = browser
            .navigate(&server.authorize_url(&by_value(&client, &key.sign(&claims))))
            .await;
        let refused = browser.assert_redirected_error(&page, "invalid_request_object");
        assert!(
            refused
                .param("error_description")
                .is_some_and(|d| d.contains(expected)),
            "{name}: {}",
            refused.location
        );
    }
}

#[tokio::test]
async fn attack_jar_replay() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let (client, key) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let object = key.sign(&object_claims(&server, &client));
    let url = server.authorize_url(&by_value(&client, &object));
    let first = server
        .browser()
        .authorize(&url, &alice.login, &alice.password)
        .await;
    assert!(first.param("code").is_some(), "{}", first.location);

    let browser = server.browser();
    let page = browser.navigate(&url).await;
    let refused = browser.assert_redirected_error(&page, "invalid_request_object");
    assert!(
        refused
            .param("error_description")
            .is_some_and(|d| d.contains("jti replayed")),
        "{}",
        refused.location
    );
}

#[tokio::test]
async fn client_id_must_match_the_objects() {
    let server = TestServer::start().await;
    let (client, key) = client_with_key(&server, ClientBuilder::confidential("web")).await;
    let other = server.client(ClientBuilder::confidential("other")).await;
    let mut claims = object_claims(&server, &client);
    claims["client_id"] = json!(other.id);
    let object = key.sign(&claims);
    server
        .browser()
        .navigate(&server.authorize_url(&by_value(&client, &object)))
        .await
        .assert_fatal("invalid_request_object");
    // Named as another client in the query, the object does not verify with its keys.
    let object = key.sign(&object_claims(&server, &client));
    server
        .browser()
        .navigate(&server.authorize_url(&by_value(&other, &object)))
        .await
        .assert_fatal("invalid_request_object");
    // And iss must be the client.
    let mut claims = object_claims(&server, &client);
    claims["iss"] = json!("someone-else");
    let browser = server.browser();
    let page = browser
        .navigate(&server.authorize_url(&by_value(&client, &key.sign(&claims))))
        .await;
    browser.assert_redirected_error(&page, "invalid_request_object");
}

#[tokio::test]
async fn a_client_that_requires_signed_objects_cannot_send_plain_parameters() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let (client, key) = client_with_key(
        &server,
        ClientBuilder::confidential("strict").require_signed_request_object(true),
    )
    .await;
    let browser = server.browser();
    let page = browser
        .navigate(&server.authorize_url(&client.code_request(&[], &[])))
        .await;
    let refused = browser.assert_redirected_error(&page, "invalid_request");
    assert!(
        refused
            .param("error_description")
            .is_some_and(|d| d.contains("signed request object")),
        "{}",
        refused.location
    );
    // Pushed as plain parameters: refused at PAR as well.
    server
        .post_form(routes::PAR, &client.basic(), &client.code_request(&[], &[]))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");

    let object = key.sign(&object_claims(&server, &client));
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&by_value(&client, &object)),
            &alice.login,
            &alice.password,
        )
        .await;
    assert!(answer.param("code").is_some(), "{}", answer.location);
}

#[tokio::test]
async fn a_request_object_pushed_to_par() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let (client, key) = client_with_key(
        &server,
        ClientBuilder::confidential("fapi").require_signed_request_object(true),
    )
    .await;
    let object = key.sign(&object_claims(&server, &client));
    let pushed = server
        .post_form(
            routes::PAR,
            &client.basic(),
            &[("request", object.as_str()), ("scope", "openid email")],
        )
        .await;
    assert_eq!(pushed.status, StatusCode::CREATED, "{}", pushed.body);
    let request_uri = pushed.str("request_uri").expect("request_uri").to_owned();
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&[
                ("client_id", client.id.as_str()),
                ("request_uri", request_uri.as_str()),
            ]),
            &alice.login,
            &alice.password,
        )
        .await;
    assert_eq!(answer.param("state"), Some(STATE));
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    assert_eq!(tokens.str("scope"), Some("openid profile"));

    // The same object again: its jti was taken at PAR.
    server
        .post_form(
            routes::PAR,
            &client.basic(),
            &[("request", object.as_str())],
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request_object");
    // An object of another key is JSON invalid_request_object, never a redirect.
    let stranger = ClientKey::generate().sign(&object_claims(&server, &client));
    let refused = server
        .post_form(
            routes::PAR,
            &client.basic(),
            &[("request", stranger.as_str())],
        )
        .await;
    assert!(refused.header("location").is_none());
    refused.assert_error(StatusCode::BAD_REQUEST, "invalid_request_object");
}

#[tokio::test]
async fn the_clients_registered_alg_is_the_only_one() {
    let server = TestServer::start().await;
    let (client, key) = client_with_key(
        &server,
        ClientBuilder::confidential("ps").request_object_signing_alg("PS256"),
    )
    .await;
    let object = key.sign(&object_claims(&server, &client));
    let page = server
        .browser()
        .navigate(&server.authorize_url(&by_value(&client, &object)))
        .await;
    page.assert_fatal("invalid_request_object");
    refused_at_par(&server, &client, &object, "request_object_signing_alg").await;
}

/// Serves `jwks` at `http://127.0.0.1:PORT/jwks.json`.
async fn serve_jwks(jwks: Value) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let app = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(move || {
            let jwks = jwks.clone();
            async move { axum::Json(jwks) }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{address}/jwks.json")
}

#[tokio::test]
async fn a_client_with_a_jwks_uri() {
    let server = TestServer::start_with_loopback_fetcher().await;
    let alice = server.alice().await;
    let key = ClientKey::generate();
    let uri = serve_jwks(serde_json::to_value(key.jwks()).expect("jwks")).await;
    let client = server
        .client(ClientBuilder::confidential("remote").jwks_uri(&uri))
        .await;
    let object = key.sign(&object_claims(&server, &client));
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&by_value(&client, &object)),
            &alice.login,
            &alice.password,
        )
        .await;
    assert_eq!(answer.param("state"), Some(STATE));
    // Another key with the same kid is not the client's.
    let mut impostor = ClientKey::generate();
    impostor.kid = key.kid.clone();
    server
        .browser()
        .navigate(&server.authorize_url(&by_value(
            &client,
            &impostor.sign(&object_claims(&server, &client)),
        )))
        .await
        .assert_fatal("invalid_request_object");
}

#[tokio::test]
async fn discovery_lists_request_objects() {
    let server = TestServer::start().await;
    let metadata: Value = propusk_testkit::http_client()
        .get(server.url(routes::DISCOVERY))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(metadata["request_parameter_supported"], true);
    let algs = metadata["request_object_signing_alg_values_supported"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for alg in ["RS256", "PS256", "ES256", "EdDSA"] {
        assert!(algs.contains(&json!(alg)), "{alg}: {algs:?}");
    }
    assert!(!algs.contains(&json!("none")) && !algs.contains(&json!("HS256")));
    assert!(metadata.get("require_signed_request_object").is_none());
}
