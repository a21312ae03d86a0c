//! The certificate API flow with GOST R 34.10-2012 certificates (256 and 512 bit keys)
//! made with the `openssl` command and its GOST engine: the challenge opened with
//! `openssl cms -decrypt`, traded for tokens of the bound account once; each refusal with
//! the error the RSA path gives; the signed-challenge variant with `openssl cms -sign`.
//! With the `gost` feature the server process needs the engine loaded
//! (`OPENSSL_CONF=deploy/openssl-gost.cnf`, as scripts/test runs it); without it a GOST
//! certificate is refused as an unsupported key.

use super::*;
use propusk_certs::test_gost::{GostCa, GostCert, GostKey, GostLeaf};

/// A server on the wall clock's present with `signing-app` and `alice`, trusting `root`.
async fn gost_setup(root: &GostCa) -> Server {
    let server = setup().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    server.clock.set(now);
    let client = Client {
        grant_types: vec![GrantType::Certificate],
        ..confidential(APP, AuthMethod::ClientSecretBasic)
    };
    server.add_client(client, Some(SECRET)).await;
    trust(&server, &[&root.pem]);
    server
}

async fn ask_gost(server: &Server, cert: &GostCert, method: Option<&str>) -> reqwest::Response {
    let der = base64::engine::general_purpose::STANDARD.encode(&cert.der);
    let mut form = vec![("certificate", der.as_str())];
    if let Some(method) = method {
        form.push(("method", method));
    }
    server.post_basic(CERTIFICATE, APP, SECRET, &form).await
}

#[cfg(feature = "gost")]
mod with_the_feature {
    use super::*;

    fn ready() {
        if let Err(why) = propusk_certs::gost::engine_ready() {
            panic!("{why} (run with OPENSSL_CONF=deploy/openssl-gost.cnf)");
        }
    }

    async fn bind_gost(server: &Server, cert: &GostCert) {
        let parsed = Certificate::from_der(&cert.der).expect("parses");
        server
            .provider
            .bind_certificate("alice", &parsed)
            .await
            .expect("bound");
    }

