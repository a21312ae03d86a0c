//! Certificate sign-in through the real router: a challenge from
//! `/authentication/certificate` encrypted to an RSA or a P-256 certificate, opened with
//! `openssl cms -decrypt`, traded at the token endpoint with `grant_type=certificate`;
//! or a challenge to sign, answered with a detached `openssl cms -sign` signature. Each
//! refusal names its cause.

use crate::common::*;
use crate::*;
use base64::Engine;
use propusk_certs::Certificate;
use propusk_certs::test_pki::{
    ExtendedKeyUsagePurpose, KeyKind, KeyUsagePurpose, Leaf, TestCa, TestCert,
};
use propusk_core::jose::decode_unverified;
use propusk_core::model::{AuthMethod, Client, GrantType};
use propusk_types::routes::{CERTIFICATE, DISCOVERY, TOKEN};
use serde_json::Value;

const APP: &str = "signing-app";

struct Pki {
    root: TestCa,
    sub: TestCa,
}

/// A server on the wall clock's present with the client `signing-app` (certificate
/// grant), the account `alice`, and a root with an intermediate trusted.
async fn pki_setup() -> (Server, Pki) {
    let server = setup().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    server.clock.set(now);
    let client = Client {
        grant_types: vec![GrantType::Certificate, GrantType::RefreshToken],
        ..confidential(APP, AuthMethod::ClientSecretBasic)
    };
    server.add_client(client, Some(SECRET)).await;
    let root = TestCa::root("Propusk Test Root");
    let sub = root.intermediate("Propusk Test Issuing CA");
    trust(&server, &[&root.pem, &sub.pem]);
    (server, Pki { root, sub })
}

fn trust(server: &Server, files: &[&str]) {
    crate::common::trust(&server.provider, files);
}

async fn bind(server: &Server, cert: &TestCert) {
    let parsed = Certificate::from_text(&cert.pem).expect("parses");
    server
        .provider
        .bind_certificate("alice", &parsed)
        .await
        .expect("bound");
}

async fn ask(server: &Server, client: &str, cert: &TestCert) -> reqwest::Response {
    let der = base64::engine::general_purpose::STANDARD.encode(&cert.der);
    server
        .post_basic(CERTIFICATE, client, SECRET, &[("certificate", &der)])
        .await
}

/// The challenge for `cert`: its thumbprint and the value opened with openssl, base64.
async fn challenge(server: &Server, cert: &TestCert) -> (String, String) {
    let response = ask(server, APP, cert).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["expires_in"], 600);
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(body["encrypted_key"].as_str().expect("encrypted_key"))
        .expect("base64");
    let opened = cert
        .decrypt_with_openssl(&sealed)
        .expect("openssl decrypts");
    assert_eq!(opened.len(), 32);
    let thumbprint = body["thumbprint"].as_str().expect("thumbprint").to_owned();
    (
        thumbprint,
        base64::engine::general_purpose::STANDARD.encode(opened),
    )
}

async fn redeem(server: &Server, thumbprint: &str, key: &str) -> reqwest::Response {
    let form = [
        ("grant_type", "certificate"),
        ("thumbprint", thumbprint),
        ("decrypted_key", key),
        ("scope", "openid offline_access"),
    ];
    server.post_basic(TOKEN, APP, SECRET, &form).await
}

async fn description(response: reqwest::Response, code: &str) -> String {
    let body = refused(response, 400, code).await;
    body["error_description"]
        .as_str()
        .expect("description")
        .to_owned()
}

#[tokio::test]
async fn rsa_and_ecdsa_certificates_sign_in_once() {
    let (server, pki) = pki_setup().await;
    for (ca, kind) in [(&pki.root, KeyKind::Rsa), (&pki.sub, KeyKind::P256)] {
        let cert = ca.issue(Leaf::new(kind, "Alice").with_ids("500100732259", "11223344595"));
        bind(&server, &cert).await;
        let (thumbprint, key) = challenge(&server, &cert).await;
        assert_eq!(
            thumbprint,
            Certificate::from_der(&cert.der).expect("der").thumbprint()
        );
        let tokens = issued(redeem(&server, &thumbprint, &key).await).await;
        let claims = decode_unverified(tokens["id_token"].as_str().expect("id_token"))
            .expect("jwt")
            .claims;
        assert_eq!(claims["sub"], "alice", "{kind:?}");
        assert_eq!(claims["amr"], serde_json::json!(["swk"]), "{kind:?}");
        let again = description(redeem(&server, &thumbprint, &key).await, "invalid_grant").await;
        assert!(again.contains("answered already"), "{again}");
    }
    let stored = server
        .provider
        .account_certificates("alice")
        .await
        .expect("list");
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].identity.inn.as_deref(), Some("500100732259"));
    assert_eq!(stored[0].identity.snils.as_deref(), Some("11223344595"));
    let audit = server
        .store()
        .list_audit(Some("alice"), 10)
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.detail.as_deref() == Some("certificate"))
    );
}

