//! Parsing of the JWS Compact Serialization
//! ([RFC 7515 §7.1](https://www.rfc-editor.org/rfc/rfc7515#section-7.1)):
//! `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)`, with header and
//! payload both JSON objects (a JWT, [RFC 7519 §7.2](https://www.rfc-editor.org/rfc/rfc7519#section-7.2)).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::JoseError;
use crate::crypto::b64url_decode;

/// The JOSE header members this provider reads and writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtHeader {
    pub alg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
}

/// Header and claims of a JWT. Returned by [`super::verify_jwt`] after the signature
/// checked out, and by [`decode_unverified`] without any check.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    pub header: JwtHeader,
    pub claims: Map<String, Value>,
}

/// A compact JWS split and decoded, signature not yet checked.
pub(crate) struct Parsed<'a> {
    /// `header . payload` exactly as received: the JWS Signing Input.
    pub signing_input: &'a str,
    pub signature_b64: &'a str,
    /// All header members, for checks such as `crit`.
    pub header_members: Map<String, Value>,
    pub jwt: VerifiedJwt,
}

pub(crate) fn parse(token: &str) -> Result<Parsed<'_>, JoseError> {
    let mut parts = token.split('.');
    let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JoseError::Malformed);
    };
    let header_members = decode_object(header_b64)?;
    let header: JwtHeader = serde_json::from_value(Value::Object(header_members.clone()))
        .map_err(|_| JoseError::Malformed)?;
    let claims = decode_object(claims_b64)?;
    let signing_input = &token[..header_b64.len() + 1 + claims_b64.len()];
    Ok(Parsed {
        signing_input,
        signature_b64,
        header_members,
        jwt: VerifiedJwt { header, claims },
    })
}

fn decode_object(part: &str) -> Result<Map<String, Value>, JoseError> {
    let bytes = b64url_decode(part).map_err(|_| JoseError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JoseError::Malformed)
}

/// Decode header+claims WITHOUT verifying the signature. Only for choosing which keys to
/// verify with or for lookups such as `id_token_hint`; never trust the result.
pub fn decode_unverified(token: &str) -> Result<VerifiedJwt, JoseError> {
    parse(token).map(|parsed| parsed.jwt)
}

/// Every member of the JOSE header, signature NOT checked: for members the typed
/// header leaves out, such as the `jwk` of a DPoP proof (RFC 9449 §4.2).
pub fn header_members(token: &str) -> Result<Map<String, Value>, JoseError> {
    parse(token).map(|parsed| parsed.header_members)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::crypto::b64url;

    fn token(header: &str, claims: &str, sig: &str) -> String {
        format!(
            "{}.{}.{sig}",
            b64url(header.as_bytes()),
            b64url(claims.as_bytes())
        )
    }

    #[test]
    fn decodes_header_and_claims() {
        let t = token(r#"{"alg":"none","typ":"JWT","x":1}"#, r#"{"sub":"a"}"#, "");
        let jwt = decode_unverified(&t).unwrap();
        assert_eq!(jwt.header.alg, "none");
        assert_eq!(jwt.header.typ.as_deref(), Some("JWT"));
        assert_eq!(jwt.header.kid, None);
        assert_eq!(jwt.claims["sub"], "a");
        let parsed = parse(&t).unwrap();
        assert_eq!(parsed.signing_input, &t[..t.len() - 1]);
        assert!(parsed.header_members.contains_key("x"));
    }

    #[test]
    fn rejects_malformed_tokens() {
        let good_header = r#"{"alg":"RS256"}"#;
        let cases = [
            String::new(),
            "a.b".to_owned(),
            format!("{}.e30.", b64url(b"[1]")),
            token(good_header, "[1]", ""),
            token(r#"{"alg":5}"#, "{}", ""),
            token(r#"{"typ":"JWT"}"#, "{}", ""),
            token(good_header, "{}", "") + ".x.y",
            format!("{}=.e30.", b64url(good_header.as_bytes())),
            format!("{}.e30.", b64url(b"not json")),
        ];
        for case in cases {
            assert!(
                matches!(decode_unverified(&case), Err(JoseError::Malformed)),
                "{case}"
            );
        }
    }
}
