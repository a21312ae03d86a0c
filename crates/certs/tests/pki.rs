//! Path validation, identity and envelopes against CAs made on the fly; envelopes are
//! opened with the `openssl cms` command.

use propusk_certs::test_pki::{
    ExtendedKeyUsagePurpose, KeyKind, KeyUsagePurpose, Leaf, TestCa, TestCert,
};
use propusk_certs::{
    CertError, Certificate, RsaPadding, TrustStore, TrustedFile, envelope, verify_detached,
};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

fn store_of(pems: &[&str]) -> TrustStore {
    let mut store = TrustStore::default();
    for pem in pems {
        store.add(TrustedFile::parse(pem.as_bytes()).expect("a trust file"));
    }
    store
}

fn check(store: &TrustStore, cert: &TestCert) -> Result<(), CertError> {
    let parsed = Certificate::from_text(&cert.pem).expect("parses");
    store.validate(&parsed, now())
}

#[test]
fn a_leaf_under_a_root_or_an_intermediate_is_valid() {
    let root = TestCa::root("Root");
    let sub = root.intermediate("Issuing CA");
    let direct = root.issue(Leaf::new(KeyKind::P256, "Direct"));
    let via = sub.issue(Leaf::new(KeyKind::Rsa, "Via"));
    let store = store_of(&[&root.pem, &sub.pem]);
    assert_eq!(store.roots().len(), 1);
    assert_eq!(store.intermediates().len(), 1);
    assert_eq!(check(&store, &direct), Ok(()));
    assert_eq!(check(&store, &via), Ok(()));
}

#[test]
fn each_failure_is_named() {
    let root = TestCa::root("Root");
    let other = TestCa::root("Other root");
    let impostor = TestCa::root("Root");
    let store = store_of(&[&root.pem]);
    let leaf = |l: Leaf| root.issue(l);

    let untrusted = other.issue(Leaf::new(KeyKind::P256, "U"));
    assert_eq!(check(&store, &untrusted), Err(CertError::UntrustedRoot));

    let expired = leaf(Leaf::new(KeyKind::P256, "E").valid_days(-30, -1));
    assert_eq!(check(&store, &expired), Err(CertError::Expired));

    let early = leaf(Leaf::new(KeyKind::P256, "N").valid_days(10, 30));
    assert_eq!(check(&store, &early), Err(CertError::NotYetValid));

    let forged = impostor.issue(Leaf::new(KeyKind::P256, "F"));
    assert_eq!(check(&store, &forged), Err(CertError::BadSignature));

    let mut usage = Leaf::new(KeyKind::P256, "K");
    usage.key_usages = vec![KeyUsagePurpose::CrlSign];
    assert_eq!(check(&store, &leaf(usage)), Err(CertError::WrongKeyUsage));

    let mut purpose = Leaf::new(KeyKind::P256, "P");
    purpose.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    assert_eq!(check(&store, &leaf(purpose)), Err(CertError::WrongKeyUsage));

    let revoked = leaf(Leaf::new(KeyKind::P256, "R"));
    let kept = leaf(Leaf::new(KeyKind::P256, "Kept"));
    let with_crl = store_of(&[&root.pem, &root.crl(&[&revoked])]);
    assert_eq!(with_crl.crl_count(), 1);
    assert_eq!(check(&with_crl, &revoked), Err(CertError::Revoked));
    assert_eq!(check(&with_crl, &kept), Ok(()));
}

#[test]
fn identity_and_thumbprint_are_read() {
    let root = TestCa::root("Root");
    let cert =
        root.issue(Leaf::new(KeyKind::P256, "Ivanov Ivan").with_ids("500100732259", "11223344595"));
    let parsed = Certificate::from_text(&cert.pem).expect("parses");
    let identity = parsed.identity();
    assert_eq!(identity.common_name.as_deref(), Some("Ivanov Ivan"));
    assert_eq!(identity.inn.as_deref(), Some("500100732259"));
    assert_eq!(identity.snils.as_deref(), Some("11223344595"));
    let thumbprint = parsed.thumbprint();
    assert_eq!(thumbprint.len(), 40);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&cert.der);
    assert_eq!(
        Certificate::from_text(&b64).expect("base64").thumbprint(),
        thumbprint
    );
    assert_eq!(
        propusk_certs::normalize_thumbprint(&thumbprint.to_lowercase()),
        Some(thumbprint)
    );
    assert!(matches!(
        Certificate::from_text("nonsense!"),
        Err(CertError::Malformed(_))
    ));
}

#[test]
fn envelopes_open_with_openssl() {
    let root = TestCa::root("Root");
    let cases = [
        (KeyKind::Rsa, RsaPadding::Pkcs1),
        (KeyKind::Rsa, RsaPadding::Oaep),
        (KeyKind::P256, RsaPadding::Pkcs1),
    ];
    for (kind, padding) in cases {
        let cert = root.issue(Leaf::new(kind, "Holder"));
        let parsed = Certificate::from_text(&cert.pem).expect("parses");
        let secret = b"a challenge of thirty-two bytes!";
        let sealed = envelope(&parsed, secret, padding).expect("sealed");
        let opened = cert
            .decrypt_with_openssl(&sealed)
            .expect("openssl decrypts");
        assert_eq!(opened, secret, "{kind:?} {padding:?}");
    }
}

#[test]
fn detached_signatures_of_openssl_verify() {
    let root = TestCa::root("Root");
    let challenge = b"a challenge to sign, 32 bytes!!!";
    for kind in [KeyKind::Rsa, KeyKind::P256] {
        let cert = root.issue(Leaf::new(kind, "Signer"));
        let other = root.issue(Leaf::new(kind, "Other"));
        let parsed = Certificate::from_text(&cert.pem).expect("parses");
        let signed = cert.sign_with_openssl(challenge).expect("openssl signs");
        assert_eq!(
            verify_detached(&parsed, challenge, &signed),
            Ok(()),
            "{kind:?}"
        );
        assert!(matches!(
            verify_detached(&parsed, b"another value", &signed),
            Err(CertError::SignatureInvalid(_))
        ));
        let by_other = other.sign_with_openssl(challenge).expect("openssl signs");
        assert!(matches!(
            verify_detached(&parsed, challenge, &by_other),
            Err(CertError::SignatureInvalid(_))
        ));
        assert!(matches!(
            verify_detached(&parsed, challenge, b"junk"),
            Err(CertError::SignatureInvalid(_))
        ));
    }
}
