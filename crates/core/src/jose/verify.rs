//! Verification of a compact JWS against a caller-supplied set of public JWKs
//! ([RFC 7515 §5.2](https://www.rfc-editor.org/rfc/rfc7515#section-5.2)), following the
//! JWT BCP ([RFC 8725 §3.1](https://www.rfc-editor.org/rfc/rfc8725#section-3.1)): the
//! caller names the acceptable algorithms, `none` never verifies, `crit` is refused.

use super::compact::{self, VerifiedJwt};
use super::{Alg, JoseError, Jwk, public_key};
use crate::crypto::b64url_decode;
use aws_lc_rs::signature::ParsedPublicKey;
use std::borrow::Borrow;

/// Verify a compact JWS against a set of public JWKs; only algorithms in `allowed`.
/// With a `kid` in the header only keys with that `kid` are tried, otherwise every key
/// usable for the algorithm. No claim checks here (exp/aud are the caller's).
pub fn verify_jwt(token: &str, keys: &[Jwk], allowed: &[Alg]) -> Result<VerifiedJwt, JoseError> {
    let signed = Signed::parse(token, allowed)?;
    let candidates = keys
        .iter()
        .filter(|key| signed.wants(key.kid.as_deref()))
        .filter(|key| public_key::is_usable_for(key, signed.alg))
        .map(|key| public_key::parse(signed.alg, key));
    signed.check(candidates)?;
    Ok(signed.parsed.jwt)
}

/// A key set whose public keys are parsed once, for the keys checked on every request
/// (our own published set): building an RSA key from its JWK costs a big-number
/// division, more than checking the signature.
#[derive(Clone, Default)]
pub struct VerifyingKeys {
    entries: Vec<Entry>,
}

#[derive(Clone)]
struct Entry {
    kid: Option<String>,
    alg: Alg,
    /// `None`: the JWK members are unusable for `alg` (reported as `InvalidKey`).
    key: Option<ParsedPublicKey>,
}

impl VerifyingKeys {
    /// Parses every key for every algorithm it is usable for.
    pub fn new(keys: &[Jwk]) -> Self {
        let entries = keys
            .iter()
            .flat_map(|jwk| {
                Alg::ALL
                    .iter()
                    .filter(|alg| public_key::is_usable_for(jwk, **alg))
                    .map(|alg| Entry {
                        kid: jwk.kid.clone(),
                        alg: *alg,
                        key: public_key::parse(*alg, jwk).ok(),
                    })
            })
            .collect();
        Self { entries }
    }

    /// [`verify_jwt`] with the parsed keys.
    pub fn verify_jwt(&self, token: &str, allowed: &[Alg]) -> Result<VerifiedJwt, JoseError> {
        let signed = Signed::parse(token, allowed)?;
        let candidates = self
            .entries
            .iter()
            .filter(|entry| entry.alg == signed.alg && signed.wants(entry.kid.as_deref()))
            .map(|entry| entry.key.as_ref().ok_or(JoseError::InvalidKey));
        signed.check(candidates)?;
        Ok(signed.parsed.jwt)
    }
}

/// A parsed compact JWS whose algorithm is allowed, before its signature is checked.
struct Signed<'t> {
    parsed: compact::Parsed<'t>,
    alg: Alg,
    signature: Vec<u8>,
}

impl<'t> Signed<'t> {
    fn parse(token: &'t str, allowed: &[Alg]) -> Result<Self, JoseError> {
        let parsed = compact::parse(token)?;
        if parsed.header_members.contains_key("crit") {
            return Err(JoseError::CriticalHeader);
        }
        let alg: Alg = parsed.jwt.header.alg.parse()?;
        if !allowed.contains(&alg) {
            return Err(JoseError::AlgNotAllowed(alg));
        }
        let signature = b64url_decode(parsed.signature_b64).map_err(|_| JoseError::Malformed)?;
        Ok(Self {
            parsed,
            alg,
            signature,
        })
    }

    /// Whether a key with `kid` is a candidate: any key when the header names none.
    fn wants(&self, kid: Option<&str>) -> bool {
        self.parsed
            .jwt
            .header
            .kid
            .as_deref()
            .is_none_or(|wanted| kid == Some(wanted))
    }

