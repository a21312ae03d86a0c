//! `private_key_jwt` client authentication (RFC 7523 §3): audience, expiry, single-use
//! `jti`, algorithm allow-list, registered keys only.

use crate::common::*;
use crate::*;
use propusk_core::client_auth::JWT_BEARER_ASSERTION;
use propusk_core::jose::{Alg, JwkSet, SigningKey};
use propusk_core::model::{AuthMethod, Client};
use propusk_types::routes::TOKEN;
use serde_json::{Value, json};

struct AssertionClient {
    key: SigningKey,
}

async fn assertion_client(server: &Server) -> AssertionClient {
    let key = SigningKey::generate(Alg::ES256, "client-key-1".into()).expect("key");
    let client = Client {
        jwks: Some(JwkSet {
            keys: vec![key.public_jwk()],
        }),
        ..confidential("signer", AuthMethod::PrivateKeyJwt)
    };
    server.add_client(client, None).await;
    AssertionClient { key }
}

fn assertion_claims(server: &Server, jti: &str) -> Value {
    json!({
        "iss": "signer",
        "sub": "signer",
        "aud": server.url(TOKEN),
        "exp": server.now() + 60,
        "iat": server.now(),
        "jti": jti,
    })
}

async fn with_assertion(server: &Server, assertion: &str) -> reqwest::Response {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", JWT_BEARER_ASSERTION),
        ("client_assertion", assertion),
    ];
    server.post(TOKEN, &form).await
}

fn unsigned(header: &Value, claims: &Value, signature: &str) -> String {
    use propusk_core::crypto::b64url;
    format!(
        "{}.{}.{signature}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

#[tokio::test]
async fn private_key_jwt_accepts_a_good_assertion_once() {
    let server = setup().await;
    let client = assertion_client(&server).await;
    let assertion = client
        .key
        .sign_jwt("JWT", &assertion_claims(&server, "j1"))
        .expect("sign");
    issued(with_assertion(&server, &assertion).await).await;
    let body = refused(
        with_assertion(&server, &assertion).await,
        401,
        "invalid_client",
    )
    .await;
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("jti replayed")),
        "{body}"
    );
    let mut issuer_aud = assertion_claims(&server, "j2");
    issuer_aud["aud"] = json!([server.base.clone()]);
    let assertion = client.key.sign_jwt("JWT", &issuer_aud).expect("sign");
    issued(with_assertion(&server, &assertion).await).await;
}

#[tokio::test]
async fn bad_client_assertions_are_invalid_client() {
    let server = setup().await;
    let client = assertion_client(&server).await;
    let sign = |claims: &Value| client.key.sign_jwt("JWT", claims).expect("sign");

    let mut wrong_aud = assertion_claims(&server, "a1");
    wrong_aud["aud"] = json!("https://elsewhere.example/token");
    let mut expired = assertion_claims(&server, "a2");
    expired["exp"] = json!(server.now() - 1);
    let mut far = assertion_claims(&server, "a3");
    far["exp"] = json!(server.now() + 24 * 3600);
    let mut no_jti = assertion_claims(&server, "a4");
    no_jti.as_object_mut().expect("object").remove("jti");
    let mut other_sub = assertion_claims(&server, "a5");
    other_sub["sub"] = json!("web");
    let impostor = SigningKey::generate(Alg::ES256, "client-key-1".into()).expect("key");
    let same_kid = impostor
        .sign_jwt("JWT", &assertion_claims(&server, "a6"))
        .expect("sign");
    let stranger = SigningKey::generate(Alg::ES256, "stranger-key".into()).expect("key");
    let unknown_key = stranger
        .sign_jwt("JWT", &assertion_claims(&server, "a9"))
        .expect("sign");
    let none = unsigned(
        &json!({"alg": "none"}),
        &assertion_claims(&server, "a7"),
        "",
    );
    let hs256 = unsigned(
        &json!({"alg": "HS256", "kid": "client-key-1"}),
        &assertion_claims(&server, "a8"),
        "c2ln",
    );

    let cases = [
        ("aud does not name", sign(&wrong_aud)),
        ("expired", sign(&expired)),
        ("too far", sign(&far)),
        ("jti missing", sign(&no_jti)),
        ("sub must equal", sign(&other_sub)),
        ("no registered key", unknown_key),
        ("signature invalid", same_kid),
        ("algorithm not allowed", none),
        ("algorithm not allowed", hs256),
        ("not a JWT", "garbage".into()),
    ];
    for (reason, assertion) in cases {
        let response = with_assertion(&server, &assertion).await;
        assert_eq!(response.status().as_u16(), 401, "{reason}");
        let body = refused(response, 401, "invalid_client").await;
        let description = body["error_description"].as_str().unwrap_or_default();
        assert!(description.contains(reason), "{reason}: {description}");
    }
}

