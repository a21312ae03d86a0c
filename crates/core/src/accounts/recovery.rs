//! Recovery codes: ten single-use codes shown once when a second factor is turned on
//! (or renewed), stored as keyed hashes. A code is 10 characters of an unambiguous
//! alphabet (about 50 bits), shown as `XXXXX-XXXXX`; typing is forgiving about case,
//! spaces and dashes.

use super::{Accounts, RecoveryCode};
use crate::error::Result;

pub const COUNT: usize = 10;
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The canonical form of a typed code: upper case, alphabet characters only.
pub fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Accounts {
    fn recovery_hash(&self, account_id: &str, code: &str) -> String {
        self.provider.hasher.hash(&format!(
            "recovery\u{1f}{account_id}\u{1f}{}",
            normalize(code)
        ))
    }

    /// Replaces the account's recovery codes with ten new ones; returns them for display.
    pub(crate) async fn issue_recovery_codes(&self, account_id: &str) -> Result<Vec<String>> {
        let p = &self.provider;
        let now = p.now();
        let mut shown = Vec::with_capacity(COUNT);
        let mut stored = Vec::with_capacity(COUNT);
        for _ in 0..COUNT {
            let bytes: [u8; 10] = crate::crypto::random_bytes(p.rng.as_ref());
            let code: String = bytes
                .iter()
                .map(|b| ALPHABET[(b & 31) as usize] as char)
                .collect();
            stored.push(RecoveryCode {
                account_id: account_id.to_owned(),
                code_hash: self.recovery_hash(account_id, &code),
                created_at: now,
                used_at: None,
            });
            shown.push(format!("{}-{}", &code[..5], &code[5..]));
        }
        p.store.replace_recovery_codes(account_id, &stored).await?;
        Ok(shown)
    }

    /// Uses a recovery code; false when it is unknown or used.
    pub(crate) async fn use_recovery_code(&self, account_id: &str, code: &str) -> Result<bool> {
        let p = &self.provider;
        Ok(p.store
            .use_recovery_code(account_id, &self.recovery_hash(account_id, code), p.now())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_forgiving() {
        assert_eq!(normalize(" abcde-fgh23 "), "ABCDEFGH23");
    }
}
