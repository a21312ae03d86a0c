//! Resuming a stored authorization request after the user acted on a page (OIDC Core
//! §3.1.2.3 authentication, §3.1.2.4 consent). Pages never touch the protocol directly:
//! they ask for the next step, report a sign-in or a consent decision, and redirect.

use crate::authorize::{AuthorizationResponse, ValidatedAuthorizationRequest};
use crate::error::{Error, Result};
use crate::model::{Client, Consent, Interaction, Session};
use crate::provider::Provider;
use propusk_types::scope::{STANDARD_SCOPES, Scope};

/// A scope as shown to the user on the consent page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeInfo {
    pub name: String,
    /// Product that owns the scope, for product scopes.
    pub product: Option<String>,
    pub description_ru: Option<String>,
    pub description_en: Option<String>,
}

#[derive(Debug)]
pub enum InteractionStep {
    Login {
        interaction: Interaction,
        request: ValidatedAuthorizationRequest,
        client: Client,
    },
    /// The session is below the authentication context the request needs: the user is
    /// asked for the missing factor (step-up), then the interaction resumes.
    StepUp {
        interaction: Interaction,
        request: ValidatedAuthorizationRequest,
        client: Client,
        session: Session,
    },
    Consent {
        interaction: Interaction,
        request: ValidatedAuthorizationRequest,
        client: Client,
        scopes: Vec<ScopeInfo>,
    },
    Respond(AuthorizationResponse),
}

impl Provider {
    pub async fn load_interaction(
        &self,
        id: &str,
    ) -> Result<(Interaction, ValidatedAuthorizationRequest, Client)> {
        let interaction = self
            .store
            .get_interaction(id)
            .await?
            .ok_or(Error::InteractionExpired)?;
        if interaction.expires_at <= self.now() {
            self.store.delete_interaction(id).await?;
            return Err(Error::InteractionExpired);
        }
        let request: ValidatedAuthorizationRequest = serde_json::from_str(&interaction.request)
            .map_err(|e| Error::Internal(format!("interaction: {e}")))?;
        let client = self
            .store
            .get_client(&interaction.client_id)
            .await?
            .ok_or(Error::UnknownClient)?;
        Ok((interaction, request, client))
    }

    /// What the user has to do next, or the answer for the client when nothing is left.
    pub async fn interaction_step(
        &self,
        id: &str,
        session: Option<Session>,
    ) -> Result<InteractionStep> {
        let (interaction, request, client) = self.load_interaction(id).await?;
        let session = session.filter(|s| interaction.session_id.as_deref() == Some(s.id.as_str()));
        let Some(session) = session else {
            return Ok(InteractionStep::Login {
                interaction,
                request,
                client,
            });
        };
        if !crate::authorize::acr_satisfied(&request, &client, &session) {
            return Ok(InteractionStep::StepUp {
                interaction,
                request,
                client,
                session,
            });
        }
        if self.consent_needed(&request, &client, &session).await? {
            let asked = self.scopes_to_consent(&request, &client, &session).await?;
            let scopes = self.scope_infos(&asked).await?;
            return Ok(InteractionStep::Consent {
                interaction,
                request,
                client,
                scopes,
            });
        }
        let response = self.issue_code(&request, &client, &session).await?;
        self.store.delete_interaction(id).await?;
        Ok(InteractionStep::Respond(response))
    }

    /// Binds the interaction to the session the user just signed in with.
    pub async fn interaction_signed_in(&self, id: &str, session: &Session) -> Result<()> {
        let (mut interaction, _, _) = self.load_interaction(id).await?;
        interaction.session_id = Some(session.id.clone());
        self.store.update_interaction(&interaction).await?;
        Ok(())
    }

    /// Ends interaction `id` whose request the account cannot satisfy (no second factor
    /// for a second-factor `acr`): the client gets `unmet_authentication_requirements`.
    pub async fn interaction_unmet(&self, id: &str) -> Result<AuthorizationResponse> {
        let (_, request, _) = self.load_interaction(id).await?;
        self.store.delete_interaction(id).await?;
        Ok(self.error_response(&request, &Error::UnmetAuthenticationRequirements))
    }

    /// The user's consent decision. Allowing remembers the scopes for the client.
    pub async fn interaction_consent(
        &self,
        id: &str,
        session: Option<Session>,
        allow: bool,
    ) -> Result<AuthorizationResponse> {
        let (interaction, request, client) = self.load_interaction(id).await?;
        let session = session
            .filter(|s| interaction.session_id.as_deref() == Some(s.id.as_str()))
            .ok_or(Error::LoginRequired)?;
        self.store.delete_interaction(id).await?;
        if !allow {
            return Ok(self.error_response(&request, &Error::AccessDenied));
        }
        let previous = self
            .store
            .get_consent(&session.account_id, &client.id)
            .await?;
        let scope = previous
            .map(|c| c.scope.union(&request.scope))
            .unwrap_or_else(|| request.scope.clone());
        let consent = Consent {
            account_id: session.account_id.clone(),
            client_id: client.id.clone(),
            scope,
            updated_at: self.now(),
        };
        self.store.upsert_consent(&consent).await?;
        self.audit_consent(&consent);
        self.issue_code(&request, &client, &session).await
    }

    /// What the consent page asks for: only scopes the user has not granted to the client
    /// yet, unless `prompt=consent` asks to confirm everything again.
    async fn scopes_to_consent(
        &self,
        request: &ValidatedAuthorizationRequest,
        client: &Client,
        session: &Session,
    ) -> Result<Scope> {
        if request.prompts(crate::authorize::Prompt::Consent) {
            return Ok(request.scope.clone());
        }
        let granted = self
            .store
            .get_consent(&session.account_id, &client.id)
            .await?;
        let new = granted.map_or_else(
            || request.scope.clone(),
            |c| request.scope.difference(&c.scope),
        );
        Ok(if new.is_empty() {
            request.scope.clone()
        } else {
            new
        })
    }

    /// Describes scopes for the consent page: standard ones by name, product scopes with
    /// the product's descriptions.
    pub async fn scope_infos(&self, scope: &Scope) -> Result<Vec<ScopeInfo>> {
        let products = self.store.list_products().await?;
        Ok(scope
            .iter()
            .map(|name| {
                let owner = products.iter().find(|p| p.owns_scope(name));
                let described = owner.and_then(|p| p.scopes.iter().find(|s| s.name == name));
                ScopeInfo {
                    name: name.to_owned(),
                    product: owner
                        .filter(|_| !STANDARD_SCOPES.contains(&name))
                        .map(|p| p.name.clone()),
                    description_ru: described.and_then(|s| s.description_ru.clone()),
                    description_en: described.and_then(|s| s.description_en.clone()),
                }
            })
            .collect())
    }
}

impl Provider {
    /// Queues a `consent_given` event: the account, the client and every scope the
    /// account now grants it.
    pub(crate) fn audit_consent(&self, consent: &Consent) {
        self.audit.record(crate::model::AuditEvent {
            id: self.sortable_id(12),
            at: consent.updated_at,
            kind: crate::model::AuditKind::ConsentGiven,
            account_id: Some(consent.account_id.clone()),
            ip: None,
            detail: Some(consent.scope.to_string()),
            actor: None,
            client_id: Some(consent.client_id.clone()),
        });
    }
}
