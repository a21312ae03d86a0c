//! Which new passwords are accepted (NIST SP 800-63B §5.1.1.2): a minimum length
//! (8 by default, configurable), a generous maximum, no composition rules, and a refusal
//! of passwords on the common/breached list or equal to the account's own identifier.

use super::common::is_common_password;
use crate::error::PasswordRejected;

#[derive(Clone, Debug)]
pub struct PasswordPolicy {
    /// Minimum length in characters.
    pub min_length: usize,
    /// Maximum length in characters (hashing cost stays bounded).
    pub max_length: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            max_length: 256,
        }
    }
}

impl PasswordPolicy {
    /// Checks a new password; `identifiers` are the account's login, e-mail and phone.
    pub fn check(&self, password: &str, identifiers: &[&str]) -> Result<(), PasswordRejected> {
        let length = password.chars().count();
        if length < self.min_length {
            return Err(PasswordRejected::TooShort(self.min_length));
        }
        if length > self.max_length {
            return Err(PasswordRejected::TooLong(self.max_length));
        }
        let lowered = password.to_lowercase();
        if identifiers
            .iter()
            .any(|id| !id.is_empty() && id.to_lowercase() == lowered)
        {
            return Err(PasswordRejected::SameAsIdentifier);
        }
        if is_common_password(password) {
            return Err(PasswordRejected::Common);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_list_but_no_composition_rules() {
        let policy = PasswordPolicy::default();
        assert_eq!(
            policy.check("short", &[]),
            Err(PasswordRejected::TooShort(8))
        );
        assert_eq!(
            policy.check("password123", &[]),
            Err(PasswordRejected::Common)
        );
        assert_eq!(policy.check("12345678", &[]), Err(PasswordRejected::Common));
        assert_eq!(
            policy.check("alice@example.com", &["alice@example.com"]),
            Err(PasswordRejected::SameAsIdentifier)
        );
        assert_eq!(policy.check("lowercase only words here", &[]), Ok(()));
        assert_eq!(
            policy.check(&"x".repeat(300), &[]),
            Err(PasswordRejected::TooLong(256))
        );
        let strict = PasswordPolicy {
            min_length: 12,
            ..PasswordPolicy::default()
        };
        assert_eq!(
            strict.check("elevenchars", &[]),
            Err(PasswordRejected::TooShort(12))
        );
    }
}
