//! GET `/developer/apps/{client_id}/quickstart`: the provider's endpoint URLs and
//! the docs' runnable samples of the application's scheme (curl, Python authlib, Node
//! openid-client, Rust openidconnect), filled with its `client_id`, redirect URI and
//! scopes. Secrets stay out: samples read the api-key from `CLIENT_SECRET`.

use super::apps::{owned_app, scheme_text};
use super::{QuickstartView, Snippet, UrlLine, path, type_label};
use crate::docs::snippets::{Filled, Scheme, samples};
use crate::pages::PageContext;
use axum::extract::Path;
use axum::response::Response;
use propusk_core::developer::AppType;
use propusk_core::model::Client;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};

/// GET `/developer/apps/{client_id}/quickstart`.
pub async fn show(mut context: PageContext, Path(client_id): Path<String>) -> Response {
    let (_, client) = match owned_app(&mut context, &client_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let config = &context.state.provider.config;
    let app_type = AppType::of(&client);
    let redirect_uri = first_redirect_uri(&client);
    let filled = crate::docs::filled_for(&context, Some(&client)).await;
    let url = |label: &str, route: &str| UrlLine {
        label: context.text(label),
        url: config.url(route),
    };
    let urls = vec![
        url(key!("developer-url-discovery"), routes::DISCOVERY),
        url(key!("developer-url-authorize"), routes::AUTHORIZE),
        url(key!("developer-url-token"), routes::TOKEN),
        url(key!("developer-url-device"), routes::DEVICE_AUTHORIZATION),
        url(key!("developer-url-userinfo"), routes::USERINFO),
        url(key!("developer-url-end-session"), routes::END_SESSION),
    ];
    let view = QuickstartView {
        name: client.name.clone(),
        client_id: client.id.clone(),
        type_label: type_label(&context, app_type),
        scheme: scheme_text(&context, app_type),
        redirect_uri,
        urls,
        snippets: snippets(&context, app_type, &filled),
        back_href: path(&context, routes::DEVELOPER_APP, &client.id),
    };
    context
        .page(&with_id(routes::DEVELOPER_APP_QUICKSTART, &client.id))
        .render(&view)
}

/// The integrator's own first redirect URI (the test callback is the provider's).
fn first_redirect_uri(client: &Client) -> Option<String> {
    client
        .redirect_uris
        .iter()
        .find(|u| !u.ends_with(routes::DEVELOPER_CALLBACK))
        .cloned()
}

fn snippets(context: &PageContext, app_type: AppType, f: &Filled) -> Vec<Snippet> {
    let scheme = match app_type {
        AppType::Web => Scheme::Code,
        AppType::Spa | AppType::Native => Scheme::Pkce,
        AppType::Device => Scheme::Device,
        AppType::Service => Scheme::ClientCredentials,
    };
    samples(scheme, f)
        .into_iter()
        .map(|sample| Snippet {
            id: sample.language,
            title: context.text(&format!("developer-snippet-{}", sample.language)),
            code: sample.code,
        })
        .collect()
}
