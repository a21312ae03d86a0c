//! GOST R 34.10-2012 certificates (256 and 512 bit keys, Streebog digests) through the
//! system OpenSSL with Debian's GOST engine (`libengine-gost-openssl`), which OpenSSL
//! loads from the configuration named by `OPENSSL_CONF` ([`OPENSSL_CONF_TEXT`]).
//!
//! - Chain validation ([`validate`]): OpenSSL builds and checks the path (signatures,
//!   validity, basic constraints, path length, name constraints) at the given time; the
//!   CRLs at hand are then checked here for each certificate of the path, as the RSA path
//!   does (a CA without a CRL here is not checked). Each failure maps to the same
//!   [`CertError`] as on the RSA path.
//! - The challenge ([`envelope`]): CMS EnvelopedData with key transport by the GOST
//!   engine (VKO GOST R 34.10-2012 and the CryptoPro key wrap) and the content under
//!   GOST 28147-89, which `openssl cms -decrypt` with the engine and the signing tools
//!   open.
//! - The signed challenge ([`verify_detached`]): a detached CMS SignedData by the given
//!   certificate only.

use crate::error::CertError;
use crate::parse::Certificate;
use crate::trust::TrustStore;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::stack::Stack;
use openssl::symm::Cipher;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509VerifyParam;
use openssl::x509::{CrlStatus, X509, X509Crl, X509StoreContext};

/// An OpenSSL configuration that loads the GOST engine for every algorithm it has; the
/// binary writes it and points `OPENSSL_CONF` at it when the operator did not.
pub const OPENSSL_CONF_TEXT: &str = "\
# OpenSSL configuration that loads the GOST engine (Debian: libengine-gost-openssl).
openssl_conf = openssl_def

[openssl_def]
engines = engine_section

[engine_section]
gost = gost_section

[gost_section]
engine_id = gost
default_algorithms = ALL
";

/// Whether OpenSSL has the GOST algorithms: the engine was loaded through `OPENSSL_CONF`.
pub fn engine_ready() -> Result<(), String> {
    if MessageDigest::from_name("md_gost12_256").is_some()
        && Cipher::from_nid(Nid::ID_GOST28147_89).is_some()
    {
        Ok(())
    } else {
        Err(
            "OpenSSL has no GOST algorithms: install libengine-gost-openssl and point \
             OPENSSL_CONF at a configuration that loads the gost engine"
                .into(),
        )
    }
}

fn not_ready() -> CertError {
    CertError::UnsupportedKey("GOST keys need OpenSSL with the gost engine loaded")
}

fn x509(certificate: &Certificate) -> Result<X509, CertError> {
    X509::from_der(certificate.der())
        .map_err(|_| CertError::Malformed("OpenSSL could not read the certificate".into()))
}

// Verification results of OpenSSL (x509_vfy.h).
const UNABLE_TO_GET_ISSUER_CERT: i32 = 2;
const UNABLE_TO_DECRYPT_CERT_SIGNATURE: i32 = 4;
const UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: i32 = 6;
const CERT_SIGNATURE_FAILURE: i32 = 7;
const CERT_NOT_YET_VALID: i32 = 9;
const CERT_HAS_EXPIRED: i32 = 10;
const DEPTH_ZERO_SELF_SIGNED_CERT: i32 = 18;
const SELF_SIGNED_CERT_IN_CHAIN: i32 = 19;
const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
const UNABLE_TO_VERIFY_LEAF_SIGNATURE: i32 = 21;
const CERT_REVOKED: i32 = 23;
const INVALID_CA: i32 = 24;
const PATH_LENGTH_EXCEEDED: i32 = 25;
const INVALID_PURPOSE: i32 = 26;
const CERT_UNTRUSTED: i32 = 27;
const CERT_REJECTED: i32 = 28;
const KEYUSAGE_NO_CERTSIGN: i32 = 32;
const PERMITTED_VIOLATION: i32 = 47;
const EXCLUDED_VIOLATION: i32 = 48;

fn chain_error(code: i32, text: &str) -> CertError {
    match code {
        UNABLE_TO_GET_ISSUER_CERT
        | DEPTH_ZERO_SELF_SIGNED_CERT
        | SELF_SIGNED_CERT_IN_CHAIN
        | UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | UNABLE_TO_VERIFY_LEAF_SIGNATURE
        | CERT_UNTRUSTED => CertError::UntrustedRoot,
        CERT_HAS_EXPIRED => CertError::Expired,
        CERT_NOT_YET_VALID => CertError::NotYetValid,
        UNABLE_TO_DECRYPT_CERT_SIGNATURE
        | UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY
        | CERT_SIGNATURE_FAILURE => CertError::BadSignature,
        CERT_REVOKED => CertError::Revoked,
        INVALID_PURPOSE | CERT_REJECTED => CertError::WrongKeyUsage,
        PERMITTED_VIOLATION | EXCLUDED_VIOLATION => CertError::NameConstraint,
        INVALID_CA | PATH_LENGTH_EXCEEDED | KEYUSAGE_NO_CERTSIGN => {
            CertError::Invalid("an issuer in the chain may not issue certificates".into())
        }
        _ => CertError::Invalid(text.to_owned()),
    }
}

