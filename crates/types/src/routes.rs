//! Every path the provider serves, in one place: the router, redirects, templates and the
//! discovery document all read these constants. Paths match the production provider's,
//! so existing integrations keep working.

pub const DISCOVERY: &str = "/.well-known/openid-configuration";
pub const OAUTH_METADATA: &str = "/.well-known/oauth-authorization-server";
pub const JWKS: &str = "/.well-known/openid-configuration/jwks";
pub const AUTHORIZE: &str = "/connect/authorize";
pub const TOKEN: &str = "/connect/token";
pub const USERINFO: &str = "/connect/userinfo";
pub const DEVICE_AUTHORIZATION: &str = "/connect/deviceauthorization";
pub const INTROSPECT: &str = "/connect/introspect";
pub const REVOCATION: &str = "/connect/revocation";
pub const END_SESSION: &str = "/connect/endsession";
pub const PAR: &str = "/connect/par";
pub const REGISTER: &str = "/connect/register";
pub const DEVICE: &str = "/device";
/// Sign-in form of the device verification page (RFC 8628 §3.3).
pub const DEVICE_LOGIN: &str = "/device/login";
/// The user's allow/deny decision for a device.
pub const DEVICE_DECISION: &str = "/device/decision";
/// SVG QR code of `verification_uri_complete` for a user code (RFC 8628 §3.3.1).
pub const DEVICE_QR: &str = "/device/qr.svg";
/// The form of the logout confirmation page (RP-Initiated Logout 1.0 §2).
pub const END_SESSION_CONFIRM: &str = "/connect/endsession/confirm";
pub const CERTIFICATE: &str = "/authentication/certificate";

/// Interaction pages (login, consent). `{id}` is the stored interaction id.
pub const INTERACTION: &str = "/interaction/{id}";
pub const INTERACTION_LOGIN: &str = "/interaction/{id}/login";
pub const INTERACTION_CONSENT: &str = "/interaction/{id}/consent";
/// The signed-challenge page: sign-in with an e-signature over a shown value.
pub const INTERACTION_SIGNATURE: &str = "/interaction/{id}/signature";
/// Sign-in with a TLS client certificate, opened on the certificate listener (or through
/// a proxy that terminates TLS and forwards the certificate).
pub const INTERACTION_TLS: &str = "/interaction/{id}/tls";
/// Back on the provider's origin after [`INTERACTION_TLS`]: uses the handoff up and sets
/// the session.
pub const INTERACTION_TLS_DONE: &str = "/interaction/{id}/tls/done";
/// Liveness: the process answers (`/health` is kept as an alias).
pub const HEALTHZ: &str = "/healthz";
pub const HEALTH: &str = "/health";
/// Readiness: database reachable, schema current, signing keys loaded.
pub const READYZ: &str = "/readyz";
/// Prometheus text exposition, when `[metrics]` enables it.
pub const METRICS: &str = "/metrics";
/// The phone + SMS code sign-in form of an interaction.
pub const INTERACTION_CODE: &str = "/interaction/{id}/code";
/// The theme's assets (CSS, logo, favicon); `{file}` is a file name.
pub const STATIC: &str = "/static/{file}";
pub const STYLESHEET: &str = "/static/style.css";
pub const LOGO: &str = "/static/logo.svg";

