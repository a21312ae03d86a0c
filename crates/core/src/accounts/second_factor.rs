//! The second step of a sign-in (and of a reset): a TOTP code, an SMS code to the
//! verified phone, a passkey (`passkeys`), or a recovery code. Each check is throttled per account and per IP;
//! a TOTP code is refused the second time (its step is recorded atomically).

use super::delivery::MessageKind;
use super::totp::Totp;
use super::{Accounts, AuditKind, Factors, SignInOutcome};
use crate::error::{Error, Result};
use crate::model::Account;
use crate::model::{Challenge, ChallengePurpose};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorMethod {
    Totp,
    Sms,
    /// A passkey of the account (checked by `passkeys`, not with a code).
    Passkey,
    Recovery,
}

impl SecondFactorMethod {
    /// The RFC 8176 `amr` value.
    pub fn amr(self) -> &'static str {
        match self {
            Self::Totp => "otp",
            Self::Sms => "sms",
            Self::Passkey => "hwk",
            Self::Recovery => "otp",
        }
    }

    /// Whether a factor already used (its `amr` values) makes this one pointless.
    pub fn done_by(self, amr: &[String]) -> bool {
        match self {
            Self::Passkey => amr.iter().any(|m| m == "hwk" || m == "swk"),
            other => amr.iter().any(|m| m == other.amr()),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "totp" => Some(Self::Totp),
            "sms" => Some(Self::Sms),
            "passkey" => Some(Self::Passkey),
            "recovery" => Some(Self::Recovery),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Sms => "sms",
            Self::Passkey => "passkey",
            Self::Recovery => "recovery",
        }
    }
}

impl Accounts {
    pub(crate) async fn factors(&self, account_id: &str) -> Result<Factors> {
        Ok(self
            .provider
            .store
            .get_factors(account_id)
            .await?
            .unwrap_or_else(|| Factors {
                account_id: account_id.to_owned(),
                ..Factors::default()
            }))
    }

    /// The second factors the account has; recovery codes count only beside another.
    pub async fn second_factor_methods(
        &self,
        account: &Account,
    ) -> Result<Vec<SecondFactorMethod>> {
        let factors = self.factors(&account.id).await?;
        let mut methods = Vec::new();
        if factors.totp_sealed.is_some() {
            methods.push(SecondFactorMethod::Totp);
        }
        if factors.sms && account.phone.is_some() && account.profile.phone_number_verified {
            methods.push(SecondFactorMethod::Sms);
        }
        if !self.passkeys(&account.id).await?.is_empty() {
            methods.push(SecondFactorMethod::Passkey);
        }
        if !methods.is_empty() {
            methods.push(SecondFactorMethod::Recovery);
        }
        Ok(methods)
    }

