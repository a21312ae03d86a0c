//! Cryptographic building blocks shared by the protocol engine: randomness passed in as
//! a value, base64url, hashing, the master key that seals secrets at rest (AES-256-GCM),
//! keyed hashing of stored tokens (HMAC-SHA256) and password hashing (Argon2id,
//! [RFC 9106](https://www.rfc-editor.org/rfc/rfc9106)).
//!
//! All primitives come from `aws-lc-rs`, passwords from `argon2`.

mod error;
mod master_key;
mod password;
mod primitives;
mod rng;
mod sortable;
mod token_hasher;

pub use error::CryptoError;
pub use master_key::MasterKey;
pub use password::{PasswordCheck, PasswordHasher};
pub use primitives::{b64url, b64url_decode, constant_time_eq, sha256};
pub use rng::{Rng, SystemRng, random_bytes, random_token};
pub use sortable::{sortable_id, sortable_secret, time_prefix};
pub use token_hasher::TokenHasher;
