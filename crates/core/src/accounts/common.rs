//! The list of common and breached passwords that ships with the binary
//! (`crates/core/data/common-passwords.bin`, made by `scripts/common-passwords` from the
//! most frequent passwords of the SecLists "Common-Credentials" lists). Each entry is the
//! first 4 bytes of SHA-256 of the lower-cased password, sorted, big-endian: a lookup is
//! a binary search over the embedded bytes (well under a microsecond). A false match
//! (about 1 in 20,000 random passwords) only asks the user for another password.

use crate::crypto::sha256;

static LIST: &[u8] = include_bytes!("../../data/common-passwords.bin");

/// How many passwords the list holds.
pub fn common_password_count() -> usize {
    LIST.len() / 4
}

fn entry(index: usize) -> u32 {
    let at = index * 4;
    u32::from_be_bytes([LIST[at], LIST[at + 1], LIST[at + 2], LIST[at + 3]])
}

/// Whether `password` (compared case-insensitively) is on the list.
pub fn is_common_password(password: &str) -> bool {
    let digest = sha256(password.to_lowercase().as_bytes());
    let wanted = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    let (mut low, mut high) = (0, common_password_count());
    while low < high {
        let middle = low + (high - low) / 2;
        match entry(middle).cmp(&wanted) {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_large_and_sorted() {
        assert!(common_password_count() >= 100_000);
        assert!((1..common_password_count()).all(|i| entry(i - 1) < entry(i)));
    }

    #[test]
    fn common_passwords_are_found_in_any_case() {
        for password in [
            "123456",
            "password",
            "qwerty123",
            "iloveyou",
            "PassWord1",
            "Qwertyuiop",
        ] {
            assert!(is_common_password(password), "{password}");
        }
        for password in [
            "correct horse battery staple",
            "Xq7#vLp2!wZr9",
            "пропуск-мой-длинный",
        ] {
            assert!(!is_common_password(password), "{password}");
        }
    }

    #[test]
    fn a_lookup_takes_microseconds() {
        let started = std::time::Instant::now();
        for i in 0..10_000 {
            is_common_password(&format!("candidate-{i}"));
        }
        let each = started.elapsed() / 10_000;
        assert!(each < std::time::Duration::from_micros(50), "{each:?}");
    }
}
