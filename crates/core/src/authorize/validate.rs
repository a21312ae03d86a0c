//! Runs the checks of the authorization endpoint in the order the specs require: first
//! what decides whether the client can be answered at all (client, redirect URI — fatal,
//! RFC 6749 §4.1.2.1), then everything that is answered at the redirect URI. The same
//! checks serve the pushed authorization request endpoint (RFC 9126 §2.1). Before them the
//! parameters are resolved: those pushed before for a `request_uri` (RFC 9126 §4), or
//! those of a signed `request` object (RFC 9101 §6.3), or the query as it is.

use super::checks;
use super::request::{ResponseMode, ValidatedAuthorizationRequest};
use super::request_object::ObjectRefusal;
use super::response::AuthorizationResponse;
use crate::error::Error;
use crate::jose::Alg;
use crate::model::Client;
use crate::provider::Provider;
use crate::request::Params;
use propusk_types::scope::Scope;

#[derive(Debug)]
pub enum AuthorizeError {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect.
    Fatal(Error),
    /// Answer the client at its redirect URI.
    Redirect(AuthorizationResponse),
}

/// A refused request before it is answered: as a page or a redirect by the
/// authorization endpoint, as JSON by the pushed authorization request endpoint.
pub(super) enum Refusal {
    Fatal(Error),
    AtClient {
        error: Error,
        redirect_uri: String,
        mode: ResponseMode,
        state: Option<String>,
    },
}

/// Where the parameters of a request came from, for the rules that demand one way.
#[derive(Clone, Copy, Debug)]
pub(super) struct Origin {
    /// Through the PAR endpoint (RFC 9126).
    pub pushed: bool,
    /// From a signed request object (RFC 9101), or pushed: a pushed request met the
    /// client's `require_signed_request_object` when it was pushed.
    pub signed: bool,
}

impl Refusal {
    pub(super) fn into_error(self) -> Error {
        match self {
            Self::Fatal(error) | Self::AtClient { error, .. } => error,
        }
    }
}

impl Provider {
    /// Validates an authorization request. On success the client is returned too. A
    /// `request_uri` stands for the parameters the client pushed before (RFC 9126 §4), a
    /// `request` object for the parameters it signed (RFC 9101 §6.3).
    pub async fn validate_authorization(
        &self,
        params: &Params,
    ) -> Result<(ValidatedAuthorizationRequest, Client), AuthorizeError> {
        let answer = match self.resolve_parameters(params).await {
            Ok((resolved, origin)) => {
                self.check_request(resolved.as_ref().unwrap_or(params), origin)
                    .await
            }
            Err(refusal) => Err(refusal),
        };
        answer.map_err(|refusal| match refusal {
            Refusal::Fatal(error) => AuthorizeError::Fatal(error),
            Refusal::AtClient {
                error,
                redirect_uri,
                mode,
                state,
            } => AuthorizeError::Redirect(AuthorizationResponse::error(
                &redirect_uri,
                mode,
                &error,
                state.as_deref(),
                &self.config.issuer,
            )),
        })
    }

    /// The parameters to check: pushed ones, a request object's, or `None` for the query
    /// as it is.
    async fn resolve_parameters(
        &self,
        params: &Params,
    ) -> Result<(Option<Params>, Origin), Refusal> {
        if params.has("request") && params.has("request_uri") {
            return Err(Refusal::Fatal(Error::InvalidParameter {
                name: "request",
                reason: "cannot be sent together with request_uri",
            }));
        }
        if let Some(pushed) = self.pushed_params(params).await.map_err(Refusal::Fatal)? {
            let origin = Origin {
                pushed: true,
                signed: true,
            };
            return Ok((Some(pushed), origin));
        }
        let Some(object) = params.single("request").map_err(Refusal::Fatal)? else {
            let origin = Origin {
                pushed: false,
                signed: false,
            };
            return Ok((None, origin));
        };
        let client = self.authorizing_client(params).await?;
        let resolved = self
            .request_object_params(object, &client)
            .await
            .map_err(|refusal| match refusal {
                ObjectRefusal::Unverified(error) => Refusal::Fatal(error),
                ObjectRefusal::Verified(error, signed) => {
                    refusal_at_client(error, &signed, &client)
                }
            })?;
        let origin = Origin {
            pushed: false,
            signed: true,
        };
        Ok((Some(resolved), origin))
    }

    /// The client named by `client_id`, registered and not suspended.
    async fn authorizing_client(&self, params: &Params) -> Result<Client, Refusal> {
        let fatal = Refusal::Fatal;
        let client_id = params
            .single("client_id")
            .map_err(fatal)?
            .ok_or(fatal(Error::MissingParameter("client_id")))?;
        self.store
            .get_client(client_id)
            .await
            .map_err(|e| fatal(e.into()))?
            .filter(|c| !c.suspended)
            .ok_or(fatal(Error::UnknownClient))
    }

