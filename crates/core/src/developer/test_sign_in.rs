//! The cabinet's test sign-in: runs an application's own scheme against its own settings,
//! with the provider's callback ([`routes::DEVELOPER_CALLBACK`]) as the redirect URI, and
//! returns what the application would receive, decoded. The code flow always carries PKCE
//! (RFC 7636 §4) and a `state`; the callback redeems the code for the application, so the
//! integrator sees a result before writing code. A device asks for a user code (RFC 8628
//! §3.1), the integrator confirms it on the provider's device page, and the cabinet
//! redeems the device code (§3.4). A service runs client credentials (RFC 6749 §4.4)
//! directly.

use super::{AppType, Cabinet, CabinetError, CabinetResult};
use crate::client_auth::ClientCredentials;
use crate::crypto::{b64url, b64url_decode, random_token, sha256};
use crate::device::DeviceAuthorizationResponse;
use crate::model::Client;
use crate::request::Params;
use crate::token::authorization_code::CodeRequest;
use crate::token::client_credentials::CredentialsRequest;
use crate::token::device_code::DeviceCodeRequest;
use propusk_types::routes;
use serde_json::Value;

/// Scopes the test sign-in asks for, of those the application may ask for.
const TEST_SCOPES: [&str; 3] = ["openid", "profile", "email"];

/// A started test sign-in: where to send the browser, and what the callback must get back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestStart {
    pub authorize_url: String,
    pub state: String,
    pub verifier: String,
}

/// What the application would have received, decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct TestResult {
    /// The ID token's claims (absent for a service).
    pub id_token: Option<Value>,
    /// The access token as issued.
    pub access_token: String,
    /// Its claims when it is a JWT; a reference token carries none.
    pub access_token_claims: Option<Value>,
    /// The UserInfo answer (absent for a service).
    pub userinfo: Option<Value>,
}

impl Cabinet<'_> {
    /// The authorization request of the test sign-in of an application that signs users in.
    pub fn start_test(&self, client: &Client) -> CabinetResult<TestStart> {
        if !AppType::of(client).uses_redirects() {
            return Err(CabinetError::NotFound);
        }
        let rng = self.p.rng.as_ref();
        let state = random_token(rng, 16);
        let verifier = random_token(rng, 32);
        let challenge = b64url(&sha256(verifier.as_bytes()));
        let scope: Vec<&str> = TEST_SCOPES
            .into_iter()
            .filter(|s| client.scope.contains(s))
            .collect();
        let query = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", client.id.as_str()),
            ("redirect_uri", self.test_callback().as_str()),
            ("scope", scope.join(" ").as_str()),
            ("state", state.as_str()),
            ("nonce", random_token(rng, 16).as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .map_err(|e| CabinetError::Failed(crate::error::Error::Internal(e.to_string())))?;
        Ok(TestStart {
            authorize_url: format!("{}?{query}", self.p.config.url(routes::AUTHORIZE)),
            state,
            verifier,
        })
    }

    /// Redeems the code the callback received for the application and reads UserInfo.
    pub async fn finish_test(
        &self,
        client: &Client,
        code: &str,
        verifier: &str,
    ) -> CabinetResult<TestResult> {
        let request = CodeRequest {
            code: code.to_owned(),
            redirect_uri: Some(self.test_callback()),
            code_verifier: Some(verifier.to_owned()),
            resources: Vec::new(),
        };
        let tokens = self.p.exchange_code(client, request, None).await?.response;
        let userinfo = self
            .p
            .userinfo(&tokens.access_token, crate::dpop::Scheme::Bearer, None)
            .await?;
        Ok(TestResult {
            id_token: tokens.id_token.as_deref().and_then(jwt_claims),
            access_token_claims: jwt_claims(&tokens.access_token),
            access_token: tokens.access_token,
            userinfo: Some(Value::Object(userinfo.claims)),
        })
    }

    /// A device's user code and device code, for the device's own scopes of the test ones.
    pub async fn start_device_test(
        &self,
        client: &Client,
    ) -> CabinetResult<DeviceAuthorizationResponse> {
        if AppType::of(client) != AppType::Device {
            return Err(CabinetError::NotFound);
        }
        let scope: Vec<&str> = TEST_SCOPES
            .into_iter()
            .filter(|s| client.scope.contains(s))
            .collect();
        let params = Params::from_pairs(vec![("scope".to_owned(), scope.join(" "))]);
        let credentials = ClientCredentials::None {
            client_id: client.id.clone(),
        };
        Ok(self.p.device_authorization(&credentials, &params).await?)
    }

    /// Redeems the device code once the user confirmed it; `authorization_pending` until then.
    pub async fn finish_device_test(
        &self,
        client: &Client,
        device_code: &str,
    ) -> CabinetResult<TestResult> {
        let request = DeviceCodeRequest {
            device_code: device_code.to_owned(),
            scope: None,
        };
        let tokens = self
            .p
            .redeem_device_code(client, request, None)
            .await?
            .response;
        let userinfo = self
            .p
            .userinfo(&tokens.access_token, crate::dpop::Scheme::Bearer, None)
            .await?;
        Ok(TestResult {
            id_token: tokens.id_token.as_deref().and_then(jwt_claims),
            access_token_claims: jwt_claims(&tokens.access_token),
            access_token: tokens.access_token,
            userinfo: Some(Value::Object(userinfo.claims)),
        })
    }

    /// A service's token by client credentials, for its product scopes.
    pub async fn service_test(&self, client: &Client) -> CabinetResult<TestResult> {
        if AppType::of(client) != AppType::Service {
            return Err(CabinetError::NotFound);
        }
        let tokens = self
            .p
            .client_credentials(
                client,
                CredentialsRequest {
                    scope: None,
                    resources: Vec::new(),
                },
                None,
            )
            .await?
            .response;
        Ok(TestResult {
            id_token: None,
            access_token_claims: jwt_claims(&tokens.access_token),
            access_token: tokens.access_token,
            userinfo: None,
        })
    }
}

/// The payload of a compact JWS, read without checking it (the provider just issued it).
fn jwt_claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = b64url_decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_payload_of_a_jwt_only() {
        let payload = b64url(br#"{"sub":"alice"}"#);
        let token = format!("e30.{payload}.sig");
        assert_eq!(
            jwt_claims(&token),
            Some(serde_json::json!({"sub": "alice"}))
        );
        assert_eq!(jwt_claims("opaque-reference-token"), None);
    }
}
