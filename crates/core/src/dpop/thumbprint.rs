//! JWK thumbprints ([RFC 7638 §3](https://www.rfc-editor.org/rfc/rfc7638#section-3)):
//! SHA-256 over the required members of the key, in lexicographic order and without
//! whitespace, base64url-encoded. The value of `cnf.jkt` (RFC 9449 §6.1).

use crate::crypto::{b64url, sha256};
use crate::jose::Jwk;
use serde_json::{Map, Value};

/// The thumbprint of a public key, or `None` when a required member is missing or the
/// key type is not one this provider verifies.
pub fn thumbprint(jwk: &Jwk) -> Option<String> {
    let members: &[(&str, Option<&String>)] = match jwk.kty.as_str() {
        "EC" => &[
            ("crv", jwk.crv.as_ref()),
            ("x", jwk.x.as_ref()),
            ("y", jwk.y.as_ref()),
        ],
        "RSA" => &[("e", jwk.e.as_ref()), ("n", jwk.n.as_ref())],
        "OKP" => &[("crv", jwk.crv.as_ref()), ("x", jwk.x.as_ref())],
        _ => return None,
    };
    // serde_json's map keeps keys sorted, which is the order RFC 7638 §3.3 asks for.
    let mut object = Map::new();
    object.insert("kty".into(), Value::String(jwk.kty.clone()));
    for (name, value) in members {
        object.insert((*name).into(), Value::String((*value)?.clone()));
    }
    let text = Value::Object(object).to_string();
    Some(b64url(&sha256(text.as_bytes())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_section_3_1_example() {
        let jwk: Jwk = serde_json::from_value(serde_json::json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        }))
        .unwrap();
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn missing_members_and_unknown_types_have_none() {
        let ec = Jwk {
            kty: "EC".into(),
            crv: Some("P-256".into()),
            x: Some("x".into()),
            ..Jwk::default()
        };
        assert_eq!(thumbprint(&ec), None);
        let oct = Jwk {
            kty: "oct".into(),
            ..Jwk::default()
        };
        assert_eq!(thumbprint(&oct), None);
    }
}
