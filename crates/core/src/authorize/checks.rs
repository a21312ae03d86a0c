//! One rule, one function. Each returns the value it validated or the named error.

use super::request::{Prompt, ResponseMode};
use crate::error::Error;
use crate::model::{Client, GrantType};
use crate::request::Params;
use propusk_types::scope::{OFFLINE_ACCESS, OPENID, Scope};

/// RFC 6749 §3.1.2.3, RFC 9700 §4.1.3: exact string match against a registered URI, but
/// for the port of a native client's loopback IP URI (RFC 8252 §7.3). When the request
/// omits it, a client with exactly one registered URI gets that one.
pub fn redirect_uri(params: &Params, client: &Client) -> Result<(String, bool), Error> {
    match params.single("redirect_uri")? {
        Some(uri) if client.redirect_uri_registered(uri) => Ok((uri.to_owned(), true)),
        Some(_) => Err(Error::RedirectUriNotRegistered),
        None if client.redirect_uris.len() == 1 => Ok((client.redirect_uris[0].clone(), false)),
        None => Err(Error::RedirectUriMissing),
    }
}

/// OAuth 2.0 Multiple Response Type Encoding Practices §2.1; the default for `code` is query.
pub fn response_mode(params: &Params) -> Result<ResponseMode, Error> {
    match params.single("response_mode")? {
        None => Ok(ResponseMode::Query),
        Some(mode) => {
            ResponseMode::parse(mode).ok_or_else(|| Error::UnsupportedResponseMode(mode.to_owned()))
        }
    }
}

/// RFC 6749 §3.1.1: only the authorization code flow is offered.
pub fn response_type(params: &Params) -> Result<(), Error> {
    match params.single("response_type")? {
        None => Err(Error::MissingParameter("response_type")),
        Some("code") => Ok(()),
        Some(other) => Err(Error::UnsupportedResponseType(other.to_owned())),
    }
}

/// RFC 6749 §4.1.2.1 `unauthorized_client`.
pub fn client_may_use_code(client: &Client) -> Result<(), Error> {
    if client.product.is_some() || !client.allows_grant(GrantType::AuthorizationCode) {
        return Err(Error::GrantNotAllowed("authorization_code"));
    }
    Ok(())
}

/// RFC 9101 §4, RFC 9126 §2.1: the parameters in hand are the resolved ones (pushed, or
/// from a request object), so a `request` or `request_uri` among them would be a second
/// level of indirection, which neither RFC allows.
pub fn no_nested_request(params: &Params) -> Result<(), Error> {
    if params.has("request") {
        return Err(Error::RequestObjectInvalid(
            "a request object cannot be used with a pushed request",
        ));
    }
    if params.has("request_uri") {
        return Err(Error::RequestUriNotSupported);
    }
    Ok(())
}

/// RFC 6749 §3.3: every requested scope must be allowed for the client. `offline_access`
/// is kept only for clients that may use refresh tokens (OIDC Core §11).
pub fn scope(params: &Params, client: &Client) -> Result<Scope, Error> {
    let text = params.single("scope")?.unwrap_or("");
    let mut scope = Scope::parse(text).map_err(|_| Error::InvalidParameter {
        name: "scope",
        reason: "contains characters not allowed in a scope token",
    })?;
    let refused = scope.difference(&client.scope);
    if let Some(first) = refused.iter().next() {
        return Err(Error::ScopeNotAllowed(first.to_owned()));
    }
    if !client.allows_grant(GrantType::RefreshToken) {
        scope.remove(OFFLINE_ACCESS);
    }
    if scope.is_empty() {
        return Err(Error::MissingParameter("scope"));
    }
    Ok(scope)
}

