//! A value encrypted to the holder of a certificate's key, as CMS EnvelopedData in a
//! ContentInfo (RFC 5652 §6) that `openssl cms -decrypt` and the signing tools of
//! Windows open. The content is encrypted with AES-256-CBC under a fresh key, and that
//! key goes to the recipient
//! - for RSA by key transport with PKCS #1 v1.5 (RFC 5652 §6.2.1, RFC 8017 §7.2), which
//!   older signing tools expect, or with RSAES-OAEP (RFC 3560, default parameters:
//!   SHA-1 and MGF1 with SHA-1);
//! - for EC keys (P-256, P-384, P-521) by ephemeral-static ECDH key agreement with the
//!   X9.63 KDF over SHA-256 and AES key wrap (RFC 5753 §3.1, RFC 3394);
//! - for GOST R 34.10-2012 keys by the GOST engine of OpenSSL (`crate::gost`, feature
//!   `gost`).

use crate::error::CertError;
use crate::parse::Certificate;
use aws_lc_rs::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey};
use aws_lc_rs::cipher::{AES_256, PaddedBlockEncryptingKey, UnboundCipherKey};
use aws_lc_rs::key_wrap::{self, KeyEncryptionKey, KeyWrap};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::enveloped_data::{
    EncryptedContentInfo, EnvelopedData, KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo,
    KeyTransRecipientInfo, OriginatorIdentifierOrKey, OriginatorPublicKey, RecipientEncryptedKey,
    RecipientIdentifier, RecipientInfo, RecipientInfos,
};
use der::asn1::{Any, BitString, Null, ObjectIdentifier, OctetString, SetOfVec};
use der::{Encode, Sequence};
use x509_cert::spki::AlgorithmIdentifierOwned;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSAES_OAEP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.7");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const AES256_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.42");
const AES256_WRAP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.45");
/// dhSinglePass-stdDH-sha256kdf-scheme (RFC 5753 §7.1.4).
const ECDH_SHA256_KDF: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.1.11.1");

const KEY_LEN: usize = 32;

/// How the content key goes to an RSA key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RsaPadding {
    #[default]
    Pkcs1,
    Oaep,
}

/// The DER ContentInfo of an EnvelopedData of `content` for the key of `recipient`.
pub fn envelope(
    recipient: &Certificate,
    content: &[u8],
    padding: RsaPadding,
) -> Result<Vec<u8>, CertError> {
    if recipient.is_gost() {
        #[cfg(feature = "gost")]
        return crate::gost::envelope(recipient, content);
        #[cfg(not(feature = "gost"))]
        return Err(CertError::UnsupportedKey(crate::GOST_UNSUPPORTED));
    }
    let mut content_key = [0u8; KEY_LEN];
    SystemRandom::new()
        .fill(&mut content_key)
        .map_err(|_| failure("no randomness"))?;
    let spki = &recipient.parsed().tbs_certificate.subject_public_key_info;
    let (version, info) = if spki.algorithm.oid == RSA_ENCRYPTION {
        (
            CmsVersion::V0,
            key_transport(recipient, &content_key, padding)?,
        )
    } else if spki.algorithm.oid == EC_PUBLIC_KEY {
        (CmsVersion::V2, key_agreement(recipient, &content_key)?)
    } else {
        return Err(CertError::UnsupportedKey(
            "only RSA and EC keys are supported",
        ));
    };
    let enveloped = EnvelopedData {
        version,
        originator_info: None,
        recip_infos: RecipientInfos(
            SetOfVec::try_from(vec![info]).map_err(|_| failure("recipient infos"))?,
        ),
        encrypted_content: encrypt_content(&content_key, content)?,
        unprotected_attrs: None,
    };
    let info = ContentInfo {
        content_type: ID_ENVELOPED_DATA,
        content: Any::encode_from(&enveloped).map_err(|_| failure("enveloped data"))?,
    };
    info.to_der().map_err(|_| failure("content info"))
}

fn failure(what: &'static str) -> CertError {
    CertError::Invalid(format!(
        "the encrypted challenge could not be made ({what})"
    ))
}

fn issuer_and_serial(recipient: &Certificate) -> IssuerAndSerialNumber {
    let tbs = &recipient.parsed().tbs_certificate;
    IssuerAndSerialNumber {
        issuer: tbs.issuer.clone(),
        serial_number: tbs.serial_number.clone(),
    }
}

fn octets(bytes: &[u8]) -> Result<OctetString, CertError> {
    OctetString::new(bytes).map_err(|_| failure("octet string"))
}

fn encrypt_content(key: &[u8], content: &[u8]) -> Result<EncryptedContentInfo, CertError> {
    let cipher_key = UnboundCipherKey::new(&AES_256, key).map_err(|_| failure("content key"))?;
    let encrypting =
        PaddedBlockEncryptingKey::cbc_pkcs7(cipher_key).map_err(|_| failure("content cipher"))?;
    let mut data = content.to_vec();
    let context = encrypting
        .encrypt(&mut data)
        .map_err(|_| failure("content encryption"))?;
    let iv: &[u8] = (&context).try_into().map_err(|_| failure("iv"))?;
    Ok(EncryptedContentInfo {
        content_type: ID_DATA,
        content_enc_alg: AlgorithmIdentifierOwned {
            oid: AES256_CBC,
            parameters: Some(Any::encode_from(&octets(iv)?).map_err(|_| failure("iv"))?),
        },
        encrypted_content: Some(octets(&data)?),
    })
}

