//! One typed context per cabinet template (`account_*.html`).

use crate::pages::View;
use serde::Serialize;

/// A line of the overview: a section's name, its short state and its page.
#[derive(Serialize)]
pub struct SectionLine {
    pub id: &'static str,
    pub title: String,
    pub state: String,
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct AccountOverviewView {
    pub who: String,
    pub login: String,
    pub warnings: Vec<String>,
    pub sections: Vec<SectionLine>,
    pub csrf: String,
    pub sign_out_action: String,
}

impl View for AccountOverviewView {
    const TEMPLATE: &'static str = "account_overview.html";
}

#[derive(Serialize)]
pub struct AccountReauthView {
    pub who: String,
    pub action: String,
    pub csrf: String,
    pub next: String,
    pub password: bool,
    pub totp: bool,
    pub error: Option<String>,
    /// Which form the error belongs to: `password` or `code`.
    pub field: &'static str,
    pub back_href: String,
}

impl View for AccountReauthView {
    const TEMPLATE: &'static str = "account_reauth.html";
}
