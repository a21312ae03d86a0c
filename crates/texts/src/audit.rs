//! Checks of a catalogue against itself and against the code: keys one language has and
//! another lacks, and keys that templates or sources use but no catalogue defines. Key
//! uses are found by their marks: `t("key"` in templates, `key!("key")` in Rust.

use crate::{Catalogue, Locale};

/// The keys used in `text` (a template or a Rust source).
pub fn key_uses(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for mark in ["t(\"", "key!(\""] {
        let mut rest = text;
        while let Some(at) = rest.find(mark) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + mark.len()..];
            if mark == "t(\"" && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !key.is_empty() && rest[key.len()..].starts_with('"') {
                found.push(key);
            }
        }
    }
    found
}

/// Keys `from` defines and `to` does not.
pub fn missing_in(catalogue: &Catalogue, from: Locale, to: Locale) -> Vec<String> {
    let theirs = catalogue.keys(to);
    catalogue
        .keys(from)
        .into_iter()
        .filter(|k| !theirs.contains(k))
        .collect()
}

/// Used keys that no language of the catalogue defines.
pub fn missing_keys<S: AsRef<str>>(catalogue: &Catalogue, uses: &[S]) -> Vec<String> {
    let mut missing: Vec<String> = uses
        .iter()
        .map(AsRef::as_ref)
        .filter(|k| !catalogue.locales().any(|l| catalogue.has(l, k)))
        .map(str::to_owned)
        .collect();
    missing.sort();
    missing.dedup();
    missing
}
