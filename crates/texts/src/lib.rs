//! The message catalogue: every text of the pages, e-mails and SMS, in
//! [Fluent](https://projectfluent.org/fluent/guide/) files, one folder per language.
//! Russian and English are built in (`locales/<lang>/*.ftl`, embedded at build time); a
//! theme folder adds `locales/<lang>/*.ftl` files that override texts key by key or add a
//! language. Plurals follow the CLDR rules of the language (Russian has `one`, `few`,
//! `many`). A key missing in a language falls back to Russian, the product's first
//! language. The catalogue holds no HTML: pages escape what they show.

mod audit;
mod locale;

pub use audit::{key_uses, missing_in, missing_keys};
pub use locale::Locale;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// Marks a string literal as a catalogue key, so that the key scan finds it.
#[macro_export]
macro_rules! key {
    ($key:literal) => {
        $key
    };
}

/// A value given to a text: `{ $name }` in the `.ftl` file. Numbers pick plural forms.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Str(&'a str),
    Num(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Self::Str(value)
    }
}

impl From<i64> for Arg<'_> {
    fn from(value: i64) -> Self {
        Self::Num(value)
    }
}

impl From<i32> for Arg<'_> {
    fn from(value: i32) -> Self {
        Self::Num(i64::from(value))
    }
}

impl From<usize> for Arg<'_> {
    fn from(value: usize) -> Self {
        Self::Num(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

/// A catalogue file that cannot be used, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// `<lang>/<file>.ftl`, under the built-in catalogue or the theme folder.
    pub file: String,
    /// 1-based line, 0 when the problem is not about one line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for CatalogueError {}

struct Language {
    locale: Locale,
    bundle: FluentBundle<FluentResource>,
    /// Keys of the messages this language defines itself (terms left out).
    keys: BTreeSet<String>,
    /// The language's own name (`language-name`), or its tag; set once all files are in.
    name: String,
}

/// Every language's texts. The first language is Russian, the fallback of all others.
pub struct Catalogue {
    languages: Vec<Language>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tags: Vec<&str> = self.languages.iter().map(|l| l.locale.code()).collect();
        f.debug_struct("Catalogue")
            .field("languages", &tags)
            .finish()
    }
}

/// One `.ftl` source: its language folder, file label and text.
struct Source {
    lang: String,
    file: String,
    text: String,
    overriding: bool,
}

impl Catalogue {
    /// The built-in catalogue. Its files are checked by the crate's tests, so a failure
    /// here is a build defect.
    pub fn builtin() -> Self {
        match Self::load(None) {
            Ok(catalogue) => catalogue,
            Err(e) => panic!("built-in message catalogue: {e}"),
        }
    }

    /// The built-in catalogue with a theme's `locales/<lang>/*.ftl` on top (when `theme`
    /// has a `locales` folder).
    pub fn load(theme: Option<&Path>) -> Result<Self, CatalogueError> {
        let mut sources = built_in_sources(BUILTIN);
        if let Some(dir) = theme {
            sources.extend(theme_sources(&dir.join("locales"))?);
        }
        Self::from_sources(sources)
    }

    /// A catalogue from `(language, file, text)` triples alone, for tests of the checks.
    pub fn from_texts(files: &[(&str, &str, &str)]) -> Result<Self, CatalogueError> {
        Self::from_sources(built_in_sources(files))
    }

    fn from_sources(sources: Vec<Source>) -> Result<Self, CatalogueError> {
        let mut languages: Vec<Language> = Vec::new();
        for source in sources {
            let index = match languages
                .iter()
                .position(|l| l.locale.code() == source.lang)
            {
                Some(index) => index,
                None => {
                    languages.push(new_language(&source)?);
                    languages.len() - 1
                }
            };
            add_source(&mut languages[index], source)?;
        }
        languages.sort_by_key(|l| match l.locale.code() {
            "ru" => (0, String::new()),
            "en" => (1, String::new()),
            other => (2, other.to_owned()),
        });
        if languages.first().is_none_or(|l| l.locale != Locale::RU) {
            return Err(CatalogueError {
                file: "ru".into(),
                line: 0,
                message: "the Russian catalogue (the fallback) is missing".into(),
            });
        }
        let mut catalogue = Self { languages };
        let names: Vec<String> = catalogue
            .languages
            .iter()
            .map(|l| match l.keys.contains("language-name") {
                true => catalogue.text(l.locale, "language-name"),
                false => l.locale.code().to_owned(),
            })
            .collect();
        for (language, name) in catalogue.languages.iter_mut().zip(names) {
            language.name = name;
        }
        Ok(catalogue)
    }

    /// The languages, Russian first.
    pub fn locales(&self) -> impl Iterator<Item = Locale> + '_ {
        self.languages.iter().map(|l| l.locale)
    }

    /// The language's own name (`language-name`), or its tag.
    pub fn name(&self, locale: Locale) -> &str {
        self.language(locale)
            .map_or(locale.code(), |l| l.name.as_str())
    }

    /// The language of a tag: the same tag (any case, `_` or `-`), else its primary
    /// language (`en-US` → `en`).
    pub fn find(&self, tag: &str) -> Option<Locale> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        if tag.is_empty() {
            return None;
        }
        let primary = tag.split('-').next().unwrap_or_default();
        let by = |wanted: &str| {
            self.languages
                .iter()
                .find(|l| l.locale.code().eq_ignore_ascii_case(wanted))
                .map(|l| l.locale)
        };
        by(&tag).or_else(|| by(primary))
    }

    /// The first language of a list of tags (`ui_locales`, OIDC Core §3.1.2.1) that the
    /// catalogue has.
    pub fn first_of<S: AsRef<str>>(&self, tags: &[S]) -> Option<Locale> {
        tags.iter().find_map(|t| self.find(t.as_ref()))
    }

    /// The best language of an `Accept-Language` value (RFC 9110 §12.5.4).
    pub fn from_accept_language(&self, header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(locale) = parts.next().and_then(|t| self.find(t)) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l)
    }

    /// Whether the language defines `key` itself (no fallback).
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.language(locale).is_some_and(|l| l.keys.contains(key))
    }

    /// The keys the language defines itself.
    pub fn keys(&self, locale: Locale) -> BTreeSet<String> {
        self.language(locale)
            .map(|l| l.keys.clone())
            .unwrap_or_default()
    }

    /// The text of `key` without arguments.
    pub fn text(&self, locale: Locale, key: &str) -> String {
        self.format(locale, key, &[])
    }

    /// The text of `key` with arguments, in `locale`, else in Russian, else the key.
    pub fn format(&self, locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let own = self.language(locale).filter(|l| l.keys.contains(key));
        let Some(language) = own.or_else(|| self.languages.first()) else {
            return key.to_owned();
        };
        let Some(pattern) = language.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(*s)),
                Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = language
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        text.into_owned()
    }

    fn language(&self, locale: Locale) -> Option<&Language> {
        self.languages.iter().find(|l| l.locale == locale)
    }
}

