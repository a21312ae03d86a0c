//! Issuance of the tokens a grant yields: the access token, as a JWT (RFC 9068, `typ:
//! at+jwt`) or as a reference token stored hashed with its claims (answered by
//! introspection, RFC 7662); the ID token (OIDC Core §2, §3.1.3.6 `at_hash`); and the
//! refresh token (RFC 6749 §6, stored hashed). The audience of an access token is the
//! set of products whose scopes were granted; with none it is the issuer (userinfo).

use crate::claims::{self, Target};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::jose::{Alg, left_half_hash};
use crate::model::{
    AccessTokenRecord, Account, Client, Grant, GrantType, Product, RefreshToken, TokenFormat,
};
use crate::provider::Provider;
use propusk_types::scope::{OFFLINE_ACCESS, OPENID, Scope};
use propusk_types::token::TokenResponse;
use serde_json::{Map, Value};

/// What a user grant (code exchange or refresh) issues from.
pub(crate) struct UserIssue<'a> {
    pub client: &'a Client,
    pub grant: &'a Grant,
    pub account: &'a Account,
    /// Scope of the access token; narrower than the grant after a narrowing refresh.
    pub scope: &'a Scope,
    /// Whether the ID token repeats the authorization request's `nonce` (not on refresh).
    pub nonce: bool,
    /// On refresh, the scope of the rotated token, which its successor keeps.
    pub refresh_scope: Option<&'a Scope>,
    /// The thumbprint of the DPoP key the tokens are bound to (RFC 9449 §6).
    pub jkt: Option<&'a str>,
}

/// The products an access token is for, and the format and alg they ask for.
struct Audience<'p> {
    targets: Vec<&'p Product>,
    aud: Value,
    format: TokenFormat,
    alg: Alg,
}

struct AccessToken {
    value: String,
    expires_in: i64,
    /// Bound to a DPoP key (`token_type: DPoP`, RFC 9449 §5).
    dpop: bool,
}

/// `cnf.jkt` (RFC 9449 §6.1): the thumbprint of the key the token is bound to.
/// Added to a `cnf` that may already name a certificate (`x5t#S256`, RFC 8705 §3.1).
pub(crate) fn bind(claims: &mut Map<String, Value>, jkt: Option<&str>) {
    let Some(jkt) = jkt else {
        return;
    };
    let cnf = claims
        .entry("cnf")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(cnf) = cnf {
        cnf.insert("jkt".into(), Value::String(jkt.to_owned()));
    }
}

/// Whether the claims bind the token to a DPoP key (`cnf.jkt`); a token bound only to a
/// client certificate stays a Bearer token (RFC 8705 §3).
pub(crate) fn dpop_bound(claims: &Map<String, Value>) -> bool {
    claims.get("cnf").and_then(|cnf| cnf.get("jkt")).is_some()
}

/// The `token_type` of an access token (RFC 6749 §7.1, RFC 9449 §5).
pub(crate) fn token_type(bound: bool) -> String {
    if bound { "DPoP" } else { "Bearer" }.to_owned()
}

/// The stored record of an access token about to be handed out; its `jti`, `scope` and
/// `exp` are read from its claims.
pub(crate) fn access_record(
    claims: Map<String, Value>,
    token_hash: Option<String>,
    client: &Client,
    grant_id: Option<String>,
    account_id: Option<String>,
    now: Timestamp,
) -> AccessTokenRecord {
    AccessTokenRecord {
        jti: claims
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        token_hash,
        grant_id,
        client_id: client.id.clone(),
        account_id,
        scope: claims
            .get("scope")
            .and_then(Value::as_str)
            .and_then(|s| Scope::parse(s).ok())
            .unwrap_or_default(),
        expires_at: claims.get("exp").and_then(Value::as_i64).unwrap_or(now),
        claims: Value::Object(claims),
        created_at: now,
        revoked_at: None,
    }
}

/// A token response, the client it was issued to and the account it was issued for (none
/// for a client's own token), which the audit trail names.
#[derive(Debug)]
pub struct Issued {
    pub response: TokenResponse,
    pub client_id: String,
    pub account_id: Option<String>,
}

impl Provider {
    /// Access token, ID token (with `openid`) and refresh token (with `offline_access`
    /// and the refresh grant registered) for a user grant. Access tokens are recorded so
    /// that revoking the grant reaches them.
    pub(crate) async fn issue_user_tokens(&self, issue: UserIssue<'_>) -> Result<Issued> {
        let now = self.now();
        let products = self.store.list_products().await?;
        let audience = self.audience(issue.scope, &products)?;
        let subject = self.subject_for(issue.client, &issue.account.id);
        let access_subject =
            self.access_subject(issue.client, &audience.targets, &issue.account.id)?;
        let mut claims =
            self.access_claims(issue.client, &access_subject, issue.scope, &audience, now);
        user_context(&mut claims, issue.grant);
        bind(&mut claims, issue.jkt);
        let access = self
            .mint_access_token(issue.client, claims, &audience, Some(issue.grant), now)
            .await?;
        let id_token = if issue.scope.contains(OPENID) {
            Some(self.id_token(&issue, &subject, &access.value, now).await?)
        } else {
            None
        };
        let refresh_scope = issue.refresh_scope.unwrap_or(&issue.grant.scope);
        let refresh_token = if refresh_scope.contains(OFFLINE_ACCESS)
            && issue.client.allows_grant(GrantType::RefreshToken)
        {
            Some(self.issue_refresh_token(&issue, refresh_scope, now).await?)
        } else {
            None
        };
        Ok(Issued {
            response: response(access, id_token, refresh_token, issue.scope),
            client_id: issue.client.id.clone(),
            account_id: Some(issue.account.id.clone()),
        })
    }

