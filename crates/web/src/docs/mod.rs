//! The integrator docs at `/docs`: what OpenID Connect is, the terms, the three
//! scenarios, one page per scheme with its sequence diagram and runnable samples, the
//! page for product teams, and reference pages built from the code itself (every path of
//! the route table, every error code and description, the claims, this deployment's
//! products and scopes). Opened from an application of the integrator cabinet
//! (`?app=<client_id>`, for its owners only), the samples carry that application's
//! `client_id`, redirect URI and scopes.
//!
//! The prose is a template per page and language (`docs_<page>.<lang>.html`, English
//! for a language without its own, then Russian), overridable from a theme like every
//! page.

pub mod diagram;
pub mod snippets;

use crate::pages::{PageContext, join};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use propusk_core::developer::Cabinet;
use propusk_core::model::Client;
use propusk_texts::Locale;
use propusk_types::error::ErrorCode;
use propusk_types::routes;
use propusk_types::scope::STANDARD_SCOPES;
use serde::{Deserialize, Serialize};
use snippets::{Filled, Scheme};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(routes::DOCS, get(index))
        .route(routes::DOCS_DIAGRAM, get(diagram_svg))
        .route(routes::DOCS_PAGE, get(page))
}

/// What a page is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Prose only.
    Prose,
    /// Prose with the diagram `diagram` and the samples of the scheme, if any.
    Scheme(&'static str, Option<Scheme>),
    /// Built from the code.
    Reference,
}

/// A docs page: its path under `/docs/`, its name (in `href.<name>`, the nav text key
/// and the template name), and what it holds.
struct Page {
    path: &'static str,
    name: &'static str,
    kind: Kind,
}

const PAGES: &[Page] = &[
    Page {
        path: "",
        name: "index",
        kind: Kind::Prose,
    },
    Page {
        path: "terms",
        name: "terms",
        kind: Kind::Prose,
    },
    Page {
        path: "scenarios",
        name: "scenarios",
        kind: Kind::Prose,
    },
    Page {
        path: "schemes/code",
        name: "code",
        kind: Kind::Scheme("code", Some(Scheme::Code)),
    },
    Page {
        path: "schemes/pkce",
        name: "pkce",
        kind: Kind::Scheme("pkce", Some(Scheme::Pkce)),
    },
    Page {
        path: "schemes/device",
        name: "device",
        kind: Kind::Scheme("device", Some(Scheme::Device)),
    },
    Page {
        path: "schemes/client-credentials",
        name: "client_credentials",
        kind: Kind::Scheme("client-credentials", Some(Scheme::ClientCredentials)),
    },
    Page {
        path: "schemes/password",
        name: "password",
        kind: Kind::Scheme("password", Some(Scheme::Password)),
    },
    Page {
        path: "schemes/partner",
        name: "partner",
        kind: Kind::Scheme("partner", Some(Scheme::TokenExchange)),
    },
    Page {
        path: "schemes/certificate",
        name: "certificate",
        kind: Kind::Scheme("certificate", Some(Scheme::Certificate)),
    },
    Page {
        path: "products",
        name: "products",
        kind: Kind::Prose,
    },
    Page {
        path: "reference/endpoints",
        name: "endpoints",
        kind: Kind::Reference,
    },
    Page {
        path: "reference/errors",
        name: "errors",
        kind: Kind::Reference,
    },
    Page {
        path: "reference/claims",
        name: "claims",
        kind: Kind::Reference,
    },
    Page {
        path: "reference/scopes",
        name: "scopes",
        kind: Kind::Reference,
    },
];

/// The paths of every docs page (for the tests that walk them).
pub fn page_paths() -> impl Iterator<Item = String> {
    PAGES.iter().map(|p| page_path(p.path))
}

fn page_path(path: &str) -> String {
    if path.is_empty() {
        routes::DOCS.to_owned()
    } else {
        format!("{}/{path}", routes::DOCS)
    }
}

#[derive(Deserialize)]
pub struct DocsQuery {
    /// The client id of an application of the reader, from the integrator cabinet.
    app: Option<String>,
}

async fn index(context: PageContext, Query(query): Query<DocsQuery>) -> Response {
    show(context, "", query).await
}

async fn page(
    context: PageContext,
    Path(path): Path<String>,
    Query(query): Query<DocsQuery>,
) -> Response {
    show(context, path.trim_end_matches('/'), query).await
}

#[derive(Serialize)]
struct NavLink {
    href: String,
    title: String,
    current: bool,
    /// Where a group of the nav starts (schemes, reference), its heading.
    group: Option<String>,
}

