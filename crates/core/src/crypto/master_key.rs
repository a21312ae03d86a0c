//! The instance master key: seals secrets at rest (signing keys, client secrets that
//! must be recoverable) with AES-256-GCM and derives purpose-bound subkeys with
//! HKDF-SHA256 ([RFC 5869](https://www.rfc-editor.org/rfc/rfc5869)).
//!
//! Sealed format: `version (1) || nonce (12) || ciphertext || tag (16)`; the version
//! byte is authenticated together with the caller's associated data.

use std::fmt;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::{CryptoError, Rng, b64url, random_bytes};

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;
const KEY_LEN: usize = 32;

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const URL_SAFE_ANY_PAD: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const STANDARD_ANY_PAD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// 32-byte master key; AES-256-GCM for secrets at rest.
#[derive(Clone)]
pub struct MasterKey([u8; KEY_LEN]);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// A fresh random key.
    pub fn generate(rng: &dyn Rng) -> Self {
        Self(random_bytes(rng))
    }

    /// Parses 64 hex characters or base64/base64url (padded or not) of exactly 32
    /// bytes; surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        let text = text.trim();
        let bytes = if text.len() == 2 * KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            decode_hex(text)
        } else {
            URL_SAFE_ANY_PAD
                .decode(text)
                .or_else(|_| STANDARD_ANY_PAD.decode(text))
                .ok()
        };
        let key: [u8; KEY_LEN] = bytes
            .and_then(|b| b.try_into().ok())
            .ok_or(CryptoError::InvalidMasterKey)?;
        Ok(Self(key))
    }

    /// Unpadded base64url, accepted back by [`MasterKey::parse`].
    pub fn encode(&self) -> String {
        b64url(&self.0)
    }

    /// Encrypts and authenticates `plaintext`, binding it to `aad` (for example the
    /// table and row id, so a sealed value cannot be moved to another record).
    ///
    /// # Panics
    /// Only if AWS-LC rejects a 32-byte AES-256 key or the input exceeds the GCM
    /// limit of about 64 GiB, neither of which can occur for secrets at rest.
    pub fn seal(&self, rng: &dyn Rng, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = random_bytes(rng);
        let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + TAG_LEN);
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        let mut body = plaintext.to_vec();
        let sealed = self.aead_key().and_then(|key| {
            key.seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(full_aad(aad)),
                &mut body,
            )
        });
        if sealed.is_err() {
            panic!("AES-256-GCM seal failed");
        }
        out.extend_from_slice(&body);
        out
    }

    /// Reverses [`MasterKey::seal`]; fails on wrong key, wrong `aad` or any change.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < 1 + NONCE_LEN + TAG_LEN {
            return Err(CryptoError::SealedTooShort);
        }
        let (version, rest) = sealed.split_at(1);
        if version[0] != VERSION {
            return Err(CryptoError::UnknownSealVersion(version[0]));
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce =
            Nonce::try_assume_unique_for_key(nonce).map_err(|_| CryptoError::DecryptionFailed)?;
        let key = self.aead_key().map_err(|_| CryptoError::DecryptionFailed)?;
        let mut body = ciphertext.to_vec();
        let plain_len = key
            .open_in_place(nonce, Aad::from(full_aad(aad)), &mut body)
            .map_err(|_| CryptoError::DecryptionFailed)?
            .len();
        body.truncate(plain_len);
        Ok(body)
    }

    /// A 32-byte subkey for `label` (e.g. `"token-hasher"`): HKDF-Expand-SHA256 with
    /// the master key as PRK and the label as info. The master key is uniformly random,
    /// so the extract step is unnecessary (RFC 5869 §3.3).
    pub fn derive(&self, label: &str) -> [u8; 32] {
        let prk = hmac::Key::new(hmac::HMAC_SHA256, &self.0);
        let mut ctx = hmac::Context::with_key(&prk);
        ctx.update(label.as_bytes());
        ctx.update(&[1]);
        let mut out = [0u8; 32];
        out.copy_from_slice(ctx.sign().as_ref());
        out
    }

    fn aead_key(&self) -> Result<LessSafeKey, aws_lc_rs::error::Unspecified> {
        Ok(LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.0)?))
    }
}

fn full_aad(aad: &[u8]) -> Vec<u8> {
    let mut full = Vec::with_capacity(1 + aad.len());
    full.push(VERSION);
    full.extend_from_slice(aad);
    full
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| (b as char).to_digit(16);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? * 16 + digit(*pair.get(1)?)?) as u8))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::crypto::SystemRng;
    use aws_lc_rs::hkdf;

    fn key(byte: u8) -> MasterKey {
        MasterKey([byte; KEY_LEN])
    }

    #[test]
    fn seal_open_round_trip() {
        let rng = SystemRng;
        let k = MasterKey::generate(&rng);
        let sealed = k.seal(&rng, b"secret", b"signing_keys/1");
        assert_eq!(sealed[0], VERSION);
        assert_eq!(sealed.len(), 1 + NONCE_LEN + 6 + TAG_LEN);
        assert_eq!(k.open(&sealed, b"signing_keys/1").unwrap(), b"secret");
        let empty = k.seal(&rng, b"", b"");
        assert_eq!(k.open(&empty, b"").unwrap(), b"");
    }

    #[test]
    fn open_rejects_wrong_key_aad_and_tampering() {
        let rng = SystemRng;
        let sealed = key(1).seal(&rng, b"secret", b"a");
        assert!(matches!(
            key(2).open(&sealed, b"a"),
            Err(CryptoError::DecryptionFailed)
        ));
        assert!(matches!(
            key(1).open(&sealed, b"b"),
            Err(CryptoError::DecryptionFailed)
        ));
        for i in 1..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(key(1).open(&bad, b"a").is_err(), "byte {i}");
        }
        let mut bad = sealed.clone();
        bad[0] = 9;
        assert!(matches!(
            key(1).open(&bad, b"a"),
            Err(CryptoError::UnknownSealVersion(9))
        ));
        assert!(matches!(
            key(1).open(&sealed[..20], b"a"),
            Err(CryptoError::SealedTooShort)
        ));
    }

    #[test]
    fn parse_accepts_all_formats() {
        let k = MasterKey::generate(&SystemRng);
        let b64url_text = k.encode();
        let b64_std = base64::engine::general_purpose::STANDARD.encode(k.0);
        let hex: String = k.0.iter().map(|b| format!("{b:02x}")).collect();
        for text in [
            b64url_text.clone(),
            format!("{b64url_text}="),
            b64_std.clone(),
            b64_std.trim_end_matches('=').to_owned(),
            hex.clone(),
            hex.to_uppercase(),
            format!("  {hex}\n"),
        ] {
            assert_eq!(MasterKey::parse(&text).unwrap().0, k.0, "{text}");
        }
    }

    #[test]
    fn parse_rejects_wrong_lengths_and_garbage() {
        for text in [
            "",
            "abc",
            &"a".repeat(63),
            &"zz".repeat(32),
            &b64url(&[0u8; 31]),
        ] {
            assert!(MasterKey::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn debug_hides_key() {
        assert_eq!(format!("{:?}", key(0xAB)), "MasterKey(<redacted>)");
    }

    #[test]
    fn derive_matches_hkdf_expand_and_separates_labels() {
        let k = key(7);
        let prk = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, &k.0);
        let mut expected = [0u8; 32];
        prk.expand(&[b"token-hasher"], hkdf::HKDF_SHA256)
            .unwrap()
            .fill(&mut expected)
            .unwrap();
        assert_eq!(k.derive("token-hasher"), expected);
        assert_ne!(k.derive("a"), k.derive("b"));
    }
}