/// Account pages; `{id}` is a challenge id.
pub const ACCOUNT_CODE: &str = "/account/code/{id}";
pub const ACCOUNT_FACTOR: &str = "/account/factor/{id}";
pub const ACCOUNT_FACTOR_SMS: &str = "/account/factor/{id}/sms";
pub const ACCOUNT_LOGIN: &str = "/account/login";
pub const ACCOUNT_REGISTER: &str = "/account/register";
pub const ACCOUNT_REGISTER_CODE: &str = "/account/register/{id}";
pub const ACCOUNT_REGISTER_RESEND: &str = "/account/register/{id}/resend";
pub const ACCOUNT_RESET: &str = "/account/reset";
pub const ACCOUNT_RESET_STEP: &str = "/account/reset/{id}";
pub const ACCOUNT_RESET_PASSWORD: &str = "/account/reset/{id}/password";
pub const ACCOUNT_RESET_RESEND: &str = "/account/reset/{id}/resend";
pub const ACCOUNT_SECURITY: &str = "/account/security";
pub const ACCOUNT_SECURITY_TOTP: &str = "/account/security/totp";
pub const ACCOUNT_SECURITY_TOTP_STEP: &str = "/account/security/totp/{id}";
pub const ACCOUNT_SECURITY_SMS: &str = "/account/security/sms";
pub const ACCOUNT_SECURITY_RECOVERY: &str = "/account/security/recovery";
pub const ACCOUNT_SECURITY_CODES: &str = "/account/security/codes/{id}";
pub const ACCOUNT_SIGN_OUT: &str = "/account/sign-out";
/// The development outbox (development mode only).
pub const DEV_OUTBOX: &str = "/dev/outbox";

// The personal cabinet: its overview, re-authentication for sensitive changes, the
// password change of the security page, the applications with access, the browser
// sessions, the profile with its contact change, the history, the export of
// everything kept and the deletion of the account.
pub const ACCOUNT: &str = "/account";
pub const ACCOUNT_REAUTH: &str = "/account/reauth";
pub const ACCOUNT_SECURITY_PASSWORD: &str = "/account/security/password";
pub const ACCOUNT_SECURITY_PHONE: &str = "/account/security/phone";
pub const ACCOUNT_ACCESSES: &str = "/account/accesses";
pub const ACCOUNT_ACCESSES_REVOKE: &str = "/account/accesses/revoke";
pub const ACCOUNT_SESSIONS: &str = "/account/sessions";
pub const ACCOUNT_SESSIONS_END: &str = "/account/sessions/end";
pub const ACCOUNT_SESSIONS_OTHERS: &str = "/account/sessions/others";
pub const ACCOUNT_PROFILE: &str = "/account/profile";
pub const ACCOUNT_PROFILE_CONTACT: &str = "/account/profile/contact";
pub const ACCOUNT_PROFILE_CONTACT_STEP: &str = "/account/profile/contact/{id}";
pub const ACCOUNT_HISTORY: &str = "/account/history";
pub const ACCOUNT_EXPORT: &str = "/account/export";
pub const ACCOUNT_DELETE: &str = "/account/delete";
/// The certificates bound to the account, binding one by proof of possession (the
/// certificate, then the answer to its challenge), and their removal.
pub const ACCOUNT_CERTIFICATES: &str = "/account/certificates";
pub const ACCOUNT_CERTIFICATES_ADD: &str = "/account/certificates/add";
pub const ACCOUNT_CERTIFICATES_PROVE: &str = "/account/certificates/prove";
pub const ACCOUNT_CERTIFICATES_REMOVE: &str = "/account/certificates/remove";
/// The passkeys of the account: the list, the options of a new one (JSON), adding,
/// renaming and removing one.
pub const ACCOUNT_PASSKEYS: &str = "/account/passkeys";
pub const ACCOUNT_PASSKEYS_OPTIONS: &str = "/account/passkeys/options";
pub const ACCOUNT_PASSKEYS_ADD: &str = "/account/passkeys/add";
pub const ACCOUNT_PASSKEYS_RENAME: &str = "/account/passkeys/rename";
pub const ACCOUNT_PASSKEYS_REMOVE: &str = "/account/passkeys/remove";
/// Passwordless sign-in with a passkey: the options (JSON), then the signed assertion.
pub const ACCOUNT_PASSKEY_OPTIONS: &str = "/account/passkey/options";
pub const ACCOUNT_PASSKEY: &str = "/account/passkey";
/// A passkey as the second factor of step `{id}`: the options (JSON), then the assertion.
pub const ACCOUNT_FACTOR_PASSKEY_OPTIONS: &str = "/account/factor/{id}/passkey/options";
pub const ACCOUNT_FACTOR_PASSKEY: &str = "/account/factor/{id}/passkey";

