//! One typed context per template: each view has exactly the fields its template reads
//! besides the chrome (`frame`) and the page language (`lang`), which every page gets.
//! Texts that vary (errors, notices) arrive as text; fixed labels are looked up by the
//! template itself with `t(key)`.

use propusk_core::accounts::OutboxMessage;
use serde::Serialize;

/// A page context and the template that reads it.
pub trait View: Serialize {
    const TEMPLATE: &'static str;
}

macro_rules! view {
    ($name:ident, $template:literal) => {
        impl View for $name {
            const TEMPLATE: &'static str = $template;
        }
    };
}

#[derive(Serialize)]
pub struct LoginView {
    pub client_name: String,
    pub action: String,
    pub csrf: String,
    pub login: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// The other sign-in method (phone + SMS code), when the page offers it.
    pub alt_href: Option<String>,
    pub reset_href: String,
    pub register_href: Option<String>,
    /// The signed-challenge page (sign-in with an e-signature), when certificates are
    /// trusted.
    pub signature_href: Option<String>,
    /// Sign-in with a TLS client certificate on the certificate listener, when there is
    /// one.
    pub tls_href: Option<String>,
    /// Sign-in with a passkey (needs JavaScript).
    pub passkey: Option<PasskeyForm>,
}
view!(LoginView, "login.html");

/// Why a sign-in with a TLS client certificate was refused.
#[derive(Serialize)]
pub struct TlsRefusedView {
    pub message: String,
    /// The reason as a stable word, for scripts and tests.
    pub code: &'static str,
    /// The sign-in page of the request, on the provider's origin.
    pub back_href: String,
}
view!(TlsRefusedView, "tls_refused.html");

/// A form that a passkey ceremony submits (`static/passkeys.js`): the options come
/// from `options` (JSON), the credential goes to `action`.
#[derive(Serialize)]
pub struct PasskeyForm {
    pub options: String,
    pub action: String,
    pub csrf: String,
    /// The interaction the sign-in continues, if any.
    pub interaction: Option<String>,
}

/// The second-factor step with a passkey.
#[derive(Serialize)]
pub struct PasskeyFactorView {
    pub form: PasskeyForm,
    pub error: Option<String>,
    /// Links to other methods: `(href, label)`.
    pub links: Vec<(String, String)>,
}
view!(PasskeyFactorView, "passkey_factor.html");

#[derive(Serialize)]
pub struct SignatureSignInView {
    pub client_name: String,
    /// The value to sign, base64.
    pub value: String,
    /// The value as a file (a `data:` URL).
    pub download_href: String,
    pub action: String,
    pub csrf: String,
    /// The id of the value, sent back with the signature.
    pub challenge: String,
    pub password_href: String,
    pub error: Option<String>,
}
view!(SignatureSignInView, "signature_signin.html");

#[derive(Serialize)]
pub struct ScopeLine {
    pub text: String,
    pub product: Option<String>,
}

#[derive(Serialize)]
pub struct ConsentView {
    pub client_name: String,
    pub scopes: Vec<ScopeLine>,
    pub action: String,
    pub csrf: String,
}
view!(ConsentView, "consent.html");

#[derive(Serialize)]
pub struct ErrorView {
    pub message: String,
    pub code: Option<&'static str>,
}
view!(ErrorView, "error.html");

#[derive(Serialize)]
pub struct FormPostView {
    pub action: String,
    pub params: Vec<(String, String)>,
    pub nonce: String,
}
view!(FormPostView, "form_post.html");

