//! A detached CMS SignedData over a challenge (RFC 5652 §5), for keys that can only sign:
//! what `openssl cms -sign -binary` and the signing tools of Windows make. The signer
//! must be the given certificate (issuer and serial number); with signed attributes the
//! message digest attribute must match the challenge and the signature covers the
//! attributes (§5.4), otherwise the challenge itself. RSA PKCS #1 v1.5 and ECDSA on the
//! NIST curves, with SHA-256, SHA-384 or SHA-512; GOST R 34.10-2012 with Streebog
//! through OpenSSL (`crate::gost`, feature `gost`).

use crate::error::CertError;
use crate::parse::Certificate;
use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

fn refused(why: &'static str) -> CertError {
    CertError::SignatureInvalid(why)
}

/// Checks that `cms_der` (a DER ContentInfo) is `signer`'s signature over `content`.
pub fn verify_detached(
    signer: &Certificate,
    content: &[u8],
    cms_der: &[u8],
) -> Result<(), CertError> {
    if signer.is_gost() {
        #[cfg(feature = "gost")]
        return crate::gost::verify_detached(signer, content, cms_der);
        #[cfg(not(feature = "gost"))]
        return Err(CertError::UnsupportedKey(crate::GOST_UNSUPPORTED));
    }
    let info = ContentInfo::from_der(cms_der).map_err(|_| refused("not a DER CMS ContentInfo"))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(refused("not a CMS SignedData"));
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|_| refused("the SignedData could not be read"))?;
    if let Some(attached) = &signed.encap_content_info.econtent {
        let attached: OctetString = attached
            .decode_as()
            .map_err(|_| refused("the signed content could not be read"))?;
        if attached.as_bytes() != content {
            return Err(refused("the signed content is not the challenge"));
        }
    }
    let tbs = &signer.parsed().tbs_certificate;
    let signer_info = signed
        .signer_infos
        .0
        .iter()
        .find(|info| match &info.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => {
                id.issuer == tbs.issuer && id.serial_number == tbs.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(_) => false,
        })
        .ok_or(refused("it was not made with this certificate"))?;
    let (digest_alg, bits) = match signer_info.digest_alg.oid {
        oid if oid == SHA256 => (&digest::SHA256, 256),
        oid if oid == SHA384 => (&digest::SHA384, 384),
        oid if oid == SHA512 => (&digest::SHA512, 512),
        _ => {
            return Err(refused(
                "the digest algorithm is not SHA-256, SHA-384 or SHA-512",
            ));
        }
    };
    let content_digest = digest::digest(digest_alg, content);
    let message = match &signer_info.signed_attrs {
        Some(attributes) => {
            let stated = attributes
                .iter()
                .find(|a| a.oid == MESSAGE_DIGEST)
                .and_then(|a| a.values.iter().next())
                .and_then(|v| v.decode_as::<OctetString>().ok())
                .ok_or(refused("the message digest attribute is missing"))?;
            if stated.as_bytes() != content_digest.as_ref() {
                return Err(refused("it was made over another value"));
            }
            attributes
                .to_der()
                .map_err(|_| refused("the signed attributes could not be encoded"))?
        }
        None => content.to_vec(),
    };
    let spki = &tbs.subject_public_key_info;
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or(refused("the public key could not be read"))?;
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    let algorithm: &dyn VerificationAlgorithm = match (spki.algorithm.oid, curve, bits) {
        (oid, _, 256) if oid == RSA_ENCRYPTION => &signature::RSA_PKCS1_2048_8192_SHA256,
        (oid, _, 384) if oid == RSA_ENCRYPTION => &signature::RSA_PKCS1_2048_8192_SHA384,
        (oid, _, 512) if oid == RSA_ENCRYPTION => &signature::RSA_PKCS1_2048_8192_SHA512,
        (oid, Some(c), 256) if oid == EC_PUBLIC_KEY && c == SECP256R1 => {
            &signature::ECDSA_P256_SHA256_ASN1
        }
        (oid, Some(c), 384) if oid == EC_PUBLIC_KEY && c == SECP256R1 => {
            &signature::ECDSA_P256_SHA384_ASN1
        }
        (oid, Some(c), 512) if oid == EC_PUBLIC_KEY && c == SECP256R1 => {
            &signature::ECDSA_P256_SHA512_ASN1
        }
        (oid, Some(c), 256) if oid == EC_PUBLIC_KEY && c == SECP384R1 => {
            &signature::ECDSA_P384_SHA256_ASN1
        }
        (oid, Some(c), 384) if oid == EC_PUBLIC_KEY && c == SECP384R1 => {
            &signature::ECDSA_P384_SHA384_ASN1
        }
        (oid, Some(c), 512) if oid == EC_PUBLIC_KEY && c == SECP384R1 => {
            &signature::ECDSA_P384_SHA512_ASN1
        }
        _ => {
            return Err(CertError::UnsupportedKey(
                "only RSA, P-256 and P-384 keys can sign",
            ));
        }
    };
    UnparsedPublicKey::new(algorithm, key)
        .verify(&message, signer_info.signature.as_bytes())
        .map_err(|_| refused("the signature does not verify"))
}

/// A signature as a person hands it over: DER (a `.p7s` or `.sig` file), PEM (`CMS`,
/// `PKCS7` or `SIGNATURE` blocks) or the DER in base64, line breaks allowed.
pub fn read_signature(bytes: &[u8]) -> Result<Vec<u8>, CertError> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| refused("neither DER, PEM nor base64"))?
        .trim();
    if text.starts_with("-----BEGIN") {
        let (_, der) = crate::parse::pem_block(text)
            .map_err(|_| refused("the PEM text could not be decoded"))?;
        return Ok(der);
    }
    use base64::Engine;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&compact))
        .map_err(|_| refused("neither DER, PEM nor base64"))
}

/// The certificates a CMS SignedData carries (`openssl cms -sign` and the signing tools
/// put the signer's in), in their order.
pub fn signed_data_certificates(cms_der: &[u8]) -> Result<Vec<Certificate>, CertError> {
    use cms::cert::CertificateChoices;
    let info = ContentInfo::from_der(cms_der).map_err(|_| refused("not a DER CMS ContentInfo"))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(refused("not a CMS SignedData"));
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|_| refused("the SignedData could not be read"))?;
    let Some(set) = signed.certificates else {
        return Ok(Vec::new());
    };
    Ok(set
        .0
        .iter()
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(cert) => cert.to_der().ok(),
            _ => None,
        })
        .filter_map(|der| Certificate::from_der(&der).ok())
        .collect())
}
