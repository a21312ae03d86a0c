//! The one place that maps engine errors to HTTP (RFC 6749 §5.2, RFC 6750 §3.1):
//! `invalid_client` is 401 with `WWW-Authenticate` when the client used Basic, or 429
//! with `Retry-After` while its authentication is throttled;
//! `invalid_token` is 401 Bearer; `insufficient_scope` 403; internal failures 500 with a
//! generic body and the detail only in the log. HTML pages take their statuses from
//! [`page_status`] and [`form_status`]; the management API answers problem details
//! ([`problem`]).

pub mod problem;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::error::Error;
use propusk_types::error::{ErrorBody, ErrorCode};

/// The status of an HTML page that shows `error`: 500 for internal failures (the detail
/// only in the log), 429 when the user must wait, 400 for everything the request got
/// wrong.
pub fn page_status(error: &Error) -> StatusCode {
    match error {
        e if e.is_internal() => StatusCode::INTERNAL_SERVER_ERROR,
        Error::UserCodeThrottled => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The status of a form page: 400 when it is shown again with an error, 200 otherwise.
pub fn form_status(shown_with_error: bool) -> StatusCode {
    if shown_with_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    }
}

/// Headers every token-bearing or error JSON answer carries (RFC 6749 §5.1).
pub fn no_store(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

fn log(error: &Error) {
    if error.is_internal() {
        tracing::error!(%error, "request failed");
    } else {
        tracing::debug!(%error, "request refused");
    }
}

fn json_body(error: &Error) -> axum::Json<ErrorBody> {
    axum::Json(ErrorBody {
        error: error.code(),
        error_description: Some(error.description()),
    })
}

/// An error of an endpoint that answers JSON to a client (token, introspection,
/// revocation, device authorization, discovery).
#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    /// The client tried HTTP Basic authentication.
    pub basic_auth: bool,
}

impl ApiError {
    pub fn new(error: impl Into<Error>) -> Self {
        Self {
            error: error.into(),
            basic_auth: false,
        }
    }

    pub fn with_basic(mut self, basic_auth: bool) -> Self {
        self.basic_auth = basic_auth;
        self
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self::new(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log(&self.error);
        if let Error::ClientThrottled { retry_after } | Error::Throttled { retry_after } =
            self.error
        {
            return too_many_requests(&self.error, retry_after);
        }
        let status = status_of(&self.error);
        let mut response = (status, json_body(&self.error)).into_response();
        no_store(response.headers_mut());
        if status == StatusCode::UNAUTHORIZED && self.basic_auth {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"propusk\""),
            );
        }
        response
    }
}

/// The status a JSON endpoint answers `error` with: 429 while the caller must wait, 401
/// for `invalid_client` and `invalid_token`, 403 for `insufficient_scope`, 500 and 503
/// for the provider's own failures, 400 for everything else (RFC 6749 §5.2, RFC 6750
/// §3.1).
pub fn status_of(error: &Error) -> StatusCode {
    if let Error::ClientThrottled { .. } | Error::Throttled { .. } = error {
        return StatusCode::TOO_MANY_REQUESTS;
    }
    match error.code() {
        ErrorCode::InvalidClient | ErrorCode::InvalidToken => StatusCode::UNAUTHORIZED,
        ErrorCode::InsufficientScope => StatusCode::FORBIDDEN,
        ErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// 429 with `Retry-After` (RFC 6585 §4) and the OAuth error body (RFC 6749 §5.2).
fn too_many_requests(error: &Error, retry_after: i64) -> Response {
    let mut response = (StatusCode::TOO_MANY_REQUESTS, json_body(error)).into_response();
    no_store(response.headers_mut());
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
    response
}

/// An error of a protected resource (userinfo) per RFC 6750 §3.
#[derive(Debug)]
pub struct BearerError(pub Error);

impl From<Error> for BearerError {
    fn from(error: Error) -> Self {
        Self(error)
    }
}

impl IntoResponse for BearerError {
    fn into_response(self) -> Response {
        log(&self.0);
        if matches!(self.0, Error::MissingBearerToken) {
            // RFC 6750 §3.1: a request without any authentication gets no error code.
            let mut response = StatusCode::UNAUTHORIZED.into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"propusk\""),
            );
            return response;
        }
        let code = self.0.code();
        let status = match code {
            // RFC 9449 §7.1, §9: proof errors at a resource are 401 as well.
            ErrorCode::InvalidToken | ErrorCode::InvalidDpopProof | ErrorCode::UseDpopNonce => {
                StatusCode::UNAUTHORIZED
            }
            ErrorCode::InsufficientScope => StatusCode::FORBIDDEN,
            ErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        let challenge = if code == ErrorCode::ServerError {
            "Bearer realm=\"propusk\"".to_owned()
        } else {
            let description = self.0.description().replace(['"', '\\'], "'");
            format!(
                "Bearer realm=\"propusk\", error=\"{code}\", error_description=\"{description}\""
            )
        };
        let mut response = (status, json_body(&self.0)).into_response();
        no_store(response.headers_mut());
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

/// An error of dynamic client registration (RFC 7591 §3.2.2, RFC 7592 §3): a missing
/// bearer token is 401 with a bare challenge (RFC 6750 §3.1), a bad or foreign one 401
/// `invalid_token`, refused metadata 400, internal failures 500.
#[derive(Debug)]
pub struct RegistrationApiError(pub propusk_core::registration::RegistrationError);

impl From<propusk_core::registration::RegistrationError> for RegistrationApiError {
    fn from(error: propusk_core::registration::RegistrationError) -> Self {
        Self(error)
    }
}

impl IntoResponse for RegistrationApiError {
    fn into_response(self) -> Response {
        use propusk_core::registration::RegistrationError as E;
        let error = &self.0;
        let (status, challenge) = match error {
            E::TokenMissing => (StatusCode::UNAUTHORIZED, Some("Bearer realm=\"propusk\"")),
            E::TokenInvalid => (
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"propusk\", error=\"invalid_token\""),
            ),
            E::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, None),
            _ => (StatusCode::BAD_REQUEST, None),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(%error, "registration failed");
        } else {
            tracing::debug!(%error, "registration refused");
        }
        let mut response = if matches!(error, E::TokenMissing) {
            status.into_response()
        } else {
            let body = ErrorBody {
                error: error.code(),
                error_description: Some(error.description()),
            };
            (status, axum::Json(body)).into_response()
        };
        no_store(response.headers_mut());
        if let Some(challenge) = challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
