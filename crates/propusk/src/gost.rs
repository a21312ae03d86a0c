//! With the `gost` feature, GOST certificates go through the system OpenSSL and its GOST
//! engine, which OpenSSL loads only from the configuration `OPENSSL_CONF` names, read
//! once when the library starts. When the operator did not set it, the binary writes
//! that configuration into a new private folder and starts itself again with
//! `OPENSSL_CONF` pointing there (the environment of a running process cannot be
//! changed safely); the new process loads OpenSSL at once and removes the folder. When
//! `OPENSSL_CONF` is set but has no GOST engine, a warning says that GOST certificates
//! will be refused.

use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::process::ExitCode;

/// Names the folder the parent process wrote, for the new process to remove.
const WRITTEN_DIR: &str = "PROPUSK_GOST_OPENSSL_DIR";
const DIR_PREFIX: &str = "propusk-openssl-";

/// `None` to go on; `Some(code)` when the process could not start again.
pub fn configure_openssl() -> Option<ExitCode> {
    if std::env::var_os("OPENSSL_CONF").is_some() {
        // OpenSSL reads its configuration now, once for the life of the process.
        if let Err(why) = propusk_certs::gost::engine_ready() {
            eprintln!("warning: {why}; GOST certificates will be refused");
        }
        remove_written_dir();
        return None;
    }
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir =
        std::env::temp_dir().join(format!("propusk-openssl-{}-{started}", std::process::id()));
    let path = dir.join("openssl-gost.cnf");
    let written = std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .and_then(|()| std::fs::write(&path, propusk_certs::gost::OPENSSL_CONF_TEXT));
    if let Err(e) = written {
        eprintln!("error: cannot write the OpenSSL configuration for GOST: {e}");
        return Some(ExitCode::FAILURE);
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("error: cannot find the running binary to load the GOST engine: {e}");
            return Some(ExitCode::FAILURE);
        }
    };
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OPENSSL_CONF", &path)
        .env(WRITTEN_DIR, &dir)
        .exec();
    eprintln!("error: cannot start again with OPENSSL_CONF for GOST: {error}");
    Some(ExitCode::FAILURE)
}

/// Removes the folder the parent wrote the configuration into, once OpenSSL has read it.
fn remove_written_dir() {
    let Some(dir) = std::env::var_os(WRITTEN_DIR).map(std::path::PathBuf::from) else {
        return;
    };
    let ours = dir.parent() == Some(std::env::temp_dir().as_path())
        && dir
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.starts_with(DIR_PREFIX));
    if ours {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
