//! Password hashing with Argon2id ([RFC 9106](https://www.rfc-editor.org/rfc/rfc9106)),
//! stored as PHC strings. Defaults follow the OWASP minimum (m=19456 KiB, t=2, p=1).
//! Verification reports when a stored hash is weaker than the current parameters so the
//! caller can rehash after a successful login; unknown accounts pay the same cost via
//! [`PasswordHasher::dummy_verify`].

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::{CryptoError, Rng, random_bytes};

const SALT_LEN: usize = 16;
const DUMMY_SALT: [u8; SALT_LEN] = [0x5a; SALT_LEN];

/// Outcome of checking a password against a stored PHC string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The password matches; `needs_rehash` when the stored hash is not argon2id v1.3
    /// or uses weaker parameters than the current ones.
    Valid {
        needs_rehash: bool,
    },
    Invalid,
}

/// Passwords: argon2id, m=19456 KiB, t=2, p=1 by default; PHC strings.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    params: Params,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self {
            params: Params::DEFAULT,
        }
    }
}

impl PasswordHasher {
    /// Custom cost: memory in KiB, iterations, parallelism.
    pub fn with_params(m_kib: u32, t: u32, p: u32) -> Result<Self, CryptoError> {
        let params = Params::new(m_kib, t, p, None)
            .map_err(|e| CryptoError::InvalidPasswordParams(e.to_string()))?;
        Ok(Self { params })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes `password` with a fresh 16-byte salt into a PHC string.
    pub fn hash(&self, rng: &dyn Rng, password: &str) -> Result<String, CryptoError> {
        let salt_bytes: [u8; SALT_LEN] = random_bytes(rng);
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| CryptoError::PasswordHashFailed(e.to_string()))?;
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| CryptoError::PasswordHashFailed(e.to_string()))
    }

    /// Checks `password` against `phc` using the parameters recorded in `phc`.
    /// A malformed `phc` is `Invalid` (after spending the usual cost).
    pub fn verify(&self, password: &str, phc: &str) -> PasswordCheck {
        let Ok(hash) = PasswordHash::new(phc) else {
            tracing::warn!("stored password hash is not a valid PHC string");
            self.dummy_verify(password);
            return PasswordCheck::Invalid;
        };
        match self.argon2().verify_password(password.as_bytes(), &hash) {
            Ok(()) => PasswordCheck::Valid {
                needs_rehash: self.needs_rehash(&hash),
            },
            Err(_) => PasswordCheck::Invalid,
        }
    }

    /// Spends the same work as a real [`PasswordHasher::verify`] and discards the
    /// result, so that unknown accounts cannot be told apart by response time.
    pub fn dummy_verify(&self, password: &str) {
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        // The outcome is irrelevant; only the elapsed time matters.
        let _ = self
            .argon2()
            .hash_password_into(password.as_bytes(), &DUMMY_SALT, &mut out);
    }

    fn needs_rehash(&self, hash: &PasswordHash<'_>) -> bool {
        let algorithm_ok = Algorithm::try_from(hash.algorithm) == Ok(Algorithm::Argon2id);
        let version_ok = hash.version == Some(Version::V0x13 as u32);
        let Ok(stored) = Params::try_from(hash) else {
            return true;
        };
        !algorithm_ok
            || !version_ok
            || stored.m_cost() < self.params.m_cost()
            || stored.t_cost() < self.params.t_cost()
            || stored.p_cost() < self.params.p_cost()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::crypto::SystemRng;

    fn cheap() -> PasswordHasher {
        PasswordHasher::with_params(64, 1, 1).unwrap()
    }

    #[test]
    fn default_params_are_owasp_minimum() {
        let h = PasswordHasher::default();
        assert_eq!(
            (h.params.m_cost(), h.params.t_cost(), h.params.p_cost()),
            (19456, 2, 1)
        );
    }

    #[test]
    fn hash_then_verify() {
        let h = cheap();
        let phc = h.hash(&SystemRng, "correct horse").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert_eq!(
            h.verify("correct horse", &phc),
            PasswordCheck::Valid {
                needs_rehash: false
            }
        );
        assert_eq!(h.verify("wrong", &phc), PasswordCheck::Invalid);
        assert_eq!(
            h.verify("correct horse", "not a phc"),
            PasswordCheck::Invalid
        );
    }

    #[test]
    fn salts_differ() {
        let h = cheap();
        let rng = SystemRng;
        assert_ne!(h.hash(&rng, "pw").unwrap(), h.hash(&rng, "pw").unwrap());
    }

    #[test]
    fn weaker_stored_params_need_rehash() {
        let rng = SystemRng;
        let old = cheap().hash(&rng, "pw").unwrap();
        for stronger in [(128, 1, 1), (64, 2, 1), (64, 1, 2)] {
            let h = PasswordHasher::with_params(stronger.0, stronger.1, stronger.2).unwrap();
            assert_eq!(
                h.verify("pw", &old),
                PasswordCheck::Valid { needs_rehash: true },
                "{stronger:?}"
            );
        }
        let weaker = PasswordHasher::with_params(32, 1, 1).unwrap();
        assert_eq!(
            weaker.verify("pw", &old),
            PasswordCheck::Valid {
                needs_rehash: false
            }
        );
    }

    #[test]
    fn other_argon2_variant_needs_rehash() {
        let params = Params::new(64, 1, 1, None).unwrap();
        let salt = SaltString::encode_b64(&[1; SALT_LEN]).unwrap();
        let phc = Argon2::new(Algorithm::Argon2i, Version::V0x13, params)
            .hash_password(b"pw", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            cheap().verify("pw", &phc),
            PasswordCheck::Valid { needs_rehash: true }
        );
    }

    #[test]
    fn invalid_params_are_rejected() {
        assert!(matches!(
            PasswordHasher::with_params(1, 1, 1),
            Err(CryptoError::InvalidPasswordParams(_))
        ));
    }

    #[test]
    fn dummy_verify_runs() {
        cheap().dummy_verify("anything");
    }
}
