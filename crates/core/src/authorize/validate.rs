//! Runs the checks of the authorization endpoint in the order the specs require: first
//! what decides whether the client can be answered at all (client, redirect URI — fatal,
//! RFC 6749 §4.1.2.1), then everything that is answered at the redirect URI.

use super::checks;
use super::request::{ResponseMode, ValidatedAuthorizationRequest};
use super::response::AuthorizationResponse;
use crate::error::Error;
use crate::jose::Alg;
use crate::model::Client;
use crate::provider::Provider;
use crate::request::Params;

#[derive(Debug)]
pub enum AuthorizeError {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect.
    Fatal(Error),
    /// Answer the client at its redirect URI.
    Redirect(AuthorizationResponse),
}

impl Provider {
    /// Validates an authorization request. On success the client is returned too.
    pub async fn validate_authorization(
        &self,
        params: &Params,
    ) -> Result<(ValidatedAuthorizationRequest, Client), AuthorizeError> {
        let fatal = AuthorizeError::Fatal;
        let client_id = params
            .single("client_id")
            .map_err(fatal)?
            .ok_or(fatal(Error::MissingParameter("client_id")))?;
        let client = self
            .store
            .get_client(client_id)
            .await
            .map_err(|e| fatal(e.into()))?
            .filter(|c| !c.suspended)
            .ok_or(fatal(Error::UnknownClient))?;
        let (redirect_uri, redirect_uri_sent) =
            checks::redirect_uri(params, &client).map_err(fatal)?;

        let state = params.get("state").map(str::to_owned);
        let mode_or_default = checks::response_mode(params);
        let mode = *mode_or_default.as_ref().unwrap_or(&ResponseMode::Query);
        let redirect = |error: Error| {
            AuthorizeError::Redirect(AuthorizationResponse::error(
                &redirect_uri,
                mode,
                &error,
                state.as_deref(),
                &self.config.issuer,
            ))
        };
        mode_or_default.map_err(redirect)?;
        if params.single("state").is_err() {
            return Err(redirect(Error::DuplicateParameter("state".into())));
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
        checks::no_request_object(params)?;
        let scope = checks::scope(params, client)?;
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