/// A cabinet application switched from api-keys to `private_key_jwt` with a pasted JWK Set
/// authenticates with an assertion of its own key; the settings refuse a set with a
/// private part, a set and an address together, and text that is not JSON.
#[tokio::test]
async fn a_cabinet_app_switched_to_private_key_jwt_authenticates_with_its_key() {
    use propusk_core::developer::{AppSettings, Cabinet, CabinetError, NewApp, Problem};
    let server = setup().await;
    let owner = propusk_core::model::Account {
        phone: None,
        ..account("integrator")
    };
    server
        .store()
        .create_account(&owner)
        .await
        .expect("account");
    let cabinet = Cabinet::new(&server.provider);
    cabinet.accept_terms(&owner, "1").await.expect("terms");
    let new = NewApp {
        name: "Billing".into(),
        app_type: "service".into(),
        ..NewApp::default()
    };
    let app = cabinet.create_app(&owner, &new).await.expect("app");
    let key = SigningKey::generate(Alg::ES256, "k1".into()).expect("key");
    let public = JwkSet {
        keys: vec![key.public_jwk()],
    };
    let mut settings = AppSettings::of(&app);
    settings.auth_method = "private_key_jwt".into();
    settings.jwks = serde_json::to_string(&public).expect("json");

    let problem_of = |result: Result<_, CabinetError>| match result {
        Err(CabinetError::Invalid(problem)) => problem,
        other => panic!("refused, got {:?}", other.map(|_: Client| ())),
    };
    let mut both = settings.clone();
    both.jwks_uri = "https://keys.example/jwks.json".into();
    let problem = problem_of(cabinet.update_app(&owner, &app.id, &both).await);
    assert!(matches!(problem, Problem::Keys(_)), "{problem:?}");
    let mut not_json = settings.clone();
    not_json.jwks = "{keys".into();
    let problem = problem_of(cabinet.update_app(&owner, &app.id, &not_json).await);
    assert!(matches!(problem, Problem::JwksNotJson), "{problem:?}");
    let mut private = settings.clone();
    let mut with_d = serde_json::to_value(&public).expect("json");
    with_d["keys"][0]["d"] = json!("c2VjcmV0");
    private.jwks = with_d.to_string();
    let problem = problem_of(cabinet.update_app(&owner, &app.id, &private).await);
    assert!(matches!(problem, Problem::Keys(_)), "{problem:?}");

    let updated = cabinet
        .update_app(&owner, &app.id, &settings)
        .await
        .expect("saved");
    assert_eq!(updated.auth_method, AuthMethod::PrivateKeyJwt);
    let shown = AppSettings::of(&updated);
    assert_eq!(shown.auth_method, "private_key_jwt");
    assert!(shown.jwks.contains("\"k1\""), "{}", shown.jwks);

    // The operator approved a product scope for it (as the scope-request CLI does).
    server
        .add_product("orders-api", &["orders.read"], TokenFormat::Jwt)
        .await;
    let mut approved = updated.clone();
    approved.scope = propusk_types::scope::Scope::parse("orders.read").expect("scope");
    server
        .store()
        .update_client(&approved)
        .await
        .expect("scope");

    let token_with = |key: &SigningKey, jti: &str| {
        let claims = json!({
            "iss": app.id, "sub": app.id, "aud": server.url(TOKEN),
            "exp": server.now() + 60, "iat": server.now(), "jti": jti,
        });
        key.sign_jwt("JWT", &claims).expect("sign")
    };
    let post = |assertion: String| {
        let id = app.id.clone();
        let server = &server;
        async move {
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", id.as_str()),
                ("scope", "orders.read"),
                ("client_assertion_type", JWT_BEARER_ASSERTION),
                ("client_assertion", assertion.as_str()),
            ];
            server.post(TOKEN, &form).await
        }
    };
    issued(post(token_with(&key, "cabinet-1")).await).await;
    let stranger = SigningKey::generate(Alg::ES256, "k1".into()).expect("key");
    refused(
        post(token_with(&stranger, "cabinet-2")).await,
        401,
        "invalid_client",
    )
    .await;
}
