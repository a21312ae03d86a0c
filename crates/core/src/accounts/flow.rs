//! Signing in: login (or e-mail, or phone) + password, and phone + SMS code without a
//! password; then a second factor when the account has one (OIDC Core §2 `acr`/`amr`,
//! RFC 8176 values `pwd`, `sms`, `otp`, `mfa`). Every check is throttled; unknown
//! accounts take the same path, the same time and get the same answer as known ones.

use super::delivery::{Message, MessageKind};
use super::{Accounts, AuditKind, SecondFactorMethod};
use crate::authorize::{ACR_MFA, ACR_PASSWORD};
use crate::crypto::{PasswordCheck, constant_time_eq};
use crate::error::{Error, Result};
use crate::identifier::{normalize_email, normalize_identifier, normalize_phone};
use crate::model::{Account, Session};
use crate::model::{Challenge, ChallengePurpose, Channel};

/// A phone number or an e-mail address, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    Phone(String),
    Email(String),
}

impl Contact {
    pub fn parse(text: &str) -> Result<Self> {
        if text.contains('@') {
            normalize_email(text)
                .map(Self::Email)
                .map_err(|_| Error::ContactInvalid)
        } else {
            normalize_phone(text)
                .map(Self::Phone)
                .map_err(|_| Error::ContactInvalid)
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::Phone(v) | Self::Email(v) => v,
        }
    }

    /// Whether the account has this contact and it is verified.
    pub fn verified_on(&self, account: &Account) -> bool {
        match self {
            Self::Phone(p) => {
                account.phone.as_deref() == Some(p) && account.profile.phone_number_verified
            }
            Self::Email(e) => account.email.as_deref() == Some(e) && account.profile.email_verified,
        }
    }
}

/// A finished sign-in: the new session and the secret for its cookie.
#[derive(Debug)]
pub struct SignedIn {
    pub session: Session,
    pub secret: String,
    pub interaction_id: Option<String>,
}

#[derive(Debug)]
pub enum SignInOutcome {
    SignedIn(SignedIn),
    /// The first factor is done; a second is due on the challenge page.
    SecondFactor {
        challenge: String,
        methods: Vec<SecondFactorMethod>,
    },
}

impl Accounts {
    /// Login (or e-mail, or phone) + password. One argon2id run whatever the outcome.
    pub async fn sign_in_password(
        &self,
        identifier: &str,
        password: &str,
        ip: &str,
        interaction_id: Option<&str>,
    ) -> Result<SignInOutcome> {
        let account = self.check_password(identifier, password, ip).await?;
        self.first_factor_done(account, vec!["pwd".into()], interaction_id, ip)
            .await
    }

    /// The account whose login, e-mail or phone and password these are, checked under
    /// the throttle (per account key and per address); a failure is counted and audited,
    /// a success clears the account's failures and upgrades an old password hash.
    pub(crate) async fn check_password(
        &self,
        identifier: &str,
        password: &str,
        ip: &str,
    ) -> Result<Account> {
        let p = &self.provider;
        let identifier = normalize_identifier(identifier);
        let account = p.store.find_account(&identifier).await?;
        let key = account
            .as_ref()
            .map_or(identifier.as_str(), |a| a.id.as_str());
        let had_failures = self.throttle_check(key, ip).await?;
        let live = account.as_ref().filter(|a| !a.disabled);
        let hash = live.and_then(|a| a.password_hash.as_deref());
        let check = p.verify_password(password, hash).await?;
        let Some(account) = live.filter(|_| matches!(check, PasswordCheck::Valid { .. })) else {
            self.failed(key, account.as_ref().map(|a| a.id.as_str()), ip, "pwd")
                .await?;
            return Err(Error::InvalidCredentials);
        };
        if had_failures {
            self.throttle_pass(key).await?;
        }
        if let PasswordCheck::Valid { needs_rehash: true } = check {
            self.rehash(account.clone(), password, ip).await;
        }
        Ok(account.clone())
    }

    /// Counts a failed check, audits it and, when it locked the key, the lockout.
    pub(crate) async fn failed(
        &self,
        key: &str,
        account_id: Option<&str>,
        ip: &str,
        method: &str,
    ) -> Result<()> {
        let locked = self.throttle_fail(key, ip).await?;
        self.audit(AuditKind::SignInFailed, account_id, ip, Some(method))
            .await;
        if locked {
            self.audit(AuditKind::Lockout, account_id, ip, Some(method))
                .await;
        }
        Ok(())
    }

    async fn rehash(&self, mut account: Account, password: &str, ip: &str) {
        let p = &self.provider;
        if let Ok(hash) = p.hash_password(password).await {
            account.password_hash = Some(hash);
            account.updated_at = p.now();
            match p.store.update_account(&account).await {
                Ok(()) => {
                    self.audit(AuditKind::PasswordRehashed, Some(&account.id), ip, None)
                        .await
                }
                Err(error) => tracing::warn!(%error, "password rehash not stored"),
            }
        }
    }

