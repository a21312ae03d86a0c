//! After validation: answer at once (a code, or an error for `prompt=none`), or store the
//! request as an interaction and send the user to sign in or consent (OIDC Core §3.1.2.3,
//! §3.1.2.4). The interaction is resumed by `interaction.rs`, which ends here again in
//! [`Provider::issue_code`].

use super::request::{Prompt, ValidatedAuthorizationRequest};
use super::response::AuthorizationResponse;
use crate::error::{Error, Result};
use crate::model::{AuthCode, Client, Grant, Interaction, Session};
use crate::provider::Provider;

#[derive(Debug)]
pub enum AuthorizeOutcome {
    /// Answer the client now.
    Respond(AuthorizationResponse),
    /// Send the browser to the interaction with this id.
    Interact(String),
}

impl Provider {
    /// Decides what to do with a validated request given the browser's live session.
    pub async fn decide_authorization(
        &self,
        request: ValidatedAuthorizationRequest,
        client: &Client,
        session: Option<Session>,
    ) -> Result<AuthorizeOutcome> {
        let now = self.now();
        let session = session.filter(|s| !self.login_needed(&request, client, s, now));
        // A session below the requested authentication context is kept: the user is
        // asked for the missing factor only (step-up), not to sign in again.
        let step_up = session
            .as_ref()
            .is_some_and(|s| !acr_satisfied(&request, client, s));
        if request.prompts(Prompt::None) {
            let answer = match &session {
                None => Err(Error::LoginRequired),
                Some(_) if step_up => Err(Error::InteractionRequired),
                Some(s) if self.consent_needed(&request, client, s).await? => {
                    Err(Error::ConsentRequired)
                }
                Some(s) => Ok(s),
            };
            return match answer {
                Ok(session) => Ok(AuthorizeOutcome::Respond(
                    self.issue_code(&request, client, session).await?,
                )),
                Err(error) => Ok(AuthorizeOutcome::Respond(
                    self.error_response(&request, &error),
                )),
            };
        }
        if let Some(session) = session.as_ref().filter(|_| !step_up) {
            let asks_user =
                request.prompts(Prompt::Consent) || request.prompts(Prompt::SelectAccount);
            if !asks_user && !self.consent_needed(&request, client, session).await? {
                return Ok(AuthorizeOutcome::Respond(
                    self.issue_code(&request, client, session).await?,
                ));
            }
        }
        let mut request = request;
        let signed_in = session.as_ref().map(|s| s.id.clone());
        if signed_in.is_some() {
            // Login is satisfied; what remains is consent (or account confirmation).
            request.prompt.retain(|p| *p != Prompt::Login);
        }
        let interaction = Interaction {
            id: self.sortable_id(24),
            client_id: client.id.clone(),
            request: serde_json::to_string(&request).map_err(|e| Error::Internal(e.to_string()))?,
            session_id: if request.prompts(Prompt::SelectAccount) {
                None
            } else {
                signed_in
            },
            created_at: now,
            expires_at: now + self.config.interaction_lifetime,
        };
        self.store.create_interaction(&interaction).await?;
        Ok(AuthorizeOutcome::Interact(interaction.id))
    }

    /// A session does not satisfy the request when the user must sign in again:
    /// `prompt=login`, `max_age` exceeded, or an `id_token_hint` naming someone else.
    fn login_needed(
        &self,
        request: &ValidatedAuthorizationRequest,
        client: &Client,
        session: &Session,
        now: i64,
    ) -> bool {
        if request.prompts(Prompt::Login) || request.prompts(Prompt::Create) {
            return true;
        }
        if request
            .max_age
            .is_some_and(|max| max == 0 || now - session.auth_time > max)
        {
            return true;
        }
        request
            .id_token_hint_sub
            .as_ref()
            .is_some_and(|sub| *sub != self.subject_for(client, &session.account_id))
    }