/// Sources of `(language, file, text)` triples shipped with the binary (or a test).
fn built_in_sources(files: &[(&str, &str, &str)]) -> Vec<Source> {
    files
        .iter()
        .map(|(lang, file, text)| Source {
            lang: (*lang).to_owned(),
            file: format!("{lang}/{file}"),
            text: (*text).to_owned(),
            overriding: false,
        })
        .collect()
}

fn new_language(source: &Source) -> Result<Language, CatalogueError> {
    let id: unic_langid::LanguageIdentifier = source.lang.parse().map_err(|_| CatalogueError {
        file: source.file.clone(),
        line: 0,
        message: format!("`{}` is not a language tag", source.lang),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Pages escape texts themselves; isolation marks would show up in e-mails and SMS.
    bundle.set_use_isolating(false);
    Ok(Language {
        locale: Locale::intern(&source.lang),
        bundle,
        keys: BTreeSet::new(),
        name: String::new(),
    })
}

fn add_source(language: &mut Language, source: Source) -> Result<(), CatalogueError> {
    let text = source.text.clone();
    let resource = match FluentResource::try_new(source.text) {
        Ok(resource) => resource,
        Err((_, errors)) => {
            let first = &errors[0];
            return Err(CatalogueError {
                line: line_of(&text, first.pos.start),
                file: source.file,
                message: first.to_string(),
            });
        }
    };
    for entry in resource.entries() {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            language.keys.insert(m.id.name.to_owned());
        }
    }
    if source.overriding {
        language.bundle.add_resource_overriding(resource);
        return Ok(());
    }
    language.bundle.add_resource(resource).map_err(|errors| {
        let message = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        CatalogueError {
            file: source.file,
            line: 0,
            message,
        }
    })
}

fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte).unwrap_or(text).matches('\n').count() + 1
}

/// `locales/<lang>/*.ftl` of a theme folder, sorted by language and file.
fn theme_sources(dir: &Path) -> Result<Vec<Source>, CatalogueError> {
    let mut sources = Vec::new();
    let Ok(langs) = std::fs::read_dir(dir) else {
        return Ok(sources);
    };
    let mut langs: Vec<_> = langs.filter_map(|e| e.ok().map(|e| e.path())).collect();
    langs.sort();
    for lang_dir in langs.into_iter().filter(|p| p.is_dir()) {
        let lang = lang_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let io = |e: std::io::Error| CatalogueError {
            file: lang_dir.display().to_string(),
            line: 0,
            message: e.to_string(),
        };
        let mut files: Vec<_> = std::fs::read_dir(&lang_dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| CatalogueError {
                file: file.display().to_string(),
                line: 0,
                message: e.to_string(),
            })?;
            sources.push(Source {
                lang: lang.clone(),
                file: file.display().to_string(),
                text,
                overriding: true,
            });
        }
    }
    Ok(sources)
}

/// The built-in `.ftl` files as `(language, file name, text)`, for `export-theme`.
pub fn builtin_files() -> &'static [(&'static str, &'static str, &'static str)] {
    BUILTIN
}

#[cfg(test)]
mod tests;
