//! One way to make a [`Client`] record in tests and fixtures: plain defaults, then only
//! what a test cares about. Compiled for the crate's own tests and, with the
//! `test-support` feature, for the tests of the other crates; never in a release build.

use super::{ApplicationType, AuthMethod, Client, ClientKind, GrantType, Lifetimes, SubjectType};
use crate::clock::Timestamp;
use propusk_types::jwk::JwkSet;
use propusk_types::scope::Scope;

pub struct ClientBuilder {
    client: Client,
}

impl ClientBuilder {
    /// The redirect URI a new builder registers.
    pub const REDIRECT_URI: &'static str = "https://rp.example/cb";

    /// A confidential client with `client_secret_basic`, the code and refresh grants,
    /// `openid profile email offline_access`, [`Self::REDIRECT_URI`], consent required,
    /// a `web` application with no extra CORS origins, public subjects and default
    /// lifetimes, created at 0.
    pub fn confidential(id: &str) -> Self {
        Self {
            client: Client {
                id: id.to_owned(),
                name: format!("Client {id}"),
                kind: ClientKind::Confidential,
                application_type: ApplicationType::Web,
                redirect_uris: vec![Self::REDIRECT_URI.to_owned()],
                post_logout_redirect_uris: Vec::new(),
                allowed_origins: Vec::new(),
                grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
                scope: parse_scope("openid profile email offline_access"),
                auth_method: AuthMethod::ClientSecretBasic,
                jwks: None,
                jwks_uri: None,
                consent_required: true,
                subject_type: SubjectType::Public,
                sector_identifier: None,
                suspended: false,
                lifetimes: Lifetimes::default(),
                id_token_signing_alg: None,
                backchannel_logout_uri: None,
                frontchannel_logout_uri: None,
                product: None,
                links: Default::default(),
                require_pushed_authorization_requests: false,
                request_object_signing_alg: None,
                require_signed_request_object: false,
                minimum_acr: None,
                dpop_bound_access_tokens: false,
                profile: crate::model::ClientProfile::Default,
                tls_client_auth: None,
                tls_client_certificate_bound_access_tokens: false,
                bound_certificate: None,
                created_at: 0,
            },
        }
    }

    /// A public client (`token_endpoint_auth_method=none`, PKCE required).
    pub fn public(id: &str) -> Self {
        Self::confidential(id)
            .kind(ClientKind::Public)
            .auth_method(AuthMethod::None)
    }

    /// A native application (RFC 8252): public, its loopback redirect URIs match with
    /// any port.
    pub fn native(id: &str) -> Self {
        Self::public(id).application_type(ApplicationType::Native)
    }

    pub fn build(self) -> Client {
        self.client
    }

    /// `tls_client_auth` with the one name its certificate must carry (RFC 8705 §2.1).
    pub fn tls_client_auth(mut self, name: super::TlsClientName) -> Self {
        self.client.auth_method = AuthMethod::TlsClientAuth;
        self.client.tls_client_auth = Some(name);
        self
    }

    /// Access tokens obtained over mTLS bound to the certificate (RFC 8705 §3).
    pub fn certificate_bound(mut self, bound: bool) -> Self {
        self.client.tls_client_certificate_bound_access_tokens = bound;
        self
    }

    /// Authorization requests only through PAR (RFC 9126 §6).
    pub fn require_par(mut self, required: bool) -> Self {
        self.client.require_pushed_authorization_requests = required;
        self
    }

    /// Authorization requests only as signed request objects (RFC 9101 §10.5).
    pub fn require_signed_request_object(mut self, required: bool) -> Self {
        self.client.require_signed_request_object = required;
        self
    }

    /// The weakest `acr` the client accepts.
    pub fn minimum_acr(mut self, acr: &str) -> Self {
        self.client.minimum_acr = Some(acr.to_owned());
        self
    }

    /// The one JWS alg of the client's request objects.
    pub fn request_object_signing_alg(mut self, alg: &str) -> Self {
        self.client.request_object_signing_alg = Some(alg.to_owned());
        self
    }

    /// The public keys of the client, given by value.
    pub fn jwks(mut self, jwks: propusk_types::jwk::JwkSet) -> Self {
        self.client.jwks = Some(jwks);
        self
    }

    /// The URL of the client's public keys.
    pub fn jwks_uri(mut self, uri: &str) -> Self {
        self.client.jwks_uri = Some(uri.to_owned());
        self
    }

    /// The client's security profile.
    pub fn profile(mut self, profile: crate::model::ClientProfile) -> Self {
        self.client.profile = profile;
        self
    }

    /// Token requests only with a DPoP proof (RFC 9449 §5.2).
    pub fn require_dpop(mut self, required: bool) -> Self {
        self.client.dpop_bound_access_tokens = required;
        self
    }

    /// `sub` values pairwise per sector (the redirect URIs' host), OIDC Core §8.1.
    pub fn pairwise(mut self) -> Self {
        self.client.subject_type = SubjectType::Pairwise;
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.client.name = name.to_owned();
        self
    }

    pub fn kind(mut self, kind: ClientKind) -> Self {
        self.client.kind = kind;
        self
    }

    /// Marks the client `web` or `native` without changing how it authenticates.
    pub fn application_type(mut self, application_type: ApplicationType) -> Self {
        self.client.application_type = application_type;
        self
    }

    pub fn auth_method(mut self, method: AuthMethod) -> Self {
        self.client.auth_method = method;
        self
    }

    /// `private_key_jwt` with these public keys.
    pub fn private_key_jwt(mut self, jwks: JwkSet) -> Self {
        self.client.auth_method = AuthMethod::PrivateKeyJwt;
        self.client.jwks = Some(jwks);
        self
    }

    pub fn redirect_uris(mut self, uris: &[&str]) -> Self {
        self.client.redirect_uris = uris.iter().map(|u| (*u).to_owned()).collect();
        self
    }

    pub fn post_logout_redirect_uris(mut self, uris: &[&str]) -> Self {
        self.client.post_logout_redirect_uris = uris.iter().map(|u| (*u).to_owned()).collect();
        self
    }

    /// Web origins allowed to call the token-side endpoints besides the redirect URIs'.
    pub fn allowed_origins(mut self, origins: &[&str]) -> Self {
        self.client.allowed_origins = origins.iter().map(|o| (*o).to_owned()).collect();
        self
    }

    /// The scope the client may ask for, as a space-separated string.
    pub fn scope(mut self, scope: &str) -> Self {
        self.client.scope = parse_scope(scope);
        self
    }

    pub fn grants(mut self, grants: &[GrantType]) -> Self {
        self.client.grant_types = grants.to_vec();
        self
    }

    pub fn consent_required(mut self, required: bool) -> Self {
        self.client.consent_required = required;
        self
    }

    pub fn lifetimes(mut self, lifetimes: Lifetimes) -> Self {
        self.client.lifetimes = lifetimes;
        self
    }

    /// The credentials of a product (resource server) with this audience.
    pub fn product(mut self, audience: &str) -> Self {
        self.client.product = Some(audience.to_owned());
        self
    }

    pub fn created_at(mut self, at: Timestamp) -> Self {
        self.client.created_at = at;
        self
    }
}

fn parse_scope(text: &str) -> Scope {
    Scope::parse(text).expect("a valid scope string")
}
