//! Registered clients (RFC 6749 §2, OIDC Dynamic Registration §2 metadata) and their
//! api-keys (client secrets), which are stored only as keyed hashes.

use crate::clock::Timestamp;
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    Confidential,
    Public,
}

/// `token_endpoint_auth_method` values (OIDC Core §9, RFC 7591 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
    /// RFC 8705 §2.1: a certificate of the operator's PKI with a registered name.
    TlsClientAuth,
    /// RFC 8705 §2.2: a self-signed certificate whose key is one of the client's JWKs.
    SelfSignedTlsClientAuth,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 6] = [
        Self::ClientSecretBasic,
        Self::ClientSecretPost,
        Self::PrivateKeyJwt,
        Self::None,
        Self::TlsClientAuth,
        Self::SelfSignedTlsClientAuth,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::PrivateKeyJwt => "private_key_jwt",
            Self::None => "none",
            Self::TlsClientAuth => "tls_client_auth",
            Self::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// Grant types a client may use (RFC 6749 §4, RFC 8628, RFC 7523, RFC 8693).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantType {
    #[serde(rename = "authorization_code")]
    AuthorizationCode,
    #[serde(rename = "refresh_token")]
    RefreshToken,
    #[serde(rename = "client_credentials")]
    ClientCredentials,
    #[serde(rename = "urn:ietf:params:oauth:grant-type:device_code")]
    DeviceCode,
    #[serde(rename = "password")]
    Password,
    #[serde(rename = "urn:ietf:params:oauth:grant-type:jwt-bearer")]
    JwtBearer,
    #[serde(rename = "urn:ietf:params:oauth:grant-type:token-exchange")]
    TokenExchange,
    /// Sign-in by a certificate bound to the account: the decrypted value of a challenge
    /// from `/authentication/certificate`.
    #[serde(rename = "certificate")]
    Certificate,
}

impl GrantType {
    pub const ALL: [GrantType; 8] = [
        Self::AuthorizationCode,
        Self::RefreshToken,
        Self::ClientCredentials,
        Self::DeviceCode,
        Self::Password,
        Self::JwtBearer,
        Self::TokenExchange,
        Self::Certificate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
            Self::Password => "password",
            Self::JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
            Self::TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
            Self::Certificate => "certificate",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == text)
    }
}

/// `application_type` (OIDC Dynamic Client Registration 1.0 §2): a `web` client's
/// redirect URIs match exactly; a `native` client's loopback redirect URIs match with any
/// port (RFC 8252 §7.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationType {
    #[default]
    Web,
    Native,
}

impl ApplicationType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Native => "native",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Public,
    Pairwise,
}

impl SubjectType {
    /// The name in client metadata (OIDC Registration §2) and product settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Pairwise => "pairwise",
        }
    }
}

/// Lifetimes in seconds. Defaults follow the production provider: code 5 min, access
/// token 3600 s, refresh token 30 days, device code 300 s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lifetimes {
    pub code: i64,
    pub access_token: i64,
    pub id_token: i64,
    pub refresh_token: i64,
    pub device_code: i64,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            code: 300,
            access_token: 3600,
            id_token: 3600,
            refresh_token: 30 * 24 * 3600,
            device_code: 300,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub kind: ClientKind,
    #[serde(default)]
    pub application_type: ApplicationType,
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Web origins allowed to call the token-side endpoints from a browser (CORS), besides
    /// the origins of the redirect URIs.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    pub grant_types: Vec<GrantType>,
    /// Scopes the client may ask for; a request for anything else is `invalid_scope`.
    pub scope: Scope,
    pub auth_method: AuthMethod,
    /// Public keys for `private_key_jwt` (RFC 7523 §2.2).
    #[serde(default)]
    pub jwks: Option<JwkSet>,
    /// Where the public keys for `private_key_jwt` are fetched, instead of `jwks`.
    #[serde(default)]
    pub jwks_uri: Option<String>,
    pub consent_required: bool,
    pub subject_type: SubjectType,
    #[serde(default)]
    pub sector_identifier: Option<String>,
    #[serde(default)]
    pub lifetimes: Lifetimes,
    /// JWS alg of ID tokens for this client (`id_token_signed_response_alg`).
    #[serde(default)]
    pub id_token_signing_alg: Option<String>,
    #[serde(default)]
    pub backchannel_logout_uri: Option<String>,
    #[serde(default)]
    pub frontchannel_logout_uri: Option<String>,
    /// Set for the credentials of a product (resource server): it may introspect, not obtain tokens.
    #[serde(default)]
    pub product: Option<String>,
    /// Pages and contacts of the client shown to users (RFC 7591 §2).
    #[serde(default)]
    pub links: ClientLinks,
    /// An operator suspended the client: it cannot authenticate or start an
    /// authorization, and its access tokens are inactive, until resumed.
    #[serde(default)]
    pub suspended: bool,
    /// Authorization requests must be pushed to the PAR endpoint first (RFC 9126 §6).
    #[serde(default)]
    pub require_pushed_authorization_requests: bool,
    /// The one JWS alg its request objects may use (`request_object_signing_alg`, OIDC
    /// Registration §2); any supported asymmetric alg when unset.
    #[serde(default)]
    pub request_object_signing_alg: Option<String>,
    /// Authorization requests only as signed request objects (RFC 9101 §10.5).
    #[serde(default)]
    pub require_signed_request_object: bool,
    /// The weakest authentication context (`acr`) the client accepts, whatever its
    /// requests ask for: with `urn:propusk:acr:mfa` every sign-in for it needs a second
    /// factor.
    #[serde(default)]
    pub minimum_acr: Option<String>,
    /// Every token request must carry a DPoP proof (RFC 9449 §5.2).
    #[serde(default)]
    pub dpop_bound_access_tokens: bool,
    /// A security profile whose rules apply on top of the settings above.
    #[serde(default)]
    pub profile: ClientProfile,
    /// RFC 8705 §2.1.2: the one name a `tls_client_auth` certificate must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_auth: Option<TlsClientName>,
    /// RFC 8705 §3.4: access tokens obtained over mTLS are bound to the certificate.
    #[serde(default)]
    pub tls_client_certificate_bound_access_tokens: bool,
    /// The `x5t#S256` of the certificate this request's TLS connection proved, when the
    /// client binds its tokens; set by client authentication for one request, never
    /// stored.
    #[serde(skip)]
    pub bound_certificate: Option<String>,
    pub created_at: Timestamp,
}

