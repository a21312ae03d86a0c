//! Dynamic client registration through the real router (RFC 7591 §3, RFC 7592 §2):
//! who may register, each refused metadata with its RFC 7591 §3.2.2 error, and a
//! registration access token that manages its own client only.

#[path = "../common/mod.rs"]
mod common;

use common::{Server, server, server_with};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn initial_token(server: &Server) -> String {
    server
        .provider
        .create_registration_token(None)
        .await
        .expect("initial access token")
}

async fn register(server: &Server, token: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = server
        .http
        .post(server.url(routes::REGISTRATION))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("register")
}

async fn registered(server: &Server, token: &str, body: &Value) -> Value {
    let response = register(server, Some(token), body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("JSON")
}

fn web_app() -> Value {
    json!({"redirect_uris": ["https://app.example/cb"], "client_name": "App"})
}

#[tokio::test]
async fn closed_registration_wants_a_valid_initial_access_token() {
    let server = server().await;
    let missing = register(&server, None, &web_app()).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert!(
        missing
            .headers()
            .get("www-authenticate")
            .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("Bearer"))
    );
    let wrong = register(&server, Some("not-a-token"), &web_app()).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_token");
    // A valid token under another scheme, or an empty Bearer, is no token.
    let valid = initial_token(&server).await;
    for authorization in [format!("Basic {valid}"), "Bearer ".to_owned()] {
        let other = server
            .http
            .post(server.url(routes::REGISTRATION))
            .header("authorization", authorization.as_str())
            .json(&web_app())
            .send()
            .await
            .expect("register");
        assert_eq!(other.status(), StatusCode::UNAUTHORIZED, "{authorization}");
    }

    let expiring = server
        .provider
        .create_registration_token(Some(60))
        .await
        .expect("token");
    server.clock.advance(61);
    let expired = register(&server, Some(&expiring), &web_app()).await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert!(
        server
            .store()
            .list_clients()
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn a_registration_returns_credentials_and_stores_them_hashed() {
    let server = server().await;
    let token = initial_token(&server).await;
    let client = registered(&server, &token, &web_app()).await;
    let id = client["client_id"].as_str().expect("client_id");
    let secret = client["client_secret"].as_str().expect("client_secret");
    let access = client["registration_access_token"]
        .as_str()
        .expect("registration_access_token");
    assert_eq!(client["client_secret_expires_at"], 0);
    assert_eq!(client["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(
        client["registration_client_uri"],
        format!("{}/connect/register/{id}", server.base)
    );
    let secrets = server.store().client_secrets(id).await.expect("secrets");
    assert_eq!(secrets.len(), 1);
    assert_ne!(
        secrets[0].secret_hash, secret,
        "the secret is stored hashed"
    );
    assert!(
        server
            .store()
            .find_registration(access)
            .await
            .expect("find")
            .is_none(),
        "the registration access token is stored hashed"
    );

    let public = registered(
        &server,
        &token,
        &json!({"application_type": "native", "redirect_uris": ["com.example.app:/cb"]}),
    )
    .await;
    assert_eq!(public["token_endpoint_auth_method"], "none");
    assert_eq!(public.get("client_secret"), None);
}

#[tokio::test]
async fn open_registration_needs_no_token() {
    let server = server_with(|config| config.registration.open = true).await;
    let response = register(&server, None, &web_app()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn each_bad_metadata_gets_its_rfc_error() {
    let server = server().await;
    let token = initial_token(&server).await;
    let with = |extra: Value| {
        let mut body = web_app();
        if let (Some(target), Some(source)) = (body.as_object_mut(), extra.as_object()) {
            target.extend(source.clone());
        }
        body
    };
    let cases = [
        (
            json!({"redirect_uris": ["https://app.example/cb#f"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["https://*.app.example/cb"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["http://app.example/cb"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["javascript:alert(1)"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["data:text/html,x"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["https://app.example/\"é\\#x"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["com.example.app:/cb"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"grant_types": ["implicit"]}),
            "invalid_client_metadata",
        ),
        (
            json!({"grant_types": ["password"]}),
            "invalid_client_metadata",
        ),
        (
            json!({"response_types": ["token"]}),
            "invalid_client_metadata",
        ),
        (
            json!({"token_endpoint_auth_method": "tls_client_auth"}),
            "invalid_client_metadata",
        ),
        (
            json!({
                "token_endpoint_auth_method": "private_key_jwt",
                "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}]},
                "jwks_uri": "https://app.example/jwks"
            }),
            "invalid_client_metadata",
        ),
        (
            json!({"logo_uri": "http://app.example/logo.png"}),
            "invalid_client_metadata",
        ),
        (
            json!({"policy_uri": "http://app.example/policy"}),
            "invalid_client_metadata",
        ),
        (
            json!({"tos_uri": "javascript:alert(1)"}),
            "invalid_client_metadata",
        ),
        (
            json!({"client_uri": "ftp://app.example/"}),
            "invalid_client_metadata",
        ),
        (
            json!({"scope": "openid admin.everything"}),
            "invalid_client_metadata",
        ),
        (
            json!({"access_token_lifetime": 999_999_999}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": "https://app.example/cb"}),
            "invalid_client_metadata",
        ),
    ];
    for (extra, code) in cases {
        let response = register(&server, Some(&token), &with(extra.clone())).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{extra}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"], code, "{extra}: {body}");
        let description = body["error_description"].as_str().unwrap_or_default();
        assert!(!description.is_empty(), "{extra}");
        assert!(
            description
                .chars()
                .all(|c| (c == ' ' || c.is_ascii_graphic()) && c != '"' && c != '\\'),
            "RFC 6749 §5.2 characters only: {description}"
        );
    }
    let not_json = server
        .http
        .post(server.url(routes::REGISTRATION))
        .bearer_auth(&token)
        .body("redirect_uris=https://app.example/cb")
        .send()
        .await
        .expect("post");
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let body: Value = not_json.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_client_metadata");
    assert!(
        server
            .store()
            .list_clients()
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn a_registration_access_token_manages_its_own_client_only() {
    let server = server().await;
    let token = initial_token(&server).await;
    let first = registered(&server, &token, &web_app()).await;
    let second = registered(&server, &token, &web_app()).await;
    let second_uri = second["registration_client_uri"].as_str().expect("uri");
    let first_token = first["registration_access_token"].as_str().expect("token");

    let read = server
        .http
        .get(second_uri)
        .bearer_auth(first_token)
        .send()
        .await
        .expect("read");
    assert_eq!(read.status(), StatusCode::UNAUTHORIZED);
    let update = server
        .http
        .put(second_uri)
        .bearer_auth(first_token)
        .json(&json!({"client_id": second["client_id"], "redirect_uris": ["https://evil.example/cb"]}))
        .send()
        .await
        .expect("update");
    assert_eq!(update.status(), StatusCode::UNAUTHORIZED);
    let delete = server
        .http
        .delete(second_uri)
        .bearer_auth(first_token)
        .send()
        .await
        .expect("delete");
    assert_eq!(delete.status(), StatusCode::UNAUTHORIZED);
    let initial = server
        .http
        .get(second_uri)
        .bearer_auth(&token)
        .send()
        .await
        .expect("read with the initial token");
    assert_eq!(initial.status(), StatusCode::UNAUTHORIZED);
    let none = server.http.get(second_uri).send().await.expect("read");
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);

    let second_id = second["client_id"].as_str().expect("id");
    let kept = server
        .store()
        .get_client(second_id)
        .await
        .expect("get")
        .expect("the second client is still there");
    assert_eq!(kept.redirect_uris, ["https://app.example/cb"]);
}

#[tokio::test]
async fn an_update_is_validated_and_must_name_its_client() {
    let server = server().await;
    let token = initial_token(&server).await;
    let client = registered(&server, &token, &web_app()).await;
    let uri = client["registration_client_uri"].as_str().expect("uri");
    let access = client["registration_access_token"].as_str().expect("token");
    let put = |body: Value| server.http.put(uri).bearer_auth(access).json(&body).send();
    let bad = put(json!({"client_id": client["client_id"], "redirect_uris": ["javascript:x()"]}))
        .await
        .expect("put");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_redirect_uri");
    let unnamed = put(json!({"redirect_uris": ["https://app.example/cb"]}))
        .await
        .expect("put");
    assert_eq!(unnamed.status(), StatusCode::BAD_REQUEST);
    let wrong_secret = put(json!({
        "client_id": client["client_id"],
        "client_secret": "not-the-secret",
        "redirect_uris": ["https://app.example/cb"]
    }))
    .await
    .expect("put");
    assert_eq!(wrong_secret.status(), StatusCode::BAD_REQUEST);
    let public = put(json!({
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "token_endpoint_auth_method": "none",
        "redirect_uris": ["https://app.example/cb"]
    }))
    .await
    .expect("put");
    assert_eq!(public.status(), StatusCode::OK);
    let id = client["client_id"].as_str().expect("id");
    assert!(
        server
            .store()
            .client_secrets(id)
            .await
            .expect("secrets")
            .is_empty(),
        "a client that turns public loses its api-keys"
    );
}

#[tokio::test]
async fn discovery_names_the_registration_endpoint() {
    let server = server().await;
    let discovery: Value = server
        .http
        .get(server.url(routes::DISCOVERY))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        discovery["registration_endpoint"],
        server.url(routes::REGISTRATION)
    );
}
