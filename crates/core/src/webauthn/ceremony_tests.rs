use super::*;
use crate::webauthn::soft::SoftAuthenticator;

const CHALLENGE: &str = "q2bJ3G4c0oNl0K2h1xS8yA";

fn rp() -> RelyingParty {
    RelyingParty {
        id: "localhost".into(),
        origin: "http://localhost:8080".into(),
    }
}

fn authenticator() -> SoftAuthenticator {
    SoftAuthenticator::new("localhost", "http://localhost:8080")
}

fn register(a: &SoftAuthenticator) -> Result<Registered, Refusal> {
    let r = a.register(CHALLENGE);
    verify_registration(&rp(), CHALLENGE, false, &r.client_data_json, &r.data)
}

fn assert_with(
    a: &SoftAuthenticator,
    stored: u32,
    r: &crate::webauthn::soft::SoftResponse,
) -> Result<Asserted, Refusal> {
    let bytes = AssertionBytes {
        client_data_json: &r.client_data_json,
        authenticator_data: &r.data,
        signature: &r.signature,
    };
    verify_assertion(&rp(), CHALLENGE, false, &a.cose_key(), stored, &bytes)
}

#[test]
fn a_registration_yields_the_credential() {
    let a = authenticator();
    let registered = register(&a).unwrap();
    assert_eq!(registered.credential_id, a.credential_id);
    assert_eq!(registered.public_key, a.cose_key());
    assert_eq!(registered.algorithm, -7);
    assert_eq!(registered.format, "none");
    assert!(registered.user_verified);
    assert!(!registered.backup_eligible);
}

#[test]
fn a_registration_for_another_challenge_origin_or_rp_is_refused() {
    let a = authenticator();
    let r = a.register("b3RoZXI");
    assert_eq!(
        verify_registration(&rp(), CHALLENGE, false, &r.client_data_json, &r.data),
        Err(Refusal::ChallengeMismatch)
    );
    let evil = SoftAuthenticator::new("localhost", "http://evil.example");
    assert_eq!(register(&evil), Err(Refusal::WrongOrigin));
    let other_rp = SoftAuthenticator::new("evil.example", "http://localhost:8080");
    assert_eq!(register(&other_rp), Err(Refusal::WrongRpId));
    let r = a.register(CHALLENGE);
    let get = a.client_data("webauthn.get", CHALLENGE);
    assert_eq!(
        verify_registration(&rp(), CHALLENGE, false, &get, &r.data),
        Err(Refusal::WrongType)
    );
}

#[test]
fn registration_flags_are_checked() {
    let mut a = authenticator();
    a.flags = flags::UV;
    assert_eq!(register(&a), Err(Refusal::UserNotPresent));
    a.flags = flags::UP;
    let r = a.register(CHALLENGE);
    assert_eq!(
        verify_registration(&rp(), CHALLENGE, true, &r.client_data_json, &r.data),
        Err(Refusal::UserNotVerified)
    );
    a.flags = flags::UP | flags::BS;
    assert_eq!(register(&a), Err(Refusal::BackupStateInvalid));
    a.flags = flags::UP | flags::BE | flags::BS;
    let registered = register(&a).unwrap();
    assert!(registered.backup_eligible && registered.backed_up);
}

#[test]
fn garbage_is_refused_not_panicked_on() {
    let a = authenticator();
    let r = a.register(CHALLENGE);
    for (cdj, object) in [
        (&b"not json"[..], &r.data[..]),
        (&r.client_data_json[..], &[0xa0][..]),
        (&r.client_data_json[..], &[0xff, 0x00][..]),
        (&r.client_data_json[..], &r.data[..r.data.len() - 3]),
    ] {
        assert!(verify_registration(&rp(), CHALLENGE, false, cdj, object).is_err());
    }
    for cut in 0..r.data.len() {
        let _ = AuthenticatorData::parse(&r.data[..cut]);
    }
}

#[test]
fn an_assertion_verifies() {
    let mut a = authenticator();
    let r = a.assert(CHALLENGE, None);
    let asserted = assert_with(&a, 0, &r).unwrap();
    assert_eq!(asserted.sign_count, 1);
    assert!(asserted.user_verified);
}

#[test]
fn a_tampered_signature_or_data_is_refused() {
    let mut a = authenticator();
    let mut r = a.assert(CHALLENGE, None);
    let last = r.signature.len() - 1;
    r.signature[last] ^= 0x01;
    assert_eq!(assert_with(&a, 0, &r), Err(Refusal::SignatureInvalid));
    let mut r = a.assert(CHALLENGE, None);
    r.data[36] ^= 0x01;
    assert_eq!(assert_with(&a, 0, &r), Err(Refusal::SignatureInvalid));
    // Another key's signature.
    let other = authenticator();
    let r = a.assert(CHALLENGE, None);
    let bytes = AssertionBytes {
        client_data_json: &r.client_data_json,
        authenticator_data: &r.data,
        signature: &r.signature,
    };
    assert_eq!(
        verify_assertion(&rp(), CHALLENGE, false, &other.cose_key(), 0, &bytes),
        Err(Refusal::SignatureInvalid)
    );
}

#[test]
fn an_assertion_for_another_challenge_origin_or_rp_is_refused() {
    let mut a = authenticator();
    let r = a.assert("cmVwbGF5ZWQ", None);
    assert_eq!(assert_with(&a, 0, &r), Err(Refusal::ChallengeMismatch));
    a.origin = "https://localhost:8080".into();
    let r = a.assert(CHALLENGE, None);
    assert_eq!(assert_with(&a, 0, &r), Err(Refusal::WrongOrigin));
    a.origin = "http://localhost:8080".into();
    a.rp_id = "example.com".into();
    let r = a.assert(CHALLENGE, None);
    assert_eq!(assert_with(&a, 0, &r), Err(Refusal::WrongRpId));
}

#[test]
fn a_counter_that_goes_back_is_refused_but_zero_always_passes() {
    let mut a = authenticator();
    a.sign_count = 9;
    let r = a.assert(CHALLENGE, None);
    assert_eq!(assert_with(&a, 10, &r), Err(Refusal::SignCountRegressed));
    assert_eq!(assert_with(&a, 9, &r).map(|x| x.sign_count), Ok(10));
    // An authenticator without a counter reports 0 every time.
    a.sign_count = u32::MAX;
    let r = a.assert(CHALLENGE, None);
    assert_eq!(r.data[33..37], [0, 0, 0, 0]);
    assert!(assert_with(&a, 0, &r).is_ok());
}

#[test]
fn uv_is_required_when_asked() {
    let mut a = authenticator();
    a.flags = flags::UP;
    let r = a.assert(CHALLENGE, None);
    let bytes = AssertionBytes {
        client_data_json: &r.client_data_json,
        authenticator_data: &r.data,
        signature: &r.signature,
    };
    assert_eq!(
        verify_assertion(&rp(), CHALLENGE, true, &a.cose_key(), 0, &bytes),
        Err(Refusal::UserNotVerified)
    );
    assert!(assert_with(&a, 0, &r).is_ok_and(|x| !x.user_verified));
}
