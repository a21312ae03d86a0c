//! The theme: page templates (minijinja, HTML auto-escaping on), static assets (CSS,
//! logo, favicon) and texts (the message catalogue). The defaults are embedded in the
//! binary; a theme folder (`[ui] theme_dir`) overrides them file by file:
//! `templates/<name>.html`, `static/<file>`, `locales/<lang>/<file>.ftl`. Everything is
//! read and every template compiled when the theme is loaded, so a broken file stops the
//! start with its name and line instead of failing a request later.

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, Output, State};
use propusk_texts::{Arg, Catalogue, CatalogueError, Locale};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod defaults {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}
pub(crate) use defaults::{DEFAULT_STATIC, DEFAULT_TEMPLATES};

/// A file served under `/static/`.
pub struct Asset {
    pub bytes: Cow<'static, [u8]>,
    pub content_type: &'static str,
}

/// A theme that cannot be used: the file and, for templates and texts, the line.
#[derive(Debug)]
pub struct ThemeError(pub String);

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "theme: {}", self.0)
    }
}

impl std::error::Error for ThemeError {}

impl From<CatalogueError> for ThemeError {
    fn from(e: CatalogueError) -> Self {
        Self(format!("texts: {e}"))
    }
}

pub struct Theme {
    /// One environment per language of the catalogue, in its order (Russian first): the
    /// same templates, with the fixed texts of that language already in place.
    envs: Vec<(Locale, Environment<'static>)>,
    assets: HashMap<String, Asset>,
    pub texts: Arc<Catalogue>,
}

impl fmt::Debug for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let templates = self.envs.first().map_or(0, |(_, e)| e.templates().count());
        f.debug_struct("Theme")
            .field("compiled_templates", &templates)
            .field("languages", &self.envs.len())
            .field("assets", &self.assets.len())
            .finish()
    }
}

impl Theme {
    /// The embedded defaults. They are checked by the crate's tests, so a failure here is
    /// a build defect.
    pub fn builtin() -> Self {
        match Self::load(None) {
            Ok(theme) => theme,
            Err(e) => panic!("built-in theme: {e}"),
        }
    }

    /// The defaults with the files of `dir` on top.
    pub fn load(dir: Option<&Path>) -> Result<Self, ThemeError> {
        if let Some(dir) = dir
            && !dir.is_dir()
        {
            return Err(ThemeError(format!("{} is not a folder", dir.display())));
        }
        let texts = Arc::new(Catalogue::load(dir)?);
        let mut sources: Vec<(String, String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| {
                let label = format!("templates/{name} (built in)");
                ((*name).to_owned(), label, (*text).to_owned())
            })
            .collect();
        if let Some(dir) = dir {
            for path in files(&dir.join("templates"))? {
                let name = file_name(&path);
                let text = read_text(&path)?;
                let label = path.display().to_string();
                match sources.iter_mut().find(|s| s.0 == name) {
                    Some(slot) => *slot = (name, label, text),
                    None => sources.push((name, label, text)),
                }
            }
        }
        let mut check = Environment::new();
        for (name, label, text) in &sources {
            check
                .add_template_owned(name.clone(), text.clone())
                .map_err(|e| template_error(label, &e))?;
        }
        let envs = texts
            .locales()
            .map(|locale| (locale, language_env(&texts, locale, &sources)))
            .collect();
        let mut assets: HashMap<String, Asset> = DEFAULT_STATIC
            .iter()
            .map(|(name, bytes)| {
                let asset = Asset {
                    bytes: Cow::Borrowed(*bytes),
                    content_type: content_type(name),
                };
                ((*name).to_owned(), asset)
            })
            .collect();
        if let Some(dir) = dir {
            for path in files(&dir.join("static"))? {
                let bytes = std::fs::read(&path)
                    .map_err(|e| ThemeError(format!("{}: {e}", path.display())))?;
                let name = file_name(&path);
                let asset = Asset {
                    bytes: Cow::Owned(bytes),
                    content_type: content_type(&name),
                };
                assets.insert(name, asset);
            }
        }
        Ok(Self {
            envs,
            assets,
            texts,
        })
    }

    /// Renders a template in `locale` (else Russian) with `context`.
    pub fn render(&self, locale: Locale, name: &str, context: Value) -> Result<String, Error> {
        let env = self
            .envs
            .iter()
            .find(|(l, _)| *l == locale)
            .or_else(|| self.envs.first())
            .map(|(_, env)| env)
            .ok_or_else(|| Error::new(minijinja::ErrorKind::TemplateNotFound, "no language"))?;
        env.get_template(name)?.render(context)
    }

