//! Products: the APIs of the product family (resource servers). A product owns scopes,
//! is the audience of access tokens that carry them, and chooses the token format
//! (JWT per RFC 9068, or reference tokens checked by introspection, RFC 7662).

use crate::clock::Timestamp;
use crate::model::SubjectType;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenFormat {
    Jwt,
    Reference,
}

impl TokenFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "jwt" => Some(Self::Jwt),
            "reference" | "opaque" => Some(Self::Reference),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jwt => "jwt",
            Self::Reference => "reference",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductScope {
    pub name: String,
    #[serde(default)]
    pub description_ru: Option<String>,
    #[serde(default)]
    pub description_en: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// The audience (`aud`) of tokens for this product; also its id.
    pub audience: String,
    pub name: String,
    pub scopes: Vec<ProductScope>,
    pub token_format: TokenFormat,
    /// JWS alg of JWT access tokens for this product; the provider default when unset.
    #[serde(default)]
    pub signing_alg: Option<String>,
    /// Whether an application's request for these scopes waits for the operator.
    #[serde(default)]
    pub approval_required: bool,
    /// The `sub` of access tokens for this product: the same for one person whichever
    /// application obtained the token. `pairwise` derives it from the product's audience
    /// (products cannot correlate people, nor integrators through them with other
    /// products); `public` is the account id. Products registered before the setting
    /// existed read as `public`.
    #[serde(default = "public_subject")]
    pub subject_type: SubjectType,
    pub created_at: Timestamp,
}

fn public_subject() -> SubjectType {
    SubjectType::Public
}

impl Product {
    pub fn owns_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.name == scope)
    }
}
