//! The settings of DPoP (RFC 9449) and its server-provided nonces (§8, §9), apart from
//! the checks in `dpop` so that the provider can hold them. Nonces are stateless, an
//! HMAC over a time slot under a key derived from the master key, which every node shares, so any node
//! accepts a nonce another node issued. A nonce is accepted during its slot and the one
//! after, so it lives between one and two slots.

use crate::clock::Timestamp;
use crate::crypto::TokenHasher;

/// How DPoP proofs are checked (`[dpop]` in the configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DpopPolicy {
    /// Whether every proof must carry a nonce this provider issued (§8). Off by default:
    /// the `jti` replay store shared by all nodes and the `iat` window already bound a
    /// proof's life, and a nonce costs each client one more round trip.
    pub require_nonce: bool,
    /// How far `iat` may lie from the provider's clock, seconds, either way (§11.1).
    pub iat_window: i64,
}

impl Default for DpopPolicy {
    fn default() -> Self {
        Self {
            require_nonce: false,
            iat_window: 60,
        }
    }
}

/// Length of a nonce slot, seconds.
pub const SLOT_SECONDS: i64 = 300;

/// Issues and checks nonces.
#[derive(Clone, Debug)]
pub struct NonceKey(TokenHasher);

impl NonceKey {
    pub fn new(key: [u8; 32]) -> Self {
        Self(TokenHasher::new(key))
    }

    /// The nonce of the slot `now` falls in.
    pub fn current(&self, now: Timestamp) -> String {
        self.of_slot(now.div_euclid(SLOT_SECONDS))
    }

    /// Whether `nonce` is the nonce of the current or the previous slot (constant time).
    pub fn accepts(&self, nonce: &str, now: Timestamp) -> bool {
        let slot = now.div_euclid(SLOT_SECONDS);
        // Both are compared, so the time taken does not tell which one matched.
        let current = self.0.verify(&slot_label(slot), nonce);
        let previous = self.0.verify(&slot_label(slot - 1), nonce);
        current | previous
    }

    fn of_slot(&self, slot: i64) -> String {
        self.0.hash(&slot_label(slot))
    }
}

fn slot_label(slot: i64) -> String {
    format!("dpop-nonce:{slot}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_for_its_slot_and_the_next() {
        let key = NonceKey::new([7; 32]);
        let issued_at = 10 * SLOT_SECONDS + 5;
        let nonce = key.current(issued_at);
        assert!(key.accepts(&nonce, issued_at));
        assert!(key.accepts(&nonce, 11 * SLOT_SECONDS + 299));
        assert!(!key.accepts(&nonce, 12 * SLOT_SECONDS));
        assert!(!key.accepts(&nonce, 9 * SLOT_SECONDS));
        assert!(!key.accepts("forged", issued_at));
    }

    #[test]
    fn another_key_makes_other_nonces() {
        let (a, b) = (NonceKey::new([1; 32]), NonceKey::new([2; 32]));
        assert!(!b.accepts(&a.current(1000), 1000));
    }
}