// The integrator cabinet. `{id}` is the application's client id, `{key}` an api-key id.
pub const DEVELOPER: &str = "/developer";
pub const DEVELOPER_APPS: &str = "/developer/apps";
pub const DEVELOPER_APP_NEW: &str = "/developer/apps/new";
pub const DEVELOPER_APP: &str = "/developer/apps/{id}";
pub const DEVELOPER_APP_KEYS: &str = "/developer/apps/{id}/keys";
pub const DEVELOPER_APP_KEY_REVOKE: &str = "/developer/apps/{id}/keys/{key}/revoke";
pub const DEVELOPER_APP_SCOPES: &str = "/developer/apps/{id}/scopes";
pub const DEVELOPER_APP_TEAM: &str = "/developer/apps/{id}/team";
pub const DEVELOPER_APP_LOGO: &str = "/developer/apps/{id}/logo";
pub const DEVELOPER_APP_QUICKSTART: &str = "/developer/apps/{id}/quickstart";
pub const DEVELOPER_APP_TEST: &str = "/developer/apps/{id}/test";
/// Where the test sign-in of every application returns (a redirect URI of the provider).
pub const DEVELOPER_CALLBACK: &str = "/developer/callback";
/// An uploaded application logo, served by the provider.
pub const DEVELOPER_LOGO: &str = "/developer/logos/{id}";
// Dynamic client registration (RFC 7591) and its management (RFC 7592).
/// The registration endpoint.
pub const REGISTRATION: &str = "/connect/register";
/// A registered client's configuration endpoint (`registration_client_uri`).
pub const REGISTRATION_CLIENT: &str = "/connect/register/{id}";

// The management REST API. `{id}` is a user id, client id or product audience, `{secret}`
// an api-key id.
/// The OpenAPI 3.1 document of the management API.
pub const API_OPENAPI: &str = "/api/openapi.json";
pub const API_USERS: &str = "/api/v1/users";
pub const API_USER: &str = "/api/v1/users/{id}";
pub const API_USER_BLOCK: &str = "/api/v1/users/{id}/block";
pub const API_USER_UNBLOCK: &str = "/api/v1/users/{id}/unblock";
pub const API_USER_RESET_SECOND_FACTOR: &str = "/api/v1/users/{id}/reset-second-factor";
pub const API_USER_SIGN_OUT: &str = "/api/v1/users/{id}/sign-out";
pub const API_CLIENTS: &str = "/api/v1/clients";
pub const API_CLIENT: &str = "/api/v1/clients/{id}";
pub const API_CLIENT_SUSPEND: &str = "/api/v1/clients/{id}/suspend";
pub const API_CLIENT_RESUME: &str = "/api/v1/clients/{id}/resume";
pub const API_CLIENT_SECRETS: &str = "/api/v1/clients/{id}/secrets";
pub const API_CLIENT_SECRET: &str = "/api/v1/clients/{id}/secrets/{secret}";
pub const API_PRODUCTS: &str = "/api/v1/products";
pub const API_PRODUCT: &str = "/api/v1/products/{id}";
pub const API_KEYS: &str = "/api/v1/keys";
pub const API_KEYS_ROTATE: &str = "/api/v1/keys/rotate";
/// Partner issuers of the `jwt-bearer` grant; `{id}` is the issuer, percent-encoded.
pub const API_TRUSTED_ISSUERS: &str = "/api/v1/trusted-issuers";
pub const API_TRUSTED_ISSUER: &str = "/api/v1/trusted-issuers/{id}";
/// Applications' requests for product scopes; `{id}` is a request id.
pub const API_SCOPE_REQUESTS: &str = "/api/v1/scope-requests";
pub const API_SCOPE_REQUEST_APPROVE: &str = "/api/v1/scope-requests/{id}/approve";
pub const API_SCOPE_REQUEST_REFUSE: &str = "/api/v1/scope-requests/{id}/refuse";
pub const API_AUDIT_EVENTS: &str = "/api/v1/audit-events";
/// The audit events as JSON Lines, for SIEMs.
pub const API_AUDIT_EXPORT: &str = "/api/v1/audit-events/export";

