//! Regression tests for the known attack classes on identity providers, one test per
//! class, each named `attack_<class>`. Run them all with
//! `cargo nextest run --workspace -E 'test(/attack_/)'`.
//!
//! Classes whose test lives beside the feature it attacks:
//! - code replay and revocation of what it issued:
//!   `token_errors::attack_code_replay_revokes_what_the_first_use_issued`;
//! - refresh token bound to its client:
//!   `propusk-web token::refresh::attack_refresh_token_of_another_client`;
//! - login CSRF: `authorize_sessions::attack_login_csrf_creates_no_session`;
//! - `max_age` and `prompt=login` bypass: `step_up::attack_max_age_bypass`,
//!   `step_up::attack_prompt_login_bypass`;
//! - TOTP code replay: `propusk-store account_flows::attack_totp_code_replay`;
//! - password reset that skips the second factor:
//!   `propusk-store account_flows::attack_password_reset_skipping_the_second_factor`;
//! - SSRF through `request_uri`: `pushed_requests::attack_ssrf_through_request_uri_is_never_fetched`;
//! - token exchange without an audience check:
//!   `resource_indicators::attack_token_exchange_without_audience_check`;
//! - JAR replay: `request_objects::attack_jar_replay`; algorithm confusion in request
//!   objects: `request_objects::attack_algorithm_confusion_*`;
//! - DPoP proof replay: `dpop::attack_dpop_proof_replay` (with `attack_dpop_alg_none_and_hs256_refused`,
//!   `attack_dpop_private_key_in_jwk_refused`); a certificate-bound token without its
//!   certificate: `propusk mtls_client_auth::attack_certificate_bound_token_replay_without_the_certificate`.

use aws_lc_rs::hmac;
use propusk_core::model::GrantType;
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{
    AccountBuilder, ClientBuilder, ClientKey, PASSWORD, ProductBuilder, TestClient, TestServer,
    assertion_claims, b64url, counting_listener, jws_with, pkce_pair,
};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

async fn setup() -> (TestServer, TestClient) {
    let server = TestServer::start().await;
    server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    (server, client)
}

/// Each `redirect_uri` must get the error page, never a redirect to it.
async fn refused_redirect_uris(uris: &[&str]) {
    let (server, client) = setup().await;
    let browser = server.browser();
    for uri in uris {
        let page = browser
            .get(&server.authorize_url(&client.code_request(&[("redirect_uri", uri)], &[])))
            .await;
        assert!(
            !page.is_redirect(),
            "{uri} redirected: {:?}",
            page.location()
        );
        page.assert_fatal("invalid_request");
    }
}

// The registered URI is https://rp.example/cb.

#[tokio::test]
async fn attack_redirect_uri_prefix_bypass() {
    refused_redirect_uris(&[
        "https://rp.example/",
        "https://rp.example",
        "https://rp.example/c",
        "https://rp.example/cb/",
    ])
    .await;
}

#[tokio::test]
async fn attack_redirect_uri_suffix_bypass() {
    refused_redirect_uris(&[
        "https://rp.example/cb/evil",
        "https://rp.example/cb/../evil",
        "https://rp.example/cb?next=https://evil.example",
        "https://rp.example/cb#x",
        "https://rp.example.evil.example/cb",
        "https://rp.example/cbx",
    ])
    .await;
}

#[tokio::test]
async fn attack_redirect_uri_encoding_bypass() {
    refused_redirect_uris(&[
        "https://rp.example/%63b",
        "https://rp.example/cb%2F..%2Fevil",
        "https://rp.example%2F@evil.example/cb",
        "https://rp.example/cb%00",
        "https://rp.example/cb%23",
        "https://rp.exampl%65/cb",
        "https://rp.example/CB",
    ])
    .await;
}

#[tokio::test]
async fn attack_redirect_uri_userinfo_bypass() {
    refused_redirect_uris(&[
        "https://rp.example@evil.example/cb",
        "https://evil.example@rp.example/cb",
        "https://rp.example:pass@evil.example/cb",
        "https://rp.example\\@evil.example/cb",
    ])
    .await;
}