    /// Step-up: a second-factor step for the account of a live `session` that signed in
    /// with fewer factors than interaction `interaction_id` needs. The factors already
    /// used count as done; `None` when the account has no other factor to offer.
    pub async fn start_step_up(
        &self,
        session: &crate::model::Session,
        interaction_id: &str,
    ) -> Result<Option<String>> {
        let p = &self.provider;
        let account = p
            .store
            .get_account(&session.account_id)
            .await?
            .filter(|a| !a.disabled)
            .ok_or(Error::AccountUnavailable)?;
        let done: Vec<String> = session
            .amr
            .iter()
            .filter(|m| *m != "mfa")
            .cloned()
            .collect();
        let methods = self.second_factor_methods(&account).await?;
        let offered = methods
            .iter()
            .any(|m| *m != SecondFactorMethod::Recovery && !done.iter().any(|d| d == m.amr()));
        if !offered {
            return Ok(None);
        }
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::SecondFactor,
            Some(interaction_id),
            Some(account.id.clone()),
            "",
        );
        challenge.amr = done;
        p.store.create_challenge(&challenge).await?;
        Ok(Some(id))
    }

    /// Sends an SMS code for the second step of a sign-in or reset.
    pub async fn send_second_factor_sms(&self, id: &str, ip: &str, locale: &str) -> Result<()> {
        let mut challenge = self.second_step(id).await?;
        let account = self.account_of(&challenge).await?;
        if !self
            .second_factor_methods(&account)
            .await?
            .contains(&SecondFactorMethod::Sms)
            || challenge.amr.iter().any(|m| m == "sms")
        {
            return Err(Error::FactorUnavailable);
        }
        challenge.destination = account.phone.clone();
        challenge.locale = locale.to_owned();
        self.issue_code(&mut challenge, MessageKind::SecondFactorCode, true, ip)
            .await?;
        self.provider.store.update_challenge(&challenge).await?;
        Ok(())
    }

    /// The methods the second step `id` offers (an SMS code is not offered when the
    /// first step was one already).
    pub async fn pending_second_factor(&self, id: &str) -> Result<Vec<SecondFactorMethod>> {
        let challenge = self.second_step(id).await?;
        let account = self.account_of(&challenge).await?;
        let by_sms = challenge.amr.iter().any(|m| m == "sms");
        Ok(self
            .second_factor_methods(&account)
            .await?
            .into_iter()
            .filter(|m| !(by_sms && *m == SecondFactorMethod::Sms))
            .collect())
    }

    /// A second-factor step: of a sign-in, or of a reset whose code was right.
    pub(crate) async fn second_step(&self, id: &str) -> Result<Challenge> {
        match self.challenge(id, ChallengePurpose::SecondFactor).await {
            Err(Error::ChallengeExpired) => {
                let reset = self.challenge(id, ChallengePurpose::Reset).await?;
                if reset.data.get("stage").and_then(|s| s.as_str()) == Some("factor") {
                    Ok(reset)
                } else {
                    Err(Error::ChallengeExpired)
                }
            }
            other => other,
        }
    }

    /// Checks the second factor. For a sign-in this starts the session; for a reset it
    /// lets the user choose the new password (the result is then `None`).
    pub async fn finish_second_factor(
        &self,
        id: &str,
        method: SecondFactorMethod,
        code: &str,
        ip: &str,
    ) -> Result<Option<SignInOutcome>> {
        let challenge = self.second_step(id).await?;
        let account = self.account_of(&challenge).await?;
        if !self
            .second_factor_methods(&account)
            .await?
            .contains(&method)
            || (method == SecondFactorMethod::Sms && challenge.amr.iter().any(|m| m == "sms"))
            || method == SecondFactorMethod::Passkey
        {
            return Err(Error::FactorUnavailable);
        }
        self.verify_factor(&account, &challenge, method, code, ip)
            .await?;
        self.second_factor_passed(challenge, &account, method.amr(), ip)
            .await
    }

    /// After a second factor (`amr`) passed: a sign-in starts its session; a reset goes
    /// on to the new password (`None`).
    pub(crate) async fn second_factor_passed(
        &self,
        mut challenge: Challenge,
        account: &Account,
        amr: &str,
        ip: &str,
    ) -> Result<Option<SignInOutcome>> {
        let p = &self.provider;
        challenge.amr.push(amr.to_owned());
        if challenge.purpose == ChallengePurpose::Reset {
            challenge.data["stage"] = "password".into();
            challenge.code_hash = None;
            p.store.update_challenge(&challenge).await?;
            return Ok(None);
        }
        p.store.delete_challenge(&challenge.id_hash).await?;
        let signed_in = self
            .start(
                account,
                challenge.amr,
                challenge.interaction_id.as_deref(),
                ip,
            )
            .await?;
        Ok(Some(SignInOutcome::SignedIn(signed_in)))
    }

    async fn verify_factor(
        &self,
        account: &Account,
        challenge: &Challenge,
        method: SecondFactorMethod,
        code: &str,
        ip: &str,
    ) -> Result<()> {
        if method == SecondFactorMethod::Sms {
            return self.check_code(challenge, code, ip).await;
        }
        let had_failures = self.throttle_check(&account.id, ip).await?;
        let ok = match method {
            SecondFactorMethod::Totp => self.check_totp(&account.id, code).await?,
            SecondFactorMethod::Recovery => {
                let used = self.use_recovery_code(&account.id, code).await?;
                if used {
                    self.audit(AuditKind::RecoveryCodeUsed, Some(&account.id), ip, None)
                        .await;
                }
                used
            }
            SecondFactorMethod::Sms | SecondFactorMethod::Passkey => false,
        };
        if !ok {
            self.failed(&account.id, Some(&account.id), ip, method.amr())
                .await?;
            return Err(Error::OneTimeCodeInvalid);
        }
        if had_failures {
            self.throttle_pass(&account.id).await?;
        }
        Ok(())
    }

    /// A TOTP code for the account, accepted once (the step is recorded atomically).
    pub(crate) async fn check_totp(&self, account_id: &str, code: &str) -> Result<bool> {
        let p = &self.provider;
        let factors = self.factors(account_id).await?;
        let Some(sealed) = &factors.totp_sealed else {
            return Ok(false);
        };
        let secret = self
            .factor_key
            .open(sealed, account_id.as_bytes())
            .map_err(|_| Error::Internal("TOTP secret cannot be opened".into()))?;
        let Some(step) = Totp::new(secret).verify(code, p.now(), factors.totp_last_step) else {
            return Ok(false);
        };
        Ok(p.store.use_totp_step(account_id, step).await?)
    }

    pub(crate) fn seal(&self, plaintext: &[u8], aad: &str) -> Vec<u8> {
        self.factor_key
            .seal(self.provider.rng.as_ref(), plaintext, aad.as_bytes())
    }

    pub(crate) fn open(&self, sealed: &[u8], aad: &str) -> Result<Vec<u8>> {
        self.factor_key
            .open(sealed, aad.as_bytes())
            .map_err(|_| Error::Internal("sealed factor data cannot be opened".into()))
    }
}
