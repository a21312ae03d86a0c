//! Password hashes imported from other systems, verified so that their users can sign in
//! and then upgraded to argon2id on that sign-in: bcrypt (`$2a$`, `$2b$`, `$2y$`), and
//! PBKDF2 ([RFC 8018 §5.2](https://www.rfc-editor.org/rfc/rfc8018#section-5.2)) with
//! HMAC-SHA256, -SHA512 or -SHA1 in the Django form `pbkdf2_sha256$ITER$SALT$HASH`, the
//! PHC form `$pbkdf2-sha256$i=ITER[,l=LEN]$SALT$HASH` and the passlib form
//! `$pbkdf2-sha256$ITER$SALT$HASH`.

use crate::crypto::constant_time_eq;
use aws_lc_rs::pbkdf2;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use std::num::NonZeroU32;

/// Iterations above this are refused (a hostile import must not stall a sign-in).
const MAX_ITERATIONS: u32 = 5_000_000;

/// The kind of a stored hash, read from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyHash {
    Argon2,
    Bcrypt,
    Pbkdf2,
    Unknown,
}

impl LegacyHash {
    pub fn of(stored: &str) -> Self {
        if stored.starts_with("$argon2") {
            Self::Argon2
        } else if ["$2a$", "$2b$", "$2y$", "$2x$"]
            .iter()
            .any(|p| stored.starts_with(p))
        {
            Self::Bcrypt
        } else if stored.starts_with("pbkdf2_") || stored.starts_with("$pbkdf2") {
            Self::Pbkdf2
        } else {
            Self::Unknown
        }
    }

    /// Whether the admin CLI accepts this hash for import.
    pub fn importable(stored: &str) -> bool {
        match Self::of(stored) {
            Self::Argon2 => argon2::password_hash::PasswordHash::new(stored).is_ok(),
            Self::Bcrypt => stored.len() == 60,
            Self::Pbkdf2 => parse_pbkdf2(stored).is_some(),
            Self::Unknown => false,
        }
    }
}

/// Verifies `password` against an imported (non-argon2) hash. Malformed hashes are false.
pub fn verify_legacy(password: &str, stored: &str) -> bool {
    match LegacyHash::of(stored) {
        LegacyHash::Bcrypt => bcrypt::verify(password, stored).unwrap_or(false),
        LegacyHash::Pbkdf2 => parse_pbkdf2(stored).is_some_and(|p| p.verify(password)),
        LegacyHash::Argon2 | LegacyHash::Unknown => false,
    }
}

