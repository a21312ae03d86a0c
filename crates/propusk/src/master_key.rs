//! Obtaining the master key that seals signing keys and keys the token hashes. In
//! embedded mode it is generated on first start into `<data_dir>/master.key` with mode
//! 0600; its value is never printed or logged, only its path.

use crate::config::MasterKeySource;
use crate::error::{CliError, CliResult};
use propusk_core::crypto::{MasterKey, Rng};
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The key named by `source`; the embedded file is created when missing.
pub fn obtain(source: &MasterKeySource, rng: &dyn Rng) -> CliResult<MasterKey> {
    match source {
        MasterKeySource::Inline(key) => Ok(key.clone()),
        MasterKeySource::File(path) => read(path),
        MasterKeySource::Embedded(path) => match read(path) {
            Err(CliError::Io { source, .. }) if source.kind() == ErrorKind::NotFound => {
                generate(path, rng)
            }
            other => other,
        },
    }
}

fn read(path: &Path) -> CliResult<MasterKey> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::io(
            format!("cannot read the master key file {}", path.display()),
            e,
        )
    })?;
    let shared = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
    if shared {
        tracing::warn!(path = %path.display(), "the master key file is readable by others; chmod 600 it");
    }
    MasterKey::parse(&text).map_err(|_| {
        CliError::Config(format!(
            "the master key file {} does not hold a key (64 hex characters or base64 of 32 bytes)",
            path.display()
        ))
    })
}

/// Writes a fresh key with mode 0600; `create_new` so that two processes starting at
/// once cannot overwrite each other's key (the loser reads the winner's).
fn generate(path: &Path, rng: &dyn Rng) -> CliResult<MasterKey> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::io(format!("cannot create {}", dir.display()), e))?;
    }
    let key = MasterKey::generate(rng);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return read(path),
        Err(e) => {
            return Err(CliError::io(
                format!("cannot create the master key file {}", path.display()),
                e,
            ));
        }
    };
    writeln!(file, "{}", key.encode())
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            CliError::io(
                format!("cannot write the master key file {}", path.display()),
                e,
            )
        })?;
    tracing::warn!(
        path = %path.display(),
        "generated a new master key; back this file up: without it the signing keys and stored secrets cannot be used"
    );
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use propusk_core::crypto::SystemRng;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("propusk-mk-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn embedded_key_is_generated_once_with_mode_0600() {
        let dir = temp_dir("embedded");
        let path = dir.join("sub").join("master.key");
        let source = MasterKeySource::Embedded(path.clone());
        let first = obtain(&source, &SystemRng).expect("generate");
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let second = obtain(&source, &SystemRng).expect("read");
        assert_eq!(first.encode(), second.encode());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_named_file_must_exist() {
        let dir = temp_dir("named");
        let source = MasterKeySource::File(dir.join("missing.key"));
        let err = obtain(&source, &SystemRng).expect_err("error");
        assert!(err.to_string().contains("missing.key"), "{err}");
    }

    #[test]
    fn garbage_in_the_file_is_an_error() {
        let dir = temp_dir("garbage");
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("master.key");
        std::fs::write(&path, "not a key").expect("write");
        let err = obtain(&MasterKeySource::Embedded(path), &SystemRng).expect_err("error");
        assert!(err.to_string().contains("does not hold a key"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
