//! `propusk keys rotate` while the server runs. The new key is in the JWKS
//! before any token carries it; tokens signed before the rotation still verify against
//! the JWKS; after the pre-publication window new tokens carry the new `kid`.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::TestDir;
use serde_json::Value;
use std::time::{Duration, Instant};

const PREPUBLISH: u64 = 3;

struct Client {
    http: reqwest::Client,
    base: String,
    id: String,
    secret: String,
}

impl Client {
    /// POST /connect/token with client_credentials and Basic authentication.
    async fn token(&self) -> String {
        let response = self
            .http
            .post(format!("{}/connect/token", self.base))
            .basic_auth(&self.id, Some(&self.secret))
            .form(&[("grant_type", "client_credentials"), ("scope", "api.read")])
            .send()
            .await
            .expect("token request");
        let status = response.status();
        let body: Value = response.json().await.expect("token response JSON");
        assert!(
            status.is_success(),
            "token endpoint answered {status}: {body}"
        );
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    async fn jwks(&self) -> Value {
        let response = self
            .http
            .get(format!(
                "{}/.well-known/openid-configuration/jwks",
                self.base
            ))
            .send()
            .await
            .expect("jwks request");
        assert!(
            response.status().is_success(),
            "jwks answered {}",
            response.status()
        );
        response.json().await.expect("jwks JSON")
    }
}

fn header(token: &str) -> Value {
    let encoded = token.split('.').next().expect("header part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(encoded).expect("base64url header"))
        .expect("header JSON")
}

fn kid(token: &str) -> String {
    header(token)["kid"].as_str().expect("kid").to_owned()
}

fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .map(str::to_owned)
        .collect()
}

/// Verifies an RS256 JWS against the JWKS key with its `kid`.
fn verifies(token: &str, jwks: &Value) -> bool {
    let header = header(token);
    assert_eq!(header["alg"], "RS256");
    let Some(key) = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == header["kid"]))
    else {
        return false;
    };
    let decode = |member: &str| {
        URL_SAFE_NO_PAD
            .decode(key[member].as_str().expect("member"))
            .expect("base64url")
    };
    let (n, e) = (decode("n"), decode("e"));
    let Some((signing_input, signature)) = token.rsplit_once('.') else {
        return false;
    };
    let signature = URL_SAFE_NO_PAD.decode(signature).expect("signature");
    aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &signature,
        )
        .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_publishes_before_signing_and_keeps_old_tokens_valid() {
    let dir = TestDir::new("keys-rotate");
    dir.json(&[
        "admin",
        "product",
        "create",
        "--audience",
        "api",
        "--scope",
        "api.read",
    ]);
    let created = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "svc",
        "--name",
        "Service",
        "--grant-type",
        "client_credentials",
        "--scope",
        "api.read",
    ]);
    let server = dir.serve(&[("PROPUSK_KEYS__CACHE_TTL_SECONDS", "1")]);
    let client = Client {
        http: reqwest::Client::new(),
        base: server.url.clone(),
        id: "svc".into(),
        secret: created["client_secret"]
            .as_str()
            .expect("secret")
            .to_owned(),
    };

    let old_token = client.token().await;
    let kid_a = kid(&old_token);
    assert!(kids(&client.jwks().await).contains(&kid_a));
    assert!(verifies(&old_token, &client.jwks().await));

    let rotated = dir.json(&["keys", "rotate", "--prepublish", &PREPUBLISH.to_string()]);
    let kid_b = rotated["created"]
        .as_array()
        .expect("created")
        .iter()
        .find(|k| k["alg"] == "RS256")
        .and_then(|k| k["kid"].as_str())
        .expect("a new RS256 key")
        .to_owned();
    assert_ne!(kid_a, kid_b);

    // Each round reads the JWKS first, then gets a token: a token signed by B must never
    // come before a JWKS that lists B.
    let deadline = Instant::now() + Duration::from_secs(PREPUBLISH + 10);
    let mut published_at = None;
    let mut announced_but_unused = false;
    loop {
        assert!(
            Instant::now() < deadline,
            "no token signed by the new key in time:\n{}",
            server.log_text()
        );
        let jwks = client.jwks().await;
        if kids(&jwks).contains(&kid_b) && published_at.is_none() {
            published_at = Some(Instant::now());
        }
        let token = client.token().await;
        let token_kid = kid(&token);
        if token_kid == kid_b {
            assert!(
                published_at.is_some(),
                "a token carried {kid_b} before the JWKS listed it"
            );
            assert!(
                verifies(&token, &jwks),
                "the new token verifies against the JWKS"
            );
            break;
        }
        assert_eq!(
            token_kid, kid_a,
            "before the switch tokens are signed by the old key"
        );
        if published_at.is_some() {
            announced_but_unused = true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        announced_but_unused,
        "the new key was published while the old one still signed"
    );
    let waited = published_at.map(|t| t.elapsed()).unwrap_or_default();
    assert!(
        waited <= Duration::from_secs(PREPUBLISH + 2),
        "switched {waited:?} after publication"
    );

    let jwks = client.jwks().await;
    assert!(
        kids(&jwks).contains(&kid_a),
        "the retired key stays published"
    );
    assert!(
        verifies(&old_token, &jwks),
        "a token signed before the rotation still verifies"
    );
    assert_eq!(kid(&client.token().await), kid_b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_rotation_publishes_a_successor_for_every_algorithm() {
    let dir = TestDir::new("keys-scheduled");
    let server = dir.serve(&[
        ("PROPUSK_KEYS__ROTATE_EVERY", "3s"),
        ("PROPUSK_KEYS__PREPUBLISH_SECONDS", "1"),
        ("PROPUSK_KEYS__CACHE_TTL_SECONDS", "1"),
    ]);
    let client = Client {
        http: reqwest::Client::new(),
        base: server.url.clone(),
        id: String::new(),
        secret: String::new(),
    };
    let first = kids(&client.jwks().await);
    assert_eq!(first.len(), 4, "one key per algorithm at first start");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = kids(&client.jwks().await);
        if now.len() >= 8 && first.iter().all(|k| now.contains(k)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no scheduled rotation within 15 s: {now:?}\n{}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        server
            .log_text()
            .contains("scheduled key rotation published new keys"),
        "{}",
        server.log_text()
    );
}
