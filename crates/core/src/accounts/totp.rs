//! Time-based one-time passwords ([RFC 6238](https://www.rfc-editor.org/rfc/rfc6238)) over
//! HOTP ([RFC 4226](https://www.rfc-editor.org/rfc/rfc4226)): HMAC-SHA1, 6 digits, 30 s
//! steps, one step of clock drift either way (RFC 6238 §5.2). A code is accepted only
//! for a step later than the last accepted one, so it cannot be used twice. The key is
//! shown as base32 (RFC 4648 §6) and in an `otpauth://` URI for QR codes.

use crate::crypto::constant_time_eq;
use aws_lc_rs::hmac;

pub const STEP: i64 = 30;
pub const DIGITS: u32 = 6;
/// Secret length in bytes (RFC 4226 §4 recommends 160 bits).
pub const SECRET_LEN: usize = 20;

#[derive(Clone)]
pub struct Totp {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Totp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Totp(<secret>)")
    }
}

impl Totp {
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// The HOTP value for a counter (RFC 4226 §5.3), zero-padded.
    pub fn hotp(&self, counter: u64) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &self.secret);
        let mac = hmac::sign(&key, &counter.to_be_bytes());
        let mac = mac.as_ref();
        let offset = (mac[mac.len() - 1] & 0x0f) as usize;
        let binary = u32::from_be_bytes([
            mac[offset] & 0x7f,
            mac[offset + 1],
            mac[offset + 2],
            mac[offset + 3],
        ]);
        format!(
            "{:0width$}",
            binary % 10u32.pow(DIGITS),
            width = DIGITS as usize
        )
    }

    pub fn step_at(now: i64) -> i64 {
        now.div_euclid(STEP)
    }

    pub fn code_at(&self, now: i64) -> String {
        self.hotp(Self::step_at(now) as u64)
    }

    /// The step `code` matches near `now`, if any and if later than `last_step`.
    pub fn verify(&self, code: &str, now: i64, last_step: Option<i64>) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS as usize {
            return None;
        }
        let current = Self::step_at(now);
        let mut found = None;
        for step in [current - 1, current, current + 1] {
            if step >= 0
                && last_step.is_none_or(|last| step > last)
                && constant_time_eq(self.hotp(step as u64).as_bytes(), code.as_bytes())
            {
                found = Some(step);
            }
        }
        found
    }

    /// The key as the user types it into an app: base32, groups of four.
    pub fn manual_key(&self) -> String {
        let encoded = base32(&self.secret);
        encoded
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…` (the Key URI format apps read).
pub fn totp_uri(totp: &Totp, issuer: &str, account: &str) -> String {
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        enc(issuer),
        enc(account),
        base32(&totp.secret),
        enc(issuer)
    )
}

/// RFC 4648 §6 base32 without padding.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        // RFC 6238 Appendix B, SHA1, last 6 of the 8 digits.
        let totp = Totp::new(b"12345678901234567890".to_vec());
        for (time, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(totp.code_at(time), code, "{time}");
        }
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        let totp = Totp::new(b"12345678901234567890".to_vec());
        assert_eq!(totp.hotp(0), "755224");
        assert_eq!(totp.hotp(9), "520489");
    }

    #[test]
    fn a_code_is_accepted_once_with_drift() {
        let totp = Totp::new(vec![7; SECRET_LEN]);
        let now = 1_700_000_000;
        let code = totp.code_at(now);
        let step = totp.verify(&code, now, None).expect("valid");
        assert_eq!(totp.verify(&code, now, Some(step)), None, "replay");
        assert!(totp.verify(&totp.code_at(now - 30), now, None).is_some());
        assert!(totp.verify(&totp.code_at(now - 90), now, None).is_none());
        assert!(totp.verify("12345", now, None).is_none());
    }

    #[test]
    fn base32_and_uri() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        let totp = Totp::new(b"12345678901234567890".to_vec());
        assert_eq!(totp.manual_key(), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        let uri = totp_uri(&totp, "Bank X", "alice@example.com");
        assert!(
            uri.starts_with("otpauth://totp/Bank%20X:alice%40example.com?secret=GEZDGNBVGY3TQOJQ"),
            "{uri}"
        );
    }
}
