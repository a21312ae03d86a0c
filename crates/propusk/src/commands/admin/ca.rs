//! `propusk admin ca add|list|remove`: the files of `[certificates] trust_dir`. Each
//! trusted certificate is kept as `<THUMBPRINT>.pem`, each CRL as `crl-<SHA-1>.crl`
//! (DER); running nodes notice the change and read the folder again.

use crate::cli::CaCommand;
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_certs::{Certificate, TrustStore, TrustedFile, normalize_thumbprint, sha1_hex};
use serde::Serialize;
use std::path::Path;

pub fn run(command: CaCommand, settings: &Settings) -> CliResult<()> {
    let dir = settings.trust_dir.as_path();
    match command {
        CaCommand::Add { file, out } => add(dir, &file, out.json),
        CaCommand::List { out } => list(dir, out.json),
        CaCommand::Remove { what, out } => remove(dir, &what, out.json),
    }
}

#[derive(Serialize)]
struct CaView {
    thumbprint: String,
    role: &'static str,
    subject: String,
    issuer: String,
    not_after: i64,
}

fn view(certificate: &Certificate) -> CaView {
    CaView {
        thumbprint: certificate.thumbprint(),
        role: if certificate.is_self_issued() {
            "root"
        } else {
            "intermediate"
        },
        subject: certificate.subject(),
        issuer: certificate.issuer(),
        not_after: certificate.not_after(),
    }
}

fn read_trusted(file: &Path) -> CliResult<TrustedFile> {
    let bytes =
        std::fs::read(file).map_err(|e| CliError::io(format!("reading {}", file.display()), e))?;
    TrustedFile::parse(&bytes).map_err(|e| CliError::Invalid(format!("{}: {e}", file.display())))
}

fn add(dir: &Path, file: &Path, json: bool) -> CliResult<()> {
    let trusted = read_trusted(file)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::io(format!("creating {}", dir.display()), e))?;
    let mut added = Vec::new();
    for certificate in &trusted.certificates {
        let pem = certificate.pem();
        write(
            dir,
            &format!("{}.pem", certificate.thumbprint()),
            pem.as_bytes(),
        )?;
        added.push(view(certificate));
    }
    for crl in &trusted.crls {
        write(dir, &format!("crl-{}.crl", sha1_hex(crl)), crl)?;
    }
    if json {
        return output::json(&added);
    }
    for ca in &added {
        println!("trusted {} {} ({})", ca.role, ca.thumbprint, ca.subject);
    }
    if !trusted.crls.is_empty() {
        println!("{} CRL(s) added", trusted.crls.len());
    }
    Ok(())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> CliResult<()> {
    let path = dir.join(name);
    let staged = dir.join(format!(".{name}.new"));
    std::fs::write(&staged, bytes)
        .and_then(|()| std::fs::rename(&staged, &path))
        .map_err(|e| CliError::io(format!("writing {}", path.display()), e))
}

fn load(dir: &Path) -> CliResult<TrustStore> {
    TrustStore::load_dir(dir).map_err(|e| CliError::io(format!("reading {}", dir.display()), e))
}

#[derive(Serialize)]
struct Listing {
    certificates: Vec<CaView>,
    crls: usize,
    skipped: Vec<(String, String)>,
}

fn list(dir: &Path, json: bool) -> CliResult<()> {
    let store = load(dir)?;
    let listing = Listing {
        certificates: store
            .roots()
            .iter()
            .chain(store.intermediates())
            .map(view)
            .collect(),
        crls: store.crl_count(),
        skipped: store.skipped().to_vec(),
    };
    if json {
        return output::json(&listing);
    }
    let rows: Vec<Vec<String>> = listing
        .certificates
        .iter()
        .map(|c| {
            vec![
                c.thumbprint.clone(),
                c.role.to_owned(),
                c.subject.clone(),
                c.not_after.to_string(),
            ]
        })
        .collect();
    output::table(&["THUMBPRINT", "ROLE", "SUBJECT", "NOT_AFTER"], &rows);
    println!("{} CRL(s) in {}", listing.crls, dir.display());
    for (file, reason) in &listing.skipped {
        println!("skipped {file}: {reason}");
    }
    Ok(())
}

fn remove(dir: &Path, what: &str, json: bool) -> CliResult<()> {
    let wanted: Vec<String> = match normalize_thumbprint(what) {
        Some(thumbprint) if !Path::new(what).exists() => vec![thumbprint],
        _ => read_trusted(Path::new(what))?
            .certificates
            .iter()
            .map(Certificate::thumbprint)
            .collect(),
    };
    let mut removed = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::io(format!("reading {}", dir.display()), e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(file) = TrustedFile::parse(&bytes) else {
            continue;
        };
        if file
            .certificates
            .iter()
            .any(|c| wanted.contains(&c.thumbprint()))
        {
            std::fs::remove_file(&path)
                .map_err(|e| CliError::io(format!("removing {}", path.display()), e))?;
            removed.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    if removed.is_empty() {
        return Err(CliError::NotFound(format!(
            "no trusted certificate {what} in {}",
            dir.display()
        )));
    }
    if json {
        return output::json(&removed);
    }
    for name in removed {
        println!("removed {name}");
    }
    Ok(())
}
