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
    env: Environment<'static>,
    assets: HashMap<String, Asset>,
    pub texts: Arc<Catalogue>,
}

impl fmt::Debug for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.env.templates().count())
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
        let mut env = Environment::new();
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
        for (name, label, text) in sources {
            env.add_template_owned(name, text)
                .map_err(|e| template_error(&label, &e))?;
        }
        env.set_formatter(html_formatter);
        let shared = texts.clone();
        env.add_function(
            "t",
            move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
                translate(&shared, state, key, &kwargs)
            },
        );
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
        Ok(Self { env, assets, texts })
    }

    /// Renders a template with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        self.env.get_template(name)?.render(context)
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

/// `t(key, name=value, …)` in a template: the text in the page's language (`lang`).
fn translate(
    texts: &Catalogue,
    state: &State,
    key: &str,
    kwargs: &Kwargs,
) -> Result<String, Error> {
    let lang = state.lookup("lang");
    let locale = lang
        .as_ref()
        .and_then(Value::as_str)
        .and_then(|l| texts.find(l))
        .unwrap_or(Locale::RU);
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
    let mut rest = text.as_ref();
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at]).map_err(Error::from)?;
        let entity = match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.write_str(entity).map_err(Error::from)?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest).map_err(Error::from)
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