    /// Consent is needed when the client requires it and the user has not yet granted
    /// every requested scope to it.
    pub async fn consent_needed(
        &self,
        request: &ValidatedAuthorizationRequest,
        client: &Client,
        session: &Session,
    ) -> Result<bool> {
        if request.prompts(Prompt::Consent) {
            return Ok(true);
        }
        if !client.consent_required {
            return Ok(false);
        }
        let granted = self
            .store
            .get_consent(&session.account_id, &client.id)
            .await?;
        Ok(!granted.is_some_and(|c| request.scope.is_subset(&c.scope)))
    }

    pub fn error_response(
        &self,
        request: &ValidatedAuthorizationRequest,
        error: &Error,
    ) -> AuthorizationResponse {
        AuthorizationResponse::error(
            &request.redirect_uri,
            request.response_mode,
            error,
            request.state.as_deref(),
            &self.config.issuer,
        )
    }

    /// Records the grant and a single-use code (stored hashed) and builds the response.
    pub async fn issue_code(
        &self,
        request: &ValidatedAuthorizationRequest,
        client: &Client,
        session: &Session,
    ) -> Result<AuthorizationResponse> {
        let now = self.now();
        let grant = Grant {
            id: self.sortable_id(16),
            client_id: client.id.clone(),
            account_id: Some(session.account_id.clone()),
            session_id: Some(session.id.clone()),
            scope: request.scope.clone(),
            auth_time: Some(session.auth_time),
            acr: session.acr.clone(),
            amr: session.amr.clone(),
            nonce: request.nonce.clone(),
            claims: request.claims.clone(),
            created_at: now,
            revoked_at: None,
        };
        self.store.insert_grant(&grant).await?;
        let code = self.sortable_secret(32);
        let record = AuthCode {
            code_hash: self.hasher.hash(&code),
            grant_id: grant.id.clone(),
            client_id: client.id.clone(),
            redirect_uri: if request.redirect_uri_sent {
                request.redirect_uri.clone()
            } else {
                String::new()
            },
            code_challenge: request.code_challenge.clone(),
            created_at: now,
            expires_at: now + client.code_lifetime(),
            used_at: None,
        };
        self.store.insert_code(&record).await?;
        self.store
            .add_session_client(&session.id, &client.id)
            .await?;
        Ok(AuthorizationResponse::code(
            &request.redirect_uri,
            request.response_mode,
            code,
            request.state.as_deref(),
            &self.config.issuer,
        ))
    }
}

/// Known authentication context classes, weakest first.
fn acr_rank(acr: &str) -> Option<u8> {
    match acr {
        "0" => Some(0),
        crate::authorize::ACR_PASSWORD => Some(1),
        crate::authorize::ACR_MFA => Some(2),
        _ => None,
    }
}

/// The weakest authentication context that satisfies the request, if it asks for one
/// Propusk knows: any one of `acr_values` (OIDC Core §3.1.2.1), or of the values of an
/// `acr` claim request (§5.5.1.1), and never below the client's `minimum_acr`.
pub fn required_acr_rank(request: &ValidatedAuthorizationRequest, client: &Client) -> Option<u8> {
    let claim = request
        .claims
        .as_ref()
        .and_then(|c| c.get("id_token"))
        .and_then(|t| t.get("acr"));
    let mut wanted: Vec<&str> = request.acr_values.iter().map(String::as_str).collect();
    if let Some(claim) = claim {
        if let Some(value) = claim.get("value").and_then(|v| v.as_str()) {
            wanted.push(value);
        }
        if let Some(values) = claim.get("values").and_then(|v| v.as_array()) {
            wanted.extend(values.iter().filter_map(|v| v.as_str()));
        }
    }
    let requested = wanted.iter().filter_map(|w| acr_rank(w)).min();
    let minimum = client.minimum_acr.as_deref().and_then(acr_rank);
    requested.max(minimum)
}

/// Whether the session's authentication context reaches what the request needs.
pub fn acr_satisfied(
    request: &ValidatedAuthorizationRequest,
    client: &Client,
    session: &Session,
) -> bool {
    let Some(required) = required_acr_rank(request, client) else {
        return true;
    };
    let have = session.acr.as_deref().and_then(acr_rank).unwrap_or(1);
    have >= required
}
