//! Stateless helpers: base64url ([RFC 4648 §5](https://www.rfc-editor.org/rfc/rfc4648#section-5),
//! unpadded as JOSE requires), SHA-256 and constant-time comparison.

use aws_lc_rs::{constant_time, digest};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::CryptoError;

/// Encodes bytes as unpadded base64url.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes strict unpadded base64url; padding, other alphabets and non-zero trailing
/// bits are rejected.
pub fn b64url_decode(s: &str) -> Result<Vec<u8>, CryptoError> {
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| CryptoError::InvalidBase64)
}

/// SHA-256 digest of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

/// Compares two byte strings in time independent of their contents (lengths may leak).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    constant_time::verify_slices_are_equal(a, b).is_ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn b64url_round_trip_is_unpadded() {
        let data = [0xfb, 0xff, 0x01];
        assert_eq!(b64url(&data), "-_8B");
        assert_eq!(b64url_decode("-_8B").unwrap(), data);
        assert_eq!(b64url(b"a"), "YQ");
    }

    #[test]
    fn b64url_decode_rejects_padding_and_standard_alphabet() {
        assert!(b64url_decode("YQ==").is_err());
        assert!(b64url_decode("+/8B").is_err());
        assert!(b64url_decode("a.b").is_err());
        assert!(b64url_decode("YR").is_err(), "non-zero trailing bits");
    }

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            b64url(&sha256(b"abc")),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
        );
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