    /// The challenge for `cert` opened with `openssl cms -decrypt`: thumbprint and value.
    async fn gost_challenge(server: &Server, cert: &GostCert) -> (String, String) {
        let response = ask_gost(server, cert, None).await;
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["expires_in"], 600);
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(body["encrypted_key"].as_str().expect("encrypted_key"))
            .expect("base64");
        let opened = cert
            .decrypt_with_openssl(&sealed)
            .expect("openssl decrypts");
        assert_eq!(opened.len(), 32);
        (
            body["thumbprint"].as_str().expect("thumbprint").to_owned(),
            base64::engine::general_purpose::STANDARD.encode(opened),
        )
    }

    #[tokio::test]
    async fn gost_256_and_512_certificates_sign_in_once() {
        ready();
        let root = GostCa::root("GOST Test Root");
        let server = gost_setup(&root).await;
        for key in [GostKey::Gost256, GostKey::Gost512] {
            let leaf = GostLeaf::new(key, "Alice").with_ids("500100732259", "11223344595");
            let cert = root.issue(leaf);
            bind_gost(&server, &cert).await;
            let (thumbprint, value) = gost_challenge(&server, &cert).await;
            assert_eq!(
                thumbprint,
                Certificate::from_der(&cert.der).expect("der").thumbprint()
            );
            let tokens = issued(redeem(&server, &thumbprint, &value).await).await;
            let claims = decode_unverified(tokens["id_token"].as_str().expect("id_token"))
                .expect("jwt")
                .claims;
            assert_eq!(claims["sub"], "alice", "{key:?}");
            assert_eq!(claims["amr"], serde_json::json!(["swk"]), "{key:?}");
            let again = description(redeem(&server, &thumbprint, &value).await, "invalid_grant");
            assert!(again.await.contains("answered already"), "{key:?}");
        }
        let stored = server
            .provider
            .account_certificates("alice")
            .await
            .expect("list");
        assert_eq!(stored.len(), 2);
        assert!(
            stored
                .iter()
                .all(|s| s.identity.inn.as_deref() == Some("500100732259"))
        );
        assert!(
            stored
                .iter()
                .all(|s| s.identity.snils.as_deref() == Some("11223344595"))
        );
    }

    /// The challenge for a GOST certificate made by `make` from the trusted root is
    /// refused with `expected` in the description; with `revoke`, a CRL revokes it.
    async fn refused_gost(make: impl FnOnce(&GostCa) -> GostCert, revoke: bool, expected: &str) {
        ready();
        let root = GostCa::root("GOST Test Root");
        let server = gost_setup(&root).await;
        let cert = make(&root);
        if revoke {
            let crl = root.crl(&[&cert]);
            trust(&server, &[&root.pem, &crl]);
        }
        let text = description(ask_gost(&server, &cert, None).await, "invalid_grant").await;
        assert!(text.contains(expected), "{expected}: {text}");
    }

    fn leaf(name: &str) -> GostLeaf {
        GostLeaf::new(GostKey::Gost256, name)
    }

    #[tokio::test]
    async fn a_gost_certificate_of_an_untrusted_root_is_refused() {
        let stranger = GostCa::root("Stranger GOST Root");
        let make = |_: &GostCa| stranger.issue(leaf("U"));
        refused_gost(make, false, "does not chain to a trusted root").await;
    }

    #[tokio::test]
    async fn an_expired_gost_certificate_is_refused() {
        let make = |root: &GostCa| root.issue(leaf("E").valid_days(-30, -1));
        refused_gost(make, false, "has expired").await;
    }

    #[tokio::test]
    async fn a_gost_certificate_not_yet_valid_is_refused() {
        let make = |root: &GostCa| root.issue(leaf("N").valid_days(5, 30));
        refused_gost(make, false, "not valid yet").await;
    }

    #[tokio::test]
    async fn a_wrongly_signed_gost_certificate_is_refused() {
        let impostor = GostCa::root("GOST Test Root");
        let make = |_: &GostCa| impostor.issue(leaf("F"));
        refused_gost(
            make,
            false,
            "signature in the certificate chain does not verify",
        )
        .await;
    }

    #[tokio::test]
    async fn a_revoked_gost_certificate_is_refused() {
        let make = |root: &GostCa| root.issue(leaf("R"));
        refused_gost(make, true, "revoked").await;
    }

    #[tokio::test]
    async fn a_gost_certificate_with_the_wrong_key_usage_is_refused() {
        let make = |root: &GostCa| root.issue(leaf("K").wrong_usage());
        refused_gost(make, false, "key usage").await;
    }

    #[tokio::test]
    async fn a_gost_certificate_bound_to_no_account_is_refused() {
        let make = |root: &GostCa| root.issue(leaf("Nobody"));
        refused_gost(make, false, "not bound").await;
    }

    #[tokio::test]
    async fn a_gost_key_that_can_only_sign_answers_with_a_detached_signature() {
        ready();
        let root = GostCa::root("GOST Test Root");
        let server = gost_setup(&root).await;
        let cert = root.issue(GostLeaf::new(GostKey::Gost512, "Alice"));
        let stranger = root.issue(GostLeaf::new(GostKey::Gost256, "Mallory"));
        bind_gost(&server, &cert).await;
        let signed_challenge = || async {
            let response = ask_gost(&server, &cert, Some("signed")).await;
            assert_eq!(response.status().as_u16(), 200);
            let body: Value = response.json().await.expect("json");
            let thumbprint = body["thumbprint"].as_str().expect("thumbprint").to_owned();
            let value = body["challenge"].as_str().expect("challenge").to_owned();
            let raw = base64::engine::general_purpose::STANDARD
                .decode(&value)
                .expect("base64");
            (thumbprint, value, raw)
        };
        let (thumbprint, value, raw) = signed_challenge().await;
        let signature = cert.sign_with_openssl(&raw).expect("openssl signs");
        let tokens = issued(redeem_signed(&server, &thumbprint, &value, &signature).await).await;
        let claims = decode_unverified(tokens["id_token"].as_str().expect("id_token"))
            .expect("jwt")
            .claims;
        assert_eq!(claims["sub"], "alice");

        let (thumbprint, value, raw) = signed_challenge().await;
        let forged = stranger.sign_with_openssl(&raw).expect("openssl signs");
        let response = redeem_signed(&server, &thumbprint, &value, &forged).await;
        let text = description(response, "invalid_grant").await;
        assert!(text.contains("signature over the challenge"), "{text}");
    }
}

#[cfg(not(feature = "gost"))]
#[tokio::test]
async fn without_the_feature_a_gost_certificate_is_refused_as_unsupported() {
    if !propusk_certs::test_gost::engine_available() {
        eprintln!("skipped: the openssl command has no GOST engine");
        return;
    }
    let root = GostCa::root("GOST Test Root");
    let server = gost_setup(&root).await;
    let cert = root.issue(GostLeaf::new(GostKey::Gost256, "Alice"));
    let text = description(ask_gost(&server, &cert, None).await, "invalid_grant").await;
    assert!(text.contains("gost feature"), "{text}");
    let parsed = Certificate::from_der(&cert.der).expect("parses");
    let bound = server.provider.bind_certificate("alice", &parsed).await;
    assert!(bound.is_err());
}
