//! Errors of the management API as RFC 9457 problem details
//! (`application/problem+json`): `title` names the kind of problem, `detail` says what
//! was wrong with this request, `code` carries the OAuth error code where one applies
//! (RFC 6750 §3.1) and `field` the field at fault. Internal failures are 500 with a
//! generic body; their detail stays in the log. The statuses of API answers are decided
//! here and nowhere else.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::admin::AdminError;
use propusk_core::error::Error;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem details object.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `about:blank`: the status code says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The OAuth error code (`invalid_token`, `insufficient_scope`, `invalid_request`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// The request field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A refused API request.
#[derive(Debug)]
pub enum ApiProblem {
    /// No bearer token at all (RFC 6750 §3.1: a bare challenge).
    NoToken,
    /// A token that is not ours, expired, revoked, or not for this API.
    InvalidToken(&'static str),
    /// A valid token without the scope the request needs.
    InsufficientScope(&'static str),
    BadRequest {
        field: Option<String>,
        detail: String,
    },
    NotFound(String),
    Conflict(String),
    /// `If-Match` named another version.
    PreconditionFailed,
    UnsupportedMediaType,
    Internal(String),
}

impl ApiProblem {
    pub fn bad(field: &str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            field: Some(field.to_owned()),
            detail: detail.into(),
        }
    }
}

impl From<AdminError> for ApiProblem {
    fn from(error: AdminError) -> Self {
        match error {
            AdminError::NotFound { .. } => Self::NotFound(error.to_string()),
            AdminError::Conflict(text) => Self::Conflict(text),
            AdminError::Invalid { field, description } => Self::BadRequest {
                field: Some(field.to_owned()),
                detail: description,
            },
            AdminError::Metadata(m) => Self::BadRequest {
                field: Some(m.field.to_owned()),
                detail: format!("{} ({})", m.description, m.code),
            },
            AdminError::Engine(e) => Self::from(e),
        }
    }
}

impl From<Error> for ApiProblem {
    fn from(error: Error) -> Self {
        if error.is_internal() {
            Self::Internal(error.to_string())
        } else {
            Self::BadRequest {
                field: None,
                detail: error.description(),
            }
        }
    }
}

const CHALLENGE: &str = "Bearer realm=\"propusk\"";

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        let (status, title, detail, code, field, challenge) = match self {
            Self::NoToken => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                Some("a bearer access token is required".to_owned()),
                None,
                None,
                Some(CHALLENGE.to_owned()),
            ),
            Self::InvalidToken(why) => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                Some(format!("the access token is not valid here: {why}")),
                Some("invalid_token"),
                None,
                Some(format!(
                    "{CHALLENGE}, error=\"invalid_token\", error_description=\"{why}\""
                )),
            ),
            Self::InsufficientScope(scope) => (
                StatusCode::FORBIDDEN,
                "Forbidden",
                Some(format!("the access token lacks the scope {scope}")),
                Some("insufficient_scope"),
                None,
                Some(format!(
                    "{CHALLENGE}, error=\"insufficient_scope\", scope=\"{scope}\""
                )),
            ),
            Self::BadRequest { field, detail } => (
                StatusCode::BAD_REQUEST,
                "Bad Request",
                Some(detail),
                Some("invalid_request"),
                field,
                None,
            ),
            Self::NotFound(detail) => (
                StatusCode::NOT_FOUND,
                "Not Found",
                Some(detail),
                None,
                None,
                None,
            ),
            Self::Conflict(detail) => (
                StatusCode::CONFLICT,
                "Conflict",
                Some(detail),
                None,
                None,
                None,
            ),
            Self::PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "Precondition Failed",
                Some("If-Match names another version; read the resource again".to_owned()),
                None,
                None,
                None,
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type",
                Some("send the body as application/json".to_owned()),
                None,
                None,
                None,
            ),
            Self::Internal(detail) => {
                tracing::error!(detail, "management API request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal Server Error",
                    None,
                    None,
                    None,
                    None,
                )
            }
        };
        let problem = Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail,
            code,
            field,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}
