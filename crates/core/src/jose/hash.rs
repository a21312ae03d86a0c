//! `at_hash` and `c_hash`: the left-most half of the hash of the ASCII value, using the
//! hash function of the ID Token's `alg`, base64url-encoded
//! ([OIDC Core §3.1.3.6](https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken),
//! §3.3.2.11). For EdDSA with Ed25519 the hash is SHA-512, as agreed by OpenID
//! Connect implementations.

use aws_lc_rs::digest;

use super::Alg;
use crate::crypto::b64url;

/// Left half of the `alg`-matched hash of `value`, base64url without padding.
pub fn left_half_hash(alg: Alg, value: &str) -> String {
    let algorithm = match alg {
        Alg::RS256 | Alg::PS256 | Alg::ES256 => &digest::SHA256,
        Alg::EdDSA => &digest::SHA512,
    };
    let hash = digest::digest(algorithm, value.as_bytes());
    let bytes = hash.as_ref();
    b64url(&bytes[..bytes.len() / 2])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn oidc_core_appendix_a4_examples() {
        assert_eq!(
            left_half_hash(Alg::RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        assert_eq!(
            left_half_hash(
                Alg::RS256,
                "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
            ),
            "LDktKdoQak3Pk0cnXxCltA"
        );
    }

    #[test]
    fn lengths_follow_the_hash() {
        assert_eq!(left_half_hash(Alg::ES256, "x").len(), 22);
        assert_eq!(left_half_hash(Alg::PS256, "x").len(), 22);
        assert_eq!(left_half_hash(Alg::EdDSA, "x").len(), 43);
    }

    #[test]
    fn eddsa_uses_sha512() {
        // SHA-512 left half, computed independently (Python hashlib).
        assert_eq!(
            left_half_hash(Alg::EdDSA, "dNZX1hEZ9wBCzNL40Upu646bdzQA"),
            "8xltSlOGYrWy8W9yNvRlEth1i_bXW-JROWPLvCv5zog"
        );
    }
}
