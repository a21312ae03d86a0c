//! Token exchange ([RFC 8693 §2](https://www.rfc-editor.org/rfc/rfc8693#section-2)): a
//! client the operator trusts (a product among them) presents a user's access token that
//! we issued (`subject_token_type` access_token) and gets an access token for the same
//! user with narrower scopes and, optionally, another `audience` (a registered product),
//! carrying the `act` claim (§4.1) that names the exchanging client. The targets may be
//! named by `audience` or by `resource` (§2.1, RFC 8707), each a registered product
//! owning one of the scopes, else `invalid_target` (§2.2.2). The subject token must have
//! been obtained by the exchanging client or be meant for it (its `aud` names the client
//! or the client's product): a client cannot trade a token it only came across. The new
//! token is recorded under the subject token's grant, so revoking that grant reaches it.
//! An invalid or unacceptable subject token is `invalid_request` (§2.2.2); actor tokens
//! are not accepted.

use crate::access_token::ValidToken;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::issue::access_record;
use crate::jose::Alg;
use crate::model::{Client, Product, TokenFormat};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::scope::optional_scope;
use crate::token::Issued;
use propusk_types::scope::{OFFLINE_ACCESS, OPENID, Scope};
use propusk_types::token::TokenResponse;
use serde_json::{Map, Value};

pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeRequest {
    pub subject_token: String,
    pub audience: Option<String>,
    /// RFC 8707 `resource` values; with `audience`, the targets are both.
    pub resources: Vec<String>,
    pub scope: Option<Scope>,
}

impl ExchangeRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let kind = required(params, "subject_token_type")?;
        if kind != ACCESS_TOKEN_TYPE {
            return Err(Error::UnsupportedTokenType(crate::request::shorten(kind)));
        }
        if let Some(kind) = params.get("requested_token_type")
            && kind != ACCESS_TOKEN_TYPE
        {
            return Err(Error::UnsupportedTokenType(crate::request::shorten(kind)));
        }
        if params.get("actor_token").is_some() {
            return Err(Error::InvalidParameter {
                name: "actor_token",
                reason: "actor tokens are not accepted; the client is the actor",
            });
        }
        Ok(Self {
            subject_token: required(params, "subject_token")?.to_owned(),
            audience: params.get("audience").map(str::to_owned),
            resources: crate::resource::resources(params)?,
            scope: optional_scope(params)?,
        })
    }
}

impl Provider {
    pub(super) async fn exchange_token(
        &self,
        client: &Client,
        request: ExchangeRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let subject = self
            .validate_access_token(&request.subject_token)
            .await
            .map_err(|_| Error::SubjectTokenInvalid("invalid, expired or revoked"))?;
        let account_id = subject
            .record
            .as_ref()
            .and_then(|r| r.account_id.clone())
            .ok_or(Error::SubjectTokenInvalid("not a token of a user"))?;
        if !meant_for(&subject, client) {
            return Err(Error::SubjectTokenNotForClient);
        }
        let scope = exchanged_scope(&subject.scope, request.scope)?;
        let products = self.store.list_products().await?;
        let named: Vec<&str> = request
            .audience
            .iter()
            .chain(request.resources.iter())
            .map(String::as_str)
            .collect();
        let targets = targets(&products, &scope, &named)?;
        let now = self.now();
        let sub = self.access_subject(client, &targets, &account_id)?;
        let mut claims = self.exchanged_claims(client, &subject, &sub, &scope, &targets, now);
        crate::issue::bind(&mut claims, jkt);
        let (value, expires_at) = self
            .mint_exchanged(client, claims, &targets, &subject, &account_id, now)
            .await?;
        let response = TokenResponse {
            access_token: value,
            token_type: crate::issue::token_type(jkt.is_some()),
            expires_in: expires_at - now,
            refresh_token: None,
            id_token: None,
            scope: Some(scope.to_string()),
            issued_token_type: Some(ACCESS_TOKEN_TYPE.into()),
        };
        Ok(Issued {
            response,
            client_id: client.id.clone(),
            account_id: Some(account_id),
        })
    }

    fn exchanged_claims(
        &self,
        client: &Client,
        subject: &ValidToken,
        sub: &str,
        scope: &Scope,
        targets: &[&Product],
        now: Timestamp,
    ) -> Map<String, Value> {
        let lifetime = client
            .lifetimes
            .access_token
            .max(1)
            .min(self.keys.policy().max_token_lifetime);
        let aud = match targets {
            [] => Value::String(self.config.issuer.clone()),
            [one] => Value::String(one.audience.clone()),
            many => many
                .iter()
                .map(|p| Value::from(p.audience.clone()))
                .collect(),
        };
        let mut act = Map::new();
        act.insert("sub".into(), Value::String(client.id.clone()));
        if let Some(previous) = subject.claims.get("act") {
            act.insert("act".into(), previous.clone());
        }
        let mut claims = Map::with_capacity(12);
        claims.insert("iss".into(), Value::String(self.config.issuer.clone()));
        claims.insert("sub".into(), Value::String(sub.to_owned()));
        claims.insert("aud".into(), aud);
        claims.insert("client_id".into(), Value::String(client.id.clone()));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("exp".into(), Value::from(now + lifetime));
        claims.insert("jti".into(), Value::String(self.sortable_id(16)));
        claims.insert("scope".into(), Value::String(scope.to_string()));
        claims.insert("act".into(), Value::Object(act));
        for name in ["auth_time", "acr", "amr"] {
            if let Some(value) = subject.claims.get(name) {
                claims.insert(name.into(), value.clone());
            }
        }
        claims
    }

