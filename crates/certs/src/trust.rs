//! The operator's trust: root certificates (self-issued), intermediates that may complete
//! a chain, and CRLs, read from the files of one folder (PEM with any number of
//! `CERTIFICATE` and `X509 CRL` blocks, or one DER certificate or CRL per file).
//! [`TrustStore::validate`] builds and checks a path from a certificate to a root
//! (RFC 5280 §6: signatures, validity periods, basic constraints, path length, name
//! constraints, revocation by the CRLs at hand), then the usage of the certificate itself.

use crate::error::CertError;
use crate::parse::Certificate;
use rustls_pki_types::{CertificateDer, UnixTime};
use std::path::Path;
use std::time::Duration;
use webpki::{
    CertRevocationList, ExpirationPolicy, ExtendedKeyUsageValidator, KeyPurposeIdIter,
    OwnedCertRevocationList, RevocationCheckDepth, RevocationOptionsBuilder, UnknownStatusPolicy,
};

/// Largest file read from the trust folder.
const MAX_FILE: u64 = 16 * 1024 * 1024;

/// What one file of the trust folder holds.
#[derive(Clone, Debug, Default)]
pub struct TrustedFile {
    pub certificates: Vec<Certificate>,
    /// DER of each CRL.
    pub crls: Vec<Vec<u8>>,
}

impl TrustedFile {
    /// Reads PEM blocks, or else one DER certificate or CRL.
    pub fn parse(bytes: &[u8]) -> Result<Self, CertError> {
        let mut file = Self::default();
        if let Ok(text) = std::str::from_utf8(bytes)
            && text.contains("-----BEGIN ")
        {
            for block in pem_blocks(text) {
                let (label, der) = crate::parse::pem_block(block)?;
                match label.as_str() {
                    "CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                        file.certificates.push(Certificate::from_der(&der)?)
                    }
                    "X509 CRL" => {
                        check_crl(&der)?;
                        file.crls.push(der);
                    }
                    _ => {}
                }
            }
        } else if let Ok(certificate) = Certificate::from_der(bytes) {
            file.certificates.push(certificate);
        } else {
            check_crl(bytes)?;
            file.crls.push(bytes.to_vec());
        }
        if file.certificates.is_empty() && file.crls.is_empty() {
            return Err(CertError::Malformed(
                "no certificate or CRL in the file".into(),
            ));
        }
        Ok(file)
    }
}

/// A CRL webpki reads, or (GOST signatures, which webpki does not know) one that is a
/// well-formed X.509 CertificateList.
fn check_crl(der: &[u8]) -> Result<(), CertError> {
    use der::Decode;
    if OwnedCertRevocationList::from_der(der).is_ok()
        || x509_cert::crl::CertificateList::from_der(der).is_ok()
    {
        Ok(())
    } else {
        Err(CertError::Malformed("not a valid X.509 CRL".into()))
    }
}

/// Each `-----BEGIN …-----` … `-----END …-----` block of a text.
fn pem_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let from_start = &rest[start..];
        let Some(end) = from_start.find("-----END ") else {
            break;
        };
        let after_end = &from_start[end + 9..];
        let close = after_end.find("-----").map_or(after_end.len(), |i| i + 5);
        blocks.push(&from_start[..end + 9 + close]);
        rest = &after_end[close..];
    }
    blocks
}

/// Roots, intermediates and CRLs, as loaded at one moment.
#[derive(Default)]
pub struct TrustStore {
    roots: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    crls: Vec<CertRevocationList<'static>>,
    /// DER of every CRL, for the GOST path.
    crl_ders: Vec<Vec<u8>>,
    /// Files that could not be read, with the reason.
    skipped: Vec<(String, String)>,
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("roots", &self.roots.len())
            .field("intermediates", &self.intermediates.len())
            .field("crls", &self.crls.len())
            .field("skipped", &self.skipped)
            .finish()
    }
}

impl TrustStore {
    /// Every regular file of `dir`, in name order; a missing folder is an empty store,
    /// and a file that cannot be read is skipped (see [`TrustStore::skipped`]).
    pub fn load_dir(dir: &Path) -> std::io::Result<Self> {
        let mut store = Self::default();
        for (name, path) in list_files(dir)? {
            let read = std::fs::metadata(&path).and_then(|meta| {
                if meta.len() > MAX_FILE {
                    return Err(std::io::Error::other("the file is too large"));
                }
                std::fs::read(&path)
            });
            let parsed = read
                .map_err(|e| e.to_string())
                .and_then(|bytes| TrustedFile::parse(&bytes).map_err(|e| e.to_string()));
            match parsed {
                Ok(file) => store.add(file),
                Err(reason) => store.skipped.push((name, reason)),
            }
        }
        Ok(store)
    }

