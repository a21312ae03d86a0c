//! Certificate sign-in as an operator sets it up with the real binary: `admin ca add`
//! into the trust folder of a running server (read again without a restart), `admin user
//! certificate add|list|remove`, a client with the `certificate` grant, and the API flow
//! with the challenge opened by `openssl cms -decrypt`.

mod common;

use base64::Engine;
use common::TestDir;
use propusk_certs::test_pki::{KeyKind, Leaf, TestCa};
use serde_json::Value;
use std::time::{Duration, Instant};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

async fn post(base: &str, path: &str, client: (&str, &str), form: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .basic_auth(client.0, Some(client.1))
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

#[tokio::test]
async fn an_operator_trusts_a_ca_binds_a_certificate_and_the_api_signs_in() {
    let dir = TestDir::new("certificates");
    let root = TestCa::root("Operator Root");
    let cert =
        root.issue(Leaf::new(KeyKind::P256, "Ivanov Ivan").with_ids("500100732259", "11223344595"));
    let root_file = dir.write("root.pem", &root.pem);
    let root_file = root_file.to_str().expect("path");
    let cert_file = dir.write("ivanov.pem", &cert.pem);
    let cert_file = cert_file.to_str().expect("path");

    let user = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "ivanov",
        "--password",
        "correct horse battery",
    ]);
    let account_id = user["id"].as_str().expect("id").to_owned();
    let err = dir.fails(&[
        "admin",
        "user",
        "certificate",
        "add",
        "--login",
        "ivanov",
        cert_file,
    ]);
    assert!(err.contains("trusted root"), "{err}");
    let client = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "signer",
        "--name",
        "Signer",
        "--grant-type",
        "certificate",
        "--scope",
        "openid",
    ]);
    let secret = client["client_secret"].as_str().expect("secret").to_owned();

    let server = dir.serve(&[("PROPUSK_CERTIFICATES__RELOAD_SECONDS", "1")]);
    let added = dir.json(&["admin", "ca", "add", root_file]);
    assert_eq!(added[0]["role"], "root", "{added}");
    let listed = dir.json(&["admin", "ca", "list"]);
    assert_eq!(
        listed["certificates"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );

    let bound = dir.json(&[
        "admin",
        "user",
        "certificate",
        "add",
        "--login",
        "ivanov",
        cert_file,
    ]);
    let thumbprint = bound["thumbprint"].as_str().expect("thumbprint").to_owned();
    let mine = dir.json(&["admin", "user", "certificate", "list", "--login", "ivanov"]);
    assert_eq!(mine[0]["inn"], "500100732259", "{mine}");
    assert_eq!(mine[0]["snils"], "11223344595", "{mine}");

    let form = [("certificate", cert.pem.as_str())];
    let started = Instant::now();
    let challenge = loop {
        let (status, body) = post(
            &server.url,
            "/authentication/certificate",
            ("signer", &secret),
            &form,
        )
        .await;
        if status == 200 {
            break body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the new root was not picked up: {body}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(challenge["thumbprint"], thumbprint.as_str());
    let sealed = B64
        .decode(challenge["encrypted_key"].as_str().expect("encrypted_key"))
        .expect("base64");
    let opened = cert
        .decrypt_with_openssl(&sealed)
        .expect("openssl decrypts");
    let key = B64.encode(opened);
    let token_form = [
        ("grant_type", "certificate"),
        ("thumbprint", thumbprint.as_str()),
        ("decrypted_key", key.as_str()),
        ("scope", "openid"),
    ];
    let (status, tokens) = post(
        &server.url,
        "/connect/token",
        ("signer", &secret),
        &token_form,
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let id_token = tokens["id_token"].as_str().expect("id_token");
    let payload = id_token.split('.').nth(1).expect("payload");
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64url"),
    )
    .expect("claims");
    assert_eq!(claims["sub"], account_id.as_str());
    let (status, again) = post(
        &server.url,
        "/connect/token",
        ("signer", &secret),
        &token_form,
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant")),
        "{again}"
    );

    dir.ok(&[
        "admin",
        "user",
        "certificate",
        "remove",
        "--login",
        "ivanov",
        &thumbprint,
    ]);
    let (status, body) = post(
        &server.url,
        "/authentication/certificate",
        ("signer", &secret),
        &form,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap_or_default()
            .contains("not bound"),
        "{body}"
    );

    dir.ok(&["admin", "ca", "remove", root_file]);
    let listed = dir.json(&["admin", "ca", "list"]);
    assert_eq!(
        listed["certificates"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );
}
