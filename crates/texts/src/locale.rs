//! A language of the catalogue, as a small copyable value. Tags are interned once per
//! process (a handful of short strings), so a `Locale` carries a `&'static str`.

use std::sync::Mutex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Locale(&'static str);

static INTERNED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

impl Locale {
    /// Russian: the product's first language and the fallback of every other.
    pub const RU: Locale = Locale("ru");
    pub const EN: Locale = Locale("en");

    /// The language with this tag (kept as given).
    pub fn intern(tag: &str) -> Self {
        match tag {
            "ru" => return Self::RU,
            "en" => return Self::EN,
            _ => {}
        }
        let mut interned = INTERNED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = interned.iter().find(|t| **t == tag) {
            return Self(found);
        }
        let leaked: &'static str = Box::leak(tag.to_owned().into_boxed_str());
        interned.push(leaked);
        Self(leaked)
    }

    /// The tag: `ru`, `en`, or a theme folder's name.
    pub fn code(self) -> &'static str {
        self.0
    }
}
