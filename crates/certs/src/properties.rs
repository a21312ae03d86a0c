//! Property tests of the parsers of outside input in this crate: certificates as DER,
//! PEM or base64, trust files, CMS signatures. Any bytes get a value or an error, never a
//! panic; lengths that claim more than was sent allocate nothing.

use crate::test_pki::{KeyKind, Leaf, TestCa};
use crate::{Certificate, TrustedFile, read_signature, signed_data_certificates, verify_detached};
use proptest::collection::vec;
use proptest::prelude::*;
use std::sync::OnceLock;

/// One real certificate and a real detached signature, made once, for mutations.
fn sample() -> &'static (Vec<u8>, Vec<u8>) {
    static SAMPLE: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let ca = TestCa::root("Property CA");
        let cert = ca.issue(
            Leaf::new(KeyKind::P256, "Property Person").with_ids("500100732259", "11223344595"),
        );
        let signature = cert.sign_with_openssl(b"challenge").unwrap_or_default();
        (cert.der.clone(), signature)
    })
}

/// `bytes` with each (position, value) written over it.
fn mutated(bytes: &[u8], changes: &[(usize, u8)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (at, value) in changes {
        if !out.is_empty() {
            let at = at % out.len();
            out[at] = *value;
        }
    }
    out
}

proptest! {
    #[test]
    fn any_bytes_as_a_certificate_are_an_answer(bytes in vec(any::<u8>(), 0..2048)) {
        let _ = Certificate::from_der(&bytes);
        let _ = TrustedFile::parse(&bytes);
        let _ = signed_data_certificates(&bytes);
        if let Ok(der) = read_signature(&bytes) {
            prop_assert!(der.len() <= bytes.len());
        }
    }

    #[test]
    fn any_text_as_a_certificate_is_an_answer(text in any::<String>()) {
        let _ = Certificate::from_text(&text);
        let _ = Certificate::from_text(&format!("-----BEGIN CERTIFICATE-----\n{text}\n-----END CERTIFICATE-----"));
        let _ = read_signature(text.as_bytes());
    }

    #[test]
    fn a_mutated_certificate_is_an_answer(changes in vec((any::<usize>(), any::<u8>()), 1..6)) {
        let (der, _) = sample();
        if let Ok(cert) = Certificate::from_der(&mutated(der, &changes)) {
            let _ = (cert.identity(), cert.subject(), cert.issuer(), cert.thumbprint());
        }
    }

    #[test]
    fn a_mutated_signature_is_an_answer(changes in vec((any::<usize>(), any::<u8>()), 1..6)) {
        let (der, signature) = sample();
        let signer = Certificate::from_der(der).expect("the sample");
        let _ = signed_data_certificates(&mutated(signature, &changes));
        let _ = verify_detached(&signer, b"challenge", &mutated(signature, &changes));
    }
}

#[test]
fn lengths_beyond_the_input_and_deep_nesting_are_refused() {
    // A SEQUENCE claiming 4 GiB, with a handful of bytes behind it.
    let claims_too_much = [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01];
    assert!(Certificate::from_der(&claims_too_much).is_err());
    assert!(signed_data_certificates(&claims_too_much).is_err());
    // 100,000 nested indefinite-length SEQUENCEs.
    let deep: Vec<u8> = [0x30, 0x80].repeat(100_000);
    assert!(Certificate::from_der(&deep).is_err());
    assert!(signed_data_certificates(&deep).is_err());
    let _ = TrustedFile::parse(&deep);
}