// The operator console: the dashboard, users and their actions, clients with their
// secrets and redirect URIs, products, keys, partner issuers, applications' scope
// requests and the audit log. `{id}` is a user id, client id, product audience or
// scope-request id; a secret id or an issuer travels in the form body.
pub const ADMIN: &str = "/admin";
pub const ADMIN_USERS: &str = "/admin/users";
pub const ADMIN_USER: &str = "/admin/users/{id}";
pub const ADMIN_USER_BLOCK: &str = "/admin/users/{id}/block";
pub const ADMIN_USER_UNBLOCK: &str = "/admin/users/{id}/unblock";
pub const ADMIN_USER_RESET_SECOND_FACTOR: &str = "/admin/users/{id}/reset-second-factor";
pub const ADMIN_USER_SIGN_OUT: &str = "/admin/users/{id}/sign-out";
pub const ADMIN_USER_DELETE: &str = "/admin/users/{id}/delete";
pub const ADMIN_CLIENTS: &str = "/admin/clients";
pub const ADMIN_CLIENT: &str = "/admin/clients/{id}";
pub const ADMIN_CLIENT_SUSPEND: &str = "/admin/clients/{id}/suspend";
pub const ADMIN_CLIENT_RESUME: &str = "/admin/clients/{id}/resume";
pub const ADMIN_CLIENT_REDIRECTS: &str = "/admin/clients/{id}/redirect-uris";
pub const ADMIN_CLIENT_SECRETS: &str = "/admin/clients/{id}/secrets";
pub const ADMIN_CLIENT_SECRET_REVOKE: &str = "/admin/clients/{id}/secrets/revoke";
pub const ADMIN_PRODUCTS: &str = "/admin/products";
pub const ADMIN_PRODUCT: &str = "/admin/products/{id}";
pub const ADMIN_KEYS: &str = "/admin/keys";
pub const ADMIN_KEYS_ROTATE: &str = "/admin/keys/rotate";
pub const ADMIN_TRUSTED_ISSUERS: &str = "/admin/trusted-issuers";
pub const ADMIN_TRUSTED_ISSUER_REMOVE: &str = "/admin/trusted-issuers/remove";
pub const ADMIN_SCOPE_REQUESTS: &str = "/admin/scope-requests";
pub const ADMIN_SCOPE_REQUEST: &str = "/admin/scope-requests/{id}";
pub const ADMIN_AUDIT: &str = "/admin/audit";

// The integrator docs: `/docs` and its pages (`/docs/schemes/code`, `/docs/reference/errors`,
// …), and the sequence diagrams of the schemes as SVG.
pub const DOCS: &str = "/docs";
pub const DOCS_PAGE: &str = "/docs/{*page}";
pub const DOCS_DIAGRAM: &str = "/docs/diagrams/{name}";