struct Pbkdf2 {
    algorithm: pbkdf2::Algorithm,
    iterations: NonZeroU32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl Pbkdf2 {
    fn verify(&self, password: &str) -> bool {
        let mut out = vec![0u8; self.hash.len()];
        pbkdf2::derive(
            self.algorithm,
            self.iterations,
            &self.salt,
            password.as_bytes(),
            &mut out,
        );
        constant_time_eq(&out, &self.hash)
    }
}

fn algorithm(name: &str) -> Option<pbkdf2::Algorithm> {
    match name {
        "sha256" => Some(pbkdf2::PBKDF2_HMAC_SHA256),
        "sha512" => Some(pbkdf2::PBKDF2_HMAC_SHA512),
        "sha1" => Some(pbkdf2::PBKDF2_HMAC_SHA1),
        _ => None,
    }
}

fn iterations(text: &str) -> Option<NonZeroU32> {
    let n: u32 = text.parse().ok()?;
    (n <= MAX_ITERATIONS).then_some(NonZeroU32::new(n)?)
}

/// passlib's "adapted base64": `.` instead of `+`, no padding.
fn ab64(text: &str) -> Option<Vec<u8>> {
    STANDARD_NO_PAD.decode(text.replace('.', "+")).ok()
}

fn parse_pbkdf2(stored: &str) -> Option<Pbkdf2> {
    if let Some(rest) = stored.strip_prefix("pbkdf2_") {
        // Django: pbkdf2_sha256$ITER$SALT$BASE64
        let mut parts = rest.split('$');
        let algorithm = algorithm(parts.next()?)?;
        let iterations = iterations(parts.next()?)?;
        let salt = parts.next()?.as_bytes().to_vec();
        let hash = STANDARD.decode(parts.next()?).ok()?;
        return (parts.next().is_none() && !hash.is_empty()).then_some(Pbkdf2 {
            algorithm,
            iterations,
            salt,
            hash,
        });
    }
    let rest = stored.strip_prefix("$pbkdf2-")?;
    let mut parts = rest.split('$');
    let algorithm = algorithm(parts.next()?)?;
    let params = parts.next()?;
    let (salt, hash) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (iterations, salt, hash) = if params.starts_with("i=") {
        // PHC: $pbkdf2-sha256$i=ITER,l=LEN$B64SALT$B64HASH
        let iter = params
            .split(',')
            .find_map(|p| p.strip_prefix("i="))
            .and_then(iterations)?;
        (
            iter,
            STANDARD_NO_PAD.decode(salt).ok()?,
            STANDARD_NO_PAD.decode(hash).ok()?,
        )
    } else {
        (iterations(params)?, ab64(salt)?, ab64(hash)?)
    };
    (!hash.is_empty()).then_some(Pbkdf2 {
        algorithm,
        iterations,
        salt,
        hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcrypt_hashes_verify() {
        // htpasswd -bnBC 4 "" "correct horse" (cost 4 keeps the test fast).
        let stored = bcrypt::hash_with_salt("correct horse", 4, [7u8; 16])
            .expect("hash")
            .format_for_version(bcrypt::Version::TwoB);
        assert_eq!(LegacyHash::of(&stored), LegacyHash::Bcrypt);
        assert!(LegacyHash::importable(&stored));
        assert!(verify_legacy("correct horse", &stored));
        assert!(!verify_legacy("wrong horse", &stored));
        let two_y = stored.replacen("$2b$", "$2y$", 1);
        assert!(verify_legacy("correct horse", &two_y));
    }

    #[test]
    fn pbkdf2_forms_verify() {
        // Django 1.x test vector: make_password("letmein", "seasalt", "pbkdf2_sha256") at
        // 10000 iterations, recomputed here so the test does not depend on Django.
        let mut out = [0u8; 32];
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            NonZeroU32::new(1000).expect("nonzero"),
            b"seasalt",
            b"letmein",
            &mut out,
        );
        let django = format!("pbkdf2_sha256$1000$seasalt${}", STANDARD.encode(out));
        assert!(verify_legacy("letmein", &django));
        assert!(!verify_legacy("letmeout", &django));
        let phc = format!(
            "$pbkdf2-sha256$i=1000,l=32${}${}",
            STANDARD_NO_PAD.encode(b"seasalt"),
            STANDARD_NO_PAD.encode(out)
        );
        assert!(verify_legacy("letmein", &phc));
        let passlib = format!(
            "$pbkdf2-sha256$1000${}${}",
            STANDARD_NO_PAD.encode(b"seasalt").replace('+', "."),
            STANDARD_NO_PAD.encode(out).replace('+', ".")
        );
        assert!(verify_legacy("letmein", &passlib));
        assert!(LegacyHash::importable(&django));
    }

    #[test]
    fn rfc_6070_style_sha1_vector() {
        // RFC 6070 test 2: P="password", S="salt", c=2, dkLen=20.
        let expected = "6mwBTcctb4zNHtkqzh1B8NjeiVc";
        let stored = format!(
            "$pbkdf2-sha1$i=2,l=20${}${expected}",
            STANDARD_NO_PAD.encode(b"salt")
        );
        assert!(verify_legacy("password", &stored));
    }

    #[test]
    fn junk_is_refused() {
        for stored in [
            "",
            "plain",
            "$2b$04$short",
            "pbkdf2_md5$1$a$b",
            "pbkdf2_sha256$0$a$YQ==",
        ] {
            assert!(!verify_legacy("x", stored), "{stored}");
            assert!(!LegacyHash::importable(stored), "{stored}");
        }
    }
}
