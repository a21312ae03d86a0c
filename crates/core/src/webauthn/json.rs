//! The JSON the browser sends and receives: `PublicKeyCredential.toJSON()` shapes
//! (binary members as base64url) and the creation and request options
//! (`PublicKeyCredentialCreationOptionsJSON`, `PublicKeyCredentialRequestOptionsJSON`).

use crate::crypto::b64url_decode;
use serde::{Deserialize, Serialize};

/// The largest credential JSON accepted, bytes.
pub const MAX_CREDENTIAL_JSON: usize = 64 * 1024;

#[derive(Clone, Debug, Deserialize)]
pub struct RegistrationCredential {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub response: RegistrationResponse,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RegistrationResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    #[serde(rename = "attestationObject")]
    pub attestation_object: String,
    #[serde(default)]
    pub transports: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AssertionCredential {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub response: AssertionResponse,
    #[serde(default, rename = "authenticatorAttachment")]
    pub authenticator_attachment: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AssertionResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    #[serde(rename = "authenticatorData")]
    pub authenticator_data: String,
    pub signature: String,
    #[serde(default, rename = "userHandle")]
    pub user_handle: Option<String>,
}

/// Parses a credential, refusing oversized input and anything but `public-key`.
pub fn parse<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, &'static str> {
    if text.len() > MAX_CREDENTIAL_JSON {
        return Err("the credential is too large");
    }
    serde_json::from_str(text).map_err(|_| "the credential is not valid credential JSON")
}

/// Decodes a base64url member (padding tolerated).
pub fn bytes(text: &str) -> Result<Vec<u8>, &'static str> {
    b64url_decode(text.trim_end_matches('=')).map_err(|_| "a credential member is not base64url")
}

#[derive(Clone, Debug, Serialize)]
pub struct Rp {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: String,
    pub name: String,
    #[serde(rename = "displayName")]
    pub display_name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CredentialParameter {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub alg: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CredentialDescriptor {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuthenticatorSelection {
    #[serde(rename = "residentKey")]
    pub resident_key: &'static str,
    #[serde(rename = "requireResidentKey")]
    pub require_resident_key: bool,
    #[serde(rename = "userVerification")]
    pub user_verification: &'static str,
}

/// `PublicKeyCredentialCreationOptionsJSON`.
#[derive(Clone, Debug, Serialize)]
pub struct CreationOptions {
    pub challenge: String,
    pub rp: Rp,
    pub user: User,
    #[serde(rename = "pubKeyCredParams")]
    pub pub_key_cred_params: Vec<CredentialParameter>,
    /// Milliseconds.
    pub timeout: i64,
    #[serde(rename = "excludeCredentials")]
    pub exclude_credentials: Vec<CredentialDescriptor>,
    #[serde(rename = "authenticatorSelection")]
    pub authenticator_selection: AuthenticatorSelection,
    pub attestation: &'static str,
}

/// `PublicKeyCredentialRequestOptionsJSON`.
#[derive(Clone, Debug, Serialize)]
pub struct RequestOptions {
    pub challenge: String,
    #[serde(rename = "rpId")]
    pub rp_id: String,
    /// Milliseconds.
    pub timeout: i64,
    /// Empty for discoverable credentials (the browser offers the passkeys it has).
    #[serde(rename = "allowCredentials")]
    pub allow_credentials: Vec<CredentialDescriptor>,
    #[serde(rename = "userVerification")]
    pub user_verification: &'static str,
}
