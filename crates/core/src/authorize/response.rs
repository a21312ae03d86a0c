//! The answer sent back to the client's redirect URI: a code or an error, always with
//! `state` when the request had one and `iss` (RFC 9207 §2), in the requested response
//! mode. The web layer only renders it (redirect or auto-submitting form).

use super::request::ResponseMode;
use crate::error::Error;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationResponse {
    pub redirect_uri: String,
    pub mode: ResponseMode,
    pub params: Vec<(String, String)>,
}

impl AuthorizationResponse {
    pub fn code(
        redirect_uri: &str,
        mode: ResponseMode,
        code: String,
        state: Option<&str>,
        issuer: &str,
    ) -> Self {
        let mut params = vec![("code".to_owned(), code)];
        push_common(&mut params, state, issuer);
        Self {
            redirect_uri: redirect_uri.to_owned(),
            mode,
            params,
        }
    }

    pub fn error(
        redirect_uri: &str,
        mode: ResponseMode,
        error: &Error,
        state: Option<&str>,
        issuer: &str,
    ) -> Self {
        let mut params = vec![
            ("error".to_owned(), error.code().as_str().to_owned()),
            ("error_description".to_owned(), error.description()),
        ];
        push_common(&mut params, state, issuer);
        Self {
            redirect_uri: redirect_uri.to_owned(),
            mode,
            params,
        }
    }

    /// The URL to redirect to for the query and fragment modes (RFC 6749 §4.1.2: existing
    /// query components of the registered URI are kept).
    pub fn location(&self) -> String {
        let encoded = serde_urlencoded::to_string(&self.params).unwrap_or_default();
        match self.mode {
            ResponseMode::Fragment => format!("{}#{}", self.redirect_uri, encoded),
            _ if self.redirect_uri.contains('?') => format!("{}&{}", self.redirect_uri, encoded),
            _ => format!("{}?{}", self.redirect_uri, encoded),
        }
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn push_common(params: &mut Vec<(String, String)>, state: Option<&str>, issuer: &str) {
    if let Some(state) = state {
        params.push(("state".to_owned(), state.to_owned()));
    }
    params.push(("iss".to_owned(), issuer.to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_existing_query_and_encodes() {
        let r = AuthorizationResponse::code(
            "https://a.example/cb?x=1",
            ResponseMode::Query,
            "c d".into(),
            Some("s&t"),
            "https://idp",
        );
        assert_eq!(
            r.location(),
            "https://a.example/cb?x=1&code=c+d&state=s%26t&iss=https%3A%2F%2Fidp"
        );
        let f = AuthorizationResponse::code(
            "https://a.example/cb",
            ResponseMode::Fragment,
            "c".into(),
            None,
            "i",
        );
        assert_eq!(f.location(), "https://a.example/cb#code=c&iss=i");
    }
}
