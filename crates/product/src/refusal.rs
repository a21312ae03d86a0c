//! Why a request was not let through, and the answer RFC 6750 §3 prescribes for it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refused request. The descriptions are for the calling developer; none carries the
/// token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No access token in the request (RFC 6750 §3.1: the challenge names no error).
    Missing,
    /// The Authorization header is not `Bearer <token>` (or `DPoP <token>`).
    Malformed,
    /// The token is not valid for this product: `invalid_token` with the reason.
    Invalid(&'static str),
    /// Valid, but without the scopes the route needs: `insufficient_scope`.
    InsufficientScope(Vec<String>),
    /// The provider could not be asked (discovery, keys or introspection unreachable).
    Unavailable,
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Missing | Self::Invalid(_) => StatusCode::UNAUTHORIZED,
            Self::Malformed => StatusCode::BAD_REQUEST,
            Self::InsufficientScope(_) => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The RFC 6750 error code, if the answer carries one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::Missing | Self::Unavailable => None,
            Self::Malformed => Some("invalid_request"),
            Self::Invalid(_) => Some("invalid_token"),
            Self::InsufficientScope(_) => Some("insufficient_scope"),
        }
    }

    pub fn description(&self) -> String {
        match self {
            Self::Missing => "an access token is required".to_owned(),
            Self::Malformed => "the Authorization header must be `Bearer <token>`".to_owned(),
            Self::Invalid(reason) => format!("the access token is not valid here: {reason}"),
            Self::InsufficientScope(scopes) => {
                format!("the access token lacks the scope {}", scopes.join(" "))
            }
            Self::Unavailable => "the identity provider cannot be reached".to_owned(),
        }
    }

    /// The `WWW-Authenticate` challenge (RFC 6750 §3).
    pub fn challenge(&self, realm: &str) -> Option<String> {
        let realm = quoted(realm);
        match self {
            Self::Unavailable => None,
            Self::Missing => Some(format!("Bearer realm=\"{realm}\"")),
            Self::InsufficientScope(scopes) => Some(format!(
                "Bearer realm=\"{realm}\", error=\"insufficient_scope\", error_description=\"{}\", scope=\"{}\"",
                quoted(&self.description()),
                quoted(&scopes.join(" "))
            )),
            _ => Some(format!(
                "Bearer realm=\"{realm}\", error=\"{}\", error_description=\"{}\"",
                self.code().unwrap_or("invalid_token"),
                quoted(&self.description())
            )),
        }
    }

    /// The whole answer: status, challenge and a JSON body with the same error.
    pub fn into_response_in(self, realm: &str) -> Response {
        let body = match self.code() {
            Some(code) => json!({"error": code, "error_description": self.description()}),
            None => json!({"error_description": self.description()}),
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        let headers = response.headers_mut();
        if let Some(value) = self
            .challenge(realm)
            .and_then(|c| HeaderValue::from_str(&c).ok())
        {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        if self == Self::Unavailable {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// An auth-param value with quotes and backslashes escaped (RFC 9110 §5.6.4), and
/// without control characters.
fn quoted(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect()
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.into_response_in("api")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_follow_rfc_6750() {
        assert_eq!(
            Refusal::Missing.challenge("api").as_deref(),
            Some("Bearer realm=\"api\"")
        );
        let invalid = Refusal::Invalid("expired").challenge("api");
        assert!(invalid.is_some_and(|c| c.contains("error=\"invalid_token\"")));
        let scope = Refusal::InsufficientScope(vec!["a".into(), "b".into()]).challenge("api");
        assert!(scope.is_some_and(|c| c.ends_with("scope=\"a b\"")));
        assert_eq!(quoted("a\"b\\c\n"), "a\\\"b\\\\c");
    }
}