    /// Whether a template of this name exists (built in or from the theme folder).
    pub fn has_template(&self, name: &str) -> bool {
        self.envs
            .first()
            .is_some_and(|(_, env)| env.get_template(name).is_ok())
    }

    pub fn asset(&self, name: &str) -> Option<&Asset> {
        self.assets.get(name)
    }

    /// Writes the defaults into `dir` (`templates/`, `static/`, `locales/<lang>/`) for an
    /// operator to edit. Existing files are overwritten.
    pub fn export(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        let mut write = |path: PathBuf, bytes: &[u8]| -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes)?;
            written.push(path);
            Ok(())
        };
        for (name, text) in DEFAULT_TEMPLATES {
            write(dir.join("templates").join(name), text.as_bytes())?;
        }
        for (name, bytes) in DEFAULT_STATIC {
            write(dir.join("static").join(name), bytes)?;
        }
        for (lang, name, text) in propusk_texts::builtin_files() {
            write(dir.join("locales").join(lang).join(name), text.as_bytes())?;
        }
        Ok(written)
    }
}

/// The environment of one language. Its templates have every `{{ t(KEY) }}` without
/// arguments replaced by the escaped text (one text per line, so lines and error places
/// stay those of the file); `t()` with arguments, or in any other expression, is the
/// function, formatting in this language.
fn language_env(
    texts: &Arc<Catalogue>,
    locale: Locale,
    sources: &[(String, String, String)],
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_formatter(html_formatter);
    let shared = texts.clone();
    env.add_function(
        "t",
        move |key: &str, kwargs: Kwargs| -> Result<String, Error> {
            translate(&shared, locale, key, &kwargs)
        },
    );
    let mut prepared = HashMap::with_capacity(sources.len());
    for (name, label, text) in sources {
        let fixed = if name.ends_with(".html") {
            put_texts_in_place(text, |key| texts.text(locale, key))
        } else {
            text.clone()
        };
        // The file compiled as written when the theme was loaded; a text that breaks it
        // keeps the call.
        let source = match Environment::new().template_from_str(&fixed) {
            Ok(_) => fixed,
            Err(e) => {
                tracing::debug!(template = %label, error = %e, "texts left to t()");
                text.clone()
            }
        };
        prepared.insert(name.clone(), source);
    }
    // Compiled on first use and kept: a language's pages that nobody opens (most docs
    // pages, in most processes) cost their source text, not their compiled form.
    env.set_loader(move |name| Ok(prepared.get(name).cloned()));
    env
}