    /// Phone + SMS code: sends a code when the phone belongs to an account and answers
    /// the same either way. Returns the challenge id for the code page.
    pub async fn start_code_sign_in(
        &self,
        phone: &str,
        ip: &str,
        locale: &str,
        interaction_id: Option<&str>,
    ) -> Result<String> {
        let phone = normalize_phone(phone).map_err(|_| Error::ContactInvalid)?;
        let account = self.provider.store.find_account(&phone).await?;
        let mut account = account.filter(|a| {
            !a.disabled && a.phone.as_deref() == Some(&phone) && a.profile.phone_number_verified
        });
        if let Some(found) = &account
            && self.factors(&found.id).await?.phone_sign_in_off
        {
            // Answered like an unknown phone: no code goes out.
            account = None;
        }
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::SignInCode,
            interaction_id,
            account.as_ref().map(|a| a.id.clone()),
            locale,
        );
        challenge.destination = Some(phone.clone());
        self.issue_code(
            &mut challenge,
            MessageKind::SignInCode,
            account.is_some(),
            ip,
        )
        .await?;
        self.provider.store.create_challenge(&challenge).await?;
        Ok(id)
    }

    /// Checks the SMS code of a phone sign-in.
    pub async fn finish_code_sign_in(
        &self,
        id: &str,
        code: &str,
        ip: &str,
    ) -> Result<SignInOutcome> {
        let challenge = self.challenge(id, ChallengePurpose::SignInCode).await?;
        self.check_code(&challenge, code, ip).await?;
        let account = self.account_of(&challenge).await?;
        self.provider
            .store
            .delete_challenge(&challenge.id_hash)
            .await?;
        self.first_factor_done(
            account,
            vec!["sms".into()],
            challenge.interaction_id.as_deref(),
            ip,
        )
        .await
    }

    /// After the first factor: a session, or a second-factor challenge when the account
    /// has a second factor that differs from the first.
    pub(crate) async fn first_factor_done(
        &self,
        account: Account,
        amr: Vec<String>,
        interaction_id: Option<&str>,
        ip: &str,
    ) -> Result<SignInOutcome> {
        let methods: Vec<SecondFactorMethod> = self
            .second_factor_methods(&account)
            .await?
            .into_iter()
            .filter(|m| !m.done_by(&amr))
            .collect();
        if methods.iter().any(|m| *m != SecondFactorMethod::Recovery) {
            let (id, mut challenge) = self.new_challenge(
                ChallengePurpose::SecondFactor,
                interaction_id,
                Some(account.id.clone()),
                "",
            );
            challenge.amr = amr;
            self.provider.store.create_challenge(&challenge).await?;
            return Ok(SignInOutcome::SecondFactor {
                challenge: id,
                methods,
            });
        }
        let signed_in = self.start(&account, amr, interaction_id, ip).await?;
        Ok(SignInOutcome::SignedIn(signed_in))
    }

    /// Starts the session (acr from how many distinct factors were used) and binds it to
    /// the interaction.
    pub(crate) async fn start(
        &self,
        account: &Account,
        mut amr: Vec<String>,
        interaction_id: Option<&str>,
        ip: &str,
    ) -> Result<SignedIn> {
        let p = &self.provider;
        // `user` (presence seen by a passkey) is no factor of its own.
        let mfa = amr.iter().filter(|m| *m != "user").count() > 1;
        if mfa {
            amr.push("mfa".into());
        }
        let acr = if mfa { ACR_MFA } else { ACR_PASSWORD };
        let (session, secret) = p
            .start_session(account, amr.clone(), Some(acr.into()))
            .await?;
        if let Some(id) = interaction_id {
            p.interaction_signed_in(id, &session).await?;
        }
        self.audit(
            AuditKind::SignIn,
            Some(&account.id),
            ip,
            Some(&amr.join(" ")),
        )
        .await;
        Ok(SignedIn {
            session,
            secret,
            interaction_id: interaction_id.map(str::to_owned),
        })
    }

    // --- challenges and their codes

    pub(crate) fn new_challenge(
        &self,
        purpose: ChallengePurpose,
        interaction_id: Option<&str>,
        account_id: Option<String>,
        locale: &str,
    ) -> (String, Challenge) {
        let p = &self.provider;
        let id = p.random(24);
        let now = p.now();
        let challenge = Challenge {
            id_hash: p.hasher.hash(&id),
            purpose,
            interaction_id: interaction_id.map(str::to_owned),
            account_id,
            destination: None,
            code_hash: None,
            code_expires_at: None,
            attempts: 0,
            amr: Vec::new(),
            data: serde_json::Value::Null,
            locale: locale.to_owned(),
            created_at: now,
            expires_at: now + self.policy.flow_lifetime,
        };
        (id, challenge)
    }

    /// The live challenge behind a URL id, of the expected purpose.
    pub async fn challenge(&self, id: &str, purpose: ChallengePurpose) -> Result<Challenge> {
        let p = &self.provider;
        let found = p.store.get_challenge(&p.hasher.hash(id)).await?;
        match found {
            Some(c) if c.purpose == purpose && c.expires_at > p.now() => Ok(c),
            _ => Err(Error::ChallengeExpired),
        }
    }

    /// A fresh 6-digit code for the challenge's destination, stored hashed; sent only
    /// when `deliver` (an unknown destination gets a code nobody will ever see). The
    /// send caps count either way.
    pub(crate) async fn issue_code(
        &self,
        challenge: &mut Challenge,
        kind: MessageKind,
        deliver: bool,
        ip: &str,
    ) -> Result<()> {
        let p = &self.provider;
        let destination = challenge.destination.clone().ok_or(Error::ContactInvalid)?;
        self.send_allowed(&destination, ip).await.inspect_err(|_| {
            tracing::info!(
                channel = Channel::of(&destination).as_str(),
                "code send cap reached"
            );
        })?;
        let code = six_digits(p.rng.as_ref());
        challenge.code_hash = Some(p.hasher.hash(&format!("{}\u{1f}{code}", challenge.id_hash)));
        challenge.code_expires_at = Some(p.now() + self.policy.code_lifetime);
        challenge.attempts = 0;
        if deliver {
            let locale = if challenge.locale.is_empty() {
                "ru"
            } else {
                &challenge.locale
            };
            p.enqueue_message(
                &Message {
                    kind,
                    to: &destination,
                    code: &code,
                    locale,
                    operator: &self.policy.operator,
                    minutes: (self.policy.code_lifetime + 59) / 60,
                },
                &self.policy.texts,
            )
            .await?;
            self.audit(
                AuditKind::CodeSent,
                challenge.account_id.as_deref(),
                ip,
                Some(Channel::of(&destination).as_str()),
            )
            .await;
        }
        Ok(())
    }

    /// Checks a code typed for the challenge: throttled per destination (or account)
    /// and per IP, a few attempts, 5 minutes.
    pub(crate) async fn check_code(
        &self,
        challenge: &Challenge,
        code: &str,
        ip: &str,
    ) -> Result<()> {
        let p = &self.provider;
        let key = challenge
            .account_id
            .clone()
            .or_else(|| challenge.destination.clone())
            .unwrap_or_default();
        let had_failures = self.throttle_check(&key, ip).await?;
        let (Some(hash), Some(expires)) = (&challenge.code_hash, challenge.code_expires_at) else {
            return Err(Error::OneTimeCodeExpired);
        };
        if expires <= p.now()
            || !p
                .store
                .count_challenge_attempt(&challenge.id_hash, self.policy.code_attempts)
                .await?
        {
            return Err(Error::OneTimeCodeExpired);
        }
        let code: String = code.chars().filter(char::is_ascii_digit).collect();
        let typed = p.hasher.hash(&format!("{}\u{1f}{code}", challenge.id_hash));
        if challenge.account_id.is_none() || !constant_time_eq(typed.as_bytes(), hash.as_bytes()) {
            self.failed(&key, challenge.account_id.as_deref(), ip, "code")
                .await?;
            return Err(Error::OneTimeCodeInvalid);
        }
        if had_failures {
            self.throttle_pass(&key).await?;
        }
        Ok(())
    }

    pub(crate) async fn account_of(&self, challenge: &Challenge) -> Result<Account> {
        let id = challenge
            .account_id
            .as_deref()
            .ok_or(Error::ChallengeExpired)?;
        self.provider
            .store
            .get_account(id)
            .await?
            .filter(|a| !a.disabled)
            .ok_or(Error::AccountUnavailable)
    }
}

/// A uniformly random 6-digit code (rejection sampling, no modulo bias).
pub(crate) fn six_digits(rng: &dyn crate::crypto::Rng) -> String {
    loop {
        let bytes: [u8; 4] = crate::crypto::random_bytes(rng);
        let n = u32::from_be_bytes(bytes);
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SystemRng;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let code = six_digits(&SystemRng);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn contacts_parse() {
        assert_eq!(
            Contact::parse("8 900 123-45-67").ok(),
            Some(Contact::Phone("+79001234567".into()))
        );
        assert_eq!(
            Contact::parse("A@B.ru").ok(),
            Some(Contact::Email("a@b.ru".into()))
        );
        assert!(Contact::parse("nope").is_err());
    }
}