/// The challenge for a certificate made by `make` is refused with `expected` in the
/// description; with `revoke`, a CRL of the root revokes it.
async fn refused_certificate(make: impl FnOnce(&Pki) -> TestCert, revoke: bool, expected: &str) {
    let (server, pki) = pki_setup().await;
    let cert = make(&pki);
    if revoke {
        let crl = pki.root.crl(&[&cert]);
        trust(&server, &[&pki.root.pem, &pki.sub.pem, &crl]);
    }
    let text = description(ask(&server, APP, &cert).await, "invalid_grant").await;
    assert!(text.contains(expected), "{expected}: {text}");
}

fn leaf(name: &str) -> Leaf {
    Leaf::new(KeyKind::P256, name)
}

#[tokio::test]
async fn a_certificate_of_an_untrusted_root_is_refused() {
    let stranger = TestCa::root("Stranger Root");
    let make = |_: &Pki| stranger.issue(leaf("U"));
    refused_certificate(make, false, "does not chain to a trusted root").await;
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let make = |pki: &Pki| pki.sub.issue(leaf("E").valid_days(-30, -1));
    refused_certificate(make, false, "has expired").await;
}

#[tokio::test]
async fn a_certificate_not_yet_valid_is_refused() {
    let make = |pki: &Pki| pki.root.issue(leaf("N").valid_days(5, 30));
    refused_certificate(make, false, "not valid yet").await;
}

#[tokio::test]
async fn a_certificate_with_a_bad_signature_in_its_chain_is_refused() {
    let impostor = TestCa::root("Propusk Test Root");
    let make = |_: &Pki| impostor.issue(leaf("F"));
    refused_certificate(
        make,
        false,
        "signature in the certificate chain does not verify",
    )
    .await;
}

#[tokio::test]
async fn a_revoked_certificate_is_refused() {
    let make = |pki: &Pki| pki.root.issue(leaf("R"));
    refused_certificate(make, true, "revoked").await;
}

#[tokio::test]
async fn a_certificate_with_the_wrong_key_usage_is_refused() {
    let mut usage = leaf("K");
    usage.key_usages = vec![KeyUsagePurpose::CrlSign];
    refused_certificate(|pki: &Pki| pki.root.issue(usage), false, "key usage").await;
    let mut purpose = leaf("P");
    purpose.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    refused_certificate(|pki: &Pki| pki.root.issue(purpose), false, "key usage").await;
}

#[tokio::test]
async fn a_certificate_bound_to_no_account_is_refused() {
    let make = |pki: &Pki| pki.sub.issue(Leaf::new(KeyKind::Rsa, "Unbound"));
    refused_certificate(make, false, "not bound to any account").await;
}

#[tokio::test]
async fn a_field_that_is_no_certificate_is_refused() {
    let (server, _pki) = pki_setup().await;
    let garbage = server
        .post_basic(
            CERTIFICATE,
            APP,
            SECRET,
            &[("certificate", "bm90IGEgY2VydA==")],
        )
        .await;
    let text = description(garbage, "invalid_grant").await;
    assert!(text.contains("could not be read"), "{text}");
}

/// A server with a bound P-256 certificate of the intermediate.
async fn bound_setup() -> (Server, TestCert) {
    let (server, pki) = pki_setup().await;
    let cert = pki.sub.issue(leaf("Alice"));
    bind(&server, &cert).await;
    (server, cert)
}

#[tokio::test]
async fn a_wrong_decrypted_key_is_refused() {
    let (server, cert) = bound_setup().await;
    let (thumbprint, key) = challenge(&server, &cert).await;
    let wrong = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let text = description(redeem(&server, &thumbprint, &wrong).await, "invalid_grant").await;
    assert!(text.contains("does not answer any challenge"), "{text}");
    let text = description(redeem(&server, &thumbprint, "%%%").await, "invalid_request").await;
    assert!(text.contains("base64"), "{text}");
    issued(redeem(&server, &thumbprint, &key).await).await;
}

#[tokio::test]
async fn a_thumbprint_of_another_certificate_is_refused() {
    let (server, cert) = bound_setup().await;
    let (thumbprint, key) = challenge(&server, &cert).await;
    let wrong = "00".repeat(20);
    assert_ne!(thumbprint, wrong);
    let text = description(redeem(&server, &wrong, &key).await, "invalid_grant").await;
    assert!(text.contains("thumbprint"), "{text}");
    let text = description(redeem(&server, &thumbprint, &key).await, "invalid_grant").await;
    assert!(text.contains("answered already"), "{text}");
}

