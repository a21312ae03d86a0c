//! Themes from the command line: `ui export-theme` writes the defaults, `config check`
//! and `serve` load a theme folder, and a broken template stops both with its file and
//! line.

mod common;

use common::TestDir;

fn config_with_theme(dir: &TestDir, theme: &std::path::Path) -> std::path::PathBuf {
    dir.write(
        "propusk.toml",
        &format!("[ui]\ntheme_dir = {:?}\n", theme.display().to_string()),
    )
}

#[test]
fn an_exported_theme_passes_the_check_and_serves_its_assets() {
    let dir = TestDir::new("theme-export");
    let theme = dir.path.join("theme");
    let out = dir.ok(&["ui", "export-theme", theme.to_str().expect("path")]);
    assert!(out.contains("wrote"), "{out}");
    assert!(theme.join("templates/login.html").is_file());
    assert!(theme.join("static/style.css").is_file());
    assert!(theme.join("locales/ru/pages.ftl").is_file());
    std::fs::write(theme.join("static/style.css"), "body { color: #123456 }").expect("css");
    let config = config_with_theme(&dir, &theme);
    let config = config.to_str().expect("path");
    assert_eq!(dir.ok(&["config", "check", config]).trim(), "ok");
    let server = dir.serve(&[("PROPUSK_UI__THEME_DIR", theme.to_str().expect("path"))]);
    let (status, css) = server.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(css.contains("#123456"), "{css}");
    let (status, _) = server.get("/static/nope.css");
    assert_eq!(status, 404);
}

#[test]
fn a_broken_template_stops_the_check_and_the_start_naming_the_file() {
    let dir = TestDir::new("theme-broken");
    let theme = dir.path.join("theme");
    std::fs::create_dir_all(theme.join("templates")).expect("dir");
    std::fs::write(
        theme.join("templates/login.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{% for %}\n{% endblock %}\n",
    )
    .expect("template");
    let config = config_with_theme(&dir, &theme);
    let err = dir.fails(&["config", "check", config.to_str().expect("path")]);
    assert!(err.contains("templates/login.html:3"), "{err}");
    let err = String::from_utf8(
        dir.command(&["serve", "--listen", "127.0.0.1:0"])
            .env("PROPUSK_UI__THEME_DIR", theme.to_str().expect("path"))
            .output()
            .expect("run")
            .stderr,
    )
    .expect("utf-8");
    assert!(err.contains("templates/login.html:3"), "{err}");
}

#[test]
fn a_broken_text_file_names_its_file_and_line() {
    let dir = TestDir::new("theme-ftl");
    let theme = dir.path.join("theme");
    std::fs::create_dir_all(theme.join("locales/ru")).expect("dir");
    std::fs::write(theme.join("locales/ru/pages.ftl"), "ok = да\nbad = { $\n").expect("ftl");
    let config = config_with_theme(&dir, &theme);
    let err = dir.fails(&["config", "check", config.to_str().expect("path")]);
    assert!(err.contains("locales/ru/pages.ftl:2"), "{err}");
}
