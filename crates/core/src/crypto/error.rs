//! Errors of the `crypto` module. Messages never contain key material or secrets.

/// What went wrong in a cryptographic operation.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// Input was not valid base64url (RFC 4648 §5, no padding).
    #[error("invalid base64url encoding")]
    InvalidBase64,
    /// The master key text is neither 64 hex characters nor base64 of 32 bytes.
    #[error("master key must be 32 bytes as base64/base64url or 64 hex characters")]
    InvalidMasterKey,
    /// A sealed blob is shorter than version byte, nonce and tag.
    #[error("sealed data is truncated")]
    SealedTooShort,
    /// A sealed blob starts with a format version this build does not know.
    #[error("unknown sealed data version {0}")]
    UnknownSealVersion(u8),
    /// Authentication failed: wrong key, wrong associated data or tampered data.
    #[error("sealed data failed authentication")]
    DecryptionFailed,
    /// Argon2 parameters out of range.
    #[error("invalid argon2 parameters: {0}")]
    InvalidPasswordParams(String),
    /// Argon2 hashing failed.
    #[error("password hashing failed: {0}")]
    PasswordHashFailed(String),
}
