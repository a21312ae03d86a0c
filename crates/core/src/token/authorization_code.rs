//! The `authorization_code` grant (RFC 6749 §4.1.3, OIDC Core §3.1.3.2): the code is
//! single use and bound to its client, its redirect URI and its PKCE challenge
//! (RFC 7636 §4.6, S256 only). A replayed code, or one presented by another client,
//! revokes its grant (and so every token it issued) before the error goes out
//! (RFC 6749 §4.1.2, RFC 9700 §4.2.4).

use crate::crypto::{b64url, constant_time_eq, sha256};
use crate::error::{Error, Result};
use crate::issue::UserIssue;
use crate::model::{AuthCode, Client, CodeRedemption};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::token::Issued;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRequest {
    pub code: String,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    /// RFC 8707 §2.2: the products the access token is for, within the grant's.
    pub resources: Vec<String>,
}

impl CodeRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let code_verifier = params.get("code_verifier").map(str::to_owned);
        if code_verifier
            .as_deref()
            .is_some_and(|v| !verifier_is_well_formed(v))
        {
            return Err(Error::InvalidParameter {
                name: "code_verifier",
                reason: "must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)",
            });
        }
        Ok(Self {
            code: required(params, "code")?.to_owned(),
            redirect_uri: params.get("redirect_uri").map(str::to_owned),
            code_verifier,
            resources: crate::resource::resources(params)?,
        })
    }
}

impl Provider {
    pub(crate) async fn exchange_code(
        &self,
        client: &Client,
        request: CodeRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let code = self.redeem(client, &request.code).await?;
        check_redirect_uri(&code, request.redirect_uri.as_deref())?;
        check_pkce(
            code.code_challenge.as_deref(),
            request.code_verifier.as_deref(),
        )?;
        let (grant, account) = self.live_grant_and_account(&code.grant_id).await?;
        let scope = self
            .scope_for_resources(&grant.scope, &request.resources)
            .await?;
        self.issue_user_tokens(UserIssue {
            client,
            grant: &grant,
            account: &account,
            scope: &scope,
            nonce: true,
            refresh_scope: None,
            jkt,
        })
        .await
    }

    /// Burns the code. A replay or a code of another client revokes the grant first.
    async fn redeem(&self, client: &Client, code: &str) -> Result<AuthCode> {
        let now = self.now();
        match self.store.redeem_code(&self.hasher.hash(code), now).await? {
            CodeRedemption::NotFound => Err(Error::CodeNotFound),
            CodeRedemption::AlreadyUsed(code) => {
                self.store.revoke_grant(&code.grant_id, now).await?;
                Err(Error::CodeReplayed)
            }
            CodeRedemption::Redeemed(code) if code.client_id != client.id => {
                self.store.revoke_grant(&code.grant_id, now).await?;
                Err(Error::CodeClientMismatch)
            }
            CodeRedemption::Redeemed(code) if code.expires_at <= now => Err(Error::CodeExpired),
            CodeRedemption::Redeemed(code) => Ok(code),
        }
    }
}

/// RFC 6749 §4.1.3: when the authorization request carried `redirect_uri`, the token
/// request must repeat it exactly.
fn check_redirect_uri(code: &AuthCode, sent: Option<&str>) -> Result<()> {
    if code.redirect_uri.is_empty() {
        return Ok(());
    }
    match sent {
        Some(uri) if uri == code.redirect_uri => Ok(()),
        _ => Err(Error::RedirectUriMismatch),
    }
}

/// RFC 7636 §4.6: `BASE64URL(SHA256(code_verifier)) == code_challenge`. A verifier
/// without a challenge is refused too, so that PKCE downgrade cannot go unnoticed
/// (RFC 9700 §4.8.2).
fn check_pkce(challenge: Option<&str>, verifier: Option<&str>) -> Result<()> {
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(Error::PkceVerifierUnexpected),
        (Some(_), None) => Err(Error::PkceVerifierMissing),
        (Some(challenge), Some(verifier)) => {
            let computed = b64url(&sha256(verifier.as_bytes()));
            if constant_time_eq(computed.as_bytes(), challenge.as_bytes()) {
                Ok(())
            } else {
                Err(Error::PkceMismatch)
            }
        }
    }
}

/// RFC 7636 §4.1: `code-verifier = 43*128unreserved`.
fn verifier_is_well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn code(redirect_uri: &str) -> AuthCode {
        AuthCode {
            code_hash: "h".into(),
            grant_id: "g".into(),
            client_id: "c".into(),
            redirect_uri: redirect_uri.into(),
            code_challenge: None,
            created_at: 0,
            expires_at: 300,
            used_at: None,
        }
    }

    #[test]
    fn pkce_rfc7636_appendix_b() {
        assert!(check_pkce(Some(CHALLENGE), Some(VERIFIER)).is_ok());
        let other = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx";
        assert!(matches!(
            check_pkce(Some(CHALLENGE), Some(other)),
            Err(Error::PkceMismatch)
        ));
        assert!(matches!(
            check_pkce(Some(CHALLENGE), None),
            Err(Error::PkceVerifierMissing)
        ));
        assert!(matches!(
            check_pkce(None, Some(VERIFIER)),
            Err(Error::PkceVerifierUnexpected)
        ));
        assert!(check_pkce(None, None).is_ok());
    }

    #[test]
    fn verifier_syntax() {
        assert!(verifier_is_well_formed(VERIFIER));
        assert!(!verifier_is_well_formed(&VERIFIER[..42]));
        assert!(!verifier_is_well_formed(&"a".repeat(129)));
        assert!(!verifier_is_well_formed(&format!("{}+", &VERIFIER[..42])));
    }

    #[test]
    fn redirect_uri_must_repeat_exactly() {
        assert!(check_redirect_uri(&code(""), None).is_ok());
        assert!(check_redirect_uri(&code("https://a/cb"), Some("https://a/cb")).is_ok());
        assert!(matches!(
            check_redirect_uri(&code("https://a/cb"), None),
            Err(Error::RedirectUriMismatch)
        ));
        assert!(matches!(
            check_redirect_uri(&code("https://a/cb"), Some("https://a/cb/")),
            Err(Error::RedirectUriMismatch)
        ));
    }
}
