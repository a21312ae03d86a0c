//! DPoP (RFC 9449) end to end: tokens bound to the proof's key (`token_type: DPoP`,
//! `cnf.jkt` in JWTs and introspection), userinfo only with a proof of that key, a
//! public client's refresh token bound to it, and each check of a proof (§4.3) refused
//! on its own with `invalid_dpop_proof`. Proofs are signed here by hand (`DpopKey`).

use propusk_core::jose::decode_unverified;
use propusk_core::model::GrantType;
use propusk_testkit::dpop::claims;
use propusk_testkit::endpoints::{Answer, Auth};
use propusk_testkit::{
    ClientBuilder, DpopKey, ProductBuilder, TestAccount, TestClient, TestServer, pkce_pair,
};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ORDERS: &str = "https://orders.example/";

async fn setup() -> (TestServer, TestAccount, TestClient) {
    let server = TestServer::start().await;
    server
        .product(ProductBuilder::new(ORDERS).scopes(&["orders.read"]))
        .await;
    let alice = server.alice().await;
    let client = server
        .client(
            ClientBuilder::confidential("web")
                .scope("openid profile email offline_access orders.read")
                .grants(&[
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::ClientCredentials,
                ]),
        )
        .await;
    (server, alice, client)
}

const CREDENTIALS: [(&str, &str); 2] = [
    ("grant_type", "client_credentials"),
    ("scope", "orders.read"),
];

/// A client-credentials token request with this proof.
async fn credentials(server: &TestServer, client: &TestClient, proof: &str) -> Answer {
    server
        .token_dpop(&client.basic(), &CREDENTIALS, proof)
        .await
}

#[track_caller]
fn assert_proof_refused(answer: &Answer) {
    answer.assert_error(StatusCode::BAD_REQUEST, "invalid_dpop_proof");
}

/// A code flow of `client` redeemed with a proof of `key`: the tokens.
async fn code_flow(
    server: &TestServer,
    alice: &TestAccount,
    client: &TestClient,
    key: &DpopKey,
) -> Answer {
    let code = server.code_for(alice, client, &[]).await;
    let proof = key.proof("POST", &server.url(routes::TOKEN));
    let params = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
    ];
    server.token_dpop(&client.basic(), &params, &proof).await
}

#[tokio::test]
async fn dpop_code_flow_binds_the_access_token_to_the_key() {
    let (server, alice, client) = setup().await;
    let key = DpopKey::generate();
    let answer = code_flow(&server, &alice, &client, &key).await;
    let tokens = answer.issued();
    assert_eq!(answer.str("token_type"), Some("DPoP"), "{}", answer.body);

    let introspection = server
        .introspect(&client.basic(), &tokens.access_token)
        .await;
    assert_eq!(
        introspection.json["cnf"]["jkt"],
        json!(key.thumbprint()),
        "{}",
        introspection.body
    );
    assert_eq!(introspection.str("token_type"), Some("DPoP"));

    let userinfo_url = server.url(routes::USERINFO);
    let proof = key.proof_for_token("GET", &userinfo_url, &tokens.access_token);
    let userinfo = server
        .userinfo_dpop(&tokens.access_token, Some(&proof))
        .await;
    assert_eq!(userinfo.status, StatusCode::OK, "{}", userinfo.body);
    assert!(userinfo.str("sub").is_some());
}

#[tokio::test]
async fn dpop_bound_token_presented_as_bearer_is_refused() {
    let (server, alice, client) = setup().await;
    let key = DpopKey::generate();
    let tokens = code_flow(&server, &alice, &client, &key).await.issued();
    let userinfo = server.userinfo(&tokens.access_token).await;
    refused_at_userinfo(&userinfo, "invalid_token");
}

#[tokio::test]
async fn unbound_tokens_stay_bearer() {
    let (server, alice, client) = setup().await;
    let code = server.code_for(&alice, &client, &[]).await;
    let answer = server.redeem(&client.basic(), &code, &[]).await;
    let tokens = answer.issued();
    assert_eq!(answer.str("token_type"), Some("Bearer"));
    assert_eq!(
        server.userinfo(&tokens.access_token).await.status,
        StatusCode::OK
    );
    // An unbound token is not accepted under the DPoP scheme.
    let key = DpopKey::generate();
    let proof = key.proof_for_token("GET", &server.url(routes::USERINFO), &tokens.access_token);
    let userinfo = server
        .userinfo_dpop(&tokens.access_token, Some(&proof))
        .await;
    assert_eq!(
        userinfo.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        userinfo.body
    );
}

