//! Start-up: bind, register the demo at the provider, configure the relying parties from
//! discovery, and serve the index, the two apps and the product on one port.

use crate::apps::{self, App};
use crate::args::Args;
use crate::pages::{self, esc};
use crate::product::accounts::Accounts;
use crate::product::{self, Product};
use crate::register::{Admin, ClientSpec, PRODUCT, PRODUCT_SCOPE};
use crate::rp::{self, RelyingParty};
use crate::sessions::Sessions;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use propusk_product::{ProductConfig, Validator};
use std::sync::Arc;

pub async fn run(args: Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("listening on {}: {e}", args.listen))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("the listening address: {e}"))?
        .port();
    let origin_a = format!("http://{}:{port}", args.host_a);
    let origin_b = format!("http://{}:{port}", args.host_b);
    let product_origin = origin_a.clone();

    let admin = Admin::from_args(&args);
    admin.ensure_product().await?;
    if let (Some(login), Some(password)) = (&args.user, &args.password) {
        admin.ensure_user(login, password).await;
    }
    let start = Start {
        args: &args,
        admin,
        http: rp::http_client()?,
        product_origin,
    };
    let app_a = app_site(&start, apps::APP_A, origin_a).await?;
    let app_b = app_site(&start, apps::APP_B, origin_b).await?;
    let product = product_site(&start, [&app_a, &app_b]).await?;

    let sites = (app_a.clone(), app_b.clone(), product.clone());
    let router = Router::new()
        .route(
            "/",
            get(move || async move { index_page(&sites.0, &sites.1, &sites.2) }),
        )
        .route("/demo.css", get(|| async { pages::stylesheet() }))
        .route("/favicon.svg", get(|| async { pages::favicon() }))
        .merge(apps::routes(app_a.clone()))
        .merge(apps::routes(app_b.clone()))
        .merge(product::routes(product.clone()));

    // Scripts and tests wait for this line.
    println!("propusk-demo on http://{}:{port}", args.host_a);
    println!("  App A    {}/a", app_a.origin);
    println!("  App B    {}/b", app_b.origin);
    println!("  product  {}/product", product.origin);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("serving: {e}"))
}

/// What the start-up of every site needs.
struct Start<'a> {
    args: &'a Args,
    admin: Admin,
    http: reqwest::Client,
    product_origin: String,
}

/// An app on `origin`: registered afresh, its relying party configured from discovery.
async fn app_site(
    start: &Start<'_>,
    who: apps::Identity,
    origin: String,
) -> Result<Arc<App>, String> {
    let registered = start
        .admin
        .register_client(ClientSpec {
            client_id: who.client_id,
            name: who.name,
            redirect_uri: format!("{origin}{}/callback", who.base),
            scope: &format!("openid profile email {PRODUCT_SCOPE}"),
            first_party: false,
        })
        .await?;
    let rp = RelyingParty::discover(
        &start.args.issuer,
        who.client_id,
        &registered.secret,
        &registered.redirect_uri,
        start.http.clone(),
    )
    .await?;
    Ok(Arc::new(App {
        base: who.base,
        site: who.site,
        name: who.name,
        client_id: who.client_id.to_owned(),
        origin,
        rp,
        sessions: Sessions::new(who.cookie, who.base),
        http: start.http.clone(),
        product_origin: start.product_origin.clone(),
    }))
}

/// The product: its page registered afresh as a client, its API's validator, its store.
async fn product_site(start: &Start<'_>, apps: [&Arc<App>; 2]) -> Result<Arc<Product>, String> {
    let client_id = "demo-product-web";
    let args = start.args;
    let origin = &start.product_origin;
    let registered = start
        .admin
        .register_client(ClientSpec {
            client_id,
            name: "Demo product",
            redirect_uri: format!("{origin}/product/callback"),
            scope: &format!("openid {PRODUCT_SCOPE}"),
            first_party: true,
        })
        .await?;
    let rp = RelyingParty::discover(
        &args.issuer,
        client_id,
        &registered.secret,
        &registered.redirect_uri,
        start.http.clone(),
    )
    .await?;
    Ok(Arc::new(Product {
        origin: origin.to_owned(),
        rp,
        client_id: client_id.to_owned(),
        validator: Validator::new(ProductConfig::new(&args.issuer, PRODUCT)),
        accounts: Accounts::open(&args.store)?,
        sessions: Sessions::new("demo_product", "/product"),
        apps: apps
            .iter()
            .map(|app| {
                (
                    app.client_id.clone(),
                    app.name,
                    format!("{}{}", app.origin, app.base),
                )
            })
            .collect(),
    }))
}

/// The index: what the demo is and where its three sites are.
fn index_page(a: &App, b: &App, product: &Product) -> Response {
    let link = |id: &str, url: String, text: &str| {
        format!(
            "<a class=\"button\" id=\"{id}\" href=\"{}\">{}</a>",
            esc(&url),
            esc(text)
        )
    };
    let body = format!(
        "<p>Two integrators' applications and a product, all signing people in with \
         Propusk at <code>{issuer}</code>.</p>\
         <ol><li>Sign in to App A: its page shows the ID token's claims and UserInfo.</li>\
         <li>From App A, call the product API with your access token.</li>\
         <li>From App A, open the product's own page: single sign-on, and a product account \
         created on your first entry. Then sign in to App B (a different host, so a \
         different subject of you) and open the product from there: the same account.</li></ol>\
         <p>{a}{b}{p}</p>",
        issuer = esc(product.validator.config().issuer.as_str()),
        a = link("app-a", format!("{}{}", a.origin, a.base), "App A"),
        b = link("app-b", format!("{}{}", b.origin, b.base), "App B"),
        p = link(
            "product",
            format!("{}/product", product.origin),
            "The product"
        ),
    );
    pages::page("index", "Propusk demo", "Three scenarios end to end", &body)
}

/// SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
