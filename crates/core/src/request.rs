//! Raw request parameters as received in a query string or form body, and the checks
//! every endpoint makes on them. Parameters must not be repeated (RFC 6749 §3.1, §3.2),
//! but for `resource`, which may name several targets (RFC 8707 §2); an empty value
//! counts as absent (§3.1).

use crate::error::{Error, Result};
use std::collections::HashMap;

/// Parameters that may be given more than once (RFC 8707 §2 `resource`).
const REPEATABLE: [&str; 1] = ["resource"];

#[derive(Clone, Debug, Default)]
pub struct Params {
    values: HashMap<String, String>,
    repeated: Vec<String>,
    /// Every pair as received, in order.
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut values = HashMap::new();
        let mut repeated = Vec::new();
        for (name, value) in pairs.iter().cloned() {
            match values.entry(name) {
                std::collections::hash_map::Entry::Occupied(entry)
                    if REPEATABLE.contains(&entry.key().as_str()) => {}
                std::collections::hash_map::Entry::Occupied(entry) => {
                    repeated.push(entry.key().clone())
                }
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(value);
                }
            }
        }
        Self {
            values,
            repeated,
            pairs,
        }
    }

    /// Every non-empty value of a parameter that may repeat, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every pair as received.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Whether the parameter is present at all, even empty.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value, or None when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Fails when the parameter was given more than once.
    pub fn single(&self, name: &str) -> Result<Option<&str>> {
        if self.repeated.iter().any(|r| r == name) {
            return Err(Error::DuplicateParameter(name.to_owned()));
        }
        Ok(self.get(name))
    }

    /// The first repeated parameter, if any.
    pub fn first_repeated(&self) -> Option<&str> {
        self.repeated.first().map(String::as_str)
    }
}

#[cfg(any(test, feature = "test-support"))]
impl Params {
    /// Parameters from literal pairs, in order.
    pub fn of(pairs: &[(&str, &str)]) -> Self {
        Self::from_pairs(
            pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        )
    }
}

/// RFC 6749 §3.2: request parameters MUST NOT be included more than once.
pub fn reject_repeated(params: &Params) -> Result<()> {
    match params.first_repeated() {
        Some(name) => Err(Error::DuplicateParameter(shorten(name))),
        None => Ok(()),
    }
}

/// The value of a parameter the request must carry; absent or empty is `invalid_request`.
pub fn required<'a>(params: &'a Params, name: &'static str) -> Result<&'a str> {
    params.get(name).ok_or(Error::MissingParameter(name))
}

/// Request text echoed in an error description, cut to a sane length.
pub fn shorten(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameter_is_refused() {
        let p = Params::of(&[
            ("grant_type", "client_credentials"),
            ("scope", "a"),
            ("scope", "b"),
        ]);
        assert!(
            matches!(reject_repeated(&p), Err(Error::DuplicateParameter(name)) if name == "scope")
        );
    }

    #[test]
    fn resource_may_repeat() {
        let p = Params::of(&[
            ("resource", "https://a.example/"),
            ("resource", "https://b.example/"),
        ]);
        assert!(reject_repeated(&p).is_ok());
        assert_eq!(
            p.all("resource"),
            ["https://a.example/", "https://b.example/"]
        );
    }
}
