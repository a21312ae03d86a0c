//! GET `/developer/apps/{client_id}/quickstart`: the provider's endpoint URLs and
//! copy-paste requests for the application's scheme (curl, Python authlib, Node
//! openid-client, Rust openidconnect), filled with its `client_id` and redirect URI.
//! Secrets stay out: snippets read the api-key from `CLIENT_SECRET`.

use super::apps::{owned_app, scheme_text};
use super::{QuickstartView, Snippet, UrlLine, path, type_label};
use crate::pages::PageContext;
use axum::extract::Path;
use axum::response::Response;
use propusk_core::developer::AppType;
use propusk_core::model::Client;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};

/// What the snippets are filled with.
struct Filled {
    issuer: String,
    authorize: String,
    token: String,
    device: String,
    client_id: String,
    redirect_uri: String,
    scope: &'static str,
}

/// GET `/developer/apps/{client_id}/quickstart`.
pub async fn show(mut context: PageContext, Path(client_id): Path<String>) -> Response {
    let (_, client) = match owned_app(&mut context, &client_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let config = &context.state.provider.config;
    let app_type = AppType::of(&client);
    let redirect_uri = first_redirect_uri(&client);
    let filled = Filled {
        issuer: config.issuer.clone(),
        authorize: config.url(routes::AUTHORIZE),
        token: config.url(routes::TOKEN),
        device: config.url(routes::DEVICE_AUTHORIZATION),
        client_id: client.id.clone(),
        redirect_uri: redirect_uri
            .clone()
            .unwrap_or_else(|| "https://app.example/callback".into()),
        scope: "openid profile email",
    };
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
    let snippet = |id: &'static str, title: &str, code: String| Snippet {
        id,
        title: context.text(title),
        code,
    };
    vec![
        snippet("curl", key!("developer-snippet-curl"), curl(app_type, f)),
        snippet(
            "python",
            key!("developer-snippet-python"),
            python(app_type, f),
        ),
        snippet("node", key!("developer-snippet-node"), node(app_type, f)),
        snippet("rust", key!("developer-snippet-rust"), rust(app_type, f)),
    ]
}

fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn curl(app_type: AppType, f: &Filled) -> String {
    let Filled {
        authorize,
        token,
        device,
        client_id,
        redirect_uri,
        scope,
        ..
    } = f;
    let redirect = encoded(redirect_uri);
    let scope_q = encoded(scope);
    match app_type {
        AppType::Web => format!(
            "# 1. Open in a browser and sign in; {redirect_uri} receives ?code=…\n\
             echo '{authorize}?response_type=code&client_id={client_id}&redirect_uri={redirect}&scope={scope_q}&state=xyz'\n\
             # 2. Exchange the code: CODE from the redirect, CLIENT_SECRET an api-key of the app\n\
             curl -s -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             -d grant_type=authorization_code -d \"code=$CODE\" \\\n  \
             --data-urlencode 'redirect_uri={redirect_uri}' \\\n  \
             {token}\n"
        ),
        AppType::Spa | AppType::Native => format!(
            "CODE_VERIFIER=$(openssl rand -hex 32)\n\
             CODE_CHALLENGE=$(printf %s \"$CODE_VERIFIER\" | openssl dgst -sha256 -binary | openssl base64 | tr '+/' '-_' | tr -d '=\\n')\n\
             # 1. Open in a browser and sign in; {redirect_uri} receives ?code=…\n\
             echo \"{authorize}?response_type=code&client_id={client_id}&redirect_uri={redirect}&scope={scope_q}&state=xyz&code_challenge=$CODE_CHALLENGE&code_challenge_method=S256\"\n\
             # 2. Exchange the code with the verifier (a public client has no secret)\n\
             curl -s -d grant_type=authorization_code -d client_id={client_id} \\\n  \
             -d \"code=$CODE\" -d \"code_verifier=$CODE_VERIFIER\" \\\n  \
             --data-urlencode 'redirect_uri={redirect_uri}' \\\n  \
             {token}\n"
        ),
        AppType::Device => format!(
            "# 1. Ask for a user code; show verification_uri_complete (or the QR code) to the user\n\
             curl -s -d client_id={client_id} -d 'scope={scope}' {device}\n\
             # 2. Poll every `interval` seconds with the device_code until tokens come\n\
             curl -s -d grant_type=urn:ietf:params:oauth:grant-type:device_code \\\n  \
             -d client_id={client_id} -d \"device_code=$DEVICE_CODE\" \\\n  \
             {token}\n"
        ),
        AppType::Service => format!(
            "# CLIENT_SECRET is an api-key of the app\n\
             curl -s -u \"{client_id}:$CLIENT_SECRET\" -d grant_type=client_credentials \\\n  \
             {token}\n"
        ),
    }
}

