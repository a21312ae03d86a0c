//! With the `gost` feature, GOST certificates go through the system OpenSSL and its GOST
//! engine, which OpenSSL loads only from the configuration `OPENSSL_CONF` names, read
//! once when the library starts. When the operator did not set it, the binary writes
//! that configuration into a new private folder and starts itself again with
//! `OPENSSL_CONF` pointing there (the environment of a running process cannot be
//! changed safely); when it is set but has no GOST engine, a warning says that GOST
//! certificates will be refused.

use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::process::ExitCode;

/// `None` to go on; `Some(code)` when the process could not start again.
pub fn configure_openssl() -> Option<ExitCode> {
    if std::env::var_os("OPENSSL_CONF").is_some() {
        if let Err(why) = propusk_certs::gost::engine_ready() {
            eprintln!("warning: {why}; GOST certificates will be refused");
        }
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
        .exec();
    eprintln!("error: cannot start again with OPENSSL_CONF for GOST: {error}");
    Some(ExitCode::FAILURE)
}
