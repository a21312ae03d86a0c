//! The partner and legacy grants, each off unless enabled for the client: resource owner
//! password (RFC 6749 §4.3), JWT bearer assertions of a trusted issuer (RFC 7523 §2.1,
//! §3: forged, expired, replayed or misaddressed assertions are `invalid_grant`), and
//! token exchange (RFC 8693 §2: narrower scope, another audience, the `act` claim).

use crate::common::*;
use crate::*;
use propusk_core::jose::{Alg, JwkSet, SigningKey, decode_unverified};
use propusk_core::model::{AuthMethod, Client, GrantType, TokenFormat};
use propusk_core::model::{SubjectMapping, TrustedIssuer};
use propusk_types::routes::{INTROSPECT, TOKEN};
use propusk_types::scope::Scope;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple";
const PARTNER: &str = "https://partner.example";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

async fn with_client(server: &Server, id: &str, grants: &[GrantType]) {
    let client = Client {
        grant_types: grants.to_vec(),
        ..confidential(id, AuthMethod::ClientSecretBasic)
    };
    server.add_client(client, Some(SECRET)).await;
}

async fn set_password(server: &Server) {
    let mut account = server
        .store()
        .get_account("alice")
        .await
        .expect("store")
        .expect("alice");
    let hash = server
        .provider
        .passwords
        .hash(server.provider.rng.as_ref(), PASSWORD)
        .expect("hash");
    account.password_hash = Some(hash);
    server
        .store()
        .update_account(&account)
        .await
        .expect("update");
}

#[tokio::test]
async fn password_grant_when_enabled_only() {
    let server = setup().await;
    set_password(&server).await;
    with_client(
        &server,
        "legacy",
        &[GrantType::Password, GrantType::RefreshToken],
    )
    .await;
    let form = |password: &'static str| {
        [
            ("grant_type", "password"),
            ("username", "alice-login"),
            ("password", password),
            ("scope", "openid offline_access extern.api"),
        ]
    };
    let tokens = issued(
        server
            .post_basic(TOKEN, "legacy", SECRET, &form(PASSWORD))
            .await,
    )
    .await;
    assert!(tokens["id_token"].is_string() && tokens["refresh_token"].is_string());
    let claims = decode_unverified(tokens["id_token"].as_str().expect("id"))
        .expect("jwt")
        .claims;
    assert_eq!(claims["sub"], "alice");
    refused(
        server
            .post_basic(TOKEN, "legacy", SECRET, &form("wrong"))
            .await,
        400,
        "invalid_grant",
    )
    .await;
    refused(
        server.post_basic(TOKEN, WEB, SECRET, &form(PASSWORD)).await,
        400,
        "unauthorized_client",
    )
    .await;
}

#[tokio::test]
async fn password_grant_is_throttled_and_refuses_accounts_with_a_second_factor() {
    let server = setup().await;
    set_password(&server).await;
    with_client(&server, "legacy", &[GrantType::Password]).await;
    let form = |password: &'static str| {
        [
            ("grant_type", "password"),
            ("username", "alice-login"),
            ("password", password),
            ("scope", "extern.api"),
        ]
    };
    // Wrong passwords count like on the sign-in page: past the free tries the next one
    // must wait, even with the right password.
    let mut throttled = None;
    for _ in 0..6 {
        let response = server
            .post_basic(TOKEN, "legacy", SECRET, &form("wrong"))
            .await;
        if response.status().as_u16() == 429 {
            throttled = Some(response);
            break;
        }
        refused(response, 400, "invalid_grant").await;
    }
    let throttled = throttled.expect("wrong passwords are throttled");
    assert!(throttled.headers().get("retry-after").is_some());
    let right = server
        .post_basic(TOKEN, "legacy", SECRET, &form(PASSWORD))
        .await;
    assert_eq!(
        right.status().as_u16(),
        429,
        "the wait holds for the right password too"
    );
    let history = server
        .store()
        .list_audit(Some("alice"), 50)
        .await
        .expect("audit");
    assert!(
        history.iter().any(|e| e.kind.as_str() == "sign_in_failed"),
        "failures are audited: {history:?}"
    );

    // An account with a second factor cannot finish its sign-in with a password alone.
    let other = setup().await;
    set_password(&other).await;
    with_client(&other, "legacy", &[GrantType::Password]).await;
    other
        .store()
        .put_factors(&propusk_core::model::Factors {
            account_id: "alice".into(),
            sms: true,
            ..Default::default()
        })
        .await
        .expect("factors");
    let body = refused(
        other
            .post_basic(TOKEN, "legacy", SECRET, &form(PASSWORD))
            .await,
        400,
        "invalid_grant",
    )
    .await;
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("second factor")),
        "{body}"
    );
}