fn python(app_type: AppType, f: &Filled) -> String {
    let Filled {
        authorize,
        token,
        device,
        client_id,
        redirect_uri,
        scope,
        ..
    } = f;
    match app_type {
        AppType::Web => format!(
            "import os\nfrom authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", os.environ[\"CLIENT_SECRET\"],\n    \
             scope=\"{scope}\", redirect_uri=\"{redirect_uri}\")\n\
             url, state = client.create_authorization_url(\"{authorize}\")\n\
             # send the browser to url; at the redirect URI:\n\
             tokens = client.fetch_token(\"{token}\", authorization_response=callback_url)\n"
        ),
        AppType::Spa | AppType::Native => format!(
            "from authlib.common.security import generate_token\n\
             from authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", scope=\"{scope}\",\n    \
             redirect_uri=\"{redirect_uri}\", code_challenge_method=\"S256\",\n    \
             token_endpoint_auth_method=\"none\")\n\
             verifier = generate_token(48)\n\
             url, state = client.create_authorization_url(\"{authorize}\", code_verifier=verifier)\n\
             # send the browser to url; at the redirect URI:\n\
             tokens = client.fetch_token(\"{token}\", authorization_response=callback_url,\n    \
             code_verifier=verifier)\n"
        ),
        AppType::Device => format!(
            "import time, requests\n\n\
             start = requests.post(\"{device}\", data={{\"client_id\": \"{client_id}\", \"scope\": \"{scope}\"}}).json()\n\
             print(\"Open\", start[\"verification_uri_complete\"])\n\
             while True:\n    \
             time.sleep(start.get(\"interval\", 5))\n    \
             answer = requests.post(\"{token}\", data={{\n        \
             \"grant_type\": \"urn:ietf:params:oauth:grant-type:device_code\",\n        \
             \"client_id\": \"{client_id}\", \"device_code\": start[\"device_code\"]}}).json()\n    \
             if \"access_token\" in answer:\n        \
             break\n"
        ),
        AppType::Service => format!(
            "import os\nfrom authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", os.environ[\"CLIENT_SECRET\"])\n\
             tokens = client.fetch_token(\"{token}\", grant_type=\"client_credentials\")\n"
        ),
    }
}

fn node(app_type: AppType, f: &Filled) -> String {
    let Filled {
        issuer,
        client_id,
        redirect_uri,
        scope,
        ..
    } = f;
    let head = format!(
        "import {{ Issuer, generators }} from 'openid-client';\n\n\
         const issuer = await Issuer.discover('{issuer}');\n"
    );
    let body = match app_type {
        AppType::Web => format!(
            "const client = new issuer.Client({{ client_id: '{client_id}',\n  \
             client_secret: process.env.CLIENT_SECRET, redirect_uris: ['{redirect_uri}'] }});\n\
             const state = generators.state();\n\
             const url = client.authorizationUrl({{ scope: '{scope}', state }});\n\
             // send the browser to url; at the redirect URI:\n\
             const tokens = await client.callback('{redirect_uri}', client.callbackParams(req), {{ state }});\n"
        ),
        AppType::Spa | AppType::Native => format!(
            "const client = new issuer.Client({{ client_id: '{client_id}',\n  \
             token_endpoint_auth_method: 'none', redirect_uris: ['{redirect_uri}'] }});\n\
             const code_verifier = generators.codeVerifier();\n\
             const url = client.authorizationUrl({{ scope: '{scope}',\n  \
             code_challenge: generators.codeChallenge(code_verifier), code_challenge_method: 'S256' }});\n\
             // send the browser to url; at the redirect URI:\n\
             const tokens = await client.callback('{redirect_uri}', client.callbackParams(req), {{ code_verifier }});\n"
        ),
        AppType::Device => format!(
            "const client = new issuer.Client({{ client_id: '{client_id}', token_endpoint_auth_method: 'none' }});\n\
             const handle = await client.deviceAuthorization({{ scope: '{scope}' }});\n\
             console.log('Open', handle.verification_uri_complete);\n\
             const tokens = await handle.poll();\n"
        ),
        AppType::Service => format!(
            "const client = new issuer.Client({{ client_id: '{client_id}', client_secret: process.env.CLIENT_SECRET }});\n\
             const tokens = await client.grant({{ grant_type: 'client_credentials' }});\n"
        ),
    };
    head + &body
}

fn rust(app_type: AppType, f: &Filled) -> String {
    let Filled {
        issuer,
        client_id,
        redirect_uri,
        ..
    } = f;
    let secret = if app_type.uses_keys() {
        "Some(ClientSecret::new(std::env::var(\"CLIENT_SECRET\")?))"
    } else {
        "None"
    };
    let head = format!(
        "use openidconnect::core::*;\nuse openidconnect::reqwest::async_http_client;\nuse openidconnect::*;\n\n\
         let issuer = IssuerUrl::new(\"{issuer}\".into())?;\n\
         let metadata = CoreProviderMetadata::discover_async(issuer, async_http_client).await?;\n\
         let client = CoreClient::from_provider_metadata(metadata,\n    \
         ClientId::new(\"{client_id}\".into()), {secret})\n"
    );
    let body = match app_type {
        AppType::Web | AppType::Spa | AppType::Native => format!(
            "    .set_redirect_uri(RedirectUrl::new(\"{redirect_uri}\".into())?);\n\
             let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();\n\
             let (url, state, nonce) = client\n    \
             .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)\n    \
             .add_scope(Scope::new(\"profile\".into()))\n    \
             .set_pkce_challenge(challenge)\n    \
             .url();\n\
             // send the browser to url; at the redirect URI, with its code:\n\
             let tokens = client.exchange_code(AuthorizationCode::new(code))\n    \
             .set_pkce_verifier(verifier)\n    \
             .request_async(async_http_client).await?;\n"
        ),
        AppType::Device => {
            "    .set_device_authorization_uri(DeviceAuthorizationUrl::new(\n        \
             format!(\"{}/connect/deviceauthorization\", issuer.as_str()))?);\n\
             let details: CoreDeviceAuthorizationResponse = client.exchange_device_code()?\n    \
             .request_async(async_http_client).await?;\n\
             println!(\"Open {}\", details.verification_uri().as_str());\n\
             let tokens = client.exchange_device_access_token(&details)\n    \
             .request_async(async_http_client, tokio::time::sleep, None).await?;\n"
                .to_owned()
        }
        AppType::Service => ";\nlet tokens = client.exchange_client_credentials()\n    \
             .request_async(async_http_client).await?;\n"
            .to_owned(),
    };
    head + &body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> Filled {
        Filled {
            issuer: "https://id.example".into(),
            authorize: "https://id.example/connect/authorize".into(),
            token: "https://id.example/connect/token".into(),
            device: "https://id.example/connect/deviceauthorization".into(),
            client_id: "app-1".into(),
            redirect_uri: "https://rp.example/cb".into(),
            scope: "openid profile email",
        }
    }

    #[test]
    fn every_snippet_names_the_client_and_its_endpoints() {
        let f = filled();
        for t in AppType::ALL {
            for code in [curl(t, &f), python(t, &f), node(t, &f), rust(t, &f)] {
                assert!(code.contains("app-1"), "{}: {code}", t.as_str());
                assert!(!code.contains("{client_id}"), "{code}");
            }
            assert!(curl(t, &f).contains("https://id.example/connect/token"));
        }
        assert!(curl(AppType::Web, &f).contains("redirect_uri=https%3A%2F%2Frp.example%2Fcb"));
        assert!(curl(AppType::Spa, &f).contains("code_verifier"));
        assert!(curl(AppType::Service, &f).contains("client_credentials"));
        assert!(!curl(AppType::Spa, &f).contains("CLIENT_SECRET"));
    }
}