#[derive(Serialize)]
struct SampleView {
    id: String,
    title: String,
    language: &'static str,
    code: String,
}

#[derive(Serialize)]
struct EndpointLine {
    name: &'static str,
    path: &'static str,
    url: Option<String>,
    discovery: Option<String>,
}

#[derive(Serialize)]
struct ErrorLine {
    name: &'static str,
    status: u16,
    description: String,
    explanation: String,
}

#[derive(Serialize)]
struct CodeGroup {
    code: &'static str,
    explanation: String,
    errors: Vec<ErrorLine>,
}

#[derive(Serialize)]
struct ClaimLine {
    name: &'static str,
    about: String,
}

#[derive(Serialize)]
struct ScopeClaims {
    scope: &'static str,
    claims: Vec<&'static str>,
}

#[derive(Serialize)]
struct ProductLine {
    name: String,
    audience: String,
    token_format: &'static str,
    subject_type: &'static str,
    scopes: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Reference {
    endpoints: Vec<EndpointLine>,
    codes: Vec<CodeGroup>,
    id_token_claims: Vec<ClaimLine>,
    access_token_claims: Vec<ClaimLine>,
    scope_claims: Vec<ScopeClaims>,
    standard_scopes: Vec<&'static str>,
    products: Vec<ProductLine>,
}

#[derive(Serialize)]
struct DocsView {
    page: &'static str,
    title: String,
    nav: Vec<NavLink>,
    issuer: String,
    url: BTreeMap<&'static str, String>,
    client_id: String,
    redirect_uri: String,
    personal: bool,
    app_name: String,
    href: BTreeMap<&'static str, String>,
    samples: Vec<SampleView>,
    diagram: Option<String>,
    reference: Option<Reference>,
}

async fn show(context: PageContext, path: &str, query: DocsQuery) -> Response {
    let Some(page) = PAGES.iter().find(|p| p.path == path) else {
        let error = propusk_core::error::Error::InvalidParameter {
            name: "page",
            reason: "no such page of the docs",
        };
        let mut response = context.error_page(&error, &page_path(path));
        *response.status_mut() = StatusCode::NOT_FOUND;
        return response;
    };
    let app = match query.app.as_deref() {
        Some(client_id) => owned_app(&context, client_id).await,
        None => None,
    };
    let config = &context.state.provider.config;
    let params = link_params(&context, app.as_ref());
    let href: BTreeMap<&'static str, String> = PAGES
        .iter()
        .map(|p| (p.name, join(page_path(p.path), &params)))
        .collect();
    let nav = PAGES
        .iter()
        .map(|p| NavLink {
            href: join(page_path(p.path), &params),
            title: context.text(&format!("docs-nav-{}", p.name.replace('_', "-"))),
            current: p.path == page.path,
            group: match p.name {
                "code" => Some(context.text("docs-nav-group-schemes")),
                "endpoints" => Some(context.text("docs-nav-group-reference")),
                _ => None,
            },
        })
        .collect();
    let filled = filled_for(&context, app.as_ref()).await;
    let (samples, diagram) = match page.kind {
        Kind::Scheme(name, scheme) => {
            let samples = scheme
                .map(|s| snippets::samples(s, &filled))
                .unwrap_or_default()
                .into_iter()
                .map(|s| SampleView {
                    id: format!("sample-{}-{}", page.name, s.language),
                    title: context.text(&format!("docs-sample-{}", s.language)),
                    language: s.language,
                    code: s.code,
                })
                .collect();
            let diagram = format!(
                "{}?lang={}",
                routes::DOCS_DIAGRAM.replace("{name}", &format!("{name}.svg")),
                context.locale.code()
            );
            (samples, Some(diagram))
        }
        _ => (Vec::new(), None),
    };
    let reference = match page.kind {
        Kind::Reference => Some(reference(&context).await),
        _ => None,
    };
    let url: BTreeMap<&'static str, String> = [
        ("discovery", routes::DISCOVERY),
        ("authorize", routes::AUTHORIZE),
        ("token", routes::TOKEN),
        ("userinfo", routes::USERINFO),
        ("device", routes::DEVICE_AUTHORIZATION),
        ("introspect", routes::INTROSPECT),
        ("revocation", routes::REVOCATION),
        ("end_session", routes::END_SESSION),
        ("jwks", routes::JWKS),
        ("register", routes::REGISTRATION),
        ("certificate", routes::CERTIFICATE),
    ]
    .into_iter()
    .map(|(name, route)| (name, config.url(route)))
    .collect();
    let view = DocsView {
        page: page.name,
        title: context.text(&format!("docs-nav-{}", page.name.replace('_', "-"))),
        nav,
        issuer: config.issuer.clone(),
        url,
        client_id: filled.client_id.clone(),
        redirect_uri: filled.redirect_uri.clone(),
        personal: app.is_some(),
        app_name: app.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        href,
        samples,
        diagram,
        reference,
    };
    let template = template_of(&context, page);
    context
        .page(&join(page_path(page.path), &params))
        .render_as(&template, &view)
}

