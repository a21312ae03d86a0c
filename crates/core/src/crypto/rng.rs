//! Randomness as an injected value: production code takes `&dyn Rng` so tests can
//! supply a deterministic source. [`SystemRng`] is the only place that reads the OS
//! generator (through AWS-LC).

use aws_lc_rs::rand::{SecureRandom as _, SystemRandom};

use super::b64url;

/// Source of randomness, passed in (never call a global RNG elsewhere).
pub trait Rng: Send + Sync {
    /// Fills `dest` entirely with random bytes.
    fn fill(&self, dest: &mut [u8]);
}

/// The operating system CSPRNG via AWS-LC (`aws_lc_rs::rand::SystemRandom`).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRng;

impl SystemRng {
    /// Makes AWS-LC set up its generator now. Its first use in a process seeds the
    /// generator's root from CPU timing jitter, which takes tens of milliseconds of CPU
    /// (about half of a start-up's); a binary calls this on a thread of its own as it
    /// starts, so that the seeding runs beside the database and key loading instead of
    /// after them, on the first request's path.
    pub fn warm_up() {
        let mut byte = [0u8; 1];
        SystemRng.fill(&mut byte);
    }
}

impl Rng for SystemRng {
    /// # Panics
    /// If AWS-LC cannot produce random bytes. AWS-LC aborts internally on entropy
    /// failure, so this does not happen in practice; continuing without randomness
    /// would be unsafe, so the failure is not swallowed.
    fn fill(&self, dest: &mut [u8]) {
        if SystemRandom::new().fill(dest).is_err() {
            panic!("system random generator failed");
        }
    }
}

/// `N` random bytes.
pub fn random_bytes<const N: usize>(rng: &dyn Rng) -> [u8; N] {
    let mut out = [0u8; N];
    rng.fill(&mut out);
    out
}

/// `bytes` random bytes as unpadded base64url (codes, tokens, session ids, CSRF).
pub fn random_token(rng: &dyn Rng, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rng.fill(&mut buf);
    b64url(&buf)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn system_rng_produces_distinct_values() {
        let rng = SystemRng;
        let a: [u8; 32] = random_bytes(&rng);
        let b: [u8; 32] = random_bytes(&rng);
        assert_ne!(a, b);
    }

    #[test]
    fn random_token_length_matches_base64url() {
        let rng = SystemRng;
        let token = random_token(&rng, 32);
        assert_eq!(token.len(), 43);
        assert!(
            token
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(random_token(&rng, 0), "");
    }
}
