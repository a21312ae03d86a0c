//! The audit trail of the token endpoint: one `token_issued` event per answer with tokens
//! (grant type, client, account when there is one) and one `token_refused` per error
//! answer (grant type when it is one we serve, the client id the request names, the
//! error code). Neither carries what was submitted beyond those names: no secret, code,
//! assertion or token. Events go through [`crate::audit_writer`], off the answering path.

use super::Issued;
use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::{AuditEvent, AuditKind, GrantType};
use crate::provider::Provider;
use crate::request::{Params, shorten};

impl Provider {
    /// Queues the event for a token endpoint answer.
    pub(crate) fn audit_token(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
        ip: &str,
        answer: &Result<Issued>,
    ) {
        let grant = params
            .get("grant_type")
            .and_then(GrantType::parse)
            .map_or("unknown", GrantType::as_str);
        let event = match answer {
            Ok(issued) => self.token_event(
                AuditKind::TokenIssued,
                Some(issued.client_id.clone()),
                issued.account_id.clone(),
                ip,
                grant.to_owned(),
            ),
            Err(error) => self.token_event(
                AuditKind::TokenRefused,
                credentials.claimed_id().map(shorten),
                None,
                ip,
                refusal_detail(grant, error),
            ),
        };
        self.audit.record(event);
    }

    fn token_event(
        &self,
        kind: AuditKind,
        client_id: Option<String>,
        account_id: Option<String>,
        ip: &str,
        detail: String,
    ) -> AuditEvent {
        AuditEvent {
            id: self.sortable_id(12),
            at: self.now(),
            kind,
            account_id,
            ip: (!ip.is_empty()).then(|| ip.to_owned()),
            detail: Some(detail),
            actor: None,
            client_id,
        }
    }
}

/// `<grant type> <error code>`, e.g. `refresh_token invalid_grant`.
fn refusal_detail(grant: &str, error: &Error) -> String {
    format!("{grant} {}", error.code().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_names_grant_and_code_only() {
        let detail = refusal_detail("authorization_code", &Error::CodeNotFound);
        assert_eq!(detail, "authorization_code invalid_grant");
    }
}
