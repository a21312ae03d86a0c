//! Password reset by a one-time code sent to the verified phone or e-mail (NIST SP
//! 800-63B §6.1.2.3). Stages: the code; then the second factor when the account has one
//! (a reset never skips it, and an SMS second factor does not count when the code went
//! by SMS already); then the new password. Finishing ends every session of the account
//! and revokes its grants and refresh tokens. Unknown contacts get the same pages.

use super::delivery::MessageKind;
use super::{Accounts, AuditKind, Contact, SecondFactorMethod};
use crate::error::{Error, Result};
use crate::model::ChallengePurpose;

/// Where a reset stands after its code was right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResetStage {
    SecondFactor(Vec<SecondFactorMethod>),
    ChoosePassword,
}

impl Accounts {
    pub async fn start_reset(
        &self,
        contact: &str,
        ip: &str,
        locale: &str,
        interaction_id: Option<&str>,
    ) -> Result<String> {
        let contact = Contact::parse(contact)?;
        let p = &self.provider;
        let account = p
            .store
            .find_account(contact.value())
            .await?
            .filter(|a| !a.disabled && contact.verified_on(a));
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::Reset,
            interaction_id,
            account.as_ref().map(|a| a.id.clone()),
            locale,
        );
        challenge.destination = Some(contact.value().to_owned());
        challenge.data = serde_json::json!({ "stage": "code" });
        self.issue_code(
            &mut challenge,
            MessageKind::ResetCode,
            account.is_some(),
            ip,
        )
        .await?;
        p.store.create_challenge(&challenge).await?;
        Ok(id)
    }

    pub async fn verify_reset_code(&self, id: &str, code: &str, ip: &str) -> Result<ResetStage> {
        let mut challenge = self.challenge(id, ChallengePurpose::Reset).await?;
        if stage(&challenge) != "code" {
            return Err(Error::ChallengeExpired);
        }
        self.check_code(&challenge, code, ip).await?;
        let account = self.account_of(&challenge).await?;
        let by_sms = challenge
            .destination
            .as_deref()
            .is_some_and(|d| !d.contains('@'));
        let methods: Vec<_> = self
            .second_factor_methods(&account)
            .await?
            .into_iter()
            .filter(|m| !(by_sms && *m == SecondFactorMethod::Sms))
            .collect();
        challenge.amr = vec![if by_sms { "sms" } else { "email" }.into()];
        challenge.code_hash = None;
        let next = if self.second_factor_methods(&account).await?.is_empty() {
            challenge.data["stage"] = "password".into();
            ResetStage::ChoosePassword
        } else {
            challenge.data["stage"] = "factor".into();
            ResetStage::SecondFactor(methods)
        };
        self.provider.store.update_challenge(&challenge).await?;
        Ok(next)
    }

    /// The stage of a reset, for its page.
    pub async fn reset_stage(&self, id: &str) -> Result<(String, Vec<SecondFactorMethod>)> {
        let challenge = self.challenge(id, ChallengePurpose::Reset).await?;
        let stage = stage(&challenge).to_owned();
        let methods = if stage == "factor" {
            let account = self.account_of(&challenge).await?;
            let by_sms = challenge.amr.iter().any(|m| m == "sms");
            self.second_factor_methods(&account)
                .await?
                .into_iter()
                .filter(|m| !(by_sms && *m == SecondFactorMethod::Sms))
                .collect()
        } else {
            Vec::new()
        };
        Ok((stage, methods))
    }

    /// Sets the new password, ends every session and revokes every grant. Returns the
    /// interaction to continue (the user signs in again with the new password).
    pub async fn finish_reset(&self, id: &str, password: &str, ip: &str) -> Result<Option<String>> {
        let challenge = self.challenge(id, ChallengePurpose::Reset).await?;
        if stage(&challenge) != "password" {
            return Err(Error::ChallengeExpired);
        }
        let mut account = self.account_of(&challenge).await?;
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
            .check(password, &identifiers)
            .map_err(Error::PasswordRejected)?;
        let p = &self.provider;
        let hash = p.hash_password(password).await?;
        let now = p.now();
        account.password_hash = Some(hash);
        account.updated_at = now;
        p.store.update_account(&account).await?;
        p.store.delete_challenge(&challenge.id_hash).await?;
        let sessions = p.store.end_account_sessions(&account.id, now).await?;
        let grants = p.store.revoke_account_grants(&account.id, now).await?;
        let detail = format!("sessions={sessions} grants={grants}");
        self.audit(
            AuditKind::PasswordReset,
            Some(&account.id),
            ip,
            Some(&detail),
        )
        .await;
        Ok(challenge.interaction_id)
    }
}

fn stage(challenge: &super::Challenge) -> &str {
    challenge
        .data
        .get("stage")
        .and_then(|s| s.as_str())
        .unwrap_or("")
}
