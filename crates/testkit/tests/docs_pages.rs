//! The docs as a reader gets them: every page in Russian and English, every link on them
//! leads somewhere, the reference pages list every path of the route table and every
//! error code and description of the engine, samples are personalised for an owner's
//! application and only for its owners.

use propusk_core::model::{ClientOwner, Integrator};
use propusk_testkit::{ClientBuilder, ProductBuilder, TestServer, unescape};
use propusk_types::error::ErrorCode;
use propusk_types::routes;
use std::collections::BTreeSet;

async fn get(server: &TestServer, path: &str) -> (u16, String, String) {
    let response = reqwest::get(server.url(path)).await.expect("GET");
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, response.text().await.unwrap_or_default())
}

/// The `href` and `src` values of a page that point at this server.
fn internal_links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            let tail = &rest[at + attr.len()..];
            let end = tail.find('"').unwrap_or(0);
            let link = unescape(&tail[..end]);
            if link.starts_with('/') {
                found.push(link);
            }
            rest = &tail[end..];
        }
    }
    found
}

#[tokio::test]
async fn every_page_renders_in_both_languages_and_every_link_resolves() {
    let server = TestServer::start().await;
    server
        .product(ProductBuilder::new("https://orders.example").scopes(&["orders.read"]))
        .await;
    let mut links = BTreeSet::new();
    for path in propusk_web::docs::page_paths() {
        for lang in ["ru", "en"] {
            let (status, _, html) = get(&server, &format!("{path}?lang={lang}")).await;
            assert_eq!(status, 200, "{path} {lang}");
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{path} {lang}"
            );
            assert_eq!(html.matches("<h1").count(), 1, "{path} {lang}: one h1");
            assert!(
                !html.contains("docs-nav-"),
                "{path} {lang}: a text key shown raw"
            );
            links.extend(internal_links(&html));
        }
    }
    for link in &links {
        let (status, _, _) = get(&server, link).await;
        // The integrator cabinet asks for a sign-in first; everything else is a page.
        assert!(
            status == 200 || (link.starts_with(routes::DEVELOPER) && status == 303),
            "{link}: {status}"
        );
    }
    assert!(
        links.iter().any(|l| l.starts_with("/docs/diagrams/")),
        "diagrams linked"
    );
    let (status, kind, svg) = get(&server, "/docs/diagrams/device.svg?lang=ru").await;
    assert_eq!(
        (status, kind.as_str()),
        (200, "image/svg+xml; charset=utf-8")
    );
    assert!(svg.contains("Устройство"), "parties in the page language");
    assert_eq!(get(&server, "/docs/no-such-page").await.0, 404);
    assert_eq!(get(&server, "/docs/diagrams/nothing.svg").await.0, 404);
}

#[tokio::test]
async fn the_reference_lists_every_route_error_code_and_description() {
    let server = TestServer::start().await;
    server
        .product(ProductBuilder::new("https://orders.example").scopes(&["orders.read"]))
        .await;
    let (_, _, endpoints) = get(&server, "/docs/reference/endpoints?lang=en").await;
    for (name, path) in routes::ALL {
        assert!(
            endpoints.contains(&format!("<code>{path}</code>")),
            "{name} {path}"
        );
    }
    assert!(
        endpoints.contains("<code>token_endpoint</code>"),
        "discovery names shown"
    );
    let (_, _, errors) = get(&server, "/docs/reference/errors?lang=ru").await;
    let errors = unescape(&errors);
    for code in ErrorCode::ALL {
        assert!(
            errors.contains(&format!("id=\"{}\"", code.as_str())),
            "{code:?}"
        );
    }
    for (name, error) in propusk_core::error::catalogue() {
        assert!(errors.contains(&error.description()), "{name}");
    }
    let (_, _, scopes) = get(&server, "/docs/reference/scopes?lang=en").await;
    assert!(scopes.contains("https://orders.example") && scopes.contains("orders.read"));
}

#[tokio::test]
async fn samples_carry_the_application_only_for_its_owners() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let app = server
        .client(ClientBuilder::confidential("shop-web").redirect_uris(&["https://shop.example/cb"]))
        .await;
    let now = server.provider.now();
    server
        .store()
        .put_integrator(&Integrator {
            account_id: alice.id.clone(),
            terms_version: "1".into(),
            accepted_at: now,
        })
        .await
        .expect("integrator");
    server
        .store()
        .add_client_owner(&ClientOwner {
            client_id: app.id.clone(),
            account_id: alice.id.clone(),
            added_at: now,
        })
        .await
        .expect("owner");
    let page = "/docs/schemes/code?app=shop-web&lang=en";
    // A stranger: placeholders, nothing of the application.
    let (status, _, html) = get(&server, page).await;
    assert_eq!(status, 200);
    assert!(html.contains("YOUR_CLIENT_ID") && !html.contains("shop.example"));
    // The owner: the application's id and redirect URI, in links kept across pages.
    let owner = server.signed_in(&alice, &app, "openid").await;
    let html = owner
        .http()
        .get(server.url(page))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(html.contains("shop-web") && html.contains("https://shop.example/cb"));
    assert!(!html.contains("YOUR_CLIENT_ID"));
    assert!(
        html.contains("/docs/schemes/pkce?lang=en&amp;app=shop-web"),
        "links keep the app"
    );
}
