//! Raw request parameters as received in a query string or form body. Parameters must
//! not be repeated (RFC 6749 §3.1); an empty value counts as absent (§3.1).

use crate::error::Error;
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
pub struct Params {
    values: HashMap<String, String>,
    repeated: Vec<String>,
}

impl Params {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut values = HashMap::new();
        let mut repeated = Vec::new();
        for (name, value) in pairs {
            match values.entry(name) {
                std::collections::hash_map::Entry::Occupied(entry) => {
                    repeated.push(entry.key().clone())
                }
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(value);
                }
            }
        }
        Self { values, repeated }
    }

    /// The value, or None when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Fails when the parameter was given more than once.
    pub fn single(&self, name: &str) -> Result<Option<&str>, Error> {
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
