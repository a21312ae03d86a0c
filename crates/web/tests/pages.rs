//! The page layer through the real router: CSRF tokens bound to the browser and its
//! session, the theme's assets and texts, and the message catalogue against every key
//! the templates and the code use.

#[path = "common/mod.rs"]
mod common;

use propusk_texts::{Catalogue, Locale, key_uses, missing_in, missing_keys};
use propusk_web::{AppState, Theme, WebConfig};
use std::path::Path;
use std::sync::Arc;

/// A browser: the cookies it holds, as one `Cookie` header.
#[derive(Clone, Default)]
struct Browser {
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().expect("cookie");
            let pair = text.split(';').next().expect("pair");
            let (name, value) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(k, _)| k != name);
            self.cookies.push((name.to_owned(), value.to_owned()));
        }
    }

    fn get_cookie(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .expect("cookie set")
    }
}

fn csrf_of(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

async fn login_page(server: &common::Server, browser: &mut Browser) -> String {
    let response = server
        .http
        .get(server.url("/account/login?lang=en"))
        .header("cookie", browser.header())
        .send()
        .await
        .expect("get");
    browser.keep(&response);
    csrf_of(&response.text().await.expect("body"))
}

async fn submit(server: &common::Server, browser: &Browser, token: &str) -> String {
    let response = server
        .http
        .post(server.url("/account/login?lang=en"))
        .header("cookie", browser.header())
        .form(&[("csrf", token), ("login", "nobody"), ("password", "wrong")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 400);
    response.text().await.expect("body")
}

#[tokio::test]
async fn a_csrf_token_works_only_in_the_browser_it_was_made_for() {
    let server = common::server().await;
    let mut a = Browser::default();
    let mut b = Browser::default();
    let token_a = login_page(&server, &mut a).await;
    let token_b = login_page(&server, &mut b).await;
    let expired = "The form has expired";
    let checked = "Wrong login or password";

    assert!(submit(&server, &a, &token_a).await.contains(checked));
    assert!(submit(&server, &b, &token_b).await.contains(checked));
    assert!(
        submit(&server, &b, &token_a).await.contains(expired),
        "A's token in B"
    );

    // Browser C holds A's CSRF cookie (planted) but a session of its own: A's token
    // still fails there, and so does a token made before C's session began.
    let mut c = Browser::default();
    c.cookies
        .push(("propusk_csrf".into(), a.get_cookie("propusk_csrf")));
    c.cookies
        .push(("propusk_session".into(), "another-session".into()));
    assert!(
        submit(&server, &c, &token_a).await.contains(expired),
        "A's token in C"
    );
    let token_c = login_page(&server, &mut c).await;
    assert!(submit(&server, &c, &token_c).await.contains(checked));
}

#[tokio::test]
async fn the_theme_overrides_assets_and_texts_file_by_file() {
    let dir = std::env::temp_dir().join(format!("propusk-web-theme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("static")).expect("dir");
    std::fs::create_dir_all(dir.join("locales/ru")).expect("dir");
    std::fs::write(dir.join("static/style.css"), "body { color: #123456 }").expect("css");
    std::fs::write(
        dir.join("locales/ru/brand.ftl"),
        "sign-in-title = Вход в Банк\n",
    )
    .expect("ftl");
    let theme = Arc::new(Theme::load(Some(&dir)).expect("theme"));

    let server = common::server().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::with_theme(server.provider.clone(), WebConfig::default(), theme);
    let router = propusk_web::router(state);
    tokio::spawn(async move { axum::serve(listener, router).await });
    let get = |path: &str| server.http.get(format!("{base}{path}")).send();

    let css = get("/static/style.css").await.expect("css");
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(css.text().await.expect("body"), "body { color: #123456 }");
    let logo = get("/static/logo.svg").await.expect("logo");
    assert_eq!(logo.status(), 200);
    assert_eq!(get("/static/missing.png").await.expect("404").status(), 404);

    let ru = get("/account/login?lang=ru")
        .await
        .expect("ru")
        .text()
        .await
        .expect("body");
    assert!(ru.contains("Вход в Банк"), "{ru}");
    assert!(ru.contains("Пароль"), "the other texts stay: {ru}");
    let en = get("/account/login?lang=en")
        .await
        .expect("en")
        .text()
        .await
        .expect("body");
    assert!(en.contains("<h1>Sign in</h1>"), "{en}");
    std::fs::remove_dir_all(&dir).ok();
}

fn sources(dir: &Path, ext: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            let text = std::fs::read_to_string(&path).expect("read");
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn every_key_the_code_uses_is_in_the_catalogue_and_both_languages_agree() {
    let catalogue = Catalogue::builtin();
    assert_eq!(
        missing_in(&catalogue, Locale::RU, Locale::EN),
        Vec::<String>::new()
    );
    assert_eq!(
        missing_in(&catalogue, Locale::EN, Locale::RU),
        Vec::<String>::new()
    );

    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sources(&crates.join("web/templates"), "html", &mut files);
    sources(&crates.join("web/src"), "rs", &mut files);
    sources(&crates.join("core/src"), "rs", &mut files);
    let uses: Vec<String> = files.iter().flat_map(|(_, text)| key_uses(text)).collect();
    assert!(
        uses.len() > 150,
        "the scan finds the key uses ({})",
        uses.len()
    );
    for (file, text) in &files {
        let missing = missing_keys(&catalogue, &key_uses(text));
        assert!(
            missing.is_empty(),
            "{file} uses keys no catalogue has: {missing:?}"
        );
    }
}
