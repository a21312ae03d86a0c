//! User codes of the device flow (RFC 8628 §6.1): eight characters from an alphabet of
//! consonants without look-alikes (no vowels, so no words; no `0/O`, `1/I/L`), about 34
//! bits of entropy. Entry is case and dash insensitive; spaces are ignored too.

use crate::crypto::Rng;

/// Twenty consonants that are hard to confuse when read aloud or typed.
pub const ALPHABET: &[u8; 20] = b"BCDFGHJKMNPQRSTVWXZY";
pub const LENGTH: usize = 8;

/// A fresh user code, e.g. `BDWPHQPK`. Rejection sampling keeps every letter equally likely.
pub fn generate(rng: &dyn Rng) -> String {
    let mut out = String::with_capacity(LENGTH);
    let limit = 256 - (256 % ALPHABET.len());
    while out.len() < LENGTH {
        let mut byte = [0u8; 1];
        rng.fill(&mut byte);
        let value = usize::from(byte[0]);
        if value < limit {
            out.push(char::from(ALPHABET[value % ALPHABET.len()]));
        }
    }
    out
}

/// The canonical form of what a user typed: upper case, dashes and spaces dropped.
/// `None` when it cannot be a user code (wrong length or a letter outside the alphabet).
pub fn normalize(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(code)
}

/// `BDWP-HQPK`: how the code is shown to people.
pub fn display(code: &str) -> String {
    match code.split_at_checked(LENGTH / 2) {
        Some((a, b)) if code.len() == LENGTH => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SystemRng;

    #[test]
    fn generated_codes_use_the_alphabet() {
        for _ in 0..50 {
            let code = generate(&SystemRng);
            assert_eq!(code.len(), LENGTH);
            assert_eq!(normalize(&code).as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn entry_is_case_and_dash_insensitive() {
        assert_eq!(normalize("bdwp-hqpk").as_deref(), Some("BDWPHQPK"));
        assert_eq!(normalize(" BdWp HqPk ").as_deref(), Some("BDWPHQPK"));
        assert_eq!(normalize("BDWPHQP"), None);
        assert_eq!(normalize("BDWPHQP0"), None, "look-alike digit");
        assert_eq!(normalize("BDWPHQPA"), None, "vowel");
        assert_eq!(display("BDWPHQPK"), "BDWP-HQPK");
    }
}
