//! The user's own profile (`/account/profile`): names (given, family, middle — the
//! patronymic —, nickname) and the preferred language, which feed the standard claims of
//! ID tokens and userinfo (OIDC Core §5.1: `given_name`, `family_name`, `middle_name`,
//! `nickname`, `locale`, `updated_at`); and a new e-mail or phone, used only once the code
//! sent to it is entered (then `email_verified` / `phone_number_verified` hold), after a
//! fresh proof, with the old contact told of the change.

use super::{Accounts, AuditKind, Contact, MessageKind};
use crate::error::{Error, Result};
use crate::model::{Account, ChallengePurpose, Session};
use crate::store::StoreError;

/// The longest name field, in characters.
pub const NAME_MAX: usize = 100;

/// The names and language a user submits.
#[derive(Clone, Debug, Default)]
pub struct ProfileEdit {
    pub given_name: String,
    pub family_name: String,
    pub middle_name: String,
    pub nickname: String,
    pub locale: String,
}

/// A field of [`ProfileEdit`] that was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileField {
    GivenName,
    FamilyName,
    MiddleName,
    Nickname,
    Locale,
}

fn field(value: &str, which: ProfileField) -> std::result::Result<Option<String>, ProfileField> {
    let value = value.trim();
    if value.chars().count() > NAME_MAX || value.chars().any(char::is_control) {
        return Err(which);
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

impl Accounts {
    /// Saves names and language; `Err(Ok(field))` names the refused field.
    pub async fn update_profile(
        &self,
        account: &Account,
        edit: &ProfileEdit,
        ip: &str,
    ) -> Result<std::result::Result<Account, ProfileField>> {
        let checked = (|| {
            let given = field(&edit.given_name, ProfileField::GivenName)?;
            let family = field(&edit.family_name, ProfileField::FamilyName)?;
            let middle = field(&edit.middle_name, ProfileField::MiddleName)?;
            let nickname = field(&edit.nickname, ProfileField::Nickname)?;
            let locale = match edit.locale.trim() {
                "" => None,
                tag => Some(
                    self.policy
                        .texts
                        .find(tag)
                        .ok_or(ProfileField::Locale)?
                        .code()
                        .to_owned(),
                ),
            };
            Ok((given, family, middle, nickname, locale))
        })();
        let (given, family, middle, nickname, locale) = match checked {
            Ok(values) => values,
            Err(which) => return Ok(Err(which)),
        };
        let mut changed = account.clone();
        let full: Vec<&str> = [given.as_deref(), middle.as_deref(), family.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !full.is_empty() {
            changed.profile.name = Some(full.join(" "));
        }
        changed.profile.given_name = given;
        changed.profile.family_name = family;
        changed.profile.middle_name = middle;
        changed.profile.nickname = nickname;
        changed.profile.locale = locale;
        changed.updated_at = self.provider.now();
        self.provider.store.update_account(&changed).await?;
        self.audit(AuditKind::ProfileChanged, Some(&account.id), ip, None)
            .await;
        Ok(Ok(changed))
    }

    /// Sends a code to a new e-mail or phone (a fresh proof is required). Returns the id
    /// of the challenge the code page confirms.
    pub async fn start_contact_change(
        &self,
        session: &Session,
        account: &Account,
        new: &str,
        ip: &str,
    ) -> Result<String> {
        self.require_fresh(session).await?;
        let contact = Contact::parse(new)?;
        let current = match &contact {
            Contact::Email(_) => account.email.as_deref(),
            Contact::Phone(_) => account.phone.as_deref(),
        };
        if current == Some(contact.value()) {
            return Err(Error::ContactInvalid);
        }
        let locale = account.profile.locale.clone().unwrap_or_default();
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::ChangeContact,
            None,
            Some(account.id.clone()),
            &locale,
        );
        challenge.destination = Some(contact.value().to_owned());
        self.issue_code(&mut challenge, MessageKind::ContactCode, true, ip)
            .await?;
        self.provider.store.create_challenge(&challenge).await?;
        Ok(id)
    }

    /// The new contact waiting under `id` for its code (for the code page).
    pub async fn pending_contact(&self, id: &str, account: &Account) -> Result<String> {
        let challenge = self.challenge(id, ChallengePurpose::ChangeContact).await?;
        if challenge.account_id.as_deref() != Some(&account.id) {
            return Err(Error::ChallengeExpired);
        }
        challenge.destination.ok_or(Error::ChallengeExpired)
    }

    /// The code proves the new contact: it replaces the old one, verified; the old one is
    /// told.
    pub async fn finish_contact_change(
        &self,
        id: &str,
        account: &Account,
        code: &str,
        ip: &str,
    ) -> Result<Account> {
        let challenge = self.challenge(id, ChallengePurpose::ChangeContact).await?;
        if challenge.account_id.as_deref() != Some(&account.id) {
            return Err(Error::ChallengeExpired);
        }
        self.check_code(&challenge, code, ip).await?;
        let new = challenge
            .destination
            .clone()
            .ok_or(Error::ChallengeExpired)?;
        let mut changed = account.clone();
        let (old, channel) = match Contact::parse(&new)? {
            Contact::Email(value) => {
                changed.profile.email_verified = true;
                (changed.email.replace(value), "email")
            }
            Contact::Phone(value) => {
                changed.profile.phone_number_verified = true;
                (changed.phone.replace(value), "phone")
            }
        };
        changed.updated_at = self.provider.now();
        match self.provider.store.update_account(&changed).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(Error::AlreadyRegistered),
            Err(other) => return Err(other.into()),
        }
        self.provider
            .store
            .delete_challenge(&challenge.id_hash)
            .await?;
        self.audit(
            AuditKind::ContactChanged,
            Some(&account.id),
            ip,
            Some(channel),
        )
        .await;
        if let Some(old) = old {
            self.notify_to(&changed, &old, MessageKind::ContactChanged)
                .await;
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_printable() {
        assert_eq!(
            field("  Иван ", ProfileField::GivenName),
            Ok(Some("Иван".into()))
        );
        assert_eq!(field("   ", ProfileField::GivenName), Ok(None));
        let long = "я".repeat(NAME_MAX + 1);
        assert_eq!(
            field(&long, ProfileField::Nickname),
            Err(ProfileField::Nickname)
        );
        assert_eq!(
            field("a\u{0}b", ProfileField::FamilyName),
            Err(ProfileField::FamilyName)
        );
    }
}