#[derive(Serialize)]
pub struct CodeView {
    pub title: String,
    pub intro: String,
    pub label: String,
    pub inputmode: &'static str,
    pub action: String,
    pub csrf: String,
    pub hidden: Vec<(&'static str, String)>,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// Links to other methods: `(href, label)`.
    pub links: Vec<(String, String)>,
    /// One-button forms (send the code again): `(action, label)`.
    pub extra_forms: Vec<(String, String)>,
}
view!(CodeView, "code.html");

#[derive(Serialize)]
pub struct SignInCodeView {
    pub client_name: String,
    pub password_href: String,
    pub action: String,
    pub csrf: String,
    pub phone: String,
    pub error: Option<String>,
}
view!(SignInCodeView, "signin_code.html");

#[derive(Serialize)]
pub struct OutboxView {
    pub messages: Vec<OutboxMessage>,
}
view!(OutboxView, "outbox.html");

#[derive(Serialize)]
pub struct RegisterView {
    pub client_name: Option<String>,
    pub action: String,
    pub csrf: String,
    pub contact: String,
    pub name: String,
    pub terms: bool,
    /// The field the error is about (`contact`, `name`, `password`, `terms`), or empty.
    pub field: &'static str,
    pub error: Option<String>,
    pub sign_in_href: String,
    /// The password hint with the configured minimum length.
    pub password_hint: String,
}
view!(RegisterView, "register.html");

#[derive(Serialize)]
pub struct ResetStartView {
    pub action: String,
    pub csrf: String,
    pub contact: String,
    pub error: Option<String>,
    pub sign_in_href: String,
}
view!(ResetStartView, "reset_start.html");

#[derive(Serialize)]
pub struct NewPasswordView {
    pub action: String,
    pub csrf: String,
    pub error: Option<String>,
    pub password_hint: String,
}
view!(NewPasswordView, "new_password.html");

#[derive(Serialize)]
pub struct SecurityView {
    pub who: String,
    pub totp: bool,
    pub sms: bool,
    pub phone_verified: bool,
    pub recovery_left: i64,
    pub csrf: String,
    pub totp_action: String,
    pub sms_action: String,
    pub recovery_action: String,
    pub sign_out_action: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// The session proved its owner recently: sensitive changes need no new proof.
    pub fresh: bool,
    pub has_password: bool,
    pub password_action: String,
    pub password_hint: String,
    pub password_error: Option<String>,
    pub reauth_href: String,
    pub overview_href: String,
    /// Sign-in by phone + SMS code is allowed, and its switch.
    pub phone_sign_in: bool,
    pub phone_action: String,
}
view!(SecurityView, "security.html");

#[derive(Serialize)]
pub struct TotpView {
    /// A self-contained SVG made by [`crate::qr::svg`] (no user-controlled markup).
    pub qr_svg: String,
    pub manual_key: String,
    pub action: String,
    pub csrf: String,
    pub error: Option<String>,
    pub back_href: String,
}
view!(TotpView, "totp.html");

#[derive(Serialize)]
pub struct RecoveryCodesView {
    pub codes: Vec<String>,
    pub back_href: String,
}
view!(RecoveryCodesView, "recovery_codes.html");

#[derive(Serialize)]
pub struct DeviceCodeView {
    pub action: String,
    pub user_code: String,
    pub error: Option<String>,
}
view!(DeviceCodeView, "device_code.html");

#[derive(Serialize)]
pub struct DeviceLoginView {
    pub action: String,
    pub csrf: String,
    pub user_code: String,
    pub login: String,
    pub error: Option<String>,
}
view!(DeviceLoginView, "device_login.html");

#[derive(Serialize)]
pub struct DeviceConfirmView {
    pub client_name: String,
    /// `BDWP-HQPK`.
    pub shown_code: String,
    pub user_code: String,
    pub scopes: Vec<ScopeLine>,
    pub action: String,
    pub csrf: String,
}
view!(DeviceConfirmView, "device_confirm.html");

#[derive(Serialize)]
pub struct DeviceDoneView {
    pub approved: bool,
    pub client_name: String,
}
view!(DeviceDoneView, "device_done.html");

#[derive(Serialize)]
pub struct LogoutConfirmView {
    pub client_name: Option<String>,
    pub action: String,
    pub csrf: String,
    pub client_id: String,
    pub post_logout_redirect_uri: String,
    pub state: String,
    pub ui_locales: String,
}
view!(LogoutConfirmView, "logout_confirm.html");

#[derive(Serialize)]
pub struct LoggedOutView {
    /// False when the user chose to stay signed in.
    pub signed_out: bool,
    /// Front-channel logout URIs, one iframe each.
    pub frames: Vec<String>,
    /// Where to continue (a registered post-logout redirect URI with `state`).
    pub continue_to: Option<String>,
}
view!(LoggedOutView, "logout_done.html");

#[cfg(test)]
mod tests;
