//! Registration: a phone or an e-mail verified by a one-time code before the account
//! exists, a password (checked against the policy and hashed once, up front), a display
//! name and the acceptance of the terms. A contact that is taken already gets the same
//! answer and the same code page; that it is taken is only said once the code proved
//! the user owns it. The new user then continues the authorization request.

use super::delivery::MessageKind;
use super::{Accounts, AuditKind, Contact, SignedIn};
use crate::error::{Error, Result};
use crate::model::ChallengePurpose;
use crate::model::{Account, Profile};
use crate::store::StoreError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug)]
pub struct Registration {
    pub contact: String,
    pub password: String,
    pub name: String,
    pub terms: bool,
    pub locale: String,
}

/// What waits in the challenge until the code is right.
#[derive(Serialize, Deserialize)]
struct Draft {
    name: String,
    password_hash: String,
}

impl Accounts {
    /// Validates the form, hashes the password and sends the code. Returns the challenge id.
    pub async fn start_registration(
        &self,
        form: &Registration,
        ip: &str,
        interaction_id: Option<&str>,
    ) -> Result<String> {
        if !self.policy.registration {
            return Err(Error::RegistrationClosed);
        }
        let contact = Contact::parse(&form.contact)?;
        let name = form.name.trim();
        if name.is_empty() {
            return Err(Error::NameMissing);
        }
        self.policy
            .password
            .check(&form.password, &[contact.value()])
            .map_err(Error::PasswordRejected)?;
        if !form.terms {
            return Err(Error::TermsNotAccepted);
        }
        let p = &self.provider;
        let password_hash = p.hash_password(&form.password).await?;
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::Register,
            interaction_id,
            None,
            &form.locale,
        );
        challenge.destination = Some(contact.value().to_owned());
        challenge.data = serde_json::to_value(Draft {
            name: name.to_owned(),
            password_hash,
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        // The account id is fixed now so that the code check can be keyed by it.
        challenge.account_id = Some(p.random(16));
        self.issue_code(&mut challenge, MessageKind::RegisterCode, true, ip)
            .await?;
        p.store.create_challenge(&challenge).await?;
        Ok(id)
    }

    /// Sends a new code for a registration (the caps apply).
    pub async fn resend_code(&self, id: &str, purpose: ChallengePurpose, ip: &str) -> Result<()> {
        let mut challenge = self.challenge(id, purpose).await?;
        let kind = match purpose {
            ChallengePurpose::Register => MessageKind::RegisterCode,
            ChallengePurpose::Reset => MessageKind::ResetCode,
            _ => MessageKind::SignInCode,
        };
        let deliver = match purpose {
            ChallengePurpose::Register => true,
            _ => challenge.account_id.is_some(),
        };
        self.issue_code(&mut challenge, kind, deliver, ip).await?;
        self.provider.store.update_challenge(&challenge).await?;
        Ok(())
    }

    /// Checks the code and creates the account with the contact verified.
    pub async fn finish_registration(&self, id: &str, code: &str, ip: &str) -> Result<SignedIn> {
        let challenge = self.challenge(id, ChallengePurpose::Register).await?;
        self.check_code(&challenge, code, ip).await?;
        let p = &self.provider;
        let draft: Draft = serde_json::from_value(challenge.data.clone())
            .map_err(|e| Error::Internal(e.to_string()))?;
        let destination = challenge
            .destination
            .clone()
            .ok_or(Error::ChallengeExpired)?;
        let contact = Contact::parse(&destination)?;
        let now = p.now();
        let mut account = Account {
            id: challenge
                .account_id
                .clone()
                .ok_or(Error::ChallengeExpired)?,
            login: destination.clone(),
            email: None,
            phone: None,
            password_hash: Some(draft.password_hash),
            profile: Profile {
                name: Some(draft.name),
                locale: (!challenge.locale.is_empty()).then(|| challenge.locale.clone()),
                ..Profile::default()
            },
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        match contact {
            Contact::Phone(phone) => {
                account.phone = Some(phone);
                account.profile.phone_number_verified = true;
            }
            Contact::Email(email) => {
                account.email = Some(email);
                account.profile.email_verified = true;
            }
        }
        match p.store.create_account(&account).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                p.store.delete_challenge(&challenge.id_hash).await?;
                return Err(Error::AlreadyRegistered);
            }
            Err(other) => return Err(other.into()),
        }
        p.store.delete_challenge(&challenge.id_hash).await?;
        self.audit(
            AuditKind::Registered,
            Some(&account.id),
            ip,
            Some(contact_kind(&destination)),
        )
        .await;
        self.start(
            &account,
            vec!["pwd".into()],
            challenge.interaction_id.as_deref(),
            ip,
        )
        .await
    }
}

fn contact_kind(destination: &str) -> &'static str {
    super::Channel::of(destination).as_str()
}
