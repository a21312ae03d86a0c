//! The answer of `POST /authentication/certificate`, in the shape the production provider
//! gives: a challenge encrypted to the certificate's key (or, for keys that can only sign,
//! the challenge to sign), the certificate's thumbprint, and how long the challenge lives.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateChallengeResponse {
    /// Base64 DER of a CMS ContentInfo with EnvelopedData (RFC 5652 §6) of the challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_key: Option<String>,
    /// The challenge in base64, to be signed (`method=signed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// Upper case hex SHA-1 of the DER certificate.
    pub thumbprint: String,
    /// Seconds.
    pub expires_in: i64,
}