struct Partner {
    key: SigningKey,
}

impl Partner {
    fn assertion(&self, claims: &Value) -> String {
        self.key.sign_jwt("JWT", claims).expect("sign")
    }
}

async fn partner_setup(server: &Server) -> Partner {
    with_client(server, "partner-app", &[GrantType::JwtBearer]).await;
    with_client(server, "other-app", &[GrantType::JwtBearer]).await;
    let key = SigningKey::generate(Alg::ES256, "partner-1".into()).expect("key");
    let issuer = TrustedIssuer {
        issuer: PARTNER.into(),
        jwks: JwkSet {
            keys: vec![key.public_jwk()],
        },
        client_ids: vec!["partner-app".into()],
        subject: SubjectMapping::Login,
        created_at: START,
    };
    server
        .store()
        .upsert_trusted_issuer(&issuer)
        .await
        .expect("issuer");
    Partner { key }
}

fn claims(server: &Server, jti: &str) -> Value {
    json!({
        "iss": PARTNER,
        "sub": "alice-login",
        "aud": server.url(TOKEN),
        "exp": server.now() + 120,
        "iat": server.now(),
        "jti": jti,
    })
}

async fn present(server: &Server, client: &str, assertion: &str) -> reqwest::Response {
    let form = [
        ("grant_type", JWT_BEARER),
        ("assertion", assertion),
        ("scope", "openid extern.api"),
    ];
    server.post_basic(TOKEN, client, SECRET, &form).await
}

#[tokio::test]
async fn jwt_bearer_accepts_a_trusted_assertion_once() {
    let server = setup().await;
    let partner = partner_setup(&server).await;
    let assertion = partner.assertion(&claims(&server, "a-1"));
    let tokens = issued(present(&server, "partner-app", &assertion).await).await;
    assert_eq!(
        tokens["scope"].as_str().and_then(|s| Scope::parse(s).ok()),
        Scope::parse("openid extern.api").ok()
    );
    let id = decode_unverified(tokens["id_token"].as_str().expect("id"))
        .expect("jwt")
        .claims;
    assert_eq!(id["sub"], "alice");
    // Replayed.
    refused(
        present(&server, "partner-app", &assertion).await,
        400,
        "invalid_grant",
    )
    .await;
    // The issuer does not trust other-app; web did not enable the grant.
    let fresh = partner.assertion(&claims(&server, "a-2"));
    refused(
        present(&server, "other-app", &fresh).await,
        400,
        "invalid_grant",
    )
    .await;
    refused(
        present(&server, WEB, &fresh).await,
        400,
        "unauthorized_client",
    )
    .await;
}

#[tokio::test]
async fn jwt_bearer_refuses_forged_expired_and_misaddressed_assertions() {
    let server = setup().await;
    let partner = partner_setup(&server).await;
    let forger = Partner {
        key: SigningKey::generate(Alg::ES256, "partner-1".into()).expect("key"),
    };
    let mut expired = claims(&server, "e-1");
    expired["exp"] = json!(server.now() - 1);
    let mut no_exp = claims(&server, "e-2");
    no_exp.as_object_mut().expect("object").remove("exp");
    let mut elsewhere = claims(&server, "e-3");
    elsewhere["aud"] = json!("https://other-idp.example");
    let mut stranger = claims(&server, "e-4");
    stranger["sub"] = json!("nobody");
    let mut no_jti = claims(&server, "e-5");
    no_jti.as_object_mut().expect("object").remove("jti");
    let cases = [
        ("forged", forger.assertion(&claims(&server, "f-1"))),
        ("expired", partner.assertion(&expired)),
        ("no exp", partner.assertion(&no_exp)),
        ("other audience", partner.assertion(&elsewhere)),
        ("unknown subject", partner.assertion(&stranger)),
        ("no jti", partner.assertion(&no_jti)),
        ("not a JWT", "abc".to_owned()),
    ];
    for (case, assertion) in cases {
        let body = refused(
            present(&server, "partner-app", &assertion).await,
            400,
            "invalid_grant",
        )
        .await;
        assert!(body["error_description"].is_string(), "{case}");
    }
    // The issuer itself as audience is accepted too.
    let mut to_issuer = claims(&server, "ok-1");
    to_issuer["aud"] = json!(server.base);
    issued(present(&server, "partner-app", &partner.assertion(&to_issuer)).await).await;
}

