//! Certificate authorities, certificates and CRLs made on the fly for tests (rcgen), and
//! decryption of an envelope with the `openssl cms` command, as a holder of the key would.

pub use rcgen::{ExtendedKeyUsagePurpose, KeyUsagePurpose};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType, DnValue, IsCa,
    Issuer, KeyIdMethod, KeyPair, RevokedCertParams, SerialNumber,
};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use time::{Duration, OffsetDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    P256,
}

fn key_pair(kind: KeyKind) -> KeyPair {
    let made = match kind {
        KeyKind::Rsa => KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256),
        KeyKind::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
    };
    made.expect("a test key is generated")
}

static SERIAL: AtomicU64 = AtomicU64::new(1);

fn next_serial() -> SerialNumber {
    let n = SERIAL.fetch_add(1, Ordering::Relaxed) + 0x1000;
    SerialNumber::from_slice(&n.to_be_bytes())
}

/// A certificate authority: a root, or an intermediate when made by [`TestCa::intermediate`].
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pub pem: String,
    pub der: Vec<u8>,
}

impl TestCa {
    /// A root with a P-256 key, valid from yesterday for ten years.
    pub fn root(name: &str) -> Self {
        let key = key_pair(KeyKind::P256);
        let params = ca_params(name);
        let cert = params.self_signed(&key).expect("a test root is signed");
        Self::made(params, key, cert)
    }

    /// An intermediate CA under this one.
    pub fn intermediate(&self, name: &str) -> Self {
        let key = key_pair(KeyKind::P256);
        let params = ca_params(name);
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("a test intermediate is signed");
        Self::made(params, key, cert)
    }

    fn made(params: CertificateParams, key: KeyPair, cert: rcgen::Certificate) -> Self {
        Self {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            issuer: Issuer::new(params, key),
        }
    }

    pub fn issue(&self, leaf: Leaf) -> TestCert {
        let key = key_pair(leaf.kind);
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::default();
        params.serial_number = Some(next_serial());
        params.not_before = now + Duration::days(leaf.starts_in_days);
        params.not_after = now + Duration::days(leaf.ends_in_days);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = leaf.key_usages.clone();
        params.extended_key_usages = leaf.extended_key_usages.clone();
        params.use_authority_key_identifier_extension = true;
        let dn = &mut params.distinguished_name;
        dn.push(DnType::CommonName, leaf.common_name.clone());
        let custom = |oid: &[u64], value: &str| {
            (
                DnType::CustomDnType(oid.to_vec()),
                DnValue::PrintableString(value.try_into().expect("a printable identifier")),
            )
        };
        if let Some(inn) = &leaf.inn {
            let (ty, value) = custom(&[1, 2, 643, 3, 131, 1, 1], inn);
            dn.push(ty, value);
        }
        if let Some(snils) = &leaf.snils {
            let (ty, value) = custom(&[1, 2, 643, 100, 3], snils);
            dn.push(ty, value);
        }
        if let Some(ogrn) = &leaf.ogrn {
            let (ty, value) = custom(&[1, 2, 643, 100, 1], ogrn);
            dn.push(ty, value);
        }
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("a test leaf is signed");
        TestCert {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            key_pem: key.serialize_pem(),
            serial: params.serial_number.clone().expect("set above"),
        }
    }