#[tokio::test]
async fn an_expired_challenge_is_refused() {
    let (server, cert) = bound_setup().await;
    let (thumbprint, key) = challenge(&server, &cert).await;
    server.clock.advance(601);
    let text = description(redeem(&server, &thumbprint, &key).await, "invalid_grant").await;
    assert!(text.contains("expired"), "{text}");
}

#[tokio::test]
async fn removing_the_binding_stops_the_flow() {
    let (server, cert) = bound_setup().await;
    let (thumbprint, key) = challenge(&server, &cert).await;
    assert!(
        server
            .provider
            .unbind_certificate("alice", &thumbprint.to_lowercase())
            .await
            .expect("unbind")
    );
    let text = description(redeem(&server, &thumbprint, &key).await, "invalid_grant").await;
    assert!(text.contains("does not answer any challenge"), "{text}");
    let text = description(ask(&server, APP, &cert).await, "invalid_grant").await;
    assert!(text.contains("not bound"), "{text}");
}

#[tokio::test]
async fn the_grant_is_for_enabled_clients_and_throttled() {
    let (server, pki) = pki_setup().await;
    let cert = pki.root.issue(Leaf::new(KeyKind::P256, "Alice"));
    bind(&server, &cert).await;
    refused(ask(&server, WEB, &cert).await, 400, "unauthorized_client").await;

    let (thumbprint, key) = challenge(&server, &cert).await;
    let wrong = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(redeem(&server, &thumbprint, &wrong).await.status().as_u16());
    }
    assert_eq!(statuses, [400, 400, 400, 429, 429]);
    let waiting = redeem(&server, &thumbprint, &key).await;
    assert_eq!(waiting.status().as_u16(), 429);
    assert!(waiting.headers().contains_key("retry-after"));
    server.clock.advance(2);
    issued(redeem(&server, &thumbprint, &key).await).await;

    let discovery: Value = server
        .http
        .get(server.url(DISCOVERY))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    let grants = discovery["grant_types_supported"]
        .as_array()
        .expect("grants");
    assert!(grants.iter().any(|g| g == "certificate"));
}

/// A challenge to sign for `cert`: its thumbprint and value, base64.
async fn challenge_to_sign(server: &Server, cert: &TestCert) -> (String, String) {
    let der = base64::engine::general_purpose::STANDARD.encode(&cert.der);
    let form = [("certificate", der.as_str()), ("method", "signed")];
    let response = server.post_basic(CERTIFICATE, APP, SECRET, &form).await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert!(body.get("encrypted_key").is_none(), "{body}");
    let thumbprint = body["thumbprint"].as_str().expect("thumbprint").to_owned();
    let value = body["challenge"].as_str().expect("challenge").to_owned();
    (thumbprint, value)
}

async fn redeem_signed(
    server: &Server,
    thumbprint: &str,
    value: &str,
    signature: &[u8],
) -> reqwest::Response {
    let signature = base64::engine::general_purpose::STANDARD.encode(signature);
    let form = [
        ("grant_type", "certificate"),
        ("thumbprint", thumbprint),
        ("challenge", value),
        ("signature", signature.as_str()),
        ("scope", "openid"),
    ];
    server.post_basic(TOKEN, APP, SECRET, &form).await
}

#[tokio::test]
async fn a_key_that_can_only_sign_answers_with_a_detached_signature() {
    let (server, pki) = pki_setup().await;
    let stranger = pki.sub.issue(leaf("Mallory"));
    for kind in [KeyKind::Rsa, KeyKind::P256] {
        let cert = pki.sub.issue(Leaf::new(kind, "Alice"));
        bind(&server, &cert).await;
        let (thumbprint, value) = challenge_to_sign(&server, &cert).await;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&value)
            .expect("base64");
        let signature = cert.sign_with_openssl(&raw).expect("openssl signs");
        let tokens = issued(redeem_signed(&server, &thumbprint, &value, &signature).await).await;
        let claims = decode_unverified(tokens["id_token"].as_str().expect("id_token"))
            .expect("jwt")
            .claims;
        assert_eq!(claims["sub"], "alice", "{kind:?}");
        let again = redeem_signed(&server, &thumbprint, &value, &signature).await;
        let text = description(again, "invalid_grant").await;
        assert!(text.contains("answered already"), "{text}");

        let (thumbprint, value) = challenge_to_sign(&server, &cert).await;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&value)
            .expect("base64");
        let forged = stranger.sign_with_openssl(&raw).expect("openssl signs");
        let text = description(
            redeem_signed(&server, &thumbprint, &value, &forged).await,
            "invalid_grant",
        )
        .await;
        assert!(text.contains("signature over the challenge"), "{text}");
    }
    let cert = pki.root.issue(leaf("Alice 3"));
    bind(&server, &cert).await;
    let (thumbprint, value) = challenge_to_sign(&server, &cert).await;
    let text = description(redeem(&server, &thumbprint, &value).await, "invalid_grant").await;
    assert!(text.contains("answered as it was asked"), "{text}");
}