    /// What identifies the folder's content for reloading: names, sizes and change times.
    pub fn dir_signature(
        dir: &Path,
    ) -> std::io::Result<Vec<(String, u64, Option<std::time::SystemTime>)>> {
        let mut signature = Vec::new();
        for (name, path) in list_files(dir)? {
            let meta = std::fs::metadata(&path)?;
            signature.push((name, meta.len(), meta.modified().ok()));
        }
        Ok(signature)
    }

    pub fn add(&mut self, file: TrustedFile) {
        for certificate in file.certificates {
            if certificate.is_self_issued() {
                self.roots.push(certificate);
            } else {
                self.intermediates.push(certificate);
            }
        }
        for der in file.crls {
            if let Ok(crl) = OwnedCertRevocationList::from_der(&der) {
                self.crls.push(CertRevocationList::Owned(crl));
            }
            self.crl_ders.push(der);
        }
    }

    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }

    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    pub fn crl_count(&self) -> usize {
        self.crl_ders.len()
    }

    /// DER of every CRL at hand.
    pub fn crl_ders(&self) -> &[Vec<u8>] {
        &self.crl_ders
    }

    pub fn skipped(&self) -> &[(String, String)] {
        &self.skipped
    }

    /// Checks that `certificate` chains to a root at `now` (Unix seconds), that no CRL at
    /// hand revokes a certificate of the chain (a CA without a CRL here is not checked),
    /// and that its usage allows signing in.
    pub fn validate(&self, certificate: &Certificate, now: i64) -> Result<(), CertError> {
        if certificate.is_gost() {
            #[cfg(feature = "gost")]
            return crate::gost::validate(self, certificate, now);
            #[cfg(not(feature = "gost"))]
            return Err(CertError::UnsupportedKey(crate::GOST_UNSUPPORTED));
        }
        let end_der = CertificateDer::from(certificate.der());
        let end = webpki::EndEntityCert::try_from(&end_der)
            .map_err(|_| CertError::Malformed("not a valid X.509 certificate".into()))?;
        let root_ders: Vec<CertificateDer<'_>> = self
            .roots
            .iter()
            .map(|root| CertificateDer::from(root.der()))
            .collect();
        let anchors: Vec<_> = root_ders
            .iter()
            .filter_map(|der| webpki::anchor_from_trusted_cert(der).ok())
            .collect();
        let intermediates: Vec<CertificateDer<'_>> = self
            .intermediates
            .iter()
            .map(|c| CertificateDer::from(c.der()))
            .collect();
        let crls: Vec<&CertRevocationList<'_>> = self.crls.iter().collect();
        let revocation = RevocationOptionsBuilder::new(&crls).ok().map(|options| {
            options
                .with_depth(RevocationCheckDepth::Chain)
                .with_status_policy(UnknownStatusPolicy::Allow)
                .with_expiration_policy(ExpirationPolicy::Ignore)
                .build()
        });
        let time = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(now).unwrap_or(0)));
        end.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &intermediates,
            time,
            AnyPurpose,
            revocation,
            None,
        )
        .map_err(chain_error)?;
        certificate.check_sign_in_usage()
    }
}

fn list_files(dir: &Path) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_file() {
            continue;
        }
        files.push((name, entry.path()));
    }
    files.sort();
    Ok(files)
}

/// Extended key usage is checked on the certificate itself
/// ([`Certificate::check_sign_in_usage`]), not on its issuers.
struct AnyPurpose;

impl ExtendedKeyUsageValidator for AnyPurpose {
    fn validate(&self, _purposes: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        Ok(())
    }
}

#[allow(deprecated)]
fn chain_error(error: webpki::Error) -> CertError {
    use webpki::Error as E;
    match error {
        E::UnknownIssuer => CertError::UntrustedRoot,
        E::CertExpired { .. } => CertError::Expired,
        E::CertNotValidYet { .. } => CertError::NotYetValid,
        E::InvalidSignatureForPublicKey
        | E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => CertError::BadSignature,
        E::CertRevoked => CertError::Revoked,
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => CertError::WrongKeyUsage,
        E::NameConstraintViolation => CertError::NameConstraint,
        E::CaUsedAsEndEntity => {
            CertError::Invalid("a CA certificate cannot sign a person in".into())
        }
        E::EndEntityUsedAsCa | E::PathLenConstraintViolated => {
            CertError::Invalid("an issuer in the chain may not issue certificates".into())
        }
        other => CertError::Invalid(format!("{other}")),
    }
}
