//! The chrome every HTML page shares: the document language, the operator's name and
//! logo, and the language switcher. Each page context embeds one [`Frame`], which
//! `templates/base.html` reads.

use crate::i18n::Locale;
use crate::state::AppState;

pub struct Frame<'a> {
    pub locale: Locale,
    pub operator: &'a str,
    pub logo: Option<&'a str>,
    /// `href` of the language switcher: the page's path with the other language.
    pub switch_href: String,
}

impl<'a> Frame<'a> {
    /// The chrome of a page at `path` (without `lang`) shown in `locale`.
    pub fn new(state: &'a AppState, locale: Locale, path: &str) -> Self {
        Self {
            locale,
            operator: &state.web.operator_name,
            logo: state.web.logo_url.as_deref(),
            switch_href: switch_href(path, locale.other()),
        }
    }
}

/// `href` of the language switcher: the current path with `lang` set.
fn switch_href(path: &str, other: Locale) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}lang={}", other.code())
}

#[cfg(test)]
impl Frame<'static> {
    /// The chrome of a page in template tests, with a logo.
    pub fn sample(locale: Locale, switch_href: &str) -> Self {
        Self {
            locale,
            operator: "Propusk",
            logo: Some("/static/logo.svg"),
            switch_href: switch_href.to_owned(),
        }
    }
}