fn key_transport(
    recipient: &Certificate,
    content_key: &[u8],
    padding: RsaPadding,
) -> Result<RecipientInfo, CertError> {
    use aws_lc_rs::rsa::{
        OAEP_SHA1_MGF1SHA1, OaepPublicEncryptingKey, Pkcs1PublicEncryptingKey, PublicEncryptingKey,
    };
    let unusable = |_| CertError::UnsupportedKey("the RSA key is not usable");
    let public = PublicEncryptingKey::from_der(&recipient.spki_der()?).map_err(unusable)?;
    let mut out = vec![0u8; public.key_size_bytes()];
    let (encrypted, key_enc_alg) = match padding {
        RsaPadding::Pkcs1 => {
            let key = Pkcs1PublicEncryptingKey::new(public).map_err(|_| failure("rsa key"))?;
            let encrypted = key
                .encrypt(content_key, &mut out)
                .map_err(|_| failure("key transport"))?;
            let alg = AlgorithmIdentifierOwned {
                oid: RSA_ENCRYPTION,
                parameters: Some(Any::from(Null)),
            };
            (encrypted, alg)
        }
        RsaPadding::Oaep => {
            let key = OaepPublicEncryptingKey::new(public).map_err(|_| failure("rsa key"))?;
            let encrypted = key
                .encrypt(&OAEP_SHA1_MGF1SHA1, content_key, &mut out, None)
                .map_err(|_| failure("key transport"))?;
            // RSAES-OAEP-params with every field at its default: an empty SEQUENCE.
            let defaults =
                Any::new(der::Tag::Sequence, Vec::new()).map_err(|_| failure("oaep parameters"))?;
            let alg = AlgorithmIdentifierOwned {
                oid: RSAES_OAEP,
                parameters: Some(defaults),
            };
            (encrypted, alg)
        }
    };
    Ok(RecipientInfo::Ktri(KeyTransRecipientInfo {
        version: CmsVersion::V0,
        rid: RecipientIdentifier::IssuerAndSerialNumber(issuer_and_serial(recipient)),
        key_enc_alg,
        enc_key: octets(encrypted)?,
    }))
}

/// ECC-CMS-SharedInfo (RFC 5753 §7.2): the input to the KDF besides the shared secret.
#[derive(Sequence)]
struct SharedInfo {
    key_info: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    entity_u_info: Option<OctetString>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    supp_pub_info: OctetString,
}

fn key_agreement(recipient: &Certificate, content_key: &[u8]) -> Result<RecipientInfo, CertError> {
    let spki = &recipient.parsed().tbs_certificate.subject_public_key_info;
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .ok_or(CertError::UnsupportedKey("the EC key names no curve"))?;
    let algorithm = match curve {
        c if c == SECP256R1 => &agreement::ECDH_P256,
        c if c == SECP384R1 => &agreement::ECDH_P384,
        c if c == SECP521R1 => &agreement::ECDH_P521,
        _ => {
            return Err(CertError::UnsupportedKey(
                "only the NIST curves P-256, P-384 and P-521 are supported",
            ));
        }
    };
    let peer = spki
        .subject_public_key
        .as_bytes()
        .ok_or(CertError::UnsupportedKey("the EC key is not whole bytes"))?;
    let ephemeral = EphemeralPrivateKey::generate(algorithm, &SystemRandom::new())
        .map_err(|_| failure("ephemeral key"))?;
    let ephemeral_public = ephemeral
        .compute_public_key()
        .map_err(|_| failure("ephemeral key"))?;
    let wrap_alg = AlgorithmIdentifierOwned {
        oid: AES256_WRAP,
        parameters: None,
    };
    let shared_info = SharedInfo {
        key_info: wrap_alg.clone(),
        entity_u_info: None,
        supp_pub_info: octets(&((KEY_LEN * 8) as u32).to_be_bytes())?,
    }
    .to_der()
    .map_err(|_| failure("shared info"))?;
    let kek = agreement::agree_ephemeral(
        ephemeral,
        UnparsedPublicKey::new(algorithm, peer),
        CertError::UnsupportedKey("the EC public key is not a valid point"),
        |secret| Ok(x963_kdf_sha256(secret, &shared_info)),
    )?;
    let wrapper = KeyEncryptionKey::new(&key_wrap::AES_256, &kek).map_err(|_| failure("kek"))?;
    let mut wrapped = vec![0u8; content_key.len() + 8];
    let wrapped = wrapper
        .wrap(content_key, &mut wrapped)
        .map_err(|_| failure("key wrap"))?;
    let key_enc_alg = AlgorithmIdentifierOwned {
        oid: ECDH_SHA256_KDF,
        parameters: Some(Any::encode_from(&wrap_alg).map_err(|_| failure("wrap algorithm"))?),
    };
    Ok(RecipientInfo::Kari(KeyAgreeRecipientInfo {
        version: CmsVersion::V3,
        originator: OriginatorIdentifierOrKey::OriginatorKey(OriginatorPublicKey {
            algorithm: AlgorithmIdentifierOwned {
                oid: EC_PUBLIC_KEY,
                parameters: None,
            },
            public_key: BitString::from_bytes(ephemeral_public.as_ref())
                .map_err(|_| failure("originator key"))?,
        }),
        ukm: None,
        key_enc_alg,
        recipient_enc_keys: vec![RecipientEncryptedKey {
            rid: KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(issuer_and_serial(recipient)),
            enc_key: octets(wrapped)?,
        }],
    }))
}

/// ANSI X9.63 KDF with SHA-256 for one 32-byte output block (SEC 1 §3.6.1).
fn x963_kdf_sha256(secret: &[u8], shared_info: &[u8]) -> [u8; KEY_LEN] {
    let mut context = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    context.update(secret);
    context.update(&1u32.to_be_bytes());
    context.update(shared_info);
    let mut key = [0u8; KEY_LEN];
    key.copy_from_slice(context.finish().as_ref());
    key
}
