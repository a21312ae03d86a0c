//! A signed-in user changes their own password (`/account/security`): the current
//! password, or a fresh proof of identity, is required; the new one passes the password
//! policy (NIST SP 800-63B §5.1.1.2); the other sessions can be ended with it, each as a
//! logout (its clients get back-channel logout); the user is told by e-mail or SMS.

use super::{Accounts, AuditKind, MessageKind, Proof};
use crate::error::{Error, Result};
use crate::model::{Account, Session};

impl Accounts {
    /// Sets a new password. `current`, when given, is checked as a fresh proof; without
    /// it the session's proof must be fresh. Returns how many other sessions ended.
    pub async fn change_password(
        &self,
        session: &Session,
        account: &Account,
        current: Option<&str>,
        new: &str,
        sign_out_others: bool,
        ip: &str,
    ) -> Result<usize> {
        match current.filter(|c| !c.is_empty()) {
            Some(current) => {
                self.reauthenticate(session, account, Proof::Password(current), ip)
                    .await?
            }
            None => self.require_fresh(session).await?,
        }
        let identifiers: Vec<&str> = [
            Some(account.login.as_str()),
            account.email.as_deref(),
            account.phone.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.policy
            .password
            .check(new, &identifiers)
            .map_err(Error::PasswordRejected)?;
        let p = &self.provider;
        let mut changed = account.clone();
        changed.password_hash = Some(p.hash_password(new).await?);
        changed.updated_at = p.now();
        p.store.update_account(&changed).await?;
        let ended = if sign_out_others {
            self.end_other_sessions(session).await?.0
        } else {
            0
        };
        let detail = format!("sessions={ended}");
        self.audit(
            AuditKind::PasswordChanged,
            Some(&account.id),
            ip,
            Some(&detail),
        )
        .await;
        self.notify(&changed, MessageKind::PasswordChanged).await;
        Ok(ended)
    }
}