#[tokio::test]
async fn an_rsa_key_may_take_its_challenge_with_oaep() {
    let (server, pki) = pki_setup().await;
    let cert = pki.root.issue(Leaf::new(KeyKind::Rsa, "Alice"));
    bind(&server, &cert).await;
    let der = base64::engine::general_purpose::STANDARD.encode(&cert.der);
    let form = [("certificate", der.as_str()), ("rsa_padding", "oaep")];
    let response = server.post_basic(CERTIFICATE, APP, SECRET, &form).await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(body["encrypted_key"].as_str().expect("encrypted_key"))
        .expect("base64");
    let opened = cert
        .decrypt_with_openssl(&sealed)
        .expect("openssl decrypts");
    let key = base64::engine::general_purpose::STANDARD.encode(opened);
    let thumbprint = body["thumbprint"].as_str().expect("thumbprint");
    issued(redeem(&server, thumbprint, &key).await).await;

    let form = [("certificate", der.as_str()), ("rsa_padding", "raw")];
    let response = server.post_basic(CERTIFICATE, APP, SECRET, &form).await;
    let text = description(response, "invalid_request").await;
    assert!(text.contains("rsa_padding"), "{text}");
}

/// The personal cabinet lists a bound certificate with its owner's INN and SNILS, and
/// removing it there stops the API flow for that certificate.
#[tokio::test]
async fn the_cabinet_shows_a_certificate_and_removing_it_stops_the_flow() {
    let (server, pki) = pki_setup().await;
    let cert = pki
        .root
        .issue(Leaf::new(KeyKind::Rsa, "Alice").with_ids("500100732259", "11223344595"));
    bind(&server, &cert).await;
    let mut alice = server
        .store()
        .get_account("alice")
        .await
        .expect("store")
        .expect("alice");
    alice.password_hash = Some(
        server
            .provider
            .hash_password("correct horse")
            .await
            .expect("hash"),
    );
    server.store().update_account(&alice).await.expect("update");
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let csrf_of = |html: &str| {
        let mark = r#"name="csrf" value=""#;
        let start = html.find(mark).expect("csrf field") + mark.len();
        html[start..].split('"').next().expect("value").to_owned()
    };
    let page = |path: &str| {
        let browser = browser.clone();
        let url = server.url(path);
        async move {
            browser
                .get(url)
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("html")
        }
    };
    let csrf = csrf_of(&page("/account/login").await);
    let signed_in = browser
        .post(server.url("/account/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "alice-login"),
            ("password", "correct horse"),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(signed_in.status(), 303);
    let html = page("/account/certificates?lang=ru").await;
    assert!(
        html.contains("500100732259") && html.contains("11223344595"),
        "{html}"
    );
    assert!(html.contains("ИНН") && html.contains("СНИЛС"), "{html}");
    assert!(html.contains("Propusk Test Root"), "the issuer: {html}");
    let thumbprint = Certificate::from_der(&cert.der).expect("der").thumbprint();
    assert!(html.contains(&thumbprint), "{html}");
    // A form with a stale CSRF token goes through re-authentication; a thumbprint the
    // account does not hold changes nothing.
    let stale = browser
        .post(server.url("/account/certificates/remove"))
        .form(&[("csrf", "stale"), ("thumbprint", thumbprint.as_str())])
        .send()
        .await
        .expect("remove");
    assert_eq!(
        stale.headers()["location"],
        "/account/reauth?next=%2Faccount%2Fcertificates&e=expired"
    );
    let other = browser
        .post(server.url("/account/certificates/remove"))
        .form(&[("csrf", csrf_of(&html).as_str()), ("thumbprint", "00AA")])
        .send()
        .await
        .expect("remove");
    assert_eq!(
        other.headers()["location"],
        "/account/certificates?notice=none"
    );
    assert_eq!(
        server
            .provider
            .account_certificates("alice")
            .await
            .expect("list")
            .len(),
        1,
        "still bound"
    );
    let removed = browser
        .post(server.url("/account/certificates/remove"))
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("thumbprint", thumbprint.as_str()),
        ])
        .send()
        .await
        .expect("remove");
    assert_eq!(
        removed.headers()["location"],
        "/account/certificates?notice=removed"
    );
    let html = page("/account/certificates?lang=en").await;
    assert!(html.contains("id=\"no-certificates\""), "{html}");
    let text = description(ask(&server, APP, &cert).await, "invalid_grant").await;
    assert!(text.contains("not bound"), "{text}");
}

mod gost;
