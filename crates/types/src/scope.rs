//! `scope` parameter (RFC 6749 §3.3): a set of space-delimited tokens of NQCHAR.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;

/// OpenID Connect scopes that are not product scopes (OIDC Core §5.4, §11), and
/// `certificate`: the Russian identifiers (INN, OGRN, OGRNIP, SNILS) of the account's
/// bound certificates.
pub const OPENID: &str = "openid";
pub const OFFLINE_ACCESS: &str = "offline_access";
pub const CERTIFICATE: &str = "certificate";
pub const STANDARD_SCOPES: [&str; 7] = [
    OPENID,
    "profile",
    "email",
    "phone",
    "address",
    OFFLINE_ACCESS,
    CERTIFICATE,
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope(BTreeSet<String>);

#[derive(Debug, PartialEq, Eq)]
pub struct InvalidScopeToken;

impl Scope {
    /// Parses a space-delimited scope string; empty tokens from repeated spaces are dropped.
    pub fn parse(text: &str) -> Result<Self, InvalidScopeToken> {
        let mut set = BTreeSet::new();
        for token in text.split(' ').filter(|t| !t.is_empty()) {
            let ok = token
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b));
            if !ok {
                return Err(InvalidScopeToken);
            }
            set.insert(token.to_owned());
        }
        Ok(Self(set))
    }

    pub fn from_tokens<I: IntoIterator<Item = S>, S: Into<String>>(tokens: I) -> Self {
        Self(tokens.into_iter().map(Into::into).collect())
    }

    pub fn contains(&self, token: &str) -> bool {
        self.0.contains(token)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn is_subset(&self, other: &Scope) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn intersection(&self, other: &Scope) -> Scope {
        Self(self.0.intersection(&other.0).cloned().collect())
    }

    pub fn union(&self, other: &Scope) -> Scope {
        Self(self.0.union(&other.0).cloned().collect())
    }

    pub fn difference(&self, other: &Scope) -> Scope {
        Self(self.0.difference(&other.0).cloned().collect())
    }

    pub fn insert(&mut self, token: &str) {
        self.0.insert(token.to_owned());
    }

    pub fn remove(&mut self, token: &str) {
        self.0.remove(token);
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for token in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(token)?;
            first = false;
        }
        Ok(())
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Scope::parse(&text).map_err(|_| serde::de::Error::custom("invalid scope token"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_sorted_unique() {
        let s = Scope::parse("openid  profile openid").expect("valid");
        assert_eq!(s.to_string(), "openid profile");
    }

    #[test]
    fn rejects_quote_and_backslash() {
        assert_eq!(Scope::parse("a\"b"), Err(InvalidScopeToken));
        assert_eq!(Scope::parse("a\\b"), Err(InvalidScopeToken));
    }
}