    /// Every check of the authorization endpoint, for parameters from `origin`.
    pub(super) async fn check_request(
        &self,
        params: &Params,
        origin: Origin,
    ) -> Result<(ValidatedAuthorizationRequest, Client), Refusal> {
        let fatal = Refusal::Fatal;
        let client = self.authorizing_client(params).await?;
        let (redirect_uri, redirect_uri_sent) =
            checks::redirect_uri(params, &client).map_err(fatal)?;

        let state = params.get("state").map(str::to_owned);
        let mode_or_default = checks::response_mode(params);
        let mode = *mode_or_default.as_ref().unwrap_or(&ResponseMode::Query);
        let redirect = |error: Error| Refusal::AtClient {
            error,
            redirect_uri: redirect_uri.clone(),
            mode,
            state: state.clone(),
        };
        mode_or_default.map_err(redirect)?;
        if params.single("state").is_err() {
            return Err(redirect(Error::DuplicateParameter("state".into())));
        }
        if !origin.pushed && (self.config.require_par || client.requires_par()) {
            return Err(redirect(Error::PushedRequestRequired));
        }
        if !origin.signed
            && (self.config.require_signed_request_object || client.require_signed_request_object)
        {
            return Err(redirect(Error::SignedRequestObjectRequired));
        }
        self.check_rest(
            params,
            &client,
            redirect_uri.clone(),
            redirect_uri_sent,
            mode,
            state.clone(),
        )
        .await
        .map(|request| (request, client.clone()))
        .map_err(redirect)
    }

    async fn check_rest(
        &self,
        params: &Params,
        client: &Client,
        redirect_uri: String,
        redirect_uri_sent: bool,
        response_mode: ResponseMode,
        state: Option<String>,
    ) -> Result<ValidatedAuthorizationRequest, Error> {
        checks::response_type(params)?;
        checks::client_may_use_code(client)?;
        checks::no_nested_request(params)?;
        let scope = checks::scope(params, client)?;
        let scope = self.resource_scope(params, scope).await?;
        let nonce = checks::nonce(params, &scope)?;
        let code_challenge = checks::pkce(params, client)?;
        let prompt = checks::prompt(params)?;
        let max_age = checks::max_age(params)?;
        let ui_locales = checks::list(params, "ui_locales")?;
        let acr_values = checks::list(params, "acr_values")?;
        let claims = checks::claims(params)?;
        let login_hint = params.single("login_hint")?.map(str::to_owned);
        let id_token_hint_sub = match params.single("id_token_hint")? {
            Some(hint) => Some(self.id_token_hint_subject(hint, client).await?),
            None => None,
        };
        if let Some(name) = params.first_repeated() {
            return Err(Error::DuplicateParameter(name.to_owned()));
        }
        Ok(ValidatedAuthorizationRequest {
            client_id: client.id.clone(),
            redirect_uri,
            redirect_uri_sent,
            response_mode,
            state,
            scope,
            nonce,
            code_challenge,
            prompt,
            max_age,
            login_hint,
            id_token_hint_sub,
            ui_locales,
            acr_values,
            claims,
        })
    }

    /// RFC 8707 §2: `resource` narrows the requested scope to the named products' (and
    /// the OpenID Connect scopes), so the grant and its tokens are for them alone.
    async fn resource_scope(&self, params: &Params, scope: Scope) -> Result<Scope, Error> {
        let resources = crate::resource::resources(params)?;
        if resources.is_empty() {
            return Ok(scope);
        }
        let products = self.store.list_products().await?;
        crate::resource::narrow(&scope, &resources, &products)
    }

    /// OIDC Core §3.1.2.1 `id_token_hint`: an ID token we issued to this client; an expired
    /// one is still a valid hint.
    pub async fn id_token_hint_subject(
        &self,
        hint: &str,
        client: &Client,
    ) -> Result<String, Error> {
        let keys = self
            .keys
            .verifying_keys(self.store.as_ref(), self.now())
            .await?;
        let verified = keys
            .verify_jwt(hint, &Alg::ALL)
            .map_err(|_| Error::IdTokenHintInvalid("signature does not verify"))?;
        let claims = verified.claims;
        if claims.get("iss").and_then(|v| v.as_str()) != Some(self.config.issuer.as_str()) {
            return Err(Error::IdTokenHintInvalid("issued by another provider"));
        }
        let aud_ok = match claims.get("aud") {
            Some(serde_json::Value::String(aud)) => aud == &client.id,
            Some(serde_json::Value::Array(auds)) => {
                auds.iter().any(|a| a.as_str() == Some(client.id.as_str()))
            }
            _ => false,
        };
        if !aud_ok {
            return Err(Error::IdTokenHintInvalid("issued to another client"));
        }
        claims
            .get("sub")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .ok_or(Error::IdTokenHintInvalid("no subject"))
    }
}

/// A refused request object whose signature checked out: answered at its `redirect_uri`
/// when that is registered for the client, otherwise with a page.
fn refusal_at_client(error: Error, params: &Params, client: &Client) -> Refusal {
    let Ok((redirect_uri, _)) = checks::redirect_uri(params, client) else {
        return Refusal::Fatal(error);
    };
    let Ok(mode) = checks::response_mode(params) else {
        return Refusal::Fatal(error);
    };
    Refusal::AtClient {
        error,
        redirect_uri,
        mode,
        state: params.single("state").ok().flatten().map(str::to_owned),
    }
}