#[tokio::test]
async fn token_exchange_narrows_retargets_and_names_the_actor() {
    let server = setup().await;
    server
        .add_product("reports.api", &["reports.read"], TokenFormat::Jwt)
        .await;
    // The gateway is the credentials of the product the user's token is for.
    let gateway = Client {
        grant_types: vec![GrantType::TokenExchange],
        ..product_client("gateway", "extern.api")
    };
    server.add_client(gateway, Some(SECRET)).await;
    with_client(&server, "stranger", &[GrantType::TokenExchange]).await;
    server
        .add_client(product_client("reports-rs", "reports.api"), Some(SECRET))
        .await;
    let active = |token: String| {
        let server = &server;
        async move {
            let response = server
                .post_basic(
                    INTROSPECT,
                    "reports-rs",
                    SECRET,
                    &[("token", token.as_str())],
                )
                .await;
            let body: Value = response.json().await.expect("json");
            body["active"] == true
        }
    };
    let code = server
        .code(CodeSetup::new(WEB, "alice").scope("openid extern.api reports.read"))
        .await;
    let user = issued(exchange(&server, &code, &[]).await).await;
    let subject_token = user["access_token"].as_str().expect("access").to_owned();
    let form = |scope: &'static str, audience: &'static str| {
        vec![
            ("grant_type", EXCHANGE.to_owned()),
            ("subject_token", subject_token.clone()),
            ("subject_token_type", ACCESS_TOKEN_TYPE.to_owned()),
            ("scope", scope.to_owned()),
            ("audience", audience.to_owned()),
        ]
    };
    let send = |client: &'static str, form: Vec<(&'static str, String)>| {
        let server = &server;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            server.post_basic(TOKEN, client, SECRET, &form).await
        }
    };
    let body = issued(send("gateway", form("reports.read", "reports.api")).await).await;
    assert_eq!(body["issued_token_type"], ACCESS_TOKEN_TYPE);
    assert_eq!(body["scope"], "reports.read");
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
    let token = body["access_token"].as_str().expect("access").to_owned();
    let claims = decode_unverified(&token).expect("jwt").claims;
    assert_eq!(claims["aud"], "reports.api");
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["client_id"], "gateway");
    assert_eq!(claims["act"], json!({ "sub": "gateway" }));
    assert!(active(token.clone()).await);

    refused(
        send("gateway", form("reports.read admin", "reports.api")).await,
        400,
        "invalid_scope",
    )
    .await;
    refused(
        send("gateway", form("extern.api", "reports.api")).await,
        400,
        "invalid_target",
    )
    .await;
    // A client the token was neither obtained by nor meant for cannot exchange it.
    refused(
        send("stranger", form("reports.read", "reports.api")).await,
        400,
        "invalid_request",
    )
    .await;
    refused(
        send(WEB, form("reports.read", "reports.api")).await,
        400,
        "unauthorized_client",
    )
    .await;
    let mut wrong_type = form("reports.read", "reports.api");
    wrong_type[2].1 = "urn:ietf:params:oauth:token-type:id_token".into();
    refused(
        send("gateway", wrong_type).await,
        400,
        "unsupported_token_type",
    )
    .await;
    let mut forged = form("reports.read", "reports.api");
    forged[1].1 = format!("{}x", subject_token);
    refused(send("gateway", forged).await, 400, "invalid_request").await;

    // Revoking the user's grant reaches the exchanged token.
    let grant_id = server
        .store()
        .find_access_token_by_jti(claims["jti"].as_str().expect("jti"))
        .await
        .expect("store")
        .and_then(|r| r.grant_id)
        .expect("recorded under the grant");
    server
        .store()
        .revoke_grant(&grant_id, server.now())
        .await
        .expect("revoke");
    assert!(!active(token.clone()).await);
}
