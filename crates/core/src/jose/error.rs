//! Errors of the `jose` module. None carries key material.

use super::Alg;

/// Why a JOSE operation failed.
#[derive(Debug, thiserror::Error)]
pub enum JoseError {
    /// Not a compact JWS: wrong number of parts, bad base64url, header or claims not a
    /// JSON object, or header members of the wrong type.
    #[error("malformed JWS")]
    Malformed,
    /// `alg` is `none` or an algorithm this provider does not implement.
    #[error("unsupported JWS algorithm {0:?}")]
    UnsupportedAlg(String),
    /// A supported algorithm that the caller did not allow for this token.
    #[error("JWS algorithm {0} is not allowed here")]
    AlgNotAllowed(Alg),
    /// The header carries `crit`; no extensions are understood (RFC 7515 §4.1.11).
    #[error("JWS uses critical header parameters")]
    CriticalHeader,
    /// No key in the set matches the `kid` and algorithm of the token.
    #[error("no matching key")]
    UnknownKey,
    /// A key matched but the signature does not verify with it.
    #[error("signature verification failed")]
    BadSignature,
    /// AWS-LC could not generate a key pair.
    #[error("key generation failed")]
    KeyGeneration,
    /// Private key bytes or public JWK members are unusable for the algorithm.
    #[error("invalid key for the algorithm")]
    InvalidKey,
    /// The claims did not serialize to JSON.
    #[error("claims cannot be serialized: {0}")]
    ClaimsSerialization(serde_json::Error),
    /// A JWT claims set must be a JSON object (RFC 7519 §7.1).
    #[error("claims are not a JSON object")]
    ClaimsNotObject,
    /// AWS-LC failed to produce a signature.
    #[error("signing failed")]
    SigningFailed,
}
