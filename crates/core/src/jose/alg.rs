//! The JWS algorithms this provider signs and verifies with, named as in the IANA
//! "JSON Web Signature and Encryption Algorithms" registry
//! ([RFC 7518 §3.1](https://www.rfc-editor.org/rfc/rfc7518#section-3.1),
//! [RFC 8037 §3.1](https://www.rfc-editor.org/rfc/rfc8037#section-3.1)).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::JoseError;

/// A supported JWS `alg`. `none` and HMAC algorithms are deliberately absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PSS with SHA-256 and MGF1-SHA-256.
    PS256,
    /// ECDSA on P-256 with SHA-256, fixed-size `r || s` signature.
    ES256,
    /// Ed25519.
    EdDSA,
}

impl Alg {
    pub const ALL: [Alg; 4] = [Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA];

    pub const fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::PS256 => "PS256",
            Alg::ES256 => "ES256",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// The JWK `kty` of keys for this algorithm.
    pub(crate) const fn kty(self) -> &'static str {
        match self {
            Alg::RS256 | Alg::PS256 => "RSA",
            Alg::ES256 => "EC",
            Alg::EdDSA => "OKP",
        }
    }

    /// The JWK `crv` of keys for this algorithm, if the key type has curves.
    pub(crate) const fn crv(self) -> Option<&'static str> {
        match self {
            Alg::RS256 | Alg::PS256 => None,
            Alg::ES256 => Some("P-256"),
            Alg::EdDSA => Some("Ed25519"),
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alg {
    type Err = JoseError;

    /// Exact, case-sensitive match (RFC 7515 §4.1.1).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Alg::ALL
            .into_iter()
            .find(|alg| alg.as_str() == s)
            .ok_or_else(|| JoseError::UnsupportedAlg(s.to_owned()))
    }
}

impl Serialize for Alg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Alg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_alg() {
        for alg in Alg::ALL {
            assert_eq!(alg.as_str().parse::<Alg>().unwrap(), alg);
            assert_eq!(alg.to_string(), alg.as_str());
        }
    }

    #[test]
    fn rejects_none_hmac_and_wrong_case() {
        for text in ["none", "HS256", "rs256", "EDDSA", ""] {
            assert!(matches!(
                text.parse::<Alg>(),
                Err(JoseError::UnsupportedAlg(_))
            ));
        }
    }

    #[test]
    fn serde_uses_the_jose_name() {
        assert_eq!(serde_json::to_string(&Alg::EdDSA).unwrap(), r#""EdDSA""#);
        let algs: Vec<Alg> = serde_json::from_str(r#"["ES256","PS256"]"#).unwrap();
        assert_eq!(algs, [Alg::ES256, Alg::PS256]);
        assert!(serde_json::from_str::<Alg>(r#""none""#).is_err());
    }
}