/// Every path above by its name, for the docs' reference of endpoints (a test keeps the
/// list complete).
pub const ALL: &[(&str, &str)] = &[
    ("DISCOVERY", DISCOVERY),
    ("OAUTH_METADATA", OAUTH_METADATA),
    ("JWKS", JWKS),
    ("AUTHORIZE", AUTHORIZE),
    ("TOKEN", TOKEN),
    ("USERINFO", USERINFO),
    ("DEVICE_AUTHORIZATION", DEVICE_AUTHORIZATION),
    ("INTROSPECT", INTROSPECT),
    ("REVOCATION", REVOCATION),
    ("END_SESSION", END_SESSION),
    ("PAR", PAR),
    ("REGISTER", REGISTER),
    ("DEVICE", DEVICE),
    ("DEVICE_LOGIN", DEVICE_LOGIN),
    ("DEVICE_DECISION", DEVICE_DECISION),
    ("DEVICE_QR", DEVICE_QR),
    ("END_SESSION_CONFIRM", END_SESSION_CONFIRM),
    ("CERTIFICATE", CERTIFICATE),
    ("INTERACTION", INTERACTION),
    ("INTERACTION_LOGIN", INTERACTION_LOGIN),
    ("INTERACTION_CONSENT", INTERACTION_CONSENT),
    ("INTERACTION_SIGNATURE", INTERACTION_SIGNATURE),
    ("INTERACTION_TLS", INTERACTION_TLS),
    ("INTERACTION_TLS_DONE", INTERACTION_TLS_DONE),
    ("HEALTHZ", HEALTHZ),
    ("HEALTH", HEALTH),
    ("READYZ", READYZ),
    ("METRICS", METRICS),
    ("INTERACTION_CODE", INTERACTION_CODE),
    ("STATIC", STATIC),
    ("STYLESHEET", STYLESHEET),
    ("LOGO", LOGO),
    ("ACCOUNT_CODE", ACCOUNT_CODE),
    ("ACCOUNT_FACTOR", ACCOUNT_FACTOR),
    ("ACCOUNT_FACTOR_SMS", ACCOUNT_FACTOR_SMS),
    ("ACCOUNT_LOGIN", ACCOUNT_LOGIN),
    ("ACCOUNT_REGISTER", ACCOUNT_REGISTER),
    ("ACCOUNT_REGISTER_CODE", ACCOUNT_REGISTER_CODE),
    ("ACCOUNT_REGISTER_RESEND", ACCOUNT_REGISTER_RESEND),
    ("ACCOUNT_RESET", ACCOUNT_RESET),
    ("ACCOUNT_RESET_STEP", ACCOUNT_RESET_STEP),
    ("ACCOUNT_RESET_PASSWORD", ACCOUNT_RESET_PASSWORD),
    ("ACCOUNT_RESET_RESEND", ACCOUNT_RESET_RESEND),
    ("ACCOUNT_SECURITY", ACCOUNT_SECURITY),
    ("ACCOUNT_SECURITY_TOTP", ACCOUNT_SECURITY_TOTP),
    ("ACCOUNT_SECURITY_TOTP_STEP", ACCOUNT_SECURITY_TOTP_STEP),
    ("ACCOUNT_SECURITY_SMS", ACCOUNT_SECURITY_SMS),
    ("ACCOUNT_SECURITY_RECOVERY", ACCOUNT_SECURITY_RECOVERY),
    ("ACCOUNT_SECURITY_CODES", ACCOUNT_SECURITY_CODES),
    ("ACCOUNT_SIGN_OUT", ACCOUNT_SIGN_OUT),
    ("DEV_OUTBOX", DEV_OUTBOX),
    ("ACCOUNT", ACCOUNT),
    ("ACCOUNT_REAUTH", ACCOUNT_REAUTH),
    ("ACCOUNT_SECURITY_PASSWORD", ACCOUNT_SECURITY_PASSWORD),
    ("ACCOUNT_SECURITY_PHONE", ACCOUNT_SECURITY_PHONE),
    ("ACCOUNT_ACCESSES", ACCOUNT_ACCESSES),
    ("ACCOUNT_ACCESSES_REVOKE", ACCOUNT_ACCESSES_REVOKE),
    ("ACCOUNT_SESSIONS", ACCOUNT_SESSIONS),
    ("ACCOUNT_SESSIONS_END", ACCOUNT_SESSIONS_END),
    ("ACCOUNT_SESSIONS_OTHERS", ACCOUNT_SESSIONS_OTHERS),
    ("ACCOUNT_PROFILE", ACCOUNT_PROFILE),
    ("ACCOUNT_PROFILE_CONTACT", ACCOUNT_PROFILE_CONTACT),
    ("ACCOUNT_PROFILE_CONTACT_STEP", ACCOUNT_PROFILE_CONTACT_STEP),
    ("ACCOUNT_HISTORY", ACCOUNT_HISTORY),
    ("ACCOUNT_EXPORT", ACCOUNT_EXPORT),
    ("ACCOUNT_DELETE", ACCOUNT_DELETE),
    ("ACCOUNT_CERTIFICATES", ACCOUNT_CERTIFICATES),
    ("ACCOUNT_CERTIFICATES_ADD", ACCOUNT_CERTIFICATES_ADD),
    ("ACCOUNT_CERTIFICATES_PROVE", ACCOUNT_CERTIFICATES_PROVE),
    ("ACCOUNT_CERTIFICATES_REMOVE", ACCOUNT_CERTIFICATES_REMOVE),
    ("ACCOUNT_PASSKEYS", ACCOUNT_PASSKEYS),
    ("ACCOUNT_PASSKEYS_OPTIONS", ACCOUNT_PASSKEYS_OPTIONS),
    ("ACCOUNT_PASSKEYS_ADD", ACCOUNT_PASSKEYS_ADD),
    ("ACCOUNT_PASSKEYS_RENAME", ACCOUNT_PASSKEYS_RENAME),
    ("ACCOUNT_PASSKEYS_REMOVE", ACCOUNT_PASSKEYS_REMOVE),
    ("ACCOUNT_PASSKEY_OPTIONS", ACCOUNT_PASSKEY_OPTIONS),
    ("ACCOUNT_PASSKEY", ACCOUNT_PASSKEY),
    (
        "ACCOUNT_FACTOR_PASSKEY_OPTIONS",
        ACCOUNT_FACTOR_PASSKEY_OPTIONS,
    ),
    ("ACCOUNT_FACTOR_PASSKEY", ACCOUNT_FACTOR_PASSKEY),
    ("DEVELOPER", DEVELOPER),
    ("DEVELOPER_APPS", DEVELOPER_APPS),
    ("DEVELOPER_APP_NEW", DEVELOPER_APP_NEW),
    ("DEVELOPER_APP", DEVELOPER_APP),
    ("DEVELOPER_APP_KEYS", DEVELOPER_APP_KEYS),
    ("DEVELOPER_APP_KEY_REVOKE", DEVELOPER_APP_KEY_REVOKE),
    ("DEVELOPER_APP_SCOPES", DEVELOPER_APP_SCOPES),
    ("DEVELOPER_APP_TEAM", DEVELOPER_APP_TEAM),
    ("DEVELOPER_APP_LOGO", DEVELOPER_APP_LOGO),
    ("DEVELOPER_APP_QUICKSTART", DEVELOPER_APP_QUICKSTART),
    ("DEVELOPER_APP_TEST", DEVELOPER_APP_TEST),
    ("DEVELOPER_CALLBACK", DEVELOPER_CALLBACK),
    ("DEVELOPER_LOGO", DEVELOPER_LOGO),
    ("REGISTRATION", REGISTRATION),
    ("REGISTRATION_CLIENT", REGISTRATION_CLIENT),
    ("API_OPENAPI", API_OPENAPI),
    ("API_USERS", API_USERS),
    ("API_USER", API_USER),
    ("API_USER_BLOCK", API_USER_BLOCK),
    ("API_USER_UNBLOCK", API_USER_UNBLOCK),
    ("API_USER_RESET_SECOND_FACTOR", API_USER_RESET_SECOND_FACTOR),
    ("API_USER_SIGN_OUT", API_USER_SIGN_OUT),
    ("API_CLIENTS", API_CLIENTS),
    ("API_CLIENT", API_CLIENT),
    ("API_CLIENT_SUSPEND", API_CLIENT_SUSPEND),
    ("API_CLIENT_RESUME", API_CLIENT_RESUME),
    ("API_CLIENT_SECRETS", API_CLIENT_SECRETS),
    ("API_CLIENT_SECRET", API_CLIENT_SECRET),
    ("API_PRODUCTS", API_PRODUCTS),
    ("API_PRODUCT", API_PRODUCT),
    ("API_KEYS", API_KEYS),
    ("API_KEYS_ROTATE", API_KEYS_ROTATE),
    ("API_TRUSTED_ISSUERS", API_TRUSTED_ISSUERS),
    ("API_TRUSTED_ISSUER", API_TRUSTED_ISSUER),
    ("API_SCOPE_REQUESTS", API_SCOPE_REQUESTS),
    ("API_SCOPE_REQUEST_APPROVE", API_SCOPE_REQUEST_APPROVE),
    ("API_SCOPE_REQUEST_REFUSE", API_SCOPE_REQUEST_REFUSE),
    ("API_AUDIT_EVENTS", API_AUDIT_EVENTS),
    ("API_AUDIT_EXPORT", API_AUDIT_EXPORT),
    ("ADMIN", ADMIN),
    ("ADMIN_USERS", ADMIN_USERS),
    ("ADMIN_USER", ADMIN_USER),
    ("ADMIN_USER_BLOCK", ADMIN_USER_BLOCK),
    ("ADMIN_USER_UNBLOCK", ADMIN_USER_UNBLOCK),
    (
        "ADMIN_USER_RESET_SECOND_FACTOR",
        ADMIN_USER_RESET_SECOND_FACTOR,
    ),
    ("ADMIN_USER_SIGN_OUT", ADMIN_USER_SIGN_OUT),
    ("ADMIN_USER_DELETE", ADMIN_USER_DELETE),
    ("ADMIN_CLIENTS", ADMIN_CLIENTS),
    ("ADMIN_CLIENT", ADMIN_CLIENT),
    ("ADMIN_CLIENT_SUSPEND", ADMIN_CLIENT_SUSPEND),
    ("ADMIN_CLIENT_RESUME", ADMIN_CLIENT_RESUME),
    ("ADMIN_CLIENT_REDIRECTS", ADMIN_CLIENT_REDIRECTS),
    ("ADMIN_CLIENT_SECRETS", ADMIN_CLIENT_SECRETS),
    ("ADMIN_CLIENT_SECRET_REVOKE", ADMIN_CLIENT_SECRET_REVOKE),
    ("ADMIN_PRODUCTS", ADMIN_PRODUCTS),
    ("ADMIN_PRODUCT", ADMIN_PRODUCT),
    ("ADMIN_KEYS", ADMIN_KEYS),
    ("ADMIN_KEYS_ROTATE", ADMIN_KEYS_ROTATE),
    ("ADMIN_TRUSTED_ISSUERS", ADMIN_TRUSTED_ISSUERS),
    ("ADMIN_TRUSTED_ISSUER_REMOVE", ADMIN_TRUSTED_ISSUER_REMOVE),
    ("ADMIN_SCOPE_REQUESTS", ADMIN_SCOPE_REQUESTS),
    ("ADMIN_SCOPE_REQUEST", ADMIN_SCOPE_REQUEST),
    ("ADMIN_AUDIT", ADMIN_AUDIT),
    ("DOCS", DOCS),
    ("DOCS_PAGE", DOCS_PAGE),
    ("DOCS_DIAGRAM", DOCS_DIAGRAM),
];

