//! Keyed hashing of values that are stored only as hashes: client secrets, codes,
//! refresh tokens, session ids. HMAC-SHA256 ([RFC 2104](https://www.rfc-editor.org/rfc/rfc2104))
//! under a key derived from the master key, so a database dump alone cannot be used to
//! test guesses.

use std::fmt;

use aws_lc_rs::hmac;

use super::{b64url, constant_time_eq, time_prefix};

/// Keyed hash for stored secrets/codes/tokens/session ids (HMAC-SHA256, base64url output).
#[derive(Clone)]
pub struct TokenHasher(hmac::Key);

impl fmt::Debug for TokenHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHasher(<redacted>)")
    }
}

impl TokenHasher {
    pub fn new(key: [u8; 32]) -> Self {
        Self(hmac::Key::new(hmac::HMAC_SHA256, &key))
    }

    /// HMAC-SHA256 of `value`, unpadded base64url (43 characters), behind the time prefix
    /// of a sortable secret ([`time_prefix`]) so that stored hashes keep its order.
    pub fn hash(&self, value: &str) -> String {
        let digest = b64url(hmac::sign(&self.0, value.as_bytes()).as_ref());
        match time_prefix(value) {
            "" => digest,
            prefix => format!("{prefix}{digest}"),
        }
    }

    /// Whether `value` hashes to `stored`, compared in constant time.
    pub fn verify(&self, value: &str, stored: &str) -> bool {
        constant_time_eq(self.hash(value).as_bytes(), stored.as_bytes())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_deterministic_keyed_and_verifiable() {
        let h = TokenHasher::new([1; 32]);
        let stored = h.hash("code-123");
        assert_eq!(stored.len(), 43);
        assert_eq!(stored, h.hash("code-123"));
        assert!(h.verify("code-123", &stored));
        assert!(!h.verify("code-124", &stored));
        assert!(!h.verify("code-123", ""));
        assert_ne!(stored, TokenHasher::new([2; 32]).hash("code-123"));
        assert!(!TokenHasher::new([2; 32]).verify("code-123", &stored));
    }

    #[test]
    fn hmac_known_answer() {
        // Python: hmac.new(b"\x0b" * 32, b"Hi There", hashlib.sha256), base64url.
        assert_eq!(
            TokenHasher::new([0x0b; 32]).hash("Hi There"),
            "GYpgfrRL-8aZA6Dxzyu9xboKo_PZrjwcejsWlqC2jPc"
        );
    }

    #[test]
    fn sortable_secrets_keep_their_time_in_front_of_the_hash() {
        let h = TokenHasher::new([1; 32]);
        let (early, late) = ("00060a24181e40.secret", "00060a24181e41.secret");
        let stored = h.hash(early);
        assert_eq!(stored.len(), 15 + 43);
        assert!(stored.starts_with("00060a24181e40."));
        assert!(stored < h.hash(late));
        assert!(h.verify(early, &stored));
        assert!(!h.verify(late, &stored));
    }

    #[test]
    fn debug_hides_key() {
        assert_eq!(
            format!("{:?}", TokenHasher::new([9; 32])),
            "TokenHasher(<redacted>)"
        );
    }
}
