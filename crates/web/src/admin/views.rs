//! One typed context per console template (`admin_*.html`), as in `crate::pages`. Every
//! page of the console carries the navigation ([`Nav`]) that `admin_base.html` shows.

use crate::pages::View;
use serde::Serialize;

macro_rules! view {
    ($name:ident, $template:literal) => {
        impl View for $name {
            const TEMPLATE: &'static str = $template;
        }
    };
}

/// One link of the console's navigation.
#[derive(Clone, Serialize)]
pub struct NavLink {
    pub id: &'static str,
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The navigation and who is signed in, on every console page.
#[derive(Clone, Serialize)]
pub struct Nav {
    pub links: Vec<NavLink>,
    pub who: String,
    pub cabinet_href: String,
}

/// The operator may not use the console yet: a second factor is missing from the
/// sign-in (`enrolled`: sign in again) or from the account (enrol one in the cabinet).
#[derive(Serialize)]
pub struct FactorView {
    pub enrolled: bool,
    pub security_href: String,
    pub sign_out_action: String,
    pub csrf: String,
}
view!(FactorView, "admin_factor.html");

/// A number on the dashboard.
#[derive(Serialize)]
pub struct Tile {
    pub id: &'static str,
    pub label: String,
    pub count: i64,
    /// The audit log filtered to these events.
    pub href: String,
}

#[derive(Serialize)]
pub struct DashboardView {
    pub nav: Nav,
    pub day: String,
    pub tiles: Vec<Tile>,
    /// Every kind of event today, `(kind, count, audit href)`.
    pub kinds: Vec<(String, i64, String)>,
    /// Tokens issued today by grant type, `(grant type, count, audit href)`.
    pub tokens: Vec<(String, i64, String)>,
}
view!(DashboardView, "admin_dashboard.html");

#[derive(Serialize)]
pub struct UserLine {
    pub id: String,
    pub login: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub blocked: bool,
    pub href: String,
}

#[derive(Serialize)]
pub struct UsersView {
    pub nav: Nav,
    pub action: String,
    pub chosen_lang: Option<&'static str>,
    pub q: String,
    pub users: Vec<UserLine>,
    pub next_href: Option<String>,
}
view!(UsersView, "admin_users.html");

/// A form of one button.
#[derive(Serialize)]
pub struct ActionForm {
    pub id: &'static str,
    pub action: String,
    pub label: String,
    /// A destructive action asks to tick a confirmation first.
    pub confirm: Option<String>,
    pub danger: bool,
}

#[derive(Serialize)]
pub struct UserView {
    pub nav: Nav,
    pub id: String,
    pub login: String,
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub phone: String,
    pub phone_verified: bool,
    pub blocked: bool,
    pub operator: bool,
    pub second_factor: bool,
    pub created: String,
    pub notice: Option<String>,
    pub csrf: String,
    pub actions: Vec<ActionForm>,
    pub audit_href: String,
    pub back_href: String,
}
view!(UserView, "admin_user.html");

#[derive(Serialize)]
pub struct EventLine {
    pub at: String,
    pub kind: String,
    pub account: String,
    pub account_href: Option<String>,
    pub client: String,
    pub actor: String,
    pub ip: String,
    pub detail: String,
}

#[derive(Serialize)]
pub struct AuditView {
    pub nav: Nav,
    pub action: String,
    /// The language the switcher chose, kept by the filter form.
    pub chosen_lang: Option<&'static str>,
    pub account_id: String,
    pub client_id: String,
    pub kind: String,
    pub kinds: Vec<&'static str>,
    pub since: String,
    pub until: String,
    pub error: Option<String>,
    pub events: Vec<EventLine>,
    pub next_href: Option<String>,
}
view!(AuditView, "admin_audit.html");

#[derive(Serialize)]
pub struct KeyLine {
    pub kid: String,
    pub alg: String,
    pub state: &'static str,
    pub state_label: String,
    pub created: String,
    pub active_from: String,
    pub retired: String,
    pub unpublish: String,
}

#[derive(Serialize)]
pub struct KeysView {
    pub nav: Nav,
    pub keys: Vec<KeyLine>,
    pub notice: Option<String>,
    pub rotate_action: String,
    pub csrf: String,
}
view!(KeysView, "admin_keys.html");

#[derive(Serialize)]
pub struct ClientLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub suspended: bool,
    /// The product whose introspection credentials the client is.
    pub product: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct ClientsView {
    pub nav: Nav,
    pub clients: Vec<ClientLine>,
    pub next_href: Option<String>,
}
view!(ClientsView, "admin_clients.html");

#[derive(Serialize)]
pub struct SecretLine {
    pub id: String,
    pub name: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub revoked: String,
    pub live: bool,
}

#[derive(Serialize)]
pub struct ClientView {
    pub nav: Nav,
    pub summary: ClientLine,
    pub grant_types: Vec<String>,
    pub scope: String,
    /// One a line, as the form edits them.
    pub redirect_uris: String,
    pub uses_redirects: bool,
    pub created: String,
    pub notice: Option<String>,
    pub csrf: String,
    /// Suspends a working client, resumes a suspended one.
    pub suspend_action: String,
    pub redirects_action: String,
    pub secret_action: String,
    pub revoke_action: String,
    /// None when the client authenticates without an api-key.
    pub secrets: Option<Vec<SecretLine>>,
    pub audit_href: String,
    pub back_href: String,
}
view!(ClientView, "admin_client.html");

/// A new api-key, shown this once.
#[derive(Serialize)]
pub struct SecretIssuedView {
    pub nav: Nav,
    pub client_id: String,
    pub value: String,
    pub back_href: String,
}
view!(SecretIssuedView, "admin_secret.html");

#[derive(Serialize)]
pub struct ProductLine {
    pub audience: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub token_format: String,
    pub approval_required: bool,
    pub href: String,
}

#[derive(Serialize)]
pub struct ProductsView {
    pub nav: Nav,
    pub products: Vec<ProductLine>,
    pub next_href: Option<String>,
    pub notice: Option<String>,
    pub create_action: String,
    pub csrf: String,
}
view!(ProductsView, "admin_products.html");

#[derive(Serialize)]
pub struct ProductView {
    pub nav: Nav,
    pub summary: ProductLine,
    pub signing_alg: String,
    pub subject_type: String,
    pub created: String,
    /// The scopes as the form edits them: `name | ru | en` a line.
    pub scope_lines: String,
    pub notice: Option<String>,
    pub scopes_action: String,
    /// The product's introspection client.
    pub client_href: String,
    pub csrf: String,
    pub back_href: String,
}
view!(ProductView, "admin_product.html");

#[derive(Serialize)]
pub struct IssuerLine {
    pub issuer: String,
    pub keys: usize,
    pub client_ids: Vec<String>,
    pub subject: &'static str,
    pub created: String,
}

#[derive(Serialize)]
pub struct IssuersView {
    pub nav: Nav,
    pub issuers: Vec<IssuerLine>,
    pub notice: Option<String>,
    pub save_action: String,
    pub remove_action: String,
    pub csrf: String,
}
view!(IssuersView, "admin_issuers.html");

#[derive(Serialize)]
pub struct RequestLine {
    pub id: String,
    pub client_id: String,
    pub client_href: String,
    pub audience: String,
    pub scope: String,
    pub status: &'static str,
    pub pending: bool,
    pub created: String,
    pub action: String,
}

#[derive(Serialize)]
pub struct RequestsView {
    pub nav: Nav,
    /// Decided requests are shown too.
    pub all: bool,
    pub toggle_href: String,
    pub requests: Vec<RequestLine>,
    pub notice: Option<String>,
    pub csrf: String,
}
view!(RequestsView, "admin_requests.html");
