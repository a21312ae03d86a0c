//! Partner issuers whose JWT assertions the `jwt-bearer` grant accepts (RFC 7523 §3):
//! registered or replaced with their public keys (private members refused), the clients
//! that may present their assertions and how `sub` names an account; listed; removed.

use super::{Actor, Admin, AdminResult, Subject, invalid, not_found};
use crate::model::client_metadata::public_jwks;
use crate::model::{AuditKind, SubjectMapping, TrustedIssuer};

impl Admin {
    pub async fn trusted_issuers(&self) -> AdminResult<Vec<TrustedIssuer>> {
        let mut issuers = self.provider.store.list_trusted_issuers().await?;
        issuers.sort_by(|a, b| a.issuer.cmp(&b.issuer));
        Ok(issuers)
    }

    /// Registers the issuer, or replaces what was registered for it.
    pub async fn put_trusted_issuer(
        &self,
        actor: &Actor,
        issuer: &str,
        jwks: &serde_json::Value,
        client_ids: Vec<String>,
        subject: SubjectMapping,
    ) -> AdminResult<TrustedIssuer> {
        let issuer = issuer.trim();
        if issuer.is_empty() || issuer.len() > 512 || issuer.chars().any(char::is_control) {
            return Err(invalid(
                "issuer",
                "1 to 512 characters, no control characters",
            ));
        }
        let jwks = public_jwks(jwks).map_err(|e| invalid("jwks", e.description))?;
        for id in &client_ids {
            self.client(id).await?;
        }
        let record = TrustedIssuer {
            issuer: issuer.to_owned(),
            jwks,
            client_ids,
            subject,
            created_at: self.provider.now(),
        };
        self.provider.store.upsert_trusted_issuer(&record).await?;
        let subject = Subject {
            detail: Some(issuer),
            ..Subject::default()
        };
        self.record(actor, AuditKind::TrustedIssuerSaved, subject)
            .await?;
        Ok(record)
    }

    pub async fn delete_trusted_issuer(&self, actor: &Actor, issuer: &str) -> AdminResult<()> {
        if !self.provider.store.delete_trusted_issuer(issuer).await? {
            return Err(not_found("trusted issuer", issuer));
        }
        let subject = Subject {
            detail: Some(issuer),
            ..Subject::default()
        };
        self.record(actor, AuditKind::TrustedIssuerDeleted, subject)
            .await
    }
}
