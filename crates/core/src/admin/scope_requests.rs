//! Applications' requests for the scopes of products that require approval: listed, and
//! approved (the scope becomes one the application may ask for) or refused.

use super::{Actor, Admin, AdminError, AdminResult, Subject, not_found};
use crate::developer::{Cabinet, CabinetError};
use crate::model::{AuditKind, ScopeRequest, ScopeRequestStatus};

impl Admin {
    /// Every request, oldest first; pending ones only unless `all`.
    pub async fn scope_requests(&self, all: bool) -> AdminResult<Vec<ScopeRequest>> {
        let status = (!all).then_some(ScopeRequestStatus::Pending);
        Ok(self
            .provider
            .store
            .list_scope_requests(None, status)
            .await?)
    }

    /// Decides a pending request; `approve` adds the scope to the application's scopes.
    pub async fn decide_scope_request(
        &self,
        actor: &Actor,
        id: &str,
        approve: bool,
    ) -> AdminResult<ScopeRequest> {
        let (status, kind) = if approve {
            (
                ScopeRequestStatus::Approved,
                AuditKind::ScopeRequestApproved,
            )
        } else {
            (ScopeRequestStatus::Refused, AuditKind::ScopeRequestRefused)
        };
        let request = Cabinet::new(&self.provider)
            .decide_scope_request(id, status)
            .await
            .map_err(|e| match e {
                CabinetError::Failed(error) => AdminError::Engine(error),
                _ => not_found("pending scope request", id),
            })?;
        let detail = format!("{} {}", request.scope, request.id);
        let subject = Subject {
            client_id: Some(&request.client_id),
            detail: Some(&detail),
            ..Subject::default()
        };
        self.record(actor, kind, subject).await?;
        Ok(request)
    }
}
