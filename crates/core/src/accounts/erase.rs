//! Deleting one's own account (`/account/delete`) and downloading everything kept about
//! it (`/account/export`, the right of access of 152-FZ art. 14 and GDPR art. 15, in a
//! machine-readable form as GDPR art. 20 asks).
//!
//! Deletion needs a fresh proof. In one store transaction the account loses its
//! identifiers, password and profile and is disabled (its id is never reused), every
//! session ends, every grant and token is revoked, consents, factors and recovery codes
//! go, the audit events stay without their addresses, and a back-channel logout is
//! queued for every client of every live session. The owner is told at the contact the
//! account had.

use super::{Accounts, AuditKind, MessageKind};
use crate::error::{Error, Result};
use crate::logout::LoggedOut;
use crate::model::{Account, LogoutDelivery, Session};
use serde_json::{Value, json};

impl Accounts {
    /// Deletes the account of `session` (see the module header); the event is recorded
    /// without an address. Returns the front-channel logout URIs for the browser to load.
    pub async fn delete_account(&self, session: &Session, account: &Account) -> Result<LoggedOut> {
        self.require_fresh(session).await?;
        let p = &self.provider;
        let now = p.now();
        let mut deliveries = Vec::new();
        let mut out = LoggedOut::default();
        for live in p.store.list_sessions(&account.id).await? {
            if !live.is_live(now) {
                continue;
            }
            for client_id in p.store.session_clients(&live.id).await? {
                let Some(client) = p.store.get_client(&client_id).await? else {
                    continue;
                };
                if let Some(uri) = &client.backchannel_logout_uri {
                    deliveries.push(LogoutDelivery {
                        id: p.random(16),
                        client_id: client.id.clone(),
                        uri: uri.clone(),
                        sid: live.id.clone(),
                        sub: p.subject_for(&client, &account.id),
                        attempts: 0,
                        next_attempt_at: now,
                        created_at: now,
                        delivered_at: None,
                        abandoned_at: None,
                        last_error: None,
                    });
                }
                if let Some(uri) = &client.frontchannel_logout_uri {
                    let query = serde_urlencoded::to_string([
                        ("iss", p.config.issuer.as_str()),
                        ("sid", live.id.as_str()),
                    ])
                    .unwrap_or_default();
                    let separator = if uri.contains('?') { '&' } else { '?' };
                    out.frontchannel.push(format!("{uri}{separator}{query}"));
                }
            }
        }
        out.backchannel = deliveries.len();
        if !p.store.erase_account(&account.id, &deliveries, now).await? {
            return Err(Error::AccountUnavailable);
        }
        self.audit(AuditKind::AccountDeleted, Some(&account.id), "", None)
            .await;
        self.notify(account, MessageKind::AccountDeleted).await;
        Ok(out)
    }

    /// Everything kept about the account, as JSON: the account and profile, the state of
    /// its factors (never their secrets), consents, grants, sessions and the history.
    pub async fn export(&self, account: &Account) -> Result<Value> {
        let p = &self.provider;
        let security = self.security_overview(account).await?;
        let consents: Vec<Value> = p
            .store
            .list_consents(&account.id)
            .await?
            .into_iter()
            .map(|c| json!({"client_id": c.client_id, "scope": c.scope.to_string(), "updated_at": c.updated_at}))
            .collect();
        let grants: Vec<Value> = p
            .store
            .account_grants(&account.id)
            .await?
            .into_iter()
            .map(|g| {
                json!({
                    "client_id": g.client_id,
                    "scope": g.scope.to_string(),
                    "created_at": g.created_at,
                    "revoked_at": g.revoked_at,
                    "amr": g.amr,
                })
            })
            .collect();
        let mut sessions = Vec::new();
        for s in p.store.list_sessions(&account.id).await? {
            let device = p.store.session_device(&s.id).await?;
            sessions.push(json!({
                "created_at": s.created_at,
                "last_active_at": s.last_active_at,
                "ended_at": s.ended_at,
                "amr": s.amr,
                "user_agent": device.user_agent,
                "ip": device.ip,
                "applications": p.store.session_clients(&s.id).await?,
            }));
        }
        let history: Vec<Value> = p
            .store
            .list_audit(Some(&account.id), 10_000)
            .await?
            .into_iter()
            .map(|e| json!({"at": e.at, "event": e.kind.as_str(), "ip": e.ip, "detail": e.detail}))
            .collect();
        Ok(json!({
            "issuer": p.config.issuer,
            "exported_at": p.now(),
            "account": {
                "id": account.id,
                "login": account.login,
                "email": account.email,
                "phone": account.phone,
                "has_password": account.password_hash.is_some(),
                "profile": account.profile,
                "created_at": account.created_at,
                "updated_at": account.updated_at,
            },
            "second_factor": {
                "totp": security.totp,
                "sms": security.sms,
                "recovery_codes_left": security.recovery_left,
            },
            "consents": consents,
            "grants": grants,
            "sessions": sessions,
            "history": history,
        }))
    }
}