/// `docs_<name>.html` for the reference pages; for prose, the page's language, else
/// English, else Russian.
fn template_of(context: &PageContext, page: &Page) -> String {
    if page.kind == Kind::Reference {
        return format!("docs_{}.html", page.name);
    }
    let theme = &context.state.theme;
    [context.locale.code(), "en", "ru"]
        .iter()
        .map(|lang| format!("docs_{}.{lang}.html", page.name))
        .find(|name| theme.has_template(name))
        .unwrap_or_else(|| format!("docs_{}.ru.html", page.name))
}

/// The application `client_id` when the browser's signed-in account owns it.
async fn owned_app(context: &PageContext, client_id: &str) -> Option<Client> {
    let session = context.session().await?;
    let provider = &context.state.provider;
    let account = provider
        .store
        .get_account(&session.account_id)
        .await
        .ok()
        .flatten()?;
    Cabinet::new(provider).owned(&account, client_id).await.ok()
}

/// The query every docs link carries on: the chosen language, the application.
fn link_params(context: &PageContext, app: Option<&Client>) -> Vec<String> {
    let mut params = vec![context.lang_param()];
    if let Some(app) = app {
        params.push(app_param(&app.id));
    }
    params
}

/// `app=<client id>`: the docs filled in for that application (for its owners).
pub(crate) fn app_param(client_id: &str) -> String {
    let id: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    format!("app={id}")
}

/// The values the samples are filled with: the application's, else placeholders.
pub(crate) async fn filled_for(context: &PageContext, app: Option<&Client>) -> Filled {
    let config = &context.state.provider.config;
    let products = context
        .state
        .provider
        .store
        .list_products()
        .await
        .unwrap_or_default();
    let product_scopes: Vec<&str> = match app {
        Some(app) => app
            .scope
            .iter()
            .filter(|s| products.iter().any(|p| p.owns_scope(s)))
            .collect(),
        None => Vec::new(),
    };
    let product_scope = if product_scopes.is_empty() {
        "orders.read".to_owned()
    } else {
        product_scopes.join(" ")
    };
    let mut scope = vec!["openid", "profile"];
    scope.extend(product_scopes.iter().copied());
    Filled {
        issuer: config.issuer.clone(),
        authorize: config.url(routes::AUTHORIZE),
        token: config.url(routes::TOKEN),
        device: config.url(routes::DEVICE_AUTHORIZATION),
        certificate: config.url(routes::CERTIFICATE),
        client_id: app.map_or_else(|| "YOUR_CLIENT_ID".to_owned(), |a| a.id.clone()),
        redirect_uri: app
            .and_then(|a| {
                a.redirect_uris
                    .iter()
                    .find(|u| !u.ends_with(routes::DEVELOPER_CALLBACK))
                    .cloned()
            })
            .unwrap_or_else(|| "https://app.example/callback".to_owned()),
        scope: scope.join(" "),
        product_scope,
    }
}

/// Claims of the ID token (OIDC Core §2, §3.1.3.6, Front-Channel Logout §3) and of the
/// access token (RFC 9068 §2.2, RFC 8693 §4.1, RFC 8176) as this provider issues them.
const ID_TOKEN_CLAIMS: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "at_hash",
    "sid",
];
const ACCESS_TOKEN_CLAIMS: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "client_id",
    "iat",
    "exp",
    "jti",
    "scope",
    "auth_time",
    "acr",
    "amr",
    "act",
];