#[tokio::test]
async fn dpop_jwt_access_token_carries_cnf_jkt() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let answer = credentials(
        &server,
        &client,
        &key.proof("POST", &server.url(routes::TOKEN)),
    )
    .await;
    let tokens = answer.issued();
    assert_eq!(answer.str("token_type"), Some("DPoP"));
    let claims = decode_unverified(&tokens.access_token)
        .expect("a JWT access token")
        .claims;
    assert_eq!(claims["cnf"], json!({ "jkt": key.thumbprint() }));
}

#[tokio::test]
async fn attack_dpop_proof_replay() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let proof = key.proof("POST", &server.url(routes::TOKEN));
    credentials(&server, &client, &proof).await.issued();
    assert_proof_refused(&credentials(&server, &client, &proof).await);
}

#[tokio::test]
async fn dpop_wrong_htu_is_refused() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let proof = key.proof("POST", &server.url(routes::USERINFO));
    assert_proof_refused(&credentials(&server, &client, &proof).await);
    // Query and fragment do not count (§4.3 item 9).
    let url = format!("{}?x=1#y", server.url(routes::TOKEN));
    credentials(&server, &client, &key.proof("POST", &url))
        .await
        .issued();
}

#[tokio::test]
async fn dpop_wrong_htm_is_refused() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let proof = key.proof("GET", &server.url(routes::TOKEN));
    assert_proof_refused(&credentials(&server, &client, &proof).await);
}

#[tokio::test]
async fn dpop_stale_iat_is_refused() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    for shift in [-600, 600] {
        let mut claims = claims("POST", &server.url(routes::TOKEN));
        claims["iat"] = json!(claims["iat"].as_i64().unwrap_or_default() + shift);
        let proof = key.sign(&key.header(), &claims);
        assert_proof_refused(&credentials(&server, &client, &proof).await);
    }
}

#[tokio::test]
async fn dpop_wrong_key_at_userinfo_is_invalid_token() {
    let (server, alice, client) = setup().await;
    let key = DpopKey::generate();
    let tokens = code_flow(&server, &alice, &client, &key).await.issued();
    let other = DpopKey::generate();
    let proof = other.proof_for_token("GET", &server.url(routes::USERINFO), &tokens.access_token);
    let userinfo = server
        .userinfo_dpop(&tokens.access_token, Some(&proof))
        .await;
    let challenge = refused_at_userinfo(&userinfo, "invalid_token");
    assert!(challenge.starts_with("DPoP "), "{challenge}");
}

#[tokio::test]
async fn dpop_missing_ath_is_refused() {
    let (server, alice, client) = setup().await;
    let key = DpopKey::generate();
    let tokens = code_flow(&server, &alice, &client, &key).await.issued();
    let proof = key.proof("GET", &server.url(routes::USERINFO));
    let userinfo = server
        .userinfo_dpop(&tokens.access_token, Some(&proof))
        .await;
    let challenge = refused_at_userinfo(&userinfo, "invalid_dpop_proof");
    assert!(
        challenge.starts_with("DPoP ") && challenge.contains("invalid_dpop_proof"),
        "{challenge}"
    );
    // No proof at all under the DPoP scheme.
    let userinfo = server.userinfo_dpop(&tokens.access_token, None).await;
    assert_eq!(userinfo.error(), Some("invalid_dpop_proof"));
}

#[tokio::test]
async fn attack_dpop_alg_none_and_hs256_refused() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let claims = claims("POST", &server.url(routes::TOKEN));
    let mut none = key.header();
    none["alg"] = json!("none");
    let unsigned = key.sign(&none, &claims);
    let unsigned = format!(
        "{}.",
        unsigned.rsplit_once('.').map_or("", |(head, _)| head)
    );
    assert_proof_refused(&credentials(&server, &client, &unsigned).await);
    let mut hs = key.header();
    hs["alg"] = json!("HS256");
    assert_proof_refused(&credentials(&server, &client, &key.sign(&hs, &claims)).await);
}

#[tokio::test]
async fn attack_dpop_private_key_in_jwk_refused() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let mut header = key.header();
    header["jwk"]["d"] = json!("c29tZS1wcml2YXRlLXNjYWxhci1vZi0zMi1ieXRlcy4uLg");
    let proof = key.sign(&header, &claims("POST", &server.url(routes::TOKEN)));
    assert_proof_refused(&credentials(&server, &client, &proof).await);
}

#[tokio::test]
async fn dpop_proof_checks_typ_and_signature() {
    let (server, _, client) = setup().await;
    let key = DpopKey::generate();
    let claims = claims("POST", &server.url(routes::TOKEN));
    let mut jwt = key.header();
    jwt["typ"] = json!("JWT");
    assert_proof_refused(&credentials(&server, &client, &key.sign(&jwt, &claims)).await);
    // Signed by one key, naming another in `jwk`.
    let mut other = key.header();
    other["jwk"] = DpopKey::generate().jwk();
    assert_proof_refused(&credentials(&server, &client, &key.sign(&other, &claims)).await);
    assert_proof_refused(&credentials(&server, &client, "not-a-jwt").await);
}

