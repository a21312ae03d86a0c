//! Every path the provider serves, in one place: the router, redirects, templates and the
//! discovery document all read these constants. Paths match the production provider's
//! (see the product brief), so existing integrations keep working.

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
pub const CERTIFICATE: &str = "/authentication/certificate";

/// Interaction pages (login, consent). `{id}` is the stored interaction id.
pub const INTERACTION: &str = "/interaction/{id}";
pub const INTERACTION_LOGIN: &str = "/interaction/{id}/login";
pub const INTERACTION_CONSENT: &str = "/interaction/{id}/consent";
pub const HEALTH: &str = "/health";

/// Fills the `{id}` placeholder of an interaction route.
pub fn interaction(route: &str, id: &str) -> String {
    route.replace("{id}", id)
}
