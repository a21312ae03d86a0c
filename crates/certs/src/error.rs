//! Why a certificate was refused: one variant per failure, each with a description that
//! is safe to show to the client.

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("the certificate could not be read: {0}")]
    Malformed(String),
    #[error("the certificate does not chain to a trusted root")]
    UntrustedRoot,
    #[error("a certificate in the chain has expired")]
    Expired,
    #[error("a certificate in the chain is not valid yet")]
    NotYetValid,
    #[error("a signature in the certificate chain does not verify")]
    BadSignature,
    #[error("the certificate has been revoked")]
    Revoked,
    #[error("the certificate's key usage does not allow signing in")]
    WrongKeyUsage,
    #[error("the certificate is outside the names its issuer may certify")]
    NameConstraint,
    #[error("the certificate chain is not valid: {0}")]
    Invalid(String),
    #[error("the certificate's key is not supported here: {0}")]
    UnsupportedKey(&'static str),
    #[error("the signature over the challenge is not valid: {0}")]
    SignatureInvalid(&'static str),
}

impl CertError {
    /// A short stable name for logs and audit events.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::UntrustedRoot => "untrusted_root",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::BadSignature => "bad_signature",
            Self::Revoked => "revoked",
            Self::WrongKeyUsage => "wrong_key_usage",
            Self::NameConstraint => "name_constraint",
            Self::Invalid(_) => "invalid_chain",
            Self::UnsupportedKey(_) => "unsupported_key",
            Self::SignatureInvalid(_) => "signature_invalid",
        }
    }
}
