//! GOST R 34.10-2012 certificate authorities, certificates and CRLs for tests, made with
//! the `openssl` command and its GOST engine (Debian: `libengine-gost-openssl`), as an
//! accredited CA's tools would; and the holder's side: `openssl cms -decrypt` and
//! `openssl cms -sign` with the engine. Every command runs with `OPENSSL_CONF` naming a
//! configuration of the CA's own folder that loads the engine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use time::{Duration, OffsetDateTime};

/// The size of a GOST R 34.10-2012 key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GostKey {
    /// 256 bit key, Streebog-256.
    Gost256,
    /// 512 bit key, Streebog-512.
    Gost512,
}

impl GostKey {
    fn algorithm(self) -> &'static str {
        match self {
            Self::Gost256 => "gost2012_256",
            Self::Gost512 => "gost2012_512",
        }
    }
}

/// Whether the `openssl` command has the GOST engine.
pub fn engine_available() -> bool {
    let Ok(dir) = scratch() else {
        return false;
    };
    let conf = dir.join("engine.cnf");
    let ok = std::fs::write(&conf, CA_CONF.replace("@DIR@", &dir.to_string_lossy())).is_ok()
        && Command::new("openssl")
            .args(["list", "-digest-algorithms"])
            .env("OPENSSL_CONF", &conf)
            .output()
            .is_ok_and(|out| {
                out.status.success() && String::from_utf8_lossy(&out.stdout).contains("gost")
            });
    let _ = std::fs::remove_dir_all(&dir);
    ok
}

/// The engine, and an `openssl ca` set-up (its own folder, index and serial files).
const CA_CONF: &str = "\
openssl_conf = openssl_def

[openssl_def]
engines = engine_section

[engine_section]
gost = gost_section

[gost_section]
engine_id = gost
default_algorithms = ALL

[req]
distinguished_name = req_dn
x509_extensions = v3_ca
utf8 = yes

[req_dn]

[ca]
default_ca = ca_default

[ca_default]
dir = @DIR@
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = default
default_days = 365
default_crl_days = 7
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[policy_any]
commonName = supplied

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash

[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment, keyAgreement
extendedKeyUsage = clientAuth, emailProtection

[leaf_no_client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign
";

/// A GOST root CA in its own folder (removed when dropped).
pub struct GostCa {
    dir: PathBuf,
    pub pem: String,
    pub der: Vec<u8>,
}

/// What a GOST leaf is made with; [`GostLeaf::new`] gives a valid one.
#[derive(Clone, Debug)]
pub struct GostLeaf {
    pub key: GostKey,
    pub common_name: String,
    pub inn: Option<String>,
    pub snils: Option<String>,
    /// Days from now; negative for the past.
    pub starts_in_days: i64,
    pub ends_in_days: i64,
    /// Key usage that does not allow signing in (only certificate signing).
    pub wrong_usage: bool,
}

impl GostLeaf {
    pub fn new(key: GostKey, common_name: &str) -> Self {
        Self {
            key,
            common_name: common_name.to_owned(),
            inn: None,
            snils: None,
            starts_in_days: -1,
            ends_in_days: 365,
            wrong_usage: false,
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

    pub fn wrong_usage(mut self) -> Self {
        self.wrong_usage = true;
        self
    }
}

/// A GOST leaf certificate with its private key.
#[derive(Clone, Debug)]
pub struct GostCert {
    pub pem: String,
    pub der: Vec<u8>,
    /// PKCS #8 PEM (the engine's key format).
    pub key_pem: String,
}

fn scratch() -> std::io::Result<PathBuf> {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "propusk-gost-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs `openssl ARGS` with `OPENSSL_CONF=conf` in `dir`; its standard output.
fn openssl(dir: &Path, conf: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .env("OPENSSL_CONF", conf)
        .output()
        .map_err(|e| format!("openssl did not run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "openssl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output.stdout)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn der_of(dir: &Path, conf: &Path, pem: &str) -> Vec<u8> {
    openssl(dir, conf, &["x509", "-in", pem, "-outform", "DER"]).expect("DER of a test cert")
}

/// `openssl ca` dates: YYYYMMDDHHMMSSZ.
fn ca_date(days_from_now: i64) -> String {
    let at = OffsetDateTime::now_utc() + Duration::days(days_from_now);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

impl GostCa {
    /// A self-signed root with a 256 bit GOST key, valid from yesterday for ten years.
    pub fn root(name: &str) -> Self {
        let dir = scratch().expect("a scratch folder is made");
        let conf = dir.join("ca.cnf");
        std::fs::write(&conf, CA_CONF.replace("@DIR@", &dir.to_string_lossy()))
            .expect("the CA configuration is written");
        std::fs::write(dir.join("index.txt"), "").expect("index");
        std::fs::write(dir.join("serial"), "1000\n").expect("serial");
        std::fs::write(dir.join("crlnumber"), "1000\n").expect("crlnumber");
        let subject = format!("/CN={name}/O=Propusk tests");
        openssl(
            &dir,
            &conf,
            &[
                "req",
                "-new",
                "-newkey",
                "gost2012_256",
                "-pkeyopt",
                "paramset:A",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.csr",
                "-subj",
                &subject,
            ],
        )
        .expect("a GOST root key is made (is libengine-gost-openssl installed?)");
        // Self-signed by `openssl ca`, which takes a start date: valid from yesterday, so
        // that a clock read before the root was made is inside its validity.
        let (start, end) = (ca_date(-1), ca_date(3650));
        openssl(
            &dir,
            &conf,
            &[
                "ca",
                "-batch",
                "-config",
                &conf.to_string_lossy(),
                "-selfsign",
                "-keyfile",
                "ca.key",
                "-in",
                "ca.csr",
                "-out",
                "ca.pem",
                "-extensions",
                "v3_ca",
                "-preserveDN",
                "-notext",
                "-startdate",
                &start,
                "-enddate",
                &end,
            ],
        )
        .expect("a GOST root is self-signed");
        let pem = read(dir.join("ca.pem"));
        let der = der_of(&dir, &conf, "ca.pem");
        Self { dir, pem, der }
    }

    fn conf(&self) -> PathBuf {
        self.dir.join("ca.cnf")
    }

    /// A leaf issued by this CA with `openssl ca`.
    pub fn issue(&self, leaf: GostLeaf) -> GostCert {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let (key, csr, cert) = (
            format!("leaf{n}.key"),
            format!("leaf{n}.csr"),
            format!("leaf{n}.pem"),
        );
        let conf = self.conf();
        let mut subject = format!("/CN={}", leaf.common_name);
        if let Some(inn) = &leaf.inn {
            subject.push_str(&format!("/INN={inn}"));
        }
        if let Some(snils) = &leaf.snils {
            subject.push_str(&format!("/SNILS={snils}"));
        }
        openssl(
            &self.dir,
            &conf,
            &[
                "req",
                "-new",
                "-newkey",
                leaf.key.algorithm(),
                "-pkeyopt",
                "paramset:A",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &csr,
                "-subj",
                &subject,
            ],
        )
        .expect("a GOST key and request are made");
        let extensions = if leaf.wrong_usage {
            "leaf_no_client"
        } else {
            "leaf"
        };
        let (start, end) = (ca_date(leaf.starts_in_days), ca_date(leaf.ends_in_days));
        openssl(
            &self.dir,
            &conf,
            &[
                "ca",
                "-batch",
                "-config",
                &conf.to_string_lossy(),
                "-preserveDN",
                "-notext",
                "-in",
                &csr,
                "-out",
                &cert,
                "-extensions",
                extensions,
                "-startdate",
                &start,
                "-enddate",
                &end,
            ],
        )
        .expect("a GOST leaf is issued");
        GostCert {
            pem: read(self.dir.join(&cert)),
            der: der_of(&self.dir, &conf, &cert),
            key_pem: read(self.dir.join(&key)),
        }
    }

    /// A PEM CRL of this CA that revokes `revoked` (and what it revoked before).
    pub fn crl(&self, revoked: &[&GostCert]) -> String {
        let conf = self.conf();
        let conf_arg = conf.to_string_lossy().into_owned();
        for (n, cert) in revoked.iter().enumerate() {
            let file = format!("revoke{n}.pem");
            std::fs::write(self.dir.join(&file), &cert.pem).expect("write");
            openssl(
                &self.dir,
                &conf,
                &["ca", "-config", &conf_arg, "-revoke", &file],
            )
            .expect("a GOST certificate is revoked");
        }
        openssl(
            &self.dir,
            &conf,
            &["ca", "-config", &conf_arg, "-gencrl", "-out", "crl.pem"],
        )
        .expect("a GOST CRL is made");
        read(self.dir.join("crl.pem"))
    }
}

impl Drop for GostCa {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl GostCert {
    fn files(&self, extra: (&str, &[u8])) -> Result<PathBuf, String> {
        let dir = scratch().map_err(|e| e.to_string())?;
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(dir.join(name), bytes).map_err(|e| e.to_string())
        };
        write("key.pem", self.key_pem.as_bytes())?;
        write("cert.pem", self.pem.as_bytes())?;
        write(extra.0, extra.1)?;
        write(
            "engine.cnf",
            CA_CONF.replace("@DIR@", &dir.to_string_lossy()).as_bytes(),
        )?;
        Ok(dir)
    }

    /// Opens a DER CMS EnvelopedData with `openssl cms -decrypt` and the engine.
    pub fn decrypt_with_openssl(&self, envelope: &[u8]) -> Result<Vec<u8>, String> {
        let dir = self.files(("challenge.der", envelope))?;
        let args = [
            "cms",
            "-decrypt",
            "-inform",
            "DER",
            "-in",
            "challenge.der",
            "-inkey",
            "key.pem",
            "-recip",
            "cert.pem",
        ];
        let out = openssl(&dir, &dir.join("engine.cnf"), &args);
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    /// A detached DER CMS SignedData over `content` made with `openssl cms -sign`.
    pub fn sign_with_openssl(&self, content: &[u8]) -> Result<Vec<u8>, String> {
        let dir = self.files(("challenge.bin", content))?;
        let args = [
            "cms",
            "-sign",
            "-binary",
            "-outform",
            "DER",
            "-in",
            "challenge.bin",
            "-signer",
            "cert.pem",
            "-inkey",
            "key.pem",
        ];
        let out = openssl(&dir, &dir.join("engine.cnf"), &args);
        let _ = std::fs::remove_dir_all(&dir);
        out
    }
}