/// A client's security profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientProfile {
    /// The settings as registered.
    #[default]
    Default,
    /// The FAPI 2.0 Security Profile (final, §5): authorization requests only through
    /// PAR, PKCE with S256, sender-constrained access tokens (DPoP), `private_key_jwt`
    /// client authentication, ID tokens signed with PS256, ES256 or EdDSA, authorization
    /// codes that live at most 60 seconds, and `iss` in every authorization response
    /// (which every client gets anyway).
    Fapi2,
}

impl ClientProfile {
    /// The longest life of an authorization code under FAPI 2.0 (§5.3.2.1: "shall"
    /// be no longer than 60 seconds).
    pub const FAPI2_CODE_LIFETIME: i64 = 60;

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Fapi2 => "fapi2",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "default" => Some(Self::Default),
            "fapi2" => Some(Self::Fapi2),
            _ => None,
        }
    }
}

/// The registered name of a `tls_client_auth` client (RFC 8705 §2.1.2): exactly one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum TlsClientName {
    SubjectDn(String),
    SanDns(String),
    SanUri(String),
    SanIp(String),
    SanEmail(String),
}

/// The client's home page, logo, policy and terms (all `https`) and its contacts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientLinks {
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    pub contacts: Vec<String>,
}

impl Client {
    pub fn allows_grant(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    pub fn is_public(&self) -> bool {
        self.kind == ClientKind::Public
    }

    /// Whether a token request without a DPoP proof is refused (RFC 9449 §5.2; FAPI 2.0
    /// §5.3.2.1 asks for sender-constrained tokens: DPoP, unless the client binds its
    /// tokens to its TLS certificate, RFC 8705).
    pub fn requires_dpop(&self) -> bool {
        let fapi2_without_mtls = self.profile == ClientProfile::Fapi2
            && !self.tls_client_certificate_bound_access_tokens;
        self.dpop_bound_access_tokens || fapi2_without_mtls
    }

    /// Whether authorization requests must come through PAR (RFC 9126 §6, FAPI 2.0).
    pub fn requires_par(&self) -> bool {
        self.require_pushed_authorization_requests || self.profile == ClientProfile::Fapi2
    }

    /// Whether an authorization request must carry a PKCE challenge: public clients and
    /// FAPI 2.0 clients.
    pub fn requires_pkce(&self) -> bool {
        self.is_public() || self.profile == ClientProfile::Fapi2
    }

    /// How long the client's authorization codes live.
    pub fn code_lifetime(&self) -> i64 {
        match self.profile {
            ClientProfile::Fapi2 => self.lifetimes.code.min(ClientProfile::FAPI2_CODE_LIFETIME),
            ClientProfile::Default => self.lifetimes.code,
        }
    }

    /// Whether `uri` is one of the registered redirect URIs: compared exactly, except that
    /// a native client's loopback IP redirect URI matches with any port (RFC 8252 §7.3).
    pub fn redirect_uri_registered(&self, uri: &str) -> bool {
        if self.redirect_uris.iter().any(|r| r == uri) {
            return true;
        }
        self.application_type == ApplicationType::Native
            && super::redirect_uri::loopback_without_port(uri).is_some_and(|given| {
                self.redirect_uris.iter().any(|registered| {
                    super::redirect_uri::loopback_without_port(registered).as_ref() == Some(&given)
                })
            })
    }

    /// Whether a browser page on `origin` may call the token-side endpoints for this
    /// client: an origin of a redirect URI, or one listed in `allowed_origins`.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
            || self
                .redirect_uris
                .iter()
                .filter_map(|uri| super::redirect_uri::web_origin(uri))
                .any(|o| o == origin)
    }
}

/// An api-key of a client. Only the keyed hash of the value is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSecret {
    pub id: String,
    pub client_id: String,
    pub secret_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    /// What the integrator calls the key.
    #[serde(default)]
    pub name: Option<String>,
    /// When the key last authenticated the client (kept roughly, to the minute).
    #[serde(default)]
    pub last_used_at: Option<Timestamp>,
    /// A revoked key authenticates nothing.
    #[serde(default)]
    pub revoked_at: Option<Timestamp>,
}

impl ClientSecret {
    /// Not revoked and not expired at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}
