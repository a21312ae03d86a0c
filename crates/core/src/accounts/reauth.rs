//! Fresh proof of identity for sensitive changes of one's own account (OWASP ASVS 4.0
//! V3.7.1; NIST SP 800-63B §7.2 on re-authentication). Changing the password or a
//! contact, turning a second factor off, new recovery codes, signing out the other
//! sessions and deleting the account are refused with
//! [`Error::ReauthenticationRequired`] unless the session signed in, or proved again who
//! its owner is, within [`super::AccountPolicy::reauth_window`]. The proof is the
//! password, or a code of the authenticator app when TOTP is on; every check is
//! throttled and audited like a sign-in.

use super::{Accounts, AuditKind};
use crate::crypto::PasswordCheck;
use crate::error::{Error, Result};
use crate::model::{Account, Session};

/// What the user offers as a fresh proof.
#[derive(Clone, Copy, Debug)]
pub enum Proof<'a> {
    Password(&'a str),
    Totp(&'a str),
}

impl Proof<'_> {
    fn method(self) -> &'static str {
        match self {
            Proof::Password(_) => "pwd",
            Proof::Totp(_) => "otp",
        }
    }
}

/// Which proofs an account can give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProofMethods {
    pub password: bool,
    pub totp: bool,
}

impl Accounts {
    pub async fn proof_methods(&self, account: &Account) -> Result<ProofMethods> {
        let factors = self.factors(&account.id).await?;
        Ok(ProofMethods {
            password: account.password_hash.is_some(),
            totp: factors.totp_sealed.is_some(),
        })
    }

    /// Whether the session signed in or proved its owner again within the window.
    pub async fn is_fresh(&self, session: &Session) -> Result<bool> {
        let since = self.provider.now() - self.policy.reauth_window;
        if session.auth_time >= since {
            return Ok(true);
        }
        let proved = self.provider.store.reauthenticated_at(&session.id).await?;
        Ok(proved.is_some_and(|at| at >= since))
    }

    /// `Ok` when the session's proof is fresh, else [`Error::ReauthenticationRequired`].
    pub async fn require_fresh(&self, session: &Session) -> Result<()> {
        if self.is_fresh(session).await? {
            Ok(())
        } else {
            Err(Error::ReauthenticationRequired)
        }
    }

    /// Checks a proof for the owner of `session` and, when it holds, records it on the
    /// session. A wrong proof counts as a failed sign-in of the account.
    pub async fn reauthenticate(
        &self,
        session: &Session,
        account: &Account,
        proof: Proof<'_>,
        ip: &str,
    ) -> Result<()> {
        if session.account_id != account.id {
            return Err(Error::LoginRequired);
        }
        let p = &self.provider;
        let had_failures = self.throttle_check(&account.id, ip).await?;
        let holds = match proof {
            Proof::Password(password) => matches!(
                p.verify_password(password, account.password_hash.as_deref())
                    .await?,
                PasswordCheck::Valid { .. }
            ),
            Proof::Totp(code) => self.check_totp(&account.id, code.trim()).await?,
        };
        if !holds {
            self.failed(&account.id, Some(&account.id), ip, proof.method())
                .await?;
            return Err(match proof {
                Proof::Password(_) => Error::InvalidCredentials,
                Proof::Totp(_) => Error::OneTimeCodeInvalid,
            });
        }
        if had_failures {
            self.throttle_pass(&account.id).await?;
        }
        if !p.store.mark_reauthenticated(&session.id, p.now()).await? {
            return Err(Error::LoginRequired);
        }
        self.audit(
            AuditKind::Reauthenticated,
            Some(&account.id),
            ip,
            Some(proof.method()),
        )
        .await;
        Ok(())
    }
}
