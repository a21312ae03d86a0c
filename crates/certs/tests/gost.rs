//! GOST R 34.10-2012 certificates (256 and 512 bit keys) made with the `openssl` command
//! and its GOST engine: identity, path validation with each failure named as on the RSA
//! path, the challenge envelope opened by `openssl cms -decrypt`, and detached signatures
//! by `openssl cms -sign`. Needs the engine loaded in this process: run with
//! `OPENSSL_CONF=deploy/openssl-gost.cnf` (scripts/test does). Without the feature a
//! GOST certificate is refused as an unsupported key.

use propusk_certs::test_gost::{GostCa, GostCert, GostKey, GostLeaf};
use propusk_certs::{
    CertError, Certificate, RsaPadding, TrustStore, TrustedFile, envelope, verify_detached,
};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

#[cfg(feature = "gost")]
fn ready() {
    if let Err(why) = propusk_certs::gost::engine_ready() {
        panic!("{why} (run with OPENSSL_CONF=deploy/openssl-gost.cnf)");
    }
}

fn store_of(pems: &[&str]) -> TrustStore {
    let mut store = TrustStore::default();
    for pem in pems {
        store.add(TrustedFile::parse(pem.as_bytes()).expect("a trust file"));
    }
    store
}

fn check(store: &TrustStore, cert: &GostCert) -> Result<(), CertError> {
    let parsed = Certificate::from_text(&cert.pem).expect("parses");
    store.validate(&parsed, now())
}

#[cfg(feature = "gost")]
#[test]
fn gost_256_and_512_certificates_are_read_validated_and_answer_challenges() {
    ready();
    let root = GostCa::root("GOST Root");
    let store = store_of(&[&root.pem]);
    for key in [GostKey::Gost256, GostKey::Gost512] {
        let cert = root.issue(GostLeaf::new(key, "Alice").with_ids("500100732259", "11223344595"));
        let parsed = Certificate::from_der(&cert.der).expect("parses");
        assert!(parsed.is_gost());
        let identity = parsed.identity();
        assert_eq!(identity.common_name.as_deref(), Some("Alice"));
        assert_eq!(identity.inn.as_deref(), Some("500100732259"));
        assert_eq!(identity.snils.as_deref(), Some("11223344595"));
        assert_eq!(check(&store, &cert), Ok(()), "{key:?}");

        let value = b"0123456789abcdef0123456789abcdef";
        let sealed = envelope(&parsed, value, RsaPadding::Pkcs1).expect("sealed");
        let opened = cert
            .decrypt_with_openssl(&sealed)
            .expect("openssl decrypts");
        assert_eq!(opened, value, "{key:?}");

        let signature = cert.sign_with_openssl(value).expect("openssl signs");
        assert_eq!(verify_detached(&parsed, value, &signature), Ok(()));
        assert!(matches!(
            verify_detached(&parsed, b"another value", &signature),
            Err(CertError::SignatureInvalid(_))
        ));
    }
}

#[cfg(feature = "gost")]
#[test]
fn each_gost_failure_is_named_as_on_the_rsa_path() {
    ready();
    let root = GostCa::root("GOST Root");
    let other = GostCa::root("Other GOST Root");
    let impostor = GostCa::root("GOST Root");
    let leaf = |name: &str| GostLeaf::new(GostKey::Gost256, name);

    let untrusted = other.issue(leaf("U"));
    let expired = root.issue(leaf("E").valid_days(-30, -1));
    let early = root.issue(leaf("N").valid_days(10, 30));
    let forged = impostor.issue(leaf("F"));
    let usage = root.issue(leaf("K").wrong_usage());
    let revoked = root.issue(leaf("R"));
    let crl = root.crl(&[&revoked]);

    let store = store_of(&[&root.pem, &crl]);
    assert_eq!(store.crl_count(), 1);
    assert_eq!(check(&store, &untrusted), Err(CertError::UntrustedRoot));
    assert_eq!(check(&store, &expired), Err(CertError::Expired));
    assert_eq!(check(&store, &early), Err(CertError::NotYetValid));
    assert_eq!(check(&store, &forged), Err(CertError::BadSignature));
    assert_eq!(check(&store, &usage), Err(CertError::WrongKeyUsage));
    assert_eq!(check(&store, &revoked), Err(CertError::Revoked));
    assert_eq!(check(&store_of(&[&root.pem]), &revoked), Ok(()));
}

#[cfg(feature = "gost")]
#[test]
fn a_gost_signature_by_another_certificate_is_refused() {
    ready();
    let root = GostCa::root("GOST Root");
    let alice = root.issue(GostLeaf::new(GostKey::Gost256, "Alice"));
    let bob = root.issue(GostLeaf::new(GostKey::Gost512, "Bob"));
    let value = b"challenge";
    let by_bob = bob.sign_with_openssl(value).expect("openssl signs");
    let alice_cert = Certificate::from_der(&alice.der).expect("parses");
    assert!(matches!(
        verify_detached(&alice_cert, value, &by_bob),
        Err(CertError::SignatureInvalid(_))
    ));
    assert!(matches!(
        verify_detached(&alice_cert, value, b"not cms"),
        Err(CertError::SignatureInvalid(_))
    ));
}

#[cfg(not(feature = "gost"))]
#[test]
fn without_the_feature_a_gost_certificate_is_an_unsupported_key() {
    if !propusk_certs::test_gost::engine_available() {
        eprintln!("skipped: the openssl command has no GOST engine");
        return;
    }
    let root = GostCa::root("GOST Root");
    let cert = root
        .issue(GostLeaf::new(GostKey::Gost256, "Alice").with_ids("500100732259", "11223344595"));
    let parsed = Certificate::from_der(&cert.der).expect("parses");
    assert_eq!(parsed.identity().inn.as_deref(), Some("500100732259"));
    let unsupported = Err(CertError::UnsupportedKey(propusk_certs::GOST_UNSUPPORTED));
    assert_eq!(check(&store_of(&[&root.pem]), &cert), unsupported);
    assert_eq!(
        envelope(&parsed, b"value", RsaPadding::Pkcs1),
        Err(CertError::UnsupportedKey(propusk_certs::GOST_UNSUPPORTED))
    );
    assert_eq!(
        verify_detached(&parsed, b"value", b"signature"),
        unsupported
    );
}
