//! Requests for a product's scopes. A product that does not require the operator's
//! approval grants its scopes at once; otherwise the request waits as `pending` until the
//! operator approves or refuses it (`propusk admin scope-request`). An approved scope
//! becomes one the application may ask for (RFC 6749 §3.3).

use super::{Cabinet, CabinetError, CabinetResult, Problem, invalid};
use crate::crypto::random_token;
use crate::model::{Account, Client, Product, ScopeRequest, ScopeRequestStatus};

impl Cabinet<'_> {
    /// Products whose scopes an application may request.
    pub async fn products(&self) -> CabinetResult<Vec<Product>> {
        Ok(self.p.store.list_products().await?)
    }

    pub async fn scope_requests(&self, client: &Client) -> CabinetResult<Vec<ScopeRequest>> {
        Ok(self
            .p
            .store
            .list_scope_requests(Some(&client.id), None)
            .await?)
    }

    /// Requests `scope` (owned by some product) for an application the account owns.
    pub async fn request_scope(
        &self,
        account: &Account,
        client_id: &str,
        scope: &str,
    ) -> CabinetResult<ScopeRequest> {
        let client = self.owned(account, client_id).await?;
        let scope = scope.trim();
        let product = self
            .products()
            .await?
            .into_iter()
            .find(|p| p.owns_scope(scope));
        let Some(product) = product else {
            return invalid(Problem::ScopeUnknown);
        };
        let open = self
            .scope_requests(&client)
            .await?
            .into_iter()
            .any(|r| r.scope == scope && r.status == ScopeRequestStatus::Pending);
        if client.scope.contains(scope) || open {
            return invalid(Problem::ScopeAlreadyAllowed);
        }
        let now = self.p.now();
        let mut request = ScopeRequest {
            id: random_token(self.p.rng.as_ref(), 9),
            client_id: client.id.clone(),
            audience: product.audience.clone(),
            scope: scope.to_owned(),
            status: ScopeRequestStatus::Pending,
            requested_by: account.id.clone(),
            created_at: now,
            decided_at: None,
        };
        self.p.store.insert_scope_request(&request).await?;
        if !product.approval_required {
            self.decide_scope_request(&request.id, ScopeRequestStatus::Approved)
                .await?;
            request.status = ScopeRequestStatus::Approved;
            request.decided_at = Some(now);
        }
        Ok(request)
    }

    /// The operator's decision on a pending request; approval adds the scope to the
    /// application's allowed scopes. Returns the request as decided.
    pub async fn decide_scope_request(
        &self,
        id: &str,
        status: ScopeRequestStatus,
    ) -> CabinetResult<ScopeRequest> {
        let now = self.p.now();
        if !self.p.store.decide_scope_request(id, status, now).await? {
            return Err(CabinetError::NotFound);
        }
        let Some(request) = self.p.store.get_scope_request(id).await? else {
            return Err(CabinetError::NotFound);
        };
        if status == ScopeRequestStatus::Approved
            && let Some(mut client) = self.p.store.get_client(&request.client_id).await?
        {
            client.scope.insert(&request.scope);
            self.p.store.update_client(&client).await?;
        }
        Ok(request)
    }
}
