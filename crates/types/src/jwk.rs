//! JSON Web Key and JWK Set wire types.
//!
//! Only the public members used for signature verification are modelled:
//! RSA (`n`, `e`), EC (`crv`, `x`, `y`) and OKP (`crv`, `x`). Unknown members
//! (`x5c`, `key_ops`, private parts...) are ignored when parsing.
//! See [RFC 7517 §4](https://www.rfc-editor.org/rfc/rfc7517#section-4),
//! [§5](https://www.rfc-editor.org/rfc/rfc7517#section-5) and
//! [RFC 7518 §6](https://www.rfc-editor.org/rfc/rfc7518#section-6).

use serde::{Deserialize, Serialize};

/// One public JSON Web Key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `RSA`, `EC` or `OKP`.
    pub kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Intended use; `sig` for signing keys.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// RSA modulus, base64url big-endian without leading zeros.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA public exponent, base64url big-endian without leading zeros.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Curve name for `EC` (`P-256`) and `OKP` (`Ed25519`) keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// A JWK Set document, as served at `jwks_uri`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn serializes_use_and_skips_absent_members() {
        let jwk = Jwk {
            kty: "OKP".into(),
            kid: Some("k1".into()),
            use_: Some("sig".into()),
            crv: Some("Ed25519".into()),
            x: Some("abc".into()),
            ..Jwk::default()
        };
        let json = serde_json::to_string(&jwk).unwrap();
        assert_eq!(
            json,
            r#"{"kty":"OKP","kid":"k1","use":"sig","crv":"Ed25519","x":"abc"}"#
        );
    }

    #[test]
    fn parses_set_and_ignores_unknown_members() {
        let text = r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","x5c":["..."],"use":"sig"}]}"#;
        let set: JwkSet = serde_json::from_str(text).unwrap();
        assert_eq!(set.keys.len(), 1);
        assert_eq!(set.keys[0].use_.as_deref(), Some("sig"));
        assert_eq!(set.keys[0].kid, None);
    }
}
