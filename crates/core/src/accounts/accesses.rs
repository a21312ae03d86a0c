//! The applications that hold access to an account (`/account/accesses`): every client
//! with a remembered consent or a live grant, the scopes it was given, when it was first
//! given access and when it last obtained tokens (a grant or a refresh). Taking the access away deletes the
//! consent (the next authorization asks again, OIDC Core §3.1.2.4), revokes the client's
//! grants for the account with their refresh and access tokens (RFC 7009 §2.1 semantics),
//! and queues a back-channel logout (Back-Channel Logout 1.0 §2.5) for every live session
//! of the account the client took part in — all in one store transaction.

use super::{Accounts, AuditKind};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::interaction::ScopeInfo;
use crate::model::{Account, Client, LogoutDelivery};
use propusk_types::scope::Scope;
use std::collections::BTreeMap;

/// One application's access to the account.
#[derive(Clone, Debug)]
pub struct Access {
    pub client: Client,
    pub scopes: Vec<ScopeInfo>,
    /// The first grant, or the consent when no grant is known.
    pub granted_at: Timestamp,
    /// The newest grant or refresh token, if any.
    pub last_used_at: Option<Timestamp>,
    pub consent: bool,
    pub live_grants: usize,
    /// Who publishes the application: its first owner in the integrator cabinet, by name
    /// (else login); none for applications the operator registered.
    pub integrator: Option<String>,
    /// The application has a logo uploaded in the integrator cabinet.
    pub has_logo: bool,
}

/// What the revocation of one client's access did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedAccess {
    pub grants: u64,
    pub backchannel: usize,
}

#[derive(Default)]
struct Gathered {
    scope: Scope,
    granted_at: Option<Timestamp>,
    last_used_at: Option<Timestamp>,
    consent: bool,
    live_grants: usize,
}

impl Gathered {
    fn add_scope(&mut self, scope: &Scope) {
        self.scope = self.scope.union(scope);
    }

    fn seen(&mut self, at: Timestamp) {
        self.granted_at = Some(self.granted_at.map_or(at, |g| g.min(at)));
    }
}

impl Accounts {
    /// Every client holding a consent or a live grant for the account, by name.
    pub async fn accesses(&self, account: &Account) -> Result<Vec<Access>> {
        let store = &self.provider.store;
        let mut by_client: BTreeMap<String, Gathered> = BTreeMap::new();
        for consent in store.list_consents(&account.id).await? {
            let entry = by_client.entry(consent.client_id.clone()).or_default();
            entry.consent = true;
            entry.add_scope(&consent.scope);
            entry.seen(consent.updated_at);
        }
        for grant in store.account_grants(&account.id).await? {
            let live = grant.revoked_at.is_none();
            let known = by_client.contains_key(&grant.client_id);
            if !live && !known {
                continue;
            }
            let entry = by_client.entry(grant.client_id.clone()).or_default();
            if live {
                entry.live_grants += 1;
                entry.add_scope(&grant.scope);
            }
            entry.seen(grant.created_at);
            entry.last_used_at = Some(
                entry
                    .last_used_at
                    .map_or(grant.created_at, |l| l.max(grant.created_at)),
            );
        }
        for (client_id, at) in store.last_refresh_by_client(&account.id).await? {
            if let Some(entry) = by_client.get_mut(&client_id) {
                entry.last_used_at = Some(entry.last_used_at.map_or(at, |l| l.max(at)));
            }
        }
        let mut accesses = Vec::new();
        for (client_id, gathered) in by_client {
            let Some(client) = store.get_client(&client_id).await? else {
                continue;
            };
            let mut owners = store.client_owners(&client_id).await?;
            owners.sort_by_key(|o| o.added_at);
            let integrator = match owners.first() {
                Some(owner) => store
                    .get_account(&owner.account_id)
                    .await?
                    .map(|a| a.profile.name.clone().unwrap_or(a.login)),
                None => None,
            };
            accesses.push(Access {
                scopes: self.provider.scope_infos(&gathered.scope).await?,
                integrator,
                has_logo: store.get_client_logo(&client_id).await?.is_some(),
                client,
                granted_at: gathered.granted_at.unwrap_or_default(),
                last_used_at: gathered.last_used_at,
                consent: gathered.consent,
                live_grants: gathered.live_grants,
            });
        }
        accesses.sort_by(|a, b| a.client.name.cmp(&b.client.name));
        Ok(accesses)
    }

    /// Takes `client_id`'s access to the account away (see the module header).
    pub async fn revoke_access(
        &self,
        account: &Account,
        client_id: &str,
        ip: &str,
    ) -> Result<RevokedAccess> {
        let p = &self.provider;
        let client = p
            .store
            .get_client(client_id)
            .await?
            .ok_or(Error::UnknownClient)?;
        let now = p.now();
        let mut deliveries = Vec::new();
        if let Some(uri) = &client.backchannel_logout_uri {
            for session in p.store.list_sessions(&account.id).await? {
                let took_part = p.store.session_clients(&session.id).await?;
                if session.is_live(now) && took_part.iter().any(|c| c == client_id) {
                    deliveries.push(LogoutDelivery {
                        id: p.random(16),
                        client_id: client.id.clone(),
                        uri: uri.clone(),
                        sid: session.id.clone(),
                        sub: p.subject_for(&client, &account.id),
                        attempts: 0,
                        next_attempt_at: now,
                        created_at: now,
                        delivered_at: None,
                        abandoned_at: None,
                        last_error: None,
                    });
                }
            }
        }
        let grants = p
            .store
            .revoke_access(&account.id, client_id, &deliveries, now)
            .await?;
        let detail = format!("client={client_id} grants={grants}");
        self.audit(
            AuditKind::AccessRevoked,
            Some(&account.id),
            ip,
            Some(&detail),
        )
        .await;
        Ok(RevokedAccess {
            grants,
            backchannel: deliveries.len(),
        })
    }
}
