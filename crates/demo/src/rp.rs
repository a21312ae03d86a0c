//! The relying party every demo page uses, on the `openidconnect` crate: configured from
//! discovery, it builds the authorization request (state, nonce, PKCE S256), checks the
//! answer's `state` and `iss` (RFC 9207), trades the code with the client's secret,
//! verifies the ID token (signature, `iss`, `aud`, `exp`, `nonce`, `at_hash`) and reads
//! UserInfo bound to the ID token's subject.

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreTokenResponse, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;
use serde_json::Value;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

pub struct RelyingParty {
    client: Client,
    issuer: String,
    http: reqwest::Client,
}

/// An authorization under way: what the callback checks and sends back.
pub struct Pending {
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

/// The parameters the provider sends to the redirect URI.
#[derive(Debug, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A finished sign-in.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The verified ID token's claims.
    pub id_token: Value,
    pub userinfo: Value,
    pub access_token: String,
    /// The scopes the provider granted.
    pub scope: Vec<String>,
}

impl SignedIn {
    pub fn subject(&self) -> &str {
        self.id_token["sub"].as_str().unwrap_or_default()
    }

    pub fn granted(&self, scope: &str) -> bool {
        self.scope.iter().any(|s| s == scope)
    }
}

/// The HTTP client of the demo's outgoing calls; redirects are not followed (an
/// endpoint that redirects is a misconfiguration, and following one invites SSRF).
pub fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| format!("building the HTTP client: {e}"))
}

impl RelyingParty {
    pub async fn discover(
        issuer: &str,
        client_id: &str,
        secret: &str,
        redirect_uri: &str,
        http: reqwest::Client,
    ) -> Result<Self, String> {
        let issuer_url =
            IssuerUrl::new(issuer.to_owned()).map_err(|e| format!("--issuer {issuer}: {e}"))?;
        let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
            .await
            .map_err(|e| format!("discovery of {issuer} (is Propusk running there?): {e}"))?;
        let redirect = RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|e| format!("redirect URI {redirect_uri}: {e}"))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(client_id.to_owned()),
            Some(ClientSecret::new(secret.to_owned())),
        )
        .set_redirect_uri(redirect);
        Ok(Self {
            client,
            issuer: issuer.to_owned(),
            http,
        })
    }

    /// The authorization request for `scopes` (besides `openid`), and what its answer is
    /// checked against.
    pub fn start(&self, scopes: &[&str]) -> (String, Pending) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in scopes {
            request = request.add_scope(Scope::new((*scope).to_owned()));
        }
        let (url, state, nonce) = request.url();
        let pending = Pending {
            state,
            nonce,
            verifier,
        };
        (url.into(), pending)
    }

    /// Checks the answer against the request, trades the code and verifies the tokens.
    pub async fn finish(&self, pending: Pending, answer: Callback) -> Result<SignedIn, String> {
        if let Some(error) = answer.error {
            let description = answer.error_description.unwrap_or_default();
            return Err(format!("the provider answered {error}: {description}"));
        }
        let state = answer.state.unwrap_or_default();
        if !same(state.as_bytes(), pending.state.secret().as_bytes()) {
            return Err("the answer's state is not this browser's request".into());
        }
        if answer.iss.as_deref().is_some_and(|iss| iss != self.issuer) {
            return Err("the answer's iss names another issuer (RFC 9207)".into());
        }
        let code = answer.code.ok_or("the answer carries no code")?;
        let tokens: CoreTokenResponse = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| e.to_string())?
            .set_pkce_verifier(pending.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| format!("code exchange: {}", describe(&e)))?;
        let id_token = self.verify(&tokens, &pending.nonce)?;
        let subject = id_token["sub"].as_str().unwrap_or_default().to_owned();
        let userinfo: CoreUserInfoClaims = self
            .client
            .user_info(
                tokens.access_token().clone(),
                Some(openidconnect::SubjectIdentifier::new(subject)),
            )
            .map_err(|e| e.to_string())?
            .request_async(&self.http)
            .await
            .map_err(|e| format!("userinfo: {}", describe(&e)))?;
        let scope = tokens
            .scopes()
            .map(|s| s.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        Ok(SignedIn {
            id_token,
            userinfo: serde_json::to_value(&userinfo).map_err(|e| e.to_string())?,
            access_token: tokens.access_token().secret().clone(),
            scope,
        })
    }

    /// The ID token's claims after the library's checks and `at_hash`.
    fn verify(&self, tokens: &CoreTokenResponse, nonce: &Nonce) -> Result<Value, String> {
        let id_token = tokens.id_token().ok_or("the provider sent no ID token")?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, nonce)
            .map_err(|e| format!("ID token: {e}"))?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token.signing_alg().map_err(|e| e.to_string())?;
            let key = id_token.signing_key(&verifier).map_err(|e| e.to_string())?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| e.to_string())?;
            if actual != *expected {
                return Err("ID token: at_hash does not match the access token".into());
            }
        }
        serde_json::to_value(claims).map_err(|e| e.to_string())
    }
}

/// The error and its causes on one line.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Equality of two byte strings in time that depends on their lengths only.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