/// `source` with each `{{ t(KEY) }}` (either quote, any spacing) replaced by the
/// HTML-escaped text of `key`, unless the text spans lines or holds a `{`.
fn put_texts_in_place(source: &str, text_of: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match plain_call(tail) {
            Some((key, len)) => {
                let text = text_of(key);
                if text.contains(['\n', '{']) {
                    out.push_str(&tail[..len]);
                } else {
                    // Writing to a String cannot fail.
                    let _ = write_escaped(&mut out, &text);
                }
                rest = &tail[len..];
            }
            None => {
                out.push_str("{{");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The key and length of `{{ t(KEY) }}` at the start of `s`.
fn plain_call(s: &str) -> Option<(&str, usize)> {
    let inner = s.strip_prefix("{{")?;
    let body = inner.trim_start().strip_prefix("t(")?;
    let quote = body.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &body[1..];
    let end = body.find(quote)?;
    let key = &body[..end];
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let after = body[end + 1..].strip_prefix(')')?.trim_start();
    let after = after.strip_prefix("}}")?;
    Some((key, s.len() - after.len()))
}

/// `t(key, name=value, …)` in a template: the text in the environment's language.
fn translate(
    texts: &Catalogue,
    locale: Locale,
    key: &str,
    kwargs: &Kwargs,
) -> Result<String, Error> {
    let mut values: Vec<(&str, Result<i64, String>)> = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let value = match i64::try_from(value.clone()) {
            Ok(n) if value.is_number() => Ok(n),
            _ => Err(value.to_string()),
        };
        values.push((name, value));
    }
    let args: Vec<(&str, Arg<'_>)> = values
        .iter()
        .map(|(name, value)| {
            let arg = match value {
                Ok(n) => Arg::Num(*n),
                Err(s) => Arg::Str(s),
            };
            (*name, arg)
        })
        .collect();
    Ok(texts.format(locale, key, &args))
}

/// Writes `text` with `& < > " '` as entities, the one escaping of the theme.
fn write_escaped(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let mut rest = text;
    // A byte scan: the escaped characters are ASCII, which never occurs inside a
    // multi-byte UTF-8 sequence, so every match is a character boundary.
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// Escapes printed values in HTML templates as the HTML standard requires for text and
/// quoted attributes (`& < > " '`), leaving `/` readable in URLs.
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    let plain = matches!(state.auto_escape(), AutoEscape::Html)
        && !value.is_safe()
        && !value.is_undefined()
        && !value.is_none();
    if !plain {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(value.to_string()),
    };
    write_escaped(out, &text).map_err(Error::from)
}

fn template_error(label: &str, e: &Error) -> ThemeError {
    let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    ThemeError(format!("{label}{line}: {}{detail}", e.kind()))
}

fn files(dir: &Path) -> Result<Vec<PathBuf>, ThemeError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    Ok(found)
}

fn read_text(path: &Path) -> Result<String, ThemeError> {
    std::fs::read_to_string(path).map_err(|e| ThemeError(format!("{}: {e}", path.display())))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("propusk-theme-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn plain_texts_are_put_in_place_escaped_and_calls_with_arguments_stay() {
        let source = "<p>{{ t(\"a\") }}|{{t('b')}}|{{ t(\"c\", n=1) }}|{{- t(\"a\") }}|{{ t(\"nl\") }}</p>\n";
        let fixed = put_texts_in_place(source, |key| match key {
            "a" => "Tom & \"Jerry\" <3".into(),
            "b" => "it's".into(),
            "nl" => "two\nlines".into(),
            _ => "x".into(),
        });
        assert_eq!(
            fixed,
            "<p>Tom &amp; &quot;Jerry&quot; &lt;3|it&#39;s|{{ t(\"c\", n=1) }}|{{- t(\"a\") }}|{{ t(\"nl\") }}</p>\n"
        );
    }

    fn sample_context(locale: Locale) -> Value {
        let frame = minijinja::context! {
            lang => locale.code(),
            operator => "Propusk",
            logo => "/static/logo.svg",
            languages => Vec::<Value>::new(),
        };
        minijinja::context! { frame, lang => locale.code(), action => "/x", reset_href => "/r" }
    }

    #[test]
    fn each_language_renders_its_own_texts() {
        let theme = Theme::builtin();
        for locale in [Locale::RU, Locale::EN] {
            let expected = theme.texts.text(locale, "sign-in-title");
            let html = theme
                .render(locale, "login.html", sample_context(locale))
                .expect("renders");
            assert!(html.contains(&format!("<h1>{expected}</h1>")), "{html}");
        }
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let dir = temp("broken");
        std::fs::create_dir_all(dir.join("templates")).expect("dir");
        std::fs::write(
            dir.join("templates/login.html"),
            "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock %}\n",
        )
        .expect("write");
        let error = Theme::load(Some(&dir)).expect_err("refused").to_string();
        assert!(error.contains("templates/login.html:3"), "{error}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn files_override_the_defaults_one_by_one() {
        let dir = temp("override");
        std::fs::create_dir_all(dir.join("static")).expect("dir");
        std::fs::write(dir.join("static/style.css"), "body{color:red}").expect("write");
        let theme = Theme::load(Some(&dir)).expect("loads");
        let css = theme.asset("style.css").expect("css");
        assert_eq!(&*css.bytes, b"body{color:red}");
        assert!(theme.asset("logo.svg").is_some());
        assert_eq!(
            theme.asset("favicon.svg").map(|a| a.content_type),
            Some("image/svg+xml")
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_exported_theme_loads_and_matches_the_defaults() {
        let dir = temp("export");
        let written = Theme::export(&dir).expect("export");
        assert!(written.iter().any(|p| p.ends_with("templates/login.html")));
        assert!(written.iter().any(|p| p.ends_with("locales/ru/pages.ftl")));
        let exported = Theme::load(Some(&dir)).expect("loads");
        let builtin = Theme::builtin();
        for (name, _) in DEFAULT_STATIC {
            assert_eq!(
                exported.asset(name).map(|a| a.bytes.to_vec()),
                builtin.asset(name).map(|a| a.bytes.to_vec())
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