    /// A token a client obtains for itself (`sub` = client id). A JWT is not recorded.
    pub(crate) async fn issue_client_token(
        &self,
        client: &Client,
        scope: &Scope,
        products: &[Product],
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let now = self.now();
        let audience = self.audience(scope, products)?;
        let mut claims = self.access_claims(client, &client.id, scope, &audience, now);
        bind(&mut claims, jkt);
        let access = self
            .mint_access_token(client, claims, &audience, None, now)
            .await?;
        Ok(Issued {
            response: response(access, None, None, scope),
            client_id: client.id.clone(),
            account_id: None,
        })
    }

    fn audience<'p>(&self, scope: &Scope, products: &'p [Product]) -> Result<Audience<'p>> {
        let mut targets: Vec<&Product> = products
            .iter()
            .filter(|p| scope.iter().any(|s| p.owns_scope(s)))
            .collect();
        targets.sort_by(|a, b| a.audience.cmp(&b.audience));
        let aud = match targets.as_slice() {
            [] => Value::String(self.config.issuer.clone()),
            [one] => Value::String(one.audience.clone()),
            many => Value::Array(
                many.iter()
                    .map(|p| Value::String(p.audience.clone()))
                    .collect(),
            ),
        };
        let format = if targets.is_empty() {
            self.config.own_access_token_format
        } else if targets
            .iter()
            .any(|p| p.token_format == TokenFormat::Reference)
        {
            TokenFormat::Reference
        } else {
            TokenFormat::Jwt
        };
        let alg = parse_alg(
            targets.iter().find_map(|p| p.signing_alg.as_deref()),
            self.config.default_signing_alg,
        )?;
        Ok(Audience {
            targets,
            aud,
            format,
            alg,
        })
    }

    /// RFC 9068 §2.2 claims common to every access token.
    fn access_claims(
        &self,
        client: &Client,
        subject: &str,
        scope: &Scope,
        audience: &Audience<'_>,
        now: Timestamp,
    ) -> Map<String, Value> {
        let lifetime = self.jwt_lifetime(client.lifetimes.access_token);
        let mut claims = Map::with_capacity(12);
        claims.insert("iss".into(), Value::String(self.config.issuer.clone()));
        claims.insert("sub".into(), Value::String(subject.to_owned()));
        claims.insert("aud".into(), audience.aud.clone());
        claims.insert("client_id".into(), Value::String(client.id.clone()));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("exp".into(), Value::from(now + lifetime));
        claims.insert("jti".into(), Value::String(self.sortable_id(16)));
        claims.insert("scope".into(), Value::String(scope.to_string()));
        crate::mtls::bind_claims(&mut claims, client);
        claims
    }

    /// Signs the claims (JWT) or stores them behind a random value (reference). User
    /// tokens are recorded either way; a client's own JWT is not.
    async fn mint_access_token(
        &self,
        client: &Client,
        claims: Map<String, Value>,
        audience: &Audience<'_>,
        grant: Option<&Grant>,
        now: Timestamp,
    ) -> Result<AccessToken> {
        let expires_at = claims.get("exp").and_then(Value::as_i64).unwrap_or(now);
        let dpop = dpop_bound(&claims);
        let (value, token_hash) = match audience.format {
            TokenFormat::Jwt => {
                let key = self
                    .keys
                    .signer(self.store.as_ref(), now, audience.alg)
                    .await?;
                let jwt = key
                    .sign_jwt("at+jwt", &claims)
                    .map_err(|e| Error::Internal(format!("signing access token: {e}")))?;
                (jwt, None)
            }
            TokenFormat::Reference => {
                let value = self.sortable_secret(32);
                let hash = self.hasher.hash(&value);
                (value, Some(hash))
            }
        };
        if token_hash.is_some() || grant.is_some() {
            let record = access_record(
                claims,
                token_hash,
                client,
                grant.map(|g| g.id.clone()),
                grant.and_then(|g| g.account_id.clone()),
                now,
            );
            self.store.insert_access_token(&record).await?;
        }
        Ok(AccessToken {
            value,
            expires_in: expires_at - now,
            dpop,
        })
    }

    /// OIDC Core §2 and §3.1.3.6. Scope claims stay in userinfo because an access token
    /// is always issued here (§5.4); only `claims.id_token` requests add any.
    async fn id_token(
        &self,
        issue: &UserIssue<'_>,
        subject: &str,
        access_token: &str,
        now: Timestamp,
    ) -> Result<String> {
        let (client, grant) = (issue.client, issue.grant);
        let alg = parse_alg(
            client.id_token_signing_alg.as_deref(),
            self.config.default_signing_alg,
        )?;
        let names = claims::requested(issue.scope, grant.claims.as_ref(), Target::IdToken, false);
        let mut claims = claims::standard_claims(issue.account, &names);
        if claims::wants_certificate(&names) {
            let bound = self.store.account_certificates(&issue.account.id).await?;
            claims.extend(claims::certificate_claims(&bound, now, &names));
        }
        claims.insert("iss".into(), Value::String(self.config.issuer.clone()));
        claims.insert("sub".into(), Value::String(subject.to_owned()));
        claims.insert("aud".into(), Value::String(client.id.clone()));
        claims.insert("azp".into(), Value::String(client.id.clone()));
        claims.insert("iat".into(), Value::from(now));
        claims.insert(
            "exp".into(),
            Value::from(now + self.jwt_lifetime(client.lifetimes.id_token)),
        );
        claims.insert(
            "at_hash".into(),
            Value::String(left_half_hash(alg, access_token)),
        );
        if let Some(nonce) = grant.nonce.as_ref().filter(|_| issue.nonce) {
            claims.insert("nonce".into(), Value::String(nonce.clone()));
        }
        if let Some(sid) = &grant.session_id {
            claims.insert("sid".into(), Value::String(sid.clone()));
        }
        user_context(&mut claims, grant);
        let key = self.keys.signer(self.store.as_ref(), now, alg).await?;
        key.sign_jwt("JWT", &claims)
            .map_err(|e| Error::Internal(format!("signing ID token: {e}")))
    }

    /// A public client's refresh token is bound to the DPoP key of the request
    /// (RFC 9449 §5); a confidential client's is bound to its authentication.
    async fn issue_refresh_token(
        &self,
        issue: &UserIssue<'_>,
        scope: &Scope,
        now: Timestamp,
    ) -> Result<String> {
        let (client, grant_id) = (issue.client, issue.grant.id.as_str());
        let value = self.sortable_secret(32);
        let token = RefreshToken {
            id: self.sortable_id(16),
            token_hash: self.hasher.hash(&value),
            grant_id: grant_id.to_owned(),
            client_id: client.id.clone(),
            scope: scope.clone(),
            created_at: now,
            expires_at: now + client.lifetimes.refresh_token,
            used_at: None,
            revoked_at: None,
            dpop_jkt: issue.jkt.filter(|_| client.is_public()).map(str::to_owned),
        };
        self.store.insert_refresh_token(&token).await?;
        Ok(value)
    }

    /// A signed token must expire before its key leaves the JWKS.
    fn jwt_lifetime(&self, configured: i64) -> i64 {
        let lifetime = if configured > 0 {
            configured
        } else {
            self.config.default_access_token_lifetime
        };
        lifetime.min(self.keys.policy().max_token_lifetime)
    }
}