/// Fills the `{id}` placeholder of an interaction route.
pub fn interaction(route: &str, id: &str) -> String {
    with_id(route, id)
}

/// Fills the `{id}` placeholder of a route.
pub fn with_id(route: &str, id: &str) -> String {
    let mut filled = String::with_capacity(route.len() + id.len());
    let mut rest = route;
    // A search for one byte, not for a substring: this runs for most links of a page.
    while let Some(at) = rest.find('{') {
        let (head, tail) = rest.split_at(at);
        filled.push_str(head);
        match tail.strip_prefix("{id}") {
            Some(after) => {
                filled.push_str(id);
                rest = after;
            }
            None => {
                filled.push('{');
                rest = &tail[1..];
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    #[test]
    fn with_id_fills_every_placeholder() {
        assert_eq!(
            super::with_id("/interaction/{id}/login", "a1"),
            "/interaction/a1/login"
        );
        assert_eq!(super::with_id("/x/{id}/{id}", "b"), "/x/b/b");
        assert_eq!(super::with_id("/plain", "c"), "/plain");
        assert_eq!(super::with_id("/{x}/{id}", "d"), "/{x}/d");
    }

    #[test]
    fn all_lists_every_path_constant() {
        let source = include_str!("routes.rs");
        let declared: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("pub const "))
            .filter(|l| l.contains(": &str = \"/"))
            .filter_map(|l| l.split(':').next())
            .collect();
        assert_eq!(declared.len(), super::ALL.len());
        for name in declared {
            assert!(
                super::ALL.iter().any(|(n, _)| *n == name),
                "{name} missing from ALL"
            );
        }
    }
}
