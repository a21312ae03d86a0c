//! Reading a certificate as clients and operators hand it over: DER, PEM, or the DER in
//! base64 (RFC 5280 §4.1, RFC 7468 §5). The thumbprint is the SHA-1 of the DER in upper
//! case hex, as Windows and CryptoPro show it.

use crate::error::CertError;
use crate::identity::Identity;
use base64::Engine;
use der::{Decode, Encode};
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};

/// Largest certificate accepted (qualified certificates are a few kilobytes).
const MAX_DER: usize = 64 * 1024;

const EKU_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
const EKU_EMAIL_PROTECTION: &str = "1.3.6.1.5.5.7.3.4";
const EKU_ANY: &str = "2.5.29.37.0";

/// A parsed certificate with the DER it came from.
#[derive(Clone, Debug)]
pub struct Certificate {
    der: Vec<u8>,
    parsed: x509_cert::Certificate,
}

impl Certificate {
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        if der.len() > MAX_DER {
            return Err(CertError::Malformed("the certificate is too large".into()));
        }
        let parsed = x509_cert::Certificate::from_der(der)
            .map_err(|_| CertError::Malformed("not a DER X.509 certificate".into()))?;
        Ok(Self {
            der: der.to_vec(),
            parsed,
        })
    }

    /// A certificate as a form field carries it: PEM, or the DER in base64 (standard or
    /// URL-safe alphabet, line breaks allowed).
    pub fn from_text(text: &str) -> Result<Self, CertError> {
        let text = text.trim();
        if text.starts_with("-----BEGIN") {
            let (label, der) = pem_block(text)?;
            if label != "CERTIFICATE" {
                return Err(CertError::Malformed(format!(
                    "a PEM {label} is not a certificate"
                )));
            }
            return Self::from_der(&der);
        }
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&compact))
            .map_err(|_| CertError::Malformed("neither PEM nor base64".into()))?;
        Self::from_der(&der)
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub(crate) fn parsed(&self) -> &x509_cert::Certificate {
        &self.parsed
    }

    /// Upper case hex SHA-1 of the DER.
    pub fn thumbprint(&self) -> String {
        sha1_hex(&self.der)
    }

    /// The certificate as PEM text.
    pub fn pem(&self) -> String {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der)
            .unwrap_or_default()
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> String {
        self.parsed.tbs_certificate.subject.to_string()
    }

    pub fn issuer(&self) -> String {
        self.parsed.tbs_certificate.issuer.to_string()
    }

    pub fn serial_hex(&self) -> String {
        hex_upper(self.parsed.tbs_certificate.serial_number.as_bytes())
    }

    /// Start of the validity period, Unix seconds.
    pub fn not_before(&self) -> i64 {
        unix(self.parsed.tbs_certificate.validity.not_before)
    }

    /// End of the validity period, Unix seconds.
    pub fn not_after(&self) -> i64 {
        unix(self.parsed.tbs_certificate.validity.not_after)
    }

    pub fn identity(&self) -> Identity {
        Identity::of(&self.parsed)
    }

    /// Issued by itself (subject and issuer are the same name): a root.
    pub fn is_self_issued(&self) -> bool {
        self.parsed.tbs_certificate.subject == self.parsed.tbs_certificate.issuer
    }

    /// A GOST R 34.10 key, or a certificate signed with one (object identifiers under
    /// the Russian arc 1.2.643).
    pub fn is_gost(&self) -> bool {
        let russian = |oid: &der::asn1::ObjectIdentifier| oid.to_string().starts_with("1.2.643.");
        russian(
            &self
                .parsed
                .tbs_certificate
                .subject_public_key_info
                .algorithm
                .oid,
        ) || russian(&self.parsed.signature_algorithm.oid)
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, CertError> {
        self.parsed
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|_| CertError::Malformed("the public key could not be encoded".into()))
    }

    /// Key usage (RFC 5280 §4.2.1.3) and extended key usage (§4.2.1.12) allow signing a
    /// person in: when present, key usage has digital signature, key encipherment or key
    /// agreement, and extended key usage has client authentication, e-mail protection
    /// (qualified signature certificates carry it) or any purpose.
    pub fn check_sign_in_usage(&self) -> Result<(), CertError> {
        let tbs = &self.parsed.tbs_certificate;
        let unreadable = |_| CertError::Malformed("a usage extension could not be read".into());
        if let Some((_, usage)) = tbs.get::<KeyUsage>().map_err(unreadable)? {
            let allowed =
                KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment | KeyUsages::KeyAgreement;
            if (usage.0 & allowed).is_empty() {
                return Err(CertError::WrongKeyUsage);
            }
        }
        if let Some((_, purposes)) = tbs.get::<ExtendedKeyUsage>().map_err(unreadable)? {
            let fits = purposes.0.iter().any(|oid| {
                let oid = oid.to_string();
                [EKU_CLIENT_AUTH, EKU_EMAIL_PROTECTION, EKU_ANY].contains(&oid.as_str())
            });
            if !fits {
                return Err(CertError::WrongKeyUsage);
            }
        }
        Ok(())
    }
}

/// A thumbprint as clients type it (any case, spaces or colons between bytes), in the
/// form [`Certificate::thumbprint`] gives; `None` when it is not 40 hex digits.
pub fn normalize_thumbprint(text: &str) -> Option<String> {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | ':' | '\u{200e}'))
        .collect();
    (hex.len() == 40 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_uppercase())
}

/// The one PEM block of `text`: its label and the decoded bytes.
pub(crate) fn pem_block(text: &str) -> Result<(String, Vec<u8>), CertError> {
    let (label, der) = der::pem::decode_vec(text.as_bytes())
        .map_err(|_| CertError::Malformed("the PEM text could not be decoded".into()))?;
    Ok((label.to_owned(), der))
}

fn unix(time: x509_cert::time::Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

/// Upper case hex SHA-1 of `bytes`.
pub fn sha1_hex(bytes: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, bytes);
    hex_upper(digest.as_ref())
}

fn hex_upper(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02X}");
        out
    })
}