/// OIDC Core §3.1.2.1: `nonce` belongs to OpenID requests; sent without `openid` it shows a
/// confused client.
pub fn nonce(params: &Params, scope: &Scope) -> Result<Option<String>, Error> {
    let nonce = params.single("nonce")?;
    if nonce.is_some() && !scope.contains(OPENID) {
        return Err(Error::NonceWithoutOpenid);
    }
    Ok(nonce.map(str::to_owned))
}

/// RFC 7636 §4.3 with RFC 9700 §2.1.1: only S256; required for public clients.
pub fn pkce(params: &Params, client: &Client) -> Result<Option<String>, Error> {
    let challenge = params.single("code_challenge")?;
    let method = params.single("code_challenge_method")?;
    match (challenge, method) {
        (None, None) if client.requires_pkce() => Err(Error::PkceRequired),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Error::MissingParameter("code_challenge")),
        (Some(_), None) => Err(Error::PkceMethodRefused("plain (the default)".into())),
        (Some(_), Some(m)) if m != "S256" => Err(Error::PkceMethodRefused(m.to_owned())),
        (Some(c), Some(_)) => {
            let well_formed = c.len() == 43
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if well_formed {
                Ok(Some(c.to_owned()))
            } else {
                Err(Error::PkceChallengeMalformed)
            }
        }
    }
}

/// OIDC Core §3.1.2.1: known values only; `none` stands alone.
pub fn prompt(params: &Params) -> Result<Vec<Prompt>, Error> {
    let mut prompts = Vec::new();
    for value in params
        .single("prompt")?
        .unwrap_or("")
        .split(' ')
        .filter(|v| !v.is_empty())
    {
        let prompt = Prompt::parse(value).ok_or(Error::InvalidParameter {
            name: "prompt",
            reason: "unsupported prompt value",
        })?;
        if !prompts.contains(&prompt) {
            prompts.push(prompt);
        }
    }
    if prompts.contains(&Prompt::None) && prompts.len() > 1 {
        return Err(Error::PromptNoneCombined);
    }
    Ok(prompts)
}

/// OIDC Core §3.1.2.1 `max_age`: a non-negative number of seconds.
pub fn max_age(params: &Params) -> Result<Option<i64>, Error> {
    match params.single("max_age")? {
        None => Ok(None),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(Some)
            .ok_or(Error::InvalidParameter {
                name: "max_age",
                reason: "must be a non-negative integer",
            }),
    }
}

/// Space-separated lists (`ui_locales`, `acr_values`).
pub fn list(params: &Params, name: &str) -> Result<Vec<String>, Error> {
    Ok(params
        .single(name)?
        .unwrap_or("")
        .split(' ')
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect())
}

