//! One typed context per cabinet template (`account_*.html`).

use crate::pages::{ScopeLine, View};
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

/// One application with access to the account.
#[derive(Serialize)]
pub struct AccessLine {
    pub client_id: String,
    pub name: String,
    /// The logo uploaded in the integrator cabinet, served by the provider.
    pub logo_src: Option<String>,
    pub integrator: Option<String>,
    pub product: Option<String>,
    pub scopes: Vec<ScopeLine>,
    pub granted: String,
    pub last_used: Option<String>,
}

#[derive(Serialize)]
pub struct AccountAccessesView {
    pub accesses: Vec<AccessLine>,
    pub csrf: String,
    pub revoke_action: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub back_href: String,
}

impl View for AccountAccessesView {
    const TEMPLATE: &'static str = "account_accesses.html";
}

/// One live browser session of the account.
#[derive(Serialize)]
pub struct SessionLine {
    pub id: String,
    pub device: String,
    pub ip: String,
    pub started: String,
    pub last_seen: String,
    pub applications: Vec<String>,
    pub current: bool,
}

#[derive(Serialize)]
pub struct AccountSessionsView {
    pub sessions: Vec<SessionLine>,
    pub csrf: String,
    pub end_action: String,
    pub others_action: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// Front-channel logout URIs of the sessions just ended, one hidden iframe each.
    pub frames: Vec<String>,
    pub back_href: String,
}

impl View for AccountSessionsView {
    const TEMPLATE: &'static str = "account_sessions.html";
}

/// A language the profile offers.
#[derive(Serialize)]
pub struct LanguageChoice {
    pub code: &'static str,
    pub name: String,
    pub selected: bool,
}

#[derive(Serialize)]
pub struct AccountProfileView {
    pub given_name: String,
    pub family_name: String,
    pub middle_name: String,
    pub nickname: String,
    pub languages: Vec<LanguageChoice>,
    pub email: Option<String>,
    pub email_verified: bool,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub csrf: String,
    pub action: String,
    pub contact_action: String,
    /// The refused field (`given_name`, …, `email`, `phone`) and its message.
    pub field: Option<&'static str>,
    pub error: Option<String>,
    /// What was typed into a contact form that was refused.
    pub typed_contact: String,
    pub notice: Option<String>,
    pub back_href: String,
}

impl View for AccountProfileView {
    const TEMPLATE: &'static str = "account_profile.html";
}

/// One event of the account's history.
#[derive(Serialize)]
pub struct EventLine {
    pub kind: &'static str,
    pub at: String,
    pub text: String,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

#[derive(Serialize)]
pub struct AccountHistoryView {
    pub events: Vec<EventLine>,
    pub next_href: Option<String>,
    pub first_href: Option<String>,
    pub back_href: String,
}

impl View for AccountHistoryView {
    const TEMPLATE: &'static str = "account_history.html";
}

#[derive(Serialize)]
pub struct AccountDeleteView {
    /// The account is gone: the page says so and loads the front-channel logouts.
    pub deleted: bool,
    pub who: String,
    pub fresh: bool,
    pub csrf: String,
    pub action: String,
    pub reauth_href: String,
    pub export_href: String,
    pub error: Option<String>,
    pub frames: Vec<String>,
    pub back_href: String,
}

impl View for AccountDeleteView {
    const TEMPLATE: &'static str = "account_delete.html";
}

/// A certificate bound to the account, as the cabinet lists it.
#[derive(Serialize)]
pub struct CertificateLine {
    pub thumbprint: String,
    pub owner: String,
    pub organization: Option<String>,
    pub inn: Option<String>,
    pub inn_legal: Option<String>,
    pub ogrn: Option<String>,
    pub ogrnip: Option<String>,
    pub snils: Option<String>,
    pub email: Option<String>,
    pub issuer: String,
    pub expires: String,
    pub expired: bool,
}

#[derive(Serialize)]
pub struct AccountCertificatesView {
    pub certificates: Vec<CertificateLine>,
    pub csrf: String,
    pub remove_action: String,
    /// Where a certificate to bind is sent.
    pub add_action: String,
    /// The session proved its owner recently enough to bind a certificate.
    pub fresh: bool,
    pub reauth_href: String,
    /// Why the certificate handed in cannot be bound.
    pub add_error: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub back_href: String,
}

impl View for AccountCertificatesView {
    const TEMPLATE: &'static str = "account_certificates.html";
}

/// A passkey of the account, as the cabinet lists it.
#[derive(Serialize)]
pub struct PasskeyLine {
    pub id: String,
    pub name: String,
    pub created: String,
    /// When it last signed in; None when never.
    pub last_used: Option<String>,
    /// May be synced between the owner's devices.
    pub synced: bool,
}

#[derive(Serialize)]
pub struct AccountPasskeysView {
    pub passkeys: Vec<PasskeyLine>,
    /// The form that adds one (`static/passkeys.js` fills it in).
    pub passkey: crate::pages::PasskeyForm,
    pub csrf: String,
    pub rename_action: String,
    pub remove_action: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub back_href: String,
}

impl View for AccountPasskeysView {
    const TEMPLATE: &'static str = "account_passkeys.html";
}

/// The challenge that binds a certificate: its decrypted value, or a signature over the
/// value to sign.
#[derive(Serialize)]
pub struct AccountCertificateProofView {
    pub certificate: CertificateLine,
    pub csrf: String,
    pub action: String,
    /// The id of the challenge, sent back with the answer.
    pub challenge: String,
    /// The certificate, base64 of the DER, sent back so that a failed answer gets a new
    /// challenge.
    pub certificate_b64: String,
    /// The encrypted value (base64 of a CMS EnvelopedData), when the key can receive one.
    pub envelope: Option<String>,
    /// The value to sign, base64.
    pub to_sign: String,
    pub error: Option<String>,
    /// Which answer the error is about: `decrypted` or `signature`.
    pub error_field: Option<&'static str>,
    pub back_href: String,
}

impl View for AccountCertificateProofView {
    const TEMPLATE: &'static str = "account_certificate_proof.html";
}
