//! The validated authorization request: only values that passed every check. It is what
//! an interaction stores while the user signs in or consents.

use propusk_types::scope::Scope;
use serde::{Deserialize, Serialize};

/// OAuth 2.0 Multiple Response Type Encoding Practices §2.1 and Form Post Response Mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

impl ResponseMode {
    pub const SUPPORTED: [&'static str; 3] = ["query", "fragment", "form_post"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "query" => Some(Self::Query),
            "fragment" => Some(Self::Fragment),
            "form_post" => Some(Self::FormPost),
            _ => None,
        }
    }
}

/// `prompt` values (OIDC Core §3.1.2.1; `create` from Initiating User Registration 1.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prompt {
    None,
    Login,
    Consent,
    SelectAccount,
    Create,
}

impl Prompt {
    pub const SUPPORTED: [&'static str; 5] =
        ["none", "login", "consent", "select_account", "create"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "none" => Some(Self::None),
            "login" => Some(Self::Login),
            "consent" => Some(Self::Consent),
            "select_account" => Some(Self::SelectAccount),
            "create" => Some(Self::Create),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidatedAuthorizationRequest {
    pub client_id: String,
    /// The redirect URI to answer at (registered, exactly matched).
    pub redirect_uri: String,
    /// Whether `redirect_uri` was sent; when it was, the token request must repeat it.
    pub redirect_uri_sent: bool,
    pub response_mode: ResponseMode,
    pub state: Option<String>,
    pub scope: Scope,
    pub nonce: Option<String>,
    /// S256 challenge (RFC 7636 §4.2).
    pub code_challenge: Option<String>,
    pub prompt: Vec<Prompt>,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    /// `sub` of a valid `id_token_hint`.
    pub id_token_hint_sub: Option<String>,
    pub ui_locales: Vec<String>,
    pub acr_values: Vec<String>,
    pub claims: Option<serde_json::Value>,
}

impl ValidatedAuthorizationRequest {
    pub fn prompts(&self, prompt: Prompt) -> bool {
        self.prompt.contains(&prompt)
    }

    pub fn is_openid(&self) -> bool {
        self.scope.contains(propusk_types::scope::OPENID)
    }
}
