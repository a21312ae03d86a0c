//! One typed context per cabinet template (`developer_*.html`), as in `crate::pages`.

use crate::pages::View;
use serde::Serialize;

macro_rules! view {
    ($name:ident, $template:literal) => {
        impl View for $name {
            const TEMPLATE: &'static str = $template;
        }
    };
}

#[derive(Serialize)]
pub struct TermsView {
    pub who: String,
    pub action: String,
    pub csrf: String,
    pub error: Option<String>,
}
view!(TermsView, "developer_terms.html");

#[derive(Serialize)]
pub struct AppLine {
    pub name: String,
    pub client_id: String,
    pub type_label: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct AppsView {
    pub apps: Vec<AppLine>,
    pub new_href: String,
    pub notice: Option<String>,
}
view!(AppsView, "developer_apps.html");

#[derive(Serialize)]
pub struct TypeChoice {
    pub value: &'static str,
    pub label: String,
    pub about: String,
    pub checked: bool,
}

#[derive(Serialize)]
pub struct NewAppView {
    pub action: String,
    pub csrf: String,
    pub name: String,
    pub types: Vec<TypeChoice>,
    pub client_uri: String,
    pub policy_uri: String,
    pub tos_uri: String,
    pub error: Option<String>,
    pub back_href: String,
}
view!(NewAppView, "developer_new.html");

/// The settings form's values (lists one URI per line).
#[derive(Serialize)]
pub struct SettingsForm {
    pub name: String,
    pub client_uri: String,
    pub policy_uri: String,
    pub tos_uri: String,
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub backchannel_logout_uri: String,
    pub frontchannel_logout_uri: String,
    pub access_token_lifetime: String,
    pub id_token_lifetime: String,
    pub refresh_token_lifetime: String,
    pub pairwise: bool,
    /// The app signs its token requests with its own keys instead of api-keys.
    pub private_key_jwt: bool,
    pub jwks_uri: String,
    pub jwks: String,
}

#[derive(Serialize)]
pub struct KeyLine {
    pub id: String,
    pub name: String,
    pub created: String,
    pub expires: Option<String>,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
    pub revoke_action: String,
}

#[derive(Serialize)]
pub struct ScopeRequestLine {
    pub scope: String,
    pub product: String,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Serialize)]
pub struct ScopeOption {
    pub scope: String,
    pub product: String,
    pub approval: bool,
}

#[derive(Serialize)]
pub struct OwnerLine {
    pub who: String,
}

#[derive(Serialize)]
pub struct UsageLine {
    pub day: String,
    pub sign_ins: i64,
    pub tokens: i64,
}

#[derive(Serialize)]
pub struct AppView {
    pub name: String,
    pub client_id: String,
    pub type_label: String,
    pub scheme: String,
    pub public: bool,
    pub uses_redirects: bool,
    pub uses_keys: bool,
    pub logo_src: Option<String>,
    pub test_callback: String,
    pub csrf: String,
    pub settings_action: String,
    pub settings: SettingsForm,
    pub settings_error: Option<String>,
    pub lifetime_hint: String,
    pub keys: Vec<KeyLine>,
    pub keys_action: String,
    pub keys_error: Option<String>,
    pub allowed_scopes: Vec<String>,
    pub requests: Vec<ScopeRequestLine>,
    pub scope_options: Vec<ScopeOption>,
    pub scopes_action: String,
    pub scopes_error: Option<String>,
    pub owners: Vec<OwnerLine>,
    pub team_action: String,
    pub team_error: Option<String>,
    pub logo_action: String,
    pub logo_error: Option<String>,
    pub usage: Vec<UsageLine>,
    pub quickstart_href: String,
    /// The integrator docs with samples filled for this application.
    pub docs_href: String,
    pub test_href: Option<String>,
    pub apps_href: String,
    pub notice: Option<String>,
}
view!(AppView, "developer_app.html");

#[derive(Serialize)]
pub struct KeyCreatedView {
    pub app_name: String,
    pub client_id: String,
    pub key_name: String,
    pub value: String,
    pub expires: Option<String>,
    pub back_href: String,
}
view!(KeyCreatedView, "developer_key.html");

#[derive(Serialize)]
pub struct Snippet {
    pub id: &'static str,
    pub title: String,
    pub code: String,
}

#[derive(Serialize)]
pub struct UrlLine {
    pub label: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct QuickstartView {
    pub name: String,
    pub client_id: String,
    pub type_label: String,
    pub scheme: String,
    pub redirect_uri: Option<String>,
    pub urls: Vec<UrlLine>,
    pub snippets: Vec<Snippet>,
    pub back_href: String,
}
view!(QuickstartView, "developer_quickstart.html");

/// The step of a device's test sign-in: confirm the user code, then fetch the tokens.
#[derive(Serialize)]
pub struct DeviceStep {
    pub user_code: String,
    pub verify_href: String,
    pub poll_href: String,
    /// Shown when the tokens were asked for before the code was confirmed.
    pub pending: bool,
}

#[derive(Serialize)]
pub struct TestView {
    pub name: String,
    pub device: Option<DeviceStep>,
    pub error: Option<String>,
    pub id_token: Option<String>,
    pub access_token: String,
    pub access_token_claims: Option<String>,
    pub userinfo: Option<String>,
    pub again_href: Option<String>,
    pub back_href: String,
}
view!(TestView, "developer_test.html");

#[cfg(test)]
mod tests;