/// Checks that `certificate` chains to a root of `store` at `now` (Unix seconds), that no
/// CRL at hand revokes a certificate of the path, and that its usage allows signing in.
pub(crate) fn validate(
    store: &TrustStore,
    certificate: &Certificate,
    now: i64,
) -> Result<(), CertError> {
    engine_ready().map_err(|_| not_ready())?;
    let leaf = x509(certificate)?;
    let internal = |_| CertError::Invalid("OpenSSL could not check the chain".into());
    let mut builder = X509StoreBuilder::new().map_err(internal)?;
    for root in store.roots() {
        if let Ok(root) = X509::from_der(root.der()) {
            builder.add_cert(root).map_err(internal)?;
        }
    }
    let mut param = X509VerifyParam::new().map_err(internal)?;
    param.set_time(now);
    builder.set_param(&param).map_err(internal)?;
    let trust = builder.build();
    let mut untrusted = Stack::new().map_err(internal)?;
    for intermediate in store.intermediates() {
        if let Ok(intermediate) = X509::from_der(intermediate.der()) {
            untrusted.push(intermediate).map_err(internal)?;
        }
    }
    let mut context = X509StoreContext::new().map_err(internal)?;
    let (failure, path) = context
        .init(&trust, &leaf, &untrusted, |context| {
            let valid = context.verify_cert()?;
            let path: Vec<X509> = context
                .chain()
                .map(|chain| chain.iter().map(|c| c.to_owned()).collect())
                .unwrap_or_default();
            let failure = (!valid).then(|| {
                let at = context.current_cert().map(|c| c.to_owned());
                (context.error(), at)
            });
            Ok((failure, path))
        })
        .map_err(internal)?;
    if let Some((result, at)) = failure {
        let error = chain_error(result.as_raw(), result.error_string());
        if error == CertError::UntrustedRoot
            && let Some(at) = at
            && forged(&at, store)
        {
            return Err(CertError::BadSignature);
        }
        return Err(error);
    }
    let crls: Vec<X509Crl> = store
        .crl_ders()
        .iter()
        .filter_map(|der| X509Crl::from_der(der).ok())
        .collect();
    for pair in path.windows(2) {
        if revoked(&pair[0], &pair[1], &crls) {
            return Err(CertError::Revoked);
        }
    }
    certificate.check_sign_in_usage()
}

/// Whether `certificate` names a trusted CA as its issuer but none of the certificates
/// with that name signed it: OpenSSL 3 reports such a certificate as one without an
/// issuer, the RSA path as a bad signature.
fn forged(certificate: &X509, store: &TrustStore) -> bool {
    let mut named = store
        .roots()
        .iter()
        .chain(store.intermediates())
        .filter_map(|ca| X509::from_der(ca.der()).ok())
        .filter(|ca| {
            ca.subject_name()
                .try_cmp(certificate.issuer_name())
                .is_ok_and(|order| order.is_eq())
        })
        .peekable();
    named.peek().is_some()
        && named.all(|ca| {
            ca.public_key()
                .and_then(|key| certificate.verify(&key))
                .is_ok_and(|ok| !ok)
        })
}

/// Whether a CRL of `issuer`, signed by its key, lists `subject`.
fn revoked(subject: &X509, issuer: &X509, crls: &[X509Crl]) -> bool {
    let Ok(key) = issuer.public_key() else {
        return false;
    };
    crls.iter().any(|crl| {
        let same_issuer = crl
            .issuer_name()
            .try_cmp(issuer.subject_name())
            .is_ok_and(|order| order.is_eq());
        same_issuer
            && crl.verify(&key).unwrap_or(false)
            && matches!(crl.get_by_cert(subject), CrlStatus::Revoked(_))
    })
}

/// The DER ContentInfo of an EnvelopedData of `content` for the GOST key of `recipient`.
pub(crate) fn envelope(recipient: &Certificate, content: &[u8]) -> Result<Vec<u8>, CertError> {
    engine_ready().map_err(|_| not_ready())?;
    let failure = |_| {
        CertError::Invalid("the encrypted challenge could not be made (GOST key transport)".into())
    };
    let cipher = Cipher::from_nid(Nid::ID_GOST28147_89).ok_or_else(not_ready)?;
    let mut recipients = Stack::new().map_err(failure)?;
    recipients.push(x509(recipient)?).map_err(failure)?;
    CmsContentInfo::encrypt(
        &recipients,
        content,
        cipher,
        CMSOptions::BINARY | CMSOptions::KEY_PARAM,
    )
    .and_then(|cms| cms.to_der())
    .map_err(failure)
}

/// Checks that `cms_der` is a CMS SignedData by `signer` over `content` (detached, or
/// with `content` attached).
pub(crate) fn verify_detached(
    signer: &Certificate,
    content: &[u8],
    cms_der: &[u8],
) -> Result<(), CertError> {
    engine_ready().map_err(|_| not_ready())?;
    let refused = CertError::SignatureInvalid;
    let internal = |_| refused("OpenSSL could not check it");
    let mut signed =
        CmsContentInfo::from_der(cms_der).map_err(|_| refused("not a DER CMS SignedData"))?;
    let mut signers = Stack::new().map_err(internal)?;
    signers.push(x509(signer)?).map_err(internal)?;
    let no_chain = X509StoreBuilder::new().map_err(internal)?.build();
    // Only `signer` may have made it (NOINTERN), whose chain was checked already.
    let flags = CMSOptions::BINARY | CMSOptions::NOINTERN | CMSOptions::NO_SIGNER_CERT_VERIFY;
    let detached = signed.verify(Some(&signers), Some(&no_chain), Some(content), None, flags);
    if detached.is_ok() {
        return Ok(());
    }
    let mut attached = Vec::new();
    match signed.verify(
        Some(&signers),
        Some(&no_chain),
        None,
        Some(&mut attached),
        flags,
    ) {
        Ok(()) if attached == content => Ok(()),
        Ok(()) => Err(refused("the signed content is not the challenge")),
        Err(_) => Err(refused(
            "the signature does not verify with this certificate",
        )),
    }
}
