//! RP-initiated logout requests ([RP-Initiated Logout 1.0 §2, §3](https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout)):
//! `id_token_hint` is checked like any token of ours except for `exp` (expired hints are
//! accepted); `client_id` must agree with it; `post_logout_redirect_uri` is honoured
//! only when registered for the client so identified, else the request fails and
//! nothing redirects; `state` goes back with the redirect. A request proves who asks
//! when its hint names the current session (`sid`) or its user.

use crate::error::{Error, Result};
use crate::jose::Alg;
use crate::model::{Client, Session};
use crate::provider::Provider;
use crate::request::Params;
use serde_json::{Map, Value};

/// The request parameters (§2), each at most once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndSessionRequest {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub ui_locales: Vec<String>,
}

impl EndSessionRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let get = |name: &str| params.single(name).map(|v| v.map(str::to_owned));
        Ok(Self {
            id_token_hint: get("id_token_hint")?,
            client_id: get("client_id")?,
            post_logout_redirect_uri: get("post_logout_redirect_uri")?,
            state: get("state")?,
            ui_locales: get("ui_locales")?
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
        })
    }
}

/// A request that passed every check.
#[derive(Clone, Debug)]
pub struct ValidatedEndSession {
    pub client: Option<Client>,
    /// `sub` and `sid` of a valid hint.
    pub hint_sub: Option<String>,
    pub hint_sid: Option<String>,
    /// A registered redirect URI of the client.
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub ui_locales: Vec<String>,
}

impl ValidatedEndSession {
    /// Where to send the browser afterwards: the registered URI with `state` (§3).
    pub fn redirect_location(&self) -> Option<String> {
        let uri = self.post_logout_redirect_uri.as_deref()?;
        let Some(state) = &self.state else {
            return Some(uri.to_owned());
        };
        let query = serde_urlencoded::to_string([("state", state)]).unwrap_or_default();
        let separator = if uri.contains('?') { '&' } else { '?' };
        Some(format!("{uri}{separator}{query}"))
    }
}

impl Provider {
    pub async fn validate_end_session(
        &self,
        request: EndSessionRequest,
    ) -> Result<ValidatedEndSession> {
        let hint = match &request.id_token_hint {
            Some(token) => Some(self.verify_id_token_hint(token).await?),
            None => None,
        };
        let hint_aud = hint.as_ref().and_then(first_audience);
        let client_id = match (&request.client_id, &hint_aud) {
            (Some(given), Some(aud)) if given != aud => return Err(Error::LogoutClientMismatch),
            (Some(given), _) => Some(given.clone()),
            (None, aud) => aud.clone(),
        };
        let client = match &client_id {
            Some(id) => Some(
                self.store
                    .get_client(id)
                    .await?
                    .ok_or(Error::UnknownClient)?,
            ),
            None => None,
        };
        if let Some(uri) = &request.post_logout_redirect_uri {
            let registered = client
                .as_ref()
                .is_some_and(|c| c.post_logout_redirect_uris.iter().any(|r| r == uri));
            if !registered {
                return Err(Error::PostLogoutRedirectUriNotRegistered);
            }
        }
        let claim = |name: &str| {
            hint.as_ref()
                .and_then(|c| c.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Ok(ValidatedEndSession {
            hint_sub: claim("sub"),
            hint_sid: claim("sid"),
            client,
            post_logout_redirect_uri: request.post_logout_redirect_uri,
            state: request.state,
            ui_locales: request.ui_locales,
        })
    }

    /// Signature by one of our keys and our `iss`; `exp` is not checked (§2).
    async fn verify_id_token_hint(&self, token: &str) -> Result<Map<String, Value>> {
        let keys = self
            .keys
            .verifying_keys(self.store.as_ref(), self.now())
            .await?;
        let jwt = keys
            .verify_jwt(token, &Alg::ALL)
            .map_err(|_| Error::IdTokenHintInvalid("signature invalid"))?;
        if jwt.claims.get("iss").and_then(Value::as_str) != Some(self.config.issuer.as_str()) {
            return Err(Error::IdTokenHintInvalid("issued elsewhere"));
        }
        if jwt
            .header
            .typ
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("JWT"))
        {
            return Err(Error::IdTokenHintInvalid("not an ID token"));
        }
        Ok(jwt.claims)
    }

    /// Whether the request proves that the session's own relying party asks.
    pub fn end_session_proven(&self, request: &ValidatedEndSession, session: &Session) -> bool {
        if request.hint_sid.as_deref() == Some(session.id.as_str()) {
            return true;
        }
        match (&request.client, &request.hint_sub) {
            (Some(client), Some(sub)) => *sub == self.subject_for(client, &session.account_id),
            _ => false,
        }
    }
}

fn first_audience(claims: &Map<String, Value>) -> Option<String> {
    match claims.get("aud")? {
        Value::String(one) => Some(one.clone()),
        Value::Array(many) => many.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_carries_state() {
        let request = ValidatedEndSession {
            client: None,
            hint_sub: None,
            hint_sid: None,
            post_logout_redirect_uri: Some("https://rp.example/bye?x=1".into()),
            state: Some("a b&c".into()),
            ui_locales: vec![],
        };
        assert_eq!(
            request.redirect_location().as_deref(),
            Some("https://rp.example/bye?x=1&state=a+b%26c")
        );
    }

    #[test]
    fn parses_once_each() {
        let params = Params::from_pairs(vec![
            ("state".into(), "a".into()),
            ("state".into(), "b".into()),
        ]);
        assert!(matches!(
            EndSessionRequest::parse(&params),
            Err(Error::DuplicateParameter(_))
        ));
    }
}