    /// Signs (JWT) or stores behind a random value (reference, when a target product asks
    /// for it); recorded either way under the subject's grant.
    async fn mint_exchanged(
        &self,
        client: &Client,
        claims: Map<String, Value>,
        targets: &[&Product],
        subject: &ValidToken,
        account_id: &str,
        now: Timestamp,
    ) -> Result<(String, Timestamp)> {
        let expires_at = claims.get("exp").and_then(Value::as_i64).unwrap_or(now);
        let reference = targets
            .iter()
            .any(|p| p.token_format == TokenFormat::Reference);
        let (value, token_hash) = if reference {
            let value = self.sortable_secret(32);
            let hash = self.hasher.hash(&value);
            (value, Some(hash))
        } else {
            let alg = targets
                .iter()
                .find_map(|p| p.signing_alg.as_deref())
                .and_then(|a| a.parse::<Alg>().ok())
                .unwrap_or(self.config.default_signing_alg);
            let key = self.keys.signer(self.store.as_ref(), now, alg).await?;
            let jwt = key
                .sign_jwt("at+jwt", &claims)
                .map_err(|e| Error::Internal(format!("signing exchanged token: {e}")))?;
            (jwt, None)
        };
        let record = access_record(
            claims,
            token_hash,
            client,
            subject.grant.as_ref().map(|g| g.id.clone()),
            Some(account_id.to_owned()),
            now,
        );
        self.store.insert_access_token(&record).await?;
        Ok((value, expires_at))
    }
}

/// §2.1 `scope`: within the subject token's; `openid` and `offline_access` are not
/// carried over (the result is an access token only).
fn exchanged_scope(subject: &Scope, requested: Option<Scope>) -> Result<Scope> {
    let mut scope = match requested {
        None => subject.clone(),
        Some(scope) if scope.is_subset(subject) => scope,
        Some(_) => return Err(Error::ScopeWidened),
    };
    scope.remove(OPENID);
    scope.remove(OFFLINE_ACCESS);
    if scope.is_empty() {
        return Err(Error::NoProductScope);
    }
    Ok(scope)
}

/// Whether the subject token was obtained by `client` (`client_id`) or is meant for it:
/// its `aud` names the client or the product whose credentials the client is.
fn meant_for(subject: &ValidToken, client: &Client) -> bool {
    subject.client_id == client.id
        || subject.is_for(&client.id)
        || client.product.as_deref().is_some_and(|p| subject.is_for(p))
}

/// The products the new token is for: those named by `audience` and `resource` (each
/// must own one of the scopes), or every product whose scope was granted.
fn targets<'a>(products: &'a [Product], scope: &Scope, named: &[&str]) -> Result<Vec<&'a Product>> {
    let owns = |p: &&Product| scope.iter().any(|s| p.owns_scope(s));
    let mut found: Vec<&Product> = if named.is_empty() {
        products.iter().filter(owns).collect()
    } else {
        let mut found = Vec::with_capacity(named.len());
        for name in named {
            let product = products
                .iter()
                .find(|p| p.audience == *name)
                .filter(owns)
                .ok_or_else(|| Error::TargetNotAllowed(crate::request::shorten(name)))?;
            if !found.contains(&product) {
                found.push(product);
            }
        }
        found
    };
    found.sort_by(|a, b| a.audience.cmp(&b.audience));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ProductScope;

    fn product(audience: &str, scope: &str) -> Product {
        Product {
            audience: audience.into(),
            name: audience.into(),
            scopes: vec![ProductScope {
                name: scope.into(),
                description_ru: None,
                description_en: None,
            }],
            token_format: TokenFormat::Jwt,
            signing_alg: None,
            approval_required: false,
            subject_type: crate::model::SubjectType::Public,
            created_at: 0,
        }
    }

    #[test]
    fn scope_narrows_and_drops_openid() {
        let subject = Scope::parse("openid offline_access extern.api reports.read").expect("s");
        let narrowed =
            exchanged_scope(&subject, Some(Scope::parse("reports.read").expect("s"))).expect("ok");
        assert_eq!(narrowed.to_string(), "reports.read");
        assert_eq!(
            exchanged_scope(&subject, None).expect("ok").to_string(),
            Scope::parse("extern.api reports.read")
                .expect("s")
                .to_string()
        );
        assert!(matches!(
            exchanged_scope(&subject, Some(Scope::parse("admin").expect("s"))),
            Err(Error::ScopeWidened)
        ));
        assert!(matches!(
            exchanged_scope(&subject, Some(Scope::parse("openid").expect("s"))),
            Err(Error::NoProductScope)
        ));
    }

    #[test]
    fn audience_must_own_a_granted_scope() {
        let products = [
            product("extern.api", "extern.api"),
            product("reports", "reports.read"),
        ];
        let scope = Scope::parse("reports.read").expect("s");
        let found = targets(&products, &scope, &["reports"]).expect("ok");
        assert_eq!(found.len(), 1);
        assert_eq!(
            targets(&products, &scope, &["reports", "reports"])
                .expect("ok")
                .len(),
            1
        );
        assert!(matches!(
            targets(&products, &scope, &["extern.api"]),
            Err(Error::TargetNotAllowed(_))
        ));
        assert!(matches!(
            targets(&products, &scope, &["nowhere"]),
            Err(Error::TargetNotAllowed(_))
        ));
        assert_eq!(targets(&products, &scope, &[]).expect("ok").len(), 1);
    }
}