/// `auth_time`, `acr`, `amr` of the sign-in behind a grant (OIDC Core §2, RFC 9068 §2.2.1).
fn user_context(claims: &mut Map<String, Value>, grant: &Grant) {
    if let Some(auth_time) = grant.auth_time {
        claims.insert("auth_time".into(), Value::from(auth_time));
    }
    if let Some(acr) = &grant.acr {
        claims.insert("acr".into(), Value::String(acr.clone()));
    }
    if !grant.amr.is_empty() {
        claims.insert("amr".into(), Value::from(grant.amr.clone()));
    }
}

fn parse_alg(configured: Option<&str>, default: Alg) -> Result<Alg> {
    match configured {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| {
            Error::Internal(format!("configured signing alg {text} is not supported"))
        }),
    }
}

fn response(
    access: AccessToken,
    id_token: Option<String>,
    refresh_token: Option<String>,
    scope: &Scope,
) -> TokenResponse {
    TokenResponse {
        access_token: access.value,
        token_type: token_type(access.dpop),
        expires_in: access.expires_in,
        refresh_token,
        id_token,
        scope: Some(scope.to_string()),
        issued_token_type: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dpop_key_joins_a_certificate_binding_and_only_a_key_makes_a_dpop_token() {
        let mut claims = Map::new();
        claims.insert("cnf".into(), serde_json::json!({"x5t#S256": "cert"}));
        assert!(!dpop_bound(&claims), "certificate-bound tokens stay Bearer");
        assert_eq!(token_type(dpop_bound(&claims)), "Bearer");
        bind(&mut claims, Some("key"));
        assert_eq!(
            claims["cnf"],
            serde_json::json!({"x5t#S256": "cert", "jkt": "key"})
        );
        assert!(dpop_bound(&claims));
        let mut plain = Map::new();
        bind(&mut plain, None);
        assert!(plain.is_empty());
    }
}