    /// A PEM CRL of this CA that revokes `revoked`.
    pub fn crl(&self, revoked: &[&TestCert]) -> String {
        let now = OffsetDateTime::now_utc();
        let params = CertificateRevocationListParams {
            this_update: now - Duration::hours(1),
            next_update: now + Duration::days(7),
            crl_number: next_serial(),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|cert| RevokedCertParams {
                    serial_number: cert.serial.clone(),
                    revocation_time: now - Duration::minutes(5),
                    reason_code: None,
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        params
            .signed_by(&self.issuer)
            .expect("a test CRL is signed")
            .pem()
            .expect("a test CRL is PEM")
    }
}

fn ca_params(name: &str) -> CertificateParams {
    let now = OffsetDateTime::now_utc();
    let mut params = CertificateParams::default();
    params.serial_number = Some(next_serial());
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(3650);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.distinguished_name.push(DnType::CommonName, name);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Propusk tests");
    params
}

/// What a leaf certificate is made with; [`Leaf::new`] gives a valid one.
#[derive(Clone, Debug)]
pub struct Leaf {
    pub kind: KeyKind,
    pub common_name: String,
    pub inn: Option<String>,
    pub snils: Option<String>,
    pub ogrn: Option<String>,
    /// Days from now; negative for the past.
    pub starts_in_days: i64,
    pub ends_in_days: i64,
    pub key_usages: Vec<KeyUsagePurpose>,
    pub extended_key_usages: Vec<ExtendedKeyUsagePurpose>,
}

impl Leaf {
    pub fn new(kind: KeyKind, common_name: &str) -> Self {
        Self {
            kind,
            common_name: common_name.to_owned(),
            inn: None,
            snils: None,
            ogrn: None,
            starts_in_days: -1,
            ends_in_days: 365,
            key_usages: vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
                KeyUsagePurpose::KeyAgreement,
            ],
            extended_key_usages: vec![
                ExtendedKeyUsagePurpose::ClientAuth,
                ExtendedKeyUsagePurpose::EmailProtection,
            ],
        }
    }

    pub fn with_ids(mut self, inn: &str, snils: &str) -> Self {
        self.inn = Some(inn.to_owned());
        self.snils = Some(snils.to_owned());
        self
    }

    pub fn valid_days(mut self, starts_in: i64, ends_in: i64) -> Self {
        self.starts_in_days = starts_in;
        self.ends_in_days = ends_in;
        self
    }
}

/// A leaf certificate with its private key.
pub struct TestCert {
    pub pem: String,
    pub der: Vec<u8>,
    /// PKCS #8 PEM.
    pub key_pem: String,
    serial: SerialNumber,
}

impl TestCert {
    /// Opens a DER CMS EnvelopedData with `openssl cms -decrypt`, as the key holder would.
    pub fn decrypt_with_openssl(&self, envelope: &[u8]) -> Result<Vec<u8>, String> {
        let dir = scratch_dir();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            std::fs::write(&path, bytes)
                .map(|_| path)
                .map_err(|e| e.to_string())
        };
        let cms = write("challenge.der", envelope)?;
        let key = write("key.pem", self.key_pem.as_bytes())?;
        let cert = write("cert.pem", self.pem.as_bytes())?;
        let output = std::process::Command::new("openssl")
            .args(["cms", "-decrypt", "-inform", "DER", "-in"])
            .arg(&cms)
            .arg("-inkey")
            .arg(&key)
            .arg("-recip")
            .arg(&cert)
            .output()
            .map_err(|e| format!("openssl did not run: {e}"))?;
        let _ = std::fs::remove_dir_all(&dir);
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        Ok(output.stdout)
    }
}

impl TestCert {
    /// A detached DER CMS SignedData over `content` made with `openssl cms -sign`.
    pub fn sign_with_openssl(&self, content: &[u8]) -> Result<Vec<u8>, String> {
        let dir = scratch_dir();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            std::fs::write(&path, bytes)
                .map(|_| path)
                .map_err(|e| e.to_string())
        };
        let data = write("challenge.bin", content)?;
        let key = write("key.pem", self.key_pem.as_bytes())?;
        let cert = write("cert.pem", self.pem.as_bytes())?;
        let output = std::process::Command::new("openssl")
            .args(["cms", "-sign", "-binary", "-outform", "DER", "-in"])
            .arg(&data)
            .arg("-signer")
            .arg(&cert)
            .arg("-inkey")
            .arg(&key)
            .output()
            .map_err(|e| format!("openssl did not run: {e}"))?;
        let _ = std::fs::remove_dir_all(&dir);
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        Ok(output.stdout)
    }
}

fn scratch_dir() -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "propusk-pki-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a scratch folder is made");
    dir
}
