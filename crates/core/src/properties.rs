//! Property tests of the parsers of outside input in this crate: compact JWS/JWT, JWKs
//! and JWK Sets, request parameters, identifiers. Whatever arrives, they answer with a
//! value or an error — never a panic — and what they keep is bounded by what came in.

use crate::identifier::{normalize_email, normalize_identifier, normalize_login, normalize_phone};
use crate::jose::{Alg, Jwk, JwkSet, VerifyingKeys, decode_unverified, verify_jwt};
use crate::request::Params;
use proptest::collection::vec;
use proptest::prelude::*;

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// JSON text nested `depth` deep in arrays or objects, as an attacker would send.
fn nested(depth: usize, objects: bool) -> String {
    let (open, close) = if objects {
        ("{\"a\":", "}")
    } else {
        ("[", "]")
    };
    format!("{}1{}", open.repeat(depth), close.repeat(depth))
}

fn optional_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(any::<String>())
}

prop_compose! {
    fn any_jwk()(
        kty in prop_oneof![Just("RSA".to_owned()), Just("EC".to_owned()), Just("OKP".to_owned()), any::<String>()],
        kid in optional_text(),
        alg in proptest::option::of(prop_oneof![Just("RS256".to_owned()), Just("ES256".to_owned()), Just("EdDSA".to_owned()), any::<String>()]),
        crv in proptest::option::of(prop_oneof![Just("P-256".to_owned()), Just("Ed25519".to_owned()), any::<String>()]),
        n in proptest::option::of(vec(any::<u8>(), 0..600).prop_map(|b| b64url(&b))),
        e in proptest::option::of(vec(any::<u8>(), 0..8).prop_map(|b| b64url(&b))),
        x in proptest::option::of(vec(any::<u8>(), 0..80).prop_map(|b| b64url(&b))),
        y in proptest::option::of(vec(any::<u8>(), 0..80).prop_map(|b| b64url(&b))),
    ) -> Jwk {
        Jwk { kty, kid, use_: Some("sig".into()), alg, n, e, crv, x, y }
    }
}

proptest! {
    #[test]
    fn any_text_as_a_jwt_is_an_answer(token in any::<String>()) {
        let _ = decode_unverified(&token);
        let _ = verify_jwt(&token, &[], &Alg::ALL);
    }

    #[test]
    fn any_bytes_in_the_three_parts_are_an_answer(
        header in vec(any::<u8>(), 0..300),
        claims in vec(any::<u8>(), 0..300),
        signature in vec(any::<u8>(), 0..300),
        key in any_jwk(),
    ) {
        let token = format!("{}.{}.{}", b64url(&header), b64url(&claims), b64url(&signature));
        let _ = decode_unverified(&token);
        let _ = verify_jwt(&token, &[key], &Alg::ALL);
    }

    #[test]
    fn any_header_on_a_real_shape_is_an_answer(
        alg in prop_oneof![Just("none"), Just("HS256"), Just("RS256"), Just("ES256"), Just("EdDSA"), Just("PS256"), Just("ES512")],
        kid in optional_text(),
        crit in proptest::option::of(vec(any::<String>(), 0..4)),
        key in any_jwk(),
        signature in vec(any::<u8>(), 0..600),
    ) {
        let header = serde_json::json!({"alg": alg, "kid": kid, "crit": crit, "jku": "https://evil.example/jwks"});
        let token = format!(
            "{}.{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(br#"{"sub":"x"}"#),
            b64url(&signature)
        );
        let _ = verify_jwt(&token, std::slice::from_ref(&key), &Alg::ALL);
        let keys = VerifyingKeys::new(&[key]);
        let _ = keys.verify_jwt(&token, &Alg::ALL);
    }

    #[test]
    fn any_jwk_set_text_is_an_answer(text in any::<String>(), keys in vec(any_jwk(), 0..4)) {
        let _ = serde_json::from_str::<JwkSet>(&text);
        let _ = VerifyingKeys::new(&keys);
    }

    #[test]
    fn parameters_keep_no_more_than_they_got(pairs in vec((any::<String>(), any::<String>()), 0..40)) {
        let size: usize = pairs.iter().map(|(n, v)| n.len() + v.len()).sum();
        let params = Params::from_pairs(pairs);
        let kept: usize = params.pairs().iter().map(|(n, v)| n.len() + v.len()).sum();
        prop_assert!(kept <= size);
    }

    #[test]
    fn identifiers_are_an_answer(text in any::<String>()) {
        let normalized = normalize_identifier(&text);
        // Lower-casing may grow a few characters (e.g. 'İ'), never without bound.
        prop_assert!(normalized.len() <= text.len() * 3 + 4);
        let _ = (normalize_login(&text), normalize_email(&text), normalize_phone(&text));
    }
}

#[test]
fn deeply_nested_json_in_a_jwt_is_refused_not_a_crash() {
    for objects in [false, true] {
        let deep = nested(100_000, objects);
        let token = format!(
            "{}.{}.{}",
            b64url(deep.as_bytes()),
            b64url(deep.as_bytes()),
            "c2ln"
        );
        assert!(decode_unverified(&token).is_err());
        assert!(verify_jwt(&token, &[], &Alg::ALL).is_err());
        assert!(serde_json::from_str::<JwkSet>(&deep).is_err());
    }
}