async fn reference(context: &PageContext) -> Reference {
    let provider = &context.state.provider;
    let config = &provider.config;
    let metadata = provider
        .metadata()
        .await
        .ok()
        .and_then(|m| serde_json::to_value(m).ok())
        .unwrap_or_default();
    let in_discovery = |url: &str| -> Option<String> {
        metadata.as_object().and_then(|fields| {
            fields
                .iter()
                .find(|(_, v)| v.as_str() == Some(url))
                .map(|(k, _)| k.clone())
        })
    };
    let endpoints = routes::ALL
        .iter()
        .map(|(name, path)| {
            let url = (!path.contains('{')).then(|| config.url(path));
            EndpointLine {
                name,
                path,
                discovery: url.as_deref().and_then(in_discovery),
                url,
            }
        })
        .collect();
    let catalogue = propusk_core::error::catalogue();
    let codes = ErrorCode::ALL
        .iter()
        .map(|code| CodeGroup {
            code: code.as_str(),
            explanation: context.text(&format!("docs-code-{}", code.as_str())),
            errors: catalogue
                .iter()
                .filter(|(_, e)| e.code() == *code)
                .map(|(name, e)| ErrorLine {
                    name,
                    status: crate::error::status_of(e).as_u16(),
                    description: e.description(),
                    explanation: context.text(&format!("docs-error-{name}")),
                })
                .collect(),
        })
        .collect();
    let claim = |prefix: &str, name: &'static str| ClaimLine {
        name,
        about: context.text(&format!("docs-claim-{prefix}-{}", name.replace('_', "-"))),
    };
    let products = provider
        .store
        .list_products()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|p| ProductLine {
            name: p.name.clone(),
            audience: p.audience.clone(),
            token_format: p.token_format.as_str(),
            subject_type: p.subject_type.as_str(),
            scopes: p
                .scopes
                .iter()
                .map(|s| {
                    let about = if context.locale == Locale::RU {
                        s.description_ru
                            .clone()
                            .or_else(|| s.description_en.clone())
                    } else {
                        s.description_en
                            .clone()
                            .or_else(|| s.description_ru.clone())
                    };
                    (s.name.clone(), about.unwrap_or_default())
                })
                .collect(),
        })
        .collect();
    Reference {
        endpoints,
        codes,
        id_token_claims: ID_TOKEN_CLAIMS.iter().map(|n| claim("id", n)).collect(),
        access_token_claims: ACCESS_TOKEN_CLAIMS
            .iter()
            .map(|n| claim("access", n))
            .collect(),
        scope_claims: ["profile", "email", "address", "phone"]
            .into_iter()
            .map(|scope| ScopeClaims {
                scope,
                claims: propusk_core::claims::claims_of_scope(scope).to_vec(),
            })
            .collect(),
        standard_scopes: STANDARD_SCOPES.to_vec(),
        products,
    }
}

/// GET `/docs/diagrams/{scheme}.svg`: the scheme's sequence diagram in the page language.
async fn diagram_svg(context: PageContext, Path(name): Path<String>) -> Response {
    let Some(diagram) = name.strip_suffix(".svg").and_then(diagram::diagram) else {
        return (StatusCode::NOT_FOUND, "no such diagram").into_response();
    };
    let title = context.text(&format!("docs-nav-{}", name.trim_end_matches(".svg")));
    let svg = diagram.svg(context.locale, &title, |key| context.text(key));
    let mut response = svg.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Theme;

    /// The keys the docs build at run time (nav, samples, parties, claims, error codes
    /// and descriptions) exist in every built-in language.
    #[test]
    fn every_key_built_at_run_time_exists_in_both_languages() {
        let theme = Theme::builtin();
        let texts = &theme.texts;
        let mut keys: Vec<String> = Vec::new();
        for page in PAGES {
            keys.push(format!("docs-nav-{}", page.name.replace('_', "-")));
        }
        for language in ["curl", "python", "node", "rust"] {
            keys.push(format!("docs-sample-{language}"));
        }
        for party in [
            diagram::Party::Person,
            diagram::Party::Browser,
            diagram::Party::Device,
            diagram::Party::App,
            diagram::Party::Provider,
            diagram::Party::Product,
            diagram::Party::Partner,
        ] {
            keys.push(party.key().to_owned());
        }
        for name in ID_TOKEN_CLAIMS {
            keys.push(format!("docs-claim-id-{}", name.replace('_', "-")));
        }
        for name in ACCESS_TOKEN_CLAIMS {
            keys.push(format!("docs-claim-access-{}", name.replace('_', "-")));
        }
        for code in ErrorCode::ALL {
            keys.push(format!("docs-code-{}", code.as_str()));
        }
        for (name, _) in propusk_core::error::catalogue() {
            keys.push(format!("docs-error-{name}"));
        }
        for key in &keys {
            for locale in [Locale::RU, Locale::EN] {
                assert!(texts.has(locale, key), "{key} missing in {}", locale.code());
            }
        }
    }

    #[test]
    fn every_page_has_its_templates() {
        let theme = Theme::builtin();
        for page in PAGES {
            let names: Vec<String> = if page.kind == Kind::Reference {
                vec![format!("docs_{}.html", page.name)]
            } else {
                ["ru", "en"]
                    .iter()
                    .map(|lang| format!("docs_{}.{lang}.html", page.name))
                    .collect()
            };
            for name in names {
                assert!(theme.has_template(&name), "{name} missing");
            }
        }
    }
}