#[tokio::test]
async fn attack_open_redirect_through_end_session() {
    let (server, client) = setup().await;
    let evil = "https://evil.example/landing";
    let queries: [Vec<(&str, &str)>; 3] = [
        vec![("post_logout_redirect_uri", evil)],
        vec![
            ("post_logout_redirect_uri", evil),
            ("client_id", client.id.as_str()),
        ],
        vec![
            ("post_logout_redirect_uri", "https://rp.example/cb"),
            ("client_id", "nobody"),
        ],
    ];
    for query in queries {
        let mut url = url::Url::parse(&server.url(routes::END_SESSION)).expect("url");
        url.query_pairs_mut().extend_pairs(query.iter());
        let page = server.browser().get(&url).await;
        if let Some(location) = page.location() {
            assert_eq!(
                location.origin(),
                url.origin(),
                "end session redirected off the provider: {location}"
            );
        }
        assert!(
            !page.status.is_server_error(),
            "{}: {}",
            page.status,
            page.body
        );
    }
}

/// Dynamic registration (RFC 7591) with an initial access token; the raw answer.
async fn register(server: &TestServer, metadata: Value) -> (StatusCode, Value) {
    let initial = server
        .provider
        .create_registration_token(Some(600))
        .await
        .expect("initial access token");
    let response = propusk_testkit::http_client()
        .post(server.url(routes::REGISTER))
        .bearer_auth(initial)
        .json(&metadata)
        .send()
        .await
        .expect("registration");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn attack_ssrf_through_jwks_uri() {
    let server = TestServer::start().await;
    let (base, hits) = counting_listener().await;
    let port = base.rsplit(':').next().unwrap_or("80");
    let inside = [
        format!("https://127.0.0.1:{port}/jwks"),
        "https://169.254.169.254/latest/meta-data/jwks".to_owned(),
        "https://10.0.0.1/jwks".to_owned(),
        "https://[::1]/jwks".to_owned(),
        format!("{base}/jwks"),
    ];
    for jwks_uri in inside {
        let (status, body) = register(
            &server,
            json!({
                "redirect_uris": ["https://rp.example/cb"],
                "token_endpoint_auth_method": "private_key_jwt",
                "jwks_uri": jwks_uri,
            }),
        )
        .await;
        if status != StatusCode::CREATED {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{jwks_uri}: {body}");
            assert_eq!(body["error"], "invalid_client_metadata", "{jwks_uri}");
            continue;
        }
        // Registered: using the key set must not reach inside either.
        let client_id = body["client_id"].as_str().expect("client_id");
        let key = ClientKey::generate();
        let started = Instant::now();
        let assertion = key.assertion(client_id, &server.url(routes::TOKEN), server.provider.now());
        let answer = server
            .token(
                &Auth::Assertion(client_id, assertion),
                &[("grant_type", "client_credentials")],
            )
            .await;
        answer.assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{jwks_uri}: the refusal waited on a connection"
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a jwks_uri was fetched");
}

#[tokio::test]
async fn attack_ssrf_through_sector_identifier_uri_and_logo_uri() {
    let server = TestServer::start().await;
    let (base, hits) = counting_listener().await;
    let (status, body) = register(
        &server,
        json!({
            "redirect_uris": ["https://rp.example/cb"],
            "sector_identifier_uri": format!("{base}/sector.json"),
            "subject_type": "pairwise",
            "logo_uri": format!("{base}/logo.png"),
        }),
    )
    .await;
    if status == StatusCode::CREATED {
        // The consent page shows the client: its logo is the browser's to load, not ours.
        let client_id = body["client_id"].as_str().expect("client_id").to_owned();
        let alice = server
            .account(AccountBuilder::new("carol").password(PASSWORD))
            .await;
        let url = server.authorize_url(&[
            ("response_type", "code"),
            ("client_id", client_id.as_str()),
            ("redirect_uri", "https://rp.example/cb"),
            ("scope", "openid"),
            ("state", "s"),
        ]);
        let browser = server.browser();
        let page = browser.navigate(&url).await;
        let page = browser.sign_in(&page, &alice.login, &alice.password).await;
        assert!(!page.status.is_server_error(), "{}", page.body);
    } else {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"], "invalid_client_metadata", "{body}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a sector_identifier_uri or logo_uri was fetched"
    );
}

/// `key`'s ES256 signature under a header the attacker chose (`kid` defaults to `key`'s).
fn signed_by(key: &ClientKey, mut header: Value, claims: &Value) -> String {
    if header.get("kid").is_none() {
        header["kid"] = json!(key.kid);
    }
    key.sign_with_header(&header, claims)
}

#[tokio::test]
async fn attack_algorithm_confusion() {
    let server = TestServer::start().await;
    server
        .product(ProductBuilder::new("https://api.example").scopes(&["api.read"]))
        .await;
    let key = ClientKey::generate();
    let client = server
        .client(
            ClientBuilder::confidential("signer")
                .private_key_jwt(key.jwks())
                .grants(&[GrantType::ClientCredentials])
                .scope("api.read"),
        )
        .await;
    let audience = server.url(routes::TOKEN);
    let claims = || assertion_claims(&client.id, &audience, server.provider.now());
    let public_jwk = serde_json::to_string(&key.jwk()).expect("jwk");
    let (jku_base, hits) = counting_listener().await;
    let attacker = ClientKey::generate();

    // The honest assertion works, so each refusal below is about the one thing changed.
    let honest = server
        .token(
            &Auth::Assertion(
                &client.id,
                key.assertion(&client.id, &audience, server.provider.now()),
            ),
            &[("grant_type", "client_credentials")],
        )
        .await;
    honest.issued();

    let cases = [
        (
            "alg none",
            jws_with(&json!({"alg": "none", "kid": key.kid}), &claims(), |_| {
                Vec::new()
            }),
        ),
        (
            "HS256 keyed with the public key",
            jws_with(
                &json!({"alg": "HS256", "kid": key.kid}),
                &claims(),
                |input| {
                    let mac = hmac::Key::new(hmac::HMAC_SHA256, public_jwk.as_bytes());
                    hmac::sign(&mac, input).as_ref().to_vec()
                },
            ),
        ),
        (
            "RS256 header on an EC key",
            signed_by(&key, json!({"alg": "RS256"}), &claims()),
        ),
        (
            "ES384 header on a P-256 key",
            signed_by(&key, json!({"alg": "ES384"}), &claims()),
        ),
        (
            "EdDSA header on an EC key",
            signed_by(&key, json!({"alg": "EdDSA"}), &claims()),
        ),
        (
            "embedded jwk header",
            signed_by(
                &attacker,
                json!({"alg": "ES256", "kid": key.kid, "jwk": attacker.jwk()}),
                &claims(),
            ),
        ),
        (
            "jku header",
            signed_by(
                &attacker,
                json!({"alg": "ES256", "kid": key.kid, "jku": format!("{jku_base}/jwks")}),
                &claims(),
            ),
        ),
        (
            "x5u header",
            signed_by(
                &attacker,
                json!({"alg": "ES256", "kid": key.kid, "x5u": format!("{jku_base}/cert.pem")}),
                &claims(),
            ),
        ),
    ];
    for (case, assertion) in cases {
        let answer = server
            .token(
                &Auth::Assertion(&client.id, assertion),
                &[("grant_type", "client_credentials")],
            )
            .await;
        assert_eq!(
            (answer.status, answer.error()),
            (StatusCode::UNAUTHORIZED, Some("invalid_client")),
            "{case}: {}",
            answer.body
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a jku or x5u was fetched");
}

#[tokio::test]
async fn attack_pkce_downgrade_and_plain() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let public = server.client(ClientBuilder::public("spa")).await;
    let browser = server.browser();

    // Plain is not offered and not accepted, for public and confidential clients, named
    // or implied by a challenge without a method (RFC 7636 §4.3).
    let confidential = server.client(ClientBuilder::confidential("web")).await;
    let (verifier, challenge) = pkce_pair();
    for client in [&public, &confidential] {
        let plain = [
            ("code_challenge", verifier.as_str()),
            ("code_challenge_method", "plain"),
        ];
        let implicit_plain = [("code_challenge", challenge.as_str())];
        for params in [&plain[..], &implicit_plain[..]] {
            let page = browser
                .get(&server.authorize_url(&client.code_request(params, &[])))
                .await;
            let answer = browser.assert_redirected_error(&page, "invalid_request");
            assert!(answer.param("code").is_none());
        }
    }
    // A public client must send a challenge: stripping it is no downgrade.
    let stripped = browser
        .get(&server.authorize_url(&public.code_request(&[], &[])))
        .await;
    browser.assert_redirected_error(&stripped, "invalid_request");

    // A code bound to a challenge cannot be redeemed without its verifier, nor with a
    // verifier sent as if the method were plain.
    let bound = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    for attempt in [vec![], vec![("code_verifier", challenge.as_str())]] {
        let code = server.code_for(&alice, &public, &bound).await;
        let mut params = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", public.redirect_uri.as_str()),
        ];
        params.extend(attempt);
        server
            .token(&Auth::Public(&public.id), &params)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    // A code without a challenge (confidential client) cannot be upgraded by a verifier.
    let code = server.code_for(&alice, &confidential, &[]).await;
    server
        .redeem(
            &confidential.basic(),
            &code,
            &[("code_verifier", &verifier)],
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");

    let metadata: Value = propusk_testkit::http_client()
        .get(server.url(routes::DISCOVERY))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
}

#[tokio::test]
async fn attack_mix_up() {
    let (server, client) = setup().await;
    let metadata: Value = propusk_testkit::http_client()
        .get(server.url(routes::DISCOVERY))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(
        metadata["authorization_response_iss_parameter_supported"],
        true
    );
    assert_eq!(metadata["issuer"], server.issuer.as_str());

    // Success and error responses both name the issuer (RFC 9207 §2), so a client talking
    // to two providers can tell whose answer it got.
    let browser = server.browser();
    let url = server.authorize_url(&client.code_request(&[], &[]));
    let answer = browser.authorize(&url, "alice", PASSWORD).await;
    assert_eq!(answer.param("iss"), Some(server.issuer.as_str()));
    let refused = browser
        .get(&server.authorize_url(&client.code_request(&[("response_type", "token")], &[])))
        .await;
    let refused = browser.assert_redirected_error(&refused, "unsupported_response_type");
    assert_eq!(refused.param("iss"), Some(server.issuer.as_str()));
    // The code of one client is useless to another.
    let other = server.client(ClientBuilder::confidential("other")).await;
    server
        .redeem(&other.basic(), answer.code(), &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
}

#[tokio::test]
async fn attack_session_fixation() {
    let (server, client) = setup().await;
    let planted = "fixed-by-the-attacker-0123456789abcdef";
    let victim = server.browser();
    victim.plant_cookie("propusk_session", planted);
    let url = server.authorize_url(&client.code_request(&[], &[]));
    let answer = victim.authorize(&url, "alice", PASSWORD).await;
    assert!(answer.param("code").is_some());
    let session = victim.cookie("propusk_session").expect("a session");
    assert_ne!(session, planted, "the planted session id was adopted");

    // The attacker's browser, holding the planted value, is not signed in.
    let attacker = server.browser();
    attacker.plant_cookie("propusk_session", planted);
    let silent = attacker
        .get(&server.authorize_url(&client.code_request(&[("prompt", "none")], &[])))
        .await;
    attacker.assert_redirected_error(&silent, "login_required");
}

#[tokio::test]
async fn attack_lockout_bypass_by_login_variants() {
    let server = TestServer::start_with_manual_clock().await;
    server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let url = server.authorize_url(&client.code_request(&[], &[]));
    let browser = server.browser();
    // Failures under different spellings of one account count on one counter.
    for variant in ["alice", "ALICE", " Alice ", "Alice@Example.com"] {
        let page = browser.navigate(&url).await;
        let page = browser.sign_in(&page, variant, "wrong password").await;
        assert!(!browser.has_session(), "{variant}");
        assert!(page.body.contains("form-error"), "{variant}: {}", page.body);
    }
    // Past the free tries, the right password under yet another spelling must wait.
    let page = browser.navigate(&url).await;
    let page = browser.sign_in(&page, "alice@EXAMPLE.com", PASSWORD).await;
    assert!(
        !browser.has_session(),
        "a login variant escaped the throttle: {}",
        page.status
    );
    // After the wait the same spelling signs in: it was the throttle, not the spelling.
    server.clock().advance(120);
    let answer = browser.authorize(&url, "ALICE", PASSWORD).await;
    assert!(answer.param("code").is_some(), "{}", answer.location);
}

/// The visible error of a sign-in page, without the per-request values around it.
fn sign_in_error(body: &str) -> String {
    let start = body.find("id=\"form-error\"").unwrap_or(0);
    let end = body[start..].find("</p>").map_or(body.len(), |e| start + e);
    body[start..end].to_owned()
}

#[tokio::test]
async fn attack_account_enumeration_by_response_and_timing() {
    let (server, client) = setup().await;
    for n in 0..4 {
        server
            .account(AccountBuilder::new(&format!("known{n}")).password(PASSWORD))
            .await;
    }
    let url = server.authorize_url(&client.code_request(&[], &[]));
    let attempt = |login: String| {
        let browser = server.browser();
        let url = url.clone();
        async move {
            let page = browser.navigate(&url).await;
            let started = Instant::now();
            let answer = browser.sign_in(&page, &login, "not the password").await;
            (
                answer.status,
                sign_in_error(&answer.body),
                started.elapsed(),
            )
        }
    };
    // Warm up both paths once.
    attempt("known0".into()).await;
    attempt("nobody-warm".into()).await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for n in 1..4 {
        known.push(attempt(format!("known{n}")).await);
        unknown.push(attempt(format!("nobody{n}")).await);
    }
    // By response: the same status and the same message.
    for (k, u) in known.iter().zip(&unknown) {
        assert_eq!((k.0, &k.1), (u.0, &u.1));
        assert!(!k.1.is_empty());
    }
    // By timing: an unknown login still pays for a password hash.
    let median = |runs: &mut Vec<(StatusCode, String, Duration)>| {
        runs.sort_by_key(|r| r.2);
        runs[runs.len() / 2].2.as_secs_f64()
    };
    let (k, u) = (median(&mut known), median(&mut unknown));
    assert!(
        u > k * 0.4 && u < k * 2.5,
        "unknown logins answer in {u:.3} s, known ones in {k:.3} s"
    );

    // The password reset answers a known and an unknown contact alike.
    let reset = |contact: &'static str| {
        let browser = server.browser();
        let start = url::Url::parse(&server.url(routes::ACCOUNT_RESET)).expect("url");
        async move {
            let page = browser.navigate(&start).await;
            let form = page.forms().into_iter().next().expect("reset form");
            let answer = browser
                .submit(&page, &form, None, &[("contact", contact)])
                .await;
            (
                answer.status,
                answer.url.path().starts_with("/account/reset/"),
            )
        }
    };
    assert_eq!(
        reset("alice@example.com").await,
        reset("nobody@example.com").await
    );
}

#[tokio::test]
async fn attack_oversized_and_deeply_nested_inputs() {
    let (server, client) = setup().await;
    let http = propusk_testkit::http_client();
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = format!("{{\"redirect_uris\":[\"{}\"]}}", "a".repeat(4 << 20));
    for body in [nested.clone(), huge] {
        let response = http
            .post(server.url(routes::REGISTER))
            .header("content-type", "application/json")
            .bearer_auth("anything")
            .body(body)
            .send()
            .await
            .expect("register");
        assert!(
            response.status().is_client_error(),
            "registration answered {}",
            response.status()
        );
    }
    // A JWT whose claims nest deeply, and a JWT of megabytes, as a client assertion.
    let key = ClientKey::generate();
    let signer = server
        .client(
            ClientBuilder::confidential("signer")
                .private_key_jwt(key.jwks())
                .grants(&[GrantType::ClientCredentials]),
        )
        .await;
    let deep = format!(
        "{}.{}.{}",
        b64url(
            json!({"alg": "ES256", "kid": key.kid})
                .to_string()
                .as_bytes()
        ),
        b64url(format!("{{\"n\":{nested}}}").as_bytes()),
        b64url(b"sig")
    );
    let large = format!("{}.{}.{}", "e".repeat(1 << 20), "e".repeat(1 << 20), "e");
    for assertion in [deep, large] {
        let answer = server
            .token(
                &Auth::Assertion(&signer.id, assertion),
                &[("grant_type", "client_credentials")],
            )
            .await;
        assert!(
            answer.status.is_client_error(),
            "{}: {}",
            answer.status,
            answer.body
        );
    }
    // An oversized bearer token and form.
    let answer = server.userinfo(&"t".repeat(1 << 20)).await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
    let big = "s".repeat(4 << 20);
    let answer = server
        .token(
            &client.basic(),
            &[("grant_type", "client_credentials"), ("scope", &big)],
        )
        .await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
}