#[tokio::test]
async fn dpop_nonce_retry() {
    let server = TestServer::start_configured(|config| config.dpop.require_nonce = true).await;
    server
        .product(ProductBuilder::new(ORDERS).scopes(&["orders.read"]))
        .await;
    let client = server
        .client(
            ClientBuilder::confidential("svc")
                .scope("orders.read")
                .grants(&[GrantType::ClientCredentials]),
        )
        .await;
    let key = DpopKey::generate();
    let url = server.url(routes::TOKEN);
    let first = credentials(&server, &client, &key.proof("POST", &url)).await;
    first.assert_error(StatusCode::BAD_REQUEST, "use_dpop_nonce");
    let nonce = first
        .header("dpop-nonce")
        .expect("DPoP-Nonce header")
        .to_owned();

    let mut claims = claims("POST", &url);
    claims["nonce"] = Value::String(nonce.clone());
    let answer = credentials(&server, &client, &key.sign(&key.header(), &claims)).await;
    answer.issued();
    assert_eq!(answer.header("dpop-nonce"), Some(nonce.as_str()));

    let mut forged = claims_with_nonce(&url, "forged");
    forged["jti"] = json!("another");
    let answer = credentials(&server, &client, &key.sign(&key.header(), &forged)).await;
    answer.assert_error(StatusCode::BAD_REQUEST, "use_dpop_nonce");
}

fn claims_with_nonce(url: &str, nonce: &str) -> Value {
    let mut claims = claims("POST", url);
    claims["nonce"] = json!(nonce);
    claims
}

#[tokio::test]
async fn dpop_public_client_refresh_token_is_bound_to_the_key() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::public("spa")).await;
    let (verifier, challenge) = pkce_pair();
    let code = server
        .code_for(
            &alice,
            &client,
            &[
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let key = DpopKey::generate();
    let url = server.url(routes::TOKEN);
    let auth = Auth::Public(&client.id);
    let params = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", verifier.as_str()),
    ];
    let tokens = server
        .token_dpop(&auth, &params, &key.proof("POST", &url))
        .await
        .issued();
    let refresh_token = tokens.refresh_token.expect("a refresh token");
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.as_str()),
    ];

    let other = DpopKey::generate();
    server
        .token_dpop(&auth, &refresh, &other.proof("POST", &url))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    server
        .token(&auth, &refresh)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    // Refused before it was spent: the key's holder still refreshes.
    let answer = server
        .token_dpop(&auth, &refresh, &key.proof("POST", &url))
        .await;
    answer.issued();
    assert_eq!(answer.str("token_type"), Some("DPoP"));
}

#[tokio::test]
async fn client_requiring_dpop_is_refused_without_a_proof() {
    let (server, _, _) = setup().await;
    let client = server
        .client(
            ClientBuilder::confidential("bank")
                .scope("orders.read")
                .grants(&[GrantType::ClientCredentials])
                .require_dpop(true),
        )
        .await;
    server
        .token(&client.basic(), &CREDENTIALS)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
    let key = DpopKey::generate();
    let answer = credentials(
        &server,
        &client,
        &key.proof("POST", &server.url(routes::TOKEN)),
    )
    .await;
    answer.issued();
    assert_eq!(answer.str("token_type"), Some("DPoP"));
}

#[tokio::test]
async fn discovery_lists_dpop_algorithms() {
    let server = TestServer::start().await;
    let document: Value = propusk_testkit::http_client()
        .get(server.url("/.well-known/openid-configuration"))
        .send()
        .await
        .expect("GET discovery")
        .json()
        .await
        .expect("JSON");
    let algs = document["dpop_signing_alg_values_supported"]
        .as_array()
        .expect("dpop_signing_alg_values_supported");
    for alg in ["ES256", "PS256", "RS256", "EdDSA"] {
        assert!(algs.contains(&json!(alg)), "{alg}");
    }
    assert!(!algs.contains(&json!("none")) && !algs.contains(&json!("HS256")));
}

/// Asserts a 401 from userinfo with error `code`; its `WWW-Authenticate` challenge.
#[track_caller]
fn refused_at_userinfo<'a>(userinfo: &'a Answer, code: &str) -> &'a str {
    assert_eq!(
        (userinfo.status, userinfo.error()),
        (StatusCode::UNAUTHORIZED, Some(code)),
        "{}",
        userinfo.body
    );
    userinfo.header("www-authenticate").unwrap_or_default()
}