    /// Ok if one candidate verifies the signature; else the most telling error.
    fn check<K: Borrow<ParsedPublicKey>>(
        &self,
        candidates: impl Iterator<Item = Result<K, JoseError>>,
    ) -> Result<(), JoseError> {
        let message = self.parsed.signing_input.as_bytes();
        let (mut saw_invalid_key, mut saw_bad_signature) = (false, false);
        for key in candidates {
            match key {
                Ok(key) => match key.borrow().verify_sig(message, &self.signature) {
                    Ok(()) => return Ok(()),
                    Err(_) => saw_bad_signature = true,
                },
                Err(_) => saw_invalid_key = true,
            }
        }
        Err(if saw_bad_signature {
            JoseError::BadSignature
        } else if saw_invalid_key {
            JoseError::InvalidKey
        } else {
            JoseError::UnknownKey
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::crypto::b64url;
    use crate::jose::SigningKey;
    use serde_json::json;

    fn key(alg: Alg, kid: &str) -> SigningKey {
        SigningKey::generate(alg, kid.to_owned()).unwrap()
    }

    /// Every test runs both ways: keys parsed per call, and parsed once. They must agree.
    fn verify_jwt(token: &str, keys: &[Jwk], allowed: &[Alg]) -> Result<VerifiedJwt, JoseError> {
        let per_call = super::verify_jwt(token, keys, allowed);
        let parsed_once = VerifyingKeys::new(keys).verify_jwt(token, allowed);
        assert_eq!(format!("{per_call:?}"), format!("{parsed_once:?}"));
        per_call
    }

    /// A token with an arbitrary header, signed by `key`.
    fn with_header(key: &SigningKey, header: serde_json::Value) -> String {
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(br#"{"sub":"s"}"#)
        );
        let signature = key.sign(input.as_bytes()).unwrap();
        format!("{input}.{}", b64url(&signature))
    }

    #[test]
    fn round_trip_every_alg() {
        for alg in Alg::ALL {
            let k = key(alg, "k1");
            let token = k.sign_jwt("JWT", &json!({"sub": "u", "n": 1})).unwrap();
            let jwt = verify_jwt(&token, &[k.public_jwk()], &Alg::ALL).unwrap();
            assert_eq!(jwt.header.alg, alg.as_str());
            assert_eq!(jwt.header.kid.as_deref(), Some("k1"));
            assert_eq!(jwt.header.typ.as_deref(), Some("JWT"));
            assert_eq!(
                serde_json::Value::Object(jwt.claims),
                json!({"sub": "u", "n": 1})
            );
        }
    }

    #[test]
    fn changed_payload_fails() {
        for alg in Alg::ALL {
            let k = key(alg, "k1");
            let token = k.sign_jwt("JWT", &json!({"sub": "alice"})).unwrap();
            let parts: Vec<&str> = token.split('.').collect();
            let forged = format!("{}.{}.{}", parts[0], b64url(br#"{"sub":"bob"}"#), parts[2]);
            let result = verify_jwt(&forged, &[k.public_jwk()], &Alg::ALL);
            assert!(matches!(result, Err(JoseError::BadSignature)), "{alg}");
        }
    }

    #[test]
    fn alg_header_swaps_are_rejected() {
        let k = key(Alg::RS256, "k1");
        let token = k.sign_jwt("JWT", &json!({"sub": "s"})).unwrap();
        let (_, payload_and_sig) = token.split_once('.').unwrap();
        let (payload, sig) = payload_and_sig.split_once('.').unwrap();
        let swapped = |alg: &str, sig: &str| {
            let header = b64url(format!(r#"{{"alg":"{alg}","kid":"k1"}}"#).as_bytes());
            format!("{header}.{payload}.{sig}")
        };
        for (alg, sig) in [("none", ""), ("HS256", sig)] {
            let result = verify_jwt(&swapped(alg, sig), &[k.public_jwk()], &Alg::ALL);
            assert!(matches!(result, Err(JoseError::UnsupportedAlg(a)) if a == alg));
        }
        // The published JWK names RS256, so it is not even a candidate for PS256.
        let result = verify_jwt(&swapped("PS256", sig), &[k.public_jwk()], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::UnknownKey)));
        // Without `alg` in the JWK the key is tried, and the padding mismatch fails.
        let mut any_alg = k.public_jwk();
        any_alg.alg = None;
        let result = verify_jwt(&swapped("PS256", sig), &[any_alg], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::BadSignature)));
    }

    #[test]
    fn disallowed_alg_is_rejected() {
        let k = key(Alg::EdDSA, "k1");
        let token = k.sign_jwt("JWT", &json!({})).unwrap();
        let result = verify_jwt(&token, &[k.public_jwk()], &[Alg::RS256, Alg::ES256]);
        assert!(matches!(result, Err(JoseError::AlgNotAllowed(Alg::EdDSA))));
        assert!(verify_jwt(&token, &[k.public_jwk()], &[]).is_err());
    }

    #[test]
    fn kid_must_match() {
        let k = key(Alg::ES256, "k1");
        let token = k.sign_jwt("JWT", &json!({})).unwrap();
        let mut jwk = k.public_jwk();
        jwk.kid = Some("k2".into());
        let result = verify_jwt(&token, &[jwk], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::UnknownKey)));
        let result = verify_jwt(&token, &[], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::UnknownKey)));
    }

    #[test]
    fn wrong_key_with_same_kid_fails() {
        let signer = key(Alg::EdDSA, "k1");
        let other = key(Alg::EdDSA, "k1");
        let token = signer.sign_jwt("JWT", &json!({})).unwrap();
        let result = verify_jwt(&token, &[other.public_jwk()], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::BadSignature)));
    }

    #[test]
    fn key_of_other_type_or_use_is_not_used() {
        let k = key(Alg::ES256, "k1");
        let token = k.sign_jwt("JWT", &json!({})).unwrap();
        let mut enc = k.public_jwk();
        enc.use_ = Some("enc".into());
        assert!(matches!(
            verify_jwt(&token, &[enc], &Alg::ALL),
            Err(JoseError::UnknownKey)
        ));
        let mut ed = key(Alg::EdDSA, "k1").public_jwk();
        ed.alg = None;
        assert!(matches!(
            verify_jwt(&token, &[ed], &Alg::ALL),
            Err(JoseError::UnknownKey)
        ));
    }

    #[test]
    fn without_kid_every_usable_key_is_tried() {
        let signer = key(Alg::ES256, "a");
        let decoy = key(Alg::ES256, "b");
        let mut broken = decoy.public_jwk();
        broken.x = Some("AAAA".into());
        let token = with_header(&signer, json!({"alg": "ES256"}));
        let jwks = [broken.clone(), decoy.public_jwk(), signer.public_jwk()];
        assert!(verify_jwt(&token, &jwks, &[Alg::ES256]).is_ok());
        let result = verify_jwt(&token, &[broken.clone()], &[Alg::ES256]);
        assert!(matches!(result, Err(JoseError::InvalidKey)));
        let result = verify_jwt(&token, &[decoy.public_jwk(), broken], &[Alg::ES256]);
        assert!(matches!(result, Err(JoseError::BadSignature)));
    }

    #[test]
    fn crit_header_is_refused() {
        let k = key(Alg::EdDSA, "k1");
        let token = with_header(
            &k,
            json!({"alg": "EdDSA", "kid": "k1", "crit": ["exp"], "exp": 1}),
        );
        let result = verify_jwt(&token, &[k.public_jwk()], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::CriticalHeader)));
    }

    #[test]
    fn bad_signature_encoding_is_malformed() {
        let k = key(Alg::EdDSA, "k1");
        let token = k.sign_jwt("JWT", &json!({})).unwrap() + "=";
        let result = verify_jwt(&token, &[k.public_jwk()], &Alg::ALL);
        assert!(matches!(result, Err(JoseError::Malformed)));
    }

    #[test]
    fn rfc7515_appendix_a3_es256_vector() {
        let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
        let jwk: Jwk = serde_json::from_value(json!({
            "kty": "EC",
            "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
        }))
        .unwrap();
        let jwt = verify_jwt(token, &[jwk], &[Alg::ES256]).unwrap();
        assert_eq!(jwt.claims["iss"], "joe");
        assert_eq!(jwt.claims["exp"], 1300819380);
    }
}
