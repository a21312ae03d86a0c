//! Which client authentication a request presented (RFC 6749 §2.3.1; RFC 7521 §4.2;
//! OIDC Core §9): `Authorization: Basic` with both parts form-urldecoded, or the form
//! fields `client_id`, `client_secret`, `client_assertion_type`, `client_assertion`.
//! More than one method at once is `invalid_request` (RFC 6749 §2.3). The engine checks
//! the credentials themselves. [`ClientForm`] is how the token, introspection,
//! revocation and device authorization endpoints take their request: a strict form body
//! plus the credentials it and the headers present, with the client certificate of the
//! connection when there is one (RFC 8705: `tls_client_auth`,
//! `self_signed_tls_client_auth`, and the certificate access tokens are bound to).

use super::form;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use propusk_core::client_auth::{ClientCredentials, JWT_BEARER_ASSERTION};
use propusk_core::error::Error;
use propusk_core::request::Params;

/// A form POST from a client that authenticates itself.
#[derive(Debug)]
pub struct ClientForm {
    pub params: Params,
    pub credentials: ClientCredentials,
    /// Whether Basic was tried (which decides `WWW-Authenticate`).
    basic: bool,
}

impl ClientForm {
    /// The engine's answer, its error sent with `WWW-Authenticate: Basic` when the client
    /// tried Basic.
    pub fn answer<T>(&self, answer: Result<T, Error>) -> Result<T, ApiError> {
        answer.map_err(|e| ApiError::new(e).with_basic(self.basic))
    }
}

impl FromRequest<AppState> for ClientForm {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let headers = request.headers().clone();
        let certificate =
            crate::client_certificate::presented(state, request.extensions(), &headers).map_err(
                |_| {
                    ApiError::new(Error::ClientAuthFailed(
                        "the forwarded client certificate is not readable",
                    ))
                },
            )?;
        let mut form = Self::read(request).await?;
        form.credentials = form.credentials.with_certificate(certificate);
        Ok(form)
    }
}

impl ClientForm {
    /// The form and the credentials it and the headers present, without the connection's
    /// certificate.
    pub async fn read(request: Request) -> Result<Self, ApiError> {
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, &()).await;
        let params = form::parse(&headers, body)?;
        let presented = extract(&headers, &params)?;
        Ok(Self {
            params,
            credentials: presented.credentials,
            basic: presented.basic,
        })
    }
}

/// The credentials and whether Basic was tried.
#[derive(Debug)]
struct Presented {
    credentials: ClientCredentials,
    basic: bool,
}

fn extract(headers: &HeaderMap, params: &Params) -> Result<Presented, ApiError> {
    let basic = basic_header(headers);
    let secret = params.get("client_secret");
    let assertion = params.get("client_assertion");
    let methods = usize::from(basic.is_some())
        + usize::from(secret.is_some())
        + usize::from(assertion.is_some());
    if methods > 1 {
        let error = Error::InvalidParameter {
            name: "client authentication",
            reason: "more than one method used",
        };
        return Err(ApiError::new(error));
    }
    let client_id = params.get("client_id");
    let credentials = match (basic, secret, assertion) {
        (Some(header), _, _) => {
            from_basic(header, client_id).map_err(|e| ApiError::new(e).with_basic(true))?
        }
        (None, Some(secret), _) => ClientCredentials::SecretPost {
            client_id: client_id
                .ok_or(Error::MissingParameter("client_id"))?
                .to_owned(),
            secret: secret.to_owned(),
        },
        (None, None, Some(assertion)) => from_assertion(params, client_id, assertion)?,
        (None, None, None) if params.get("client_assertion_type").is_some() => {
            return Err(ApiError::new(Error::MissingParameter("client_assertion")));
        }
        (None, None, None) => match client_id {
            Some(id) => ClientCredentials::None {
                client_id: id.to_owned(),
            },
            None => ClientCredentials::Absent,
        },
    };
    Ok(Presented {
        credentials,
        basic: basic.is_some(),
    })
}

/// The credentials part of `Authorization: Basic ...`, if that scheme is used.
/// The client id of well-formed `Authorization: Basic` credentials, if any.
pub(crate) fn basic_client_id(headers: &HeaderMap) -> Option<String> {
    match from_basic(basic_header(headers)?, None) {
        Ok(ClientCredentials::SecretBasic { client_id, .. }) => Some(client_id),
        _ => None,
    }
}

fn basic_header(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("basic").then_some(rest.trim())
}

fn from_basic(encoded: &str, form_client_id: Option<&str>) -> Result<ClientCredentials, Error> {
    let malformed = || Error::ClientAuthFailed("malformed Basic credentials");
    let decoded = STANDARD.decode(encoded).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    let client_id = form::decode(id).map_err(|_| malformed())?;
    let secret = form::decode(secret).map_err(|_| malformed())?;
    if form_client_id.is_some_and(|form_id| form_id != client_id) {
        return Err(Error::InvalidParameter {
            name: "client_id",
            reason: "differs from the Basic credentials",
        });
    }
    Ok(ClientCredentials::SecretBasic { client_id, secret })
}

fn from_assertion(
    params: &Params,
    client_id: Option<&str>,
    assertion: &str,
) -> Result<ClientCredentials, Error> {
    match params.get("client_assertion_type") {
        None => Err(Error::MissingParameter("client_assertion_type")),
        Some(JWT_BEARER_ASSERTION) => Ok(ClientCredentials::PrivateKeyJwt {
            client_id: client_id.map(str::to_owned),
            assertion: assertion.to_owned(),
        }),
        Some(_) => Err(Error::InvalidParameter {
            name: "client_assertion_type",
            reason: "only jwt-bearer is supported",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn basic_client_id_is_form_decoded() {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode("my%20app:secret"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&value).expect("header"),
        );
        assert_eq!(basic_client_id(&headers).as_deref(), Some("my app"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(basic_client_id(&headers), None);
    }

    fn basic(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let encoded = format!("Basic {}", STANDARD.encode(value));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&encoded).expect("header"),
        );
        headers
    }

    #[test]
    fn basic_parts_are_form_urldecoded() {
        let presented = extract(&basic("my%3Aapp:s%2Bc+ret"), &Params::of(&[])).expect("extracted");
        assert!(presented.basic);
        let expected = ClientCredentials::SecretBasic {
            client_id: "my:app".into(),
            secret: "s+c ret".into(),
        };
        assert_eq!(presented.credentials, expected);
    }

    #[test]
    fn two_methods_are_refused() {
        let error =
            extract(&basic("a:b"), &Params::of(&[("client_secret", "x")])).expect_err("refused");
        assert!(matches!(error.error, Error::InvalidParameter { .. }));
    }

    #[test]
    fn client_id_alone_is_a_public_client() {
        let presented =
            extract(&HeaderMap::new(), &Params::of(&[("client_id", "spa")])).expect("extracted");
        assert_eq!(
            presented.credentials,
            ClientCredentials::None {
                client_id: "spa".into()
            }
        );
        let presented = extract(&HeaderMap::new(), &Params::of(&[])).expect("extracted");
        assert_eq!(presented.credentials, ClientCredentials::Absent);
    }
}
