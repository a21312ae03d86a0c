//! What a signed-in user changes about their own sign-in (`/account/security`): TOTP
//! enrolment (a secret shown as a QR code and a manual key, confirmed by a first code),
//! SMS as a second factor, and new recovery codes. Turning a factor off and new
//! recovery codes need a fresh proof of identity (`reauth`). Recovery codes are shown once: they
//! wait, sealed, in a short-lived challenge that the page reads and deletes.

use super::totp::{SECRET_LEN, Totp, totp_uri};
use super::{Accounts, AuditKind, Factors, MessageKind};
use crate::error::{Error, Result};
use crate::model::ChallengePurpose;
use crate::model::{Account, Session};

/// The security page's view of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityOverview {
    pub totp: bool,
    pub sms: bool,
    pub phone_verified: bool,
    pub recovery_left: i64,
    /// Sign-in by phone + SMS code is allowed.
    pub phone_sign_in: bool,
}

/// A TOTP secret waiting for its first code.
#[derive(Clone, Debug)]
pub struct TotpEnrolment {
    pub challenge: String,
    pub manual_key: String,
    pub uri: String,
}

impl Accounts {
    pub async fn security_overview(&self, account: &Account) -> Result<SecurityOverview> {
        let factors = self.factors(&account.id).await?;
        Ok(SecurityOverview {
            totp: factors.totp_sealed.is_some(),
            sms: factors.sms,
            phone_verified: account.phone.is_some() && account.profile.phone_number_verified,
            phone_sign_in: !factors.phone_sign_in_off,
            recovery_left: self
                .provider
                .store
                .unused_recovery_codes(&account.id)
                .await?,
        })
    }