/// OIDC Core §5.5: `claims` is a JSON object with optional `userinfo` and `id_token` members.
pub fn claims(params: &Params) -> Result<Option<serde_json::Value>, Error> {
    let Some(text) = params.single("claims")? else {
        return Ok(None);
    };
    let invalid = Error::InvalidParameter {
        name: "claims",
        reason: "must be a JSON object",
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| invalid)?;
    let ok = value.as_object().is_some_and(|o| {
        o.iter().all(|(k, v)| {
            !matches!(k.as_str(), "userinfo" | "id_token") || v.is_object() || v.is_null()
        })
    });
    if ok {
        Ok(Some(value))
    } else {
        Err(Error::InvalidParameter {
            name: "claims",
            reason: "must be a JSON object",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClientBuilder;

    fn client(public: bool) -> Client {
        let builder = if public {
            ClientBuilder::public("c")
        } else {
            ClientBuilder::confidential("c")
        };
        builder
            .name("C")
            .redirect_uris(&["https://app.example/cb", "https://app.example/cb2"])
            .grants(&[GrantType::AuthorizationCode])
            .scope("openid profile offline_access")
            .build()
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::of(pairs)
    }

    #[test]
    fn redirect_uri_is_matched_exactly() {
        let c = client(false);
        assert!(redirect_uri(&params(&[("redirect_uri", "https://app.example/cb")]), &c).is_ok());
        for bad in [
            "https://app.example/cb/",
            "https://app.example/cb?x=1",
            "https://APP.example/cb",
        ] {
            assert!(matches!(
                redirect_uri(&params(&[("redirect_uri", bad)]), &c),
                Err(Error::RedirectUriNotRegistered)
            ));
        }
        assert!(matches!(
            redirect_uri(&params(&[]), &c),
            Err(Error::RedirectUriMissing)
        ));
        let dup = params(&[
            ("redirect_uri", "https://app.example/cb"),
            ("redirect_uri", "https://app.example/cb"),
        ]);
        assert!(matches!(
            redirect_uri(&dup, &c),
            Err(Error::DuplicateParameter(_))
        ));
    }

    #[test]
    fn pkce_rules() {
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(matches!(
            pkce(&params(&[]), &client(true)),
            Err(Error::PkceRequired)
        ));
        assert_eq!(pkce(&params(&[]), &client(false)).ok(), Some(None));
        let plain = params(&[
            ("code_challenge", challenge),
            ("code_challenge_method", "plain"),
        ]);
        assert!(matches!(
            pkce(&plain, &client(false)),
            Err(Error::PkceMethodRefused(_))
        ));
        let implicit = params(&[("code_challenge", challenge)]);
        assert!(matches!(
            pkce(&implicit, &client(false)),
            Err(Error::PkceMethodRefused(_))
        ));
        let ok = params(&[
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ]);
        assert_eq!(
            pkce(&ok, &client(true)).ok(),
            Some(Some(challenge.to_owned()))
        );
        let short = params(&[("code_challenge", "abc"), ("code_challenge_method", "S256")]);
        assert!(matches!(
            pkce(&short, &client(true)),
            Err(Error::PkceChallengeMalformed)
        ));
    }

    #[test]
    fn scope_and_nonce_rules() {
        let c = client(false);
        assert!(
            matches!(scope(&params(&[("scope", "openid admin")]), &c), Err(Error::ScopeNotAllowed(s)) if s == "admin")
        );
        let s = scope(&params(&[("scope", "openid offline_access")]), &c).expect("scope");
        assert!(
            !s.contains("offline_access"),
            "dropped without the refresh_token grant"
        );
        let profile_only = Scope::parse("profile").expect("scope");
        assert!(matches!(
            nonce(&params(&[("nonce", "n")]), &profile_only),
            Err(Error::NonceWithoutOpenid)
        ));
    }

    #[test]
    fn prompt_rules() {
        assert!(matches!(
            prompt(&params(&[("prompt", "none login")])),
            Err(Error::PromptNoneCombined)
        ));
        assert!(prompt(&params(&[("prompt", "bogus")])).is_err());
        assert_eq!(
            prompt(&params(&[("prompt", "login consent")])).ok(),
            Some(vec![Prompt::Login, Prompt::Consent])
        );
    }

    #[test]
    fn response_type_and_mode() {
        assert!(matches!(
            response_type(&params(&[("response_type", "token")])),
            Err(Error::UnsupportedResponseType(_))
        ));
        assert!(matches!(
            response_type(&params(&[])),
            Err(Error::MissingParameter(_))
        ));
        assert!(matches!(
            response_mode(&params(&[("response_mode", "jwt")])),
            Err(Error::UnsupportedResponseMode(_))
        ));
        assert_eq!(
            response_mode(&params(&[("response_mode", "form_post")])).ok(),
            Some(ResponseMode::FormPost)
        );
    }

    #[test]
    fn max_age_and_claims() {
        assert!(max_age(&params(&[("max_age", "-1")])).is_err());
        assert_eq!(max_age(&params(&[("max_age", "0")])).ok(), Some(Some(0)));
        assert!(claims(&params(&[("claims", "[1]")])).is_err());
        assert!(claims(&params(&[("claims", r#"{"userinfo":{"email":null}}"#)])).is_ok());
    }
}
