//! The certificate trust in force: the operator's roots, intermediates and CRLs, read
//! from a folder and replaced whole when its files change, so that a new CA or CRL takes
//! effect without a restart. Kept apart from the sign-in flow so that the provider holds
//! it without importing the flow.

use propusk_certs::TrustStore;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

type DirSignature = Vec<(String, u64, Option<std::time::SystemTime>)>;

/// The trust in force, replaced whole when the folder changes.
#[derive(Debug, Default)]
pub struct CertificateTrust {
    dir: Option<PathBuf>,
    current: RwLock<Arc<TrustStore>>,
    seen: Mutex<Option<DirSignature>>,
}

impl CertificateTrust {
    /// Trust read from `dir` now; read again by [`CertificateTrust::reload_if_changed`].
    pub fn from_dir(dir: &Path) -> std::io::Result<Self> {
        let trust = Self {
            dir: Some(dir.to_owned()),
            ..Self::default()
        };
        trust.reload_if_changed()?;
        Ok(trust)
    }

    /// Fixed trust (tests, or no folder configured).
    pub fn fixed(store: TrustStore) -> Self {
        Self {
            current: RwLock::new(Arc::new(store)),
            ..Self::default()
        }
    }

    pub fn current(&self) -> Arc<TrustStore> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `store` in force at once (tests; a folder, if any, still wins when it changes).
    pub fn replace(&self, store: TrustStore) {
        let fresh = Arc::new(store);
        match self.current.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Reads the folder again when its files changed (names, sizes, change times);
    /// true when it did.
    pub fn reload_if_changed(&self) -> std::io::Result<bool> {
        let Some(dir) = &self.dir else {
            return Ok(false);
        };
        let signature = TrustStore::dir_signature(dir)?;
        let mut seen = match self.seen.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if seen.as_ref() == Some(&signature) {
            return Ok(false);
        }
        let store = TrustStore::load_dir(dir)?;
        for (file, reason) in store.skipped() {
            tracing::warn!(
                file,
                reason,
                "a file of the certificate trust folder was skipped"
            );
        }
        tracing::info!(
            roots = store.roots().len(),
            intermediates = store.intermediates().len(),
            crls = store.crl_count(),
            "certificate trust loaded"
        );
        self.replace(store);
        *seen = Some(signature);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use propusk_certs::test_pki::TestCa;

    #[test]
    fn the_folder_is_read_again_when_it_changes() {
        let dir = std::env::temp_dir().join(format!("propusk-trust-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let trust = CertificateTrust::from_dir(&dir).expect("a missing folder is empty");
        assert!(trust.current().roots().is_empty());
        std::fs::create_dir_all(&dir).expect("folder");
        std::fs::write(dir.join("root.pem"), TestCa::root("Root").pem).expect("write");
        std::fs::write(dir.join("notes.txt"), "not a certificate").expect("write");
        assert!(trust.reload_if_changed().expect("reload"));
        assert_eq!(trust.current().roots().len(), 1);
        assert_eq!(trust.current().skipped().len(), 1);
        assert!(!trust.reload_if_changed().expect("unchanged"));
        std::fs::remove_file(dir.join("root.pem")).expect("remove");
        assert!(trust.reload_if_changed().expect("reload"));
        assert!(trust.current().roots().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