    /// A new TOTP secret for the account, kept sealed in a challenge until confirmed.
    pub async fn begin_totp(&self, account: &Account) -> Result<TotpEnrolment> {
        let secret: [u8; SECRET_LEN] = crate::crypto::random_bytes(self.provider.rng.as_ref());
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::EnrolTotp,
            None,
            Some(account.id.clone()),
            "",
        );
        let sealed = self.seal(&secret, &challenge.id_hash);
        challenge.data = serde_json::json!({ "sealed": crate::crypto::b64url(&sealed) });
        self.provider.store.create_challenge(&challenge).await?;
        self.totp_enrolment(&id, account).await
    }

    /// The pending enrolment `id` of the account (for the page after the redirect).
    pub async fn totp_enrolment(&self, id: &str, account: &Account) -> Result<TotpEnrolment> {
        let totp = self.pending_totp(id, account).await?.1;
        let label = account
            .email
            .as_deref()
            .or(account.phone.as_deref())
            .unwrap_or(&account.login);
        Ok(TotpEnrolment {
            challenge: id.to_owned(),
            manual_key: totp.manual_key(),
            uri: totp_uri(&totp, &self.policy.operator, label),
        })
    }

    async fn pending_totp(&self, id: &str, account: &Account) -> Result<(super::Challenge, Totp)> {
        let challenge = self.challenge(id, ChallengePurpose::EnrolTotp).await?;
        if challenge.account_id.as_deref() != Some(&account.id) {
            return Err(Error::ChallengeExpired);
        }
        let sealed = challenge
            .data
            .get("sealed")
            .and_then(|s| s.as_str())
            .and_then(|s| crate::crypto::b64url_decode(s).ok())
            .ok_or(Error::ChallengeExpired)?;
        let secret = self.open(&sealed, &challenge.id_hash)?;
        Ok((challenge, Totp::new(secret)))
    }

    /// Confirms an enrolment with its first code: TOTP is on, ten new recovery codes are
    /// made. Returns the id under which the codes can be shown once.
    pub async fn confirm_totp(
        &self,
        id: &str,
        account: &Account,
        code: &str,
        ip: &str,
    ) -> Result<String> {
        let (challenge, totp) = self.pending_totp(id, account).await?;
        let had_failures = self.throttle_check(&account.id, ip).await?;
        let p = &self.provider;
        let Some(step) = totp.verify(code, p.now(), None) else {
            self.failed(&account.id, Some(&account.id), ip, "otp")
                .await?;
            return Err(Error::OneTimeCodeInvalid);
        };
        if had_failures {
            self.throttle_pass(&account.id).await?;
        }
        let mut factors = self.factors(&account.id).await?;
        factors.totp_sealed = Some(self.seal(totp.secret(), &account.id));
        factors.totp_last_step = Some(step);
        factors.updated_at = p.now();
        p.store.put_factors(&factors).await?;
        p.store.delete_challenge(&challenge.id_hash).await?;
        self.audit(AuditKind::FactorEnabled, Some(&account.id), ip, Some("otp"))
            .await;
        self.recovery_codes_to_show(account, ip).await
    }

    /// Turns TOTP off: a fresh proof is required, and the owner is told.
    pub async fn disable_totp(&self, session: &Session, account: &Account, ip: &str) -> Result<()> {
        self.require_fresh(session).await?;
        let mut factors = self.factors(&account.id).await?;
        factors.totp_sealed = None;
        factors.totp_last_step = None;
        self.save_factors(factors, account, ip, "otp", false)
            .await?;
        self.notify(account, MessageKind::FactorDisabled).await;
        Ok(())
    }

    /// Turns SMS codes to the verified phone on as a second factor. Returns the id of the
    /// recovery codes to show when this is the account's first factor.
    pub async fn enable_sms_factor(&self, account: &Account, ip: &str) -> Result<Option<String>> {
        if !(account.phone.is_some() && account.profile.phone_number_verified) {
            return Err(Error::FactorUnavailable);
        }
        let mut factors = self.factors(&account.id).await?;
        let first = !factors.any();
        factors.sms = true;
        self.save_factors(factors, account, ip, "sms", true).await?;
        if first {
            return Ok(Some(self.recovery_codes_to_show(account, ip).await?));
        }
        Ok(None)
    }

    /// Turns the SMS factor off: a fresh proof is required, and the owner is told.
    pub async fn disable_sms_factor(
        &self,
        session: &Session,
        account: &Account,
        ip: &str,
    ) -> Result<()> {
        self.require_fresh(session).await?;
        let mut factors = self.factors(&account.id).await?;
        factors.sms = false;
        self.save_factors(factors, account, ip, "sms", false)
            .await?;
        self.notify(account, MessageKind::FactorDisabled).await;
        Ok(())
    }

    /// Sign-in by phone + SMS code on or off for the account.
    pub async fn set_phone_sign_in(&self, account: &Account, on: bool, ip: &str) -> Result<()> {
        let mut factors = self.factors(&account.id).await?;
        factors.phone_sign_in_off = !on;
        factors.updated_at = self.provider.now();
        self.provider.store.put_factors(&factors).await?;
        let kind = if on {
            AuditKind::FactorEnabled
        } else {
            AuditKind::FactorDisabled
        };
        self.audit(kind, Some(&account.id), ip, Some("phone_sign_in"))
            .await;
        Ok(())
    }

    /// Ten new recovery codes in place of the old ones: a fresh proof is required.
    pub async fn regenerate_recovery_codes(
        &self,
        session: &Session,
        account: &Account,
        ip: &str,
    ) -> Result<String> {
        self.require_fresh(session).await?;
        self.recovery_codes_to_show(account, ip).await
    }

    async fn save_factors(
        &self,
        mut factors: Factors,
        account: &Account,
        ip: &str,
        what: &str,
        on: bool,
    ) -> Result<()> {
        factors.updated_at = self.provider.now();
        self.provider.store.put_factors(&factors).await?;
        let kind = if on {
            AuditKind::FactorEnabled
        } else {
            AuditKind::FactorDisabled
        };
        self.audit(kind, Some(&account.id), ip, Some(what)).await;
        Ok(())
    }

    /// New recovery codes, parked sealed in a challenge for one showing.
    pub(crate) async fn recovery_codes_to_show(
        &self,
        account: &Account,
        ip: &str,
    ) -> Result<String> {
        let codes = self.issue_recovery_codes(&account.id).await?;
        self.audit(AuditKind::RecoveryCodesIssued, Some(&account.id), ip, None)
            .await;
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::EnrolTotp,
            None,
            Some(account.id.clone()),
            "",
        );
        let sealed = self.seal(codes.join(" ").as_bytes(), &challenge.id_hash);
        challenge.data = serde_json::json!({ "codes": crate::crypto::b64url(&sealed) });
        challenge.expires_at = challenge.created_at + 600;
        self.provider.store.create_challenge(&challenge).await?;
        Ok(id)
    }

    /// The recovery codes parked under `id`, once: they are deleted as they are read.
    pub async fn take_recovery_codes(&self, id: &str, account: &Account) -> Result<Vec<String>> {
        let challenge = self.challenge(id, ChallengePurpose::EnrolTotp).await?;
        if challenge.account_id.as_deref() != Some(&account.id) {
            return Err(Error::ChallengeExpired);
        }
        let sealed = challenge
            .data
            .get("codes")
            .and_then(|s| s.as_str())
            .and_then(|s| crate::crypto::b64url_decode(s).ok())
            .ok_or(Error::ChallengeExpired)?;
        let text = self.open(&sealed, &challenge.id_hash)?;
        self.provider
            .store
            .delete_challenge(&challenge.id_hash)
            .await?;
        Ok(String::from_utf8_lossy(&text)
            .split(' ')
            .map(str::to_owned)
            .collect())
    }
}
