//! Users: search, read, create, update, block and unblock, reset of the second factor,
//! sign-out everywhere, deletion, and operator rights. Identifiers are stored normalised
//! (`crate::identifier`) so that sign-in finds them. Blocking disables the account, ends
//! its sessions as logouts do (back-channel logouts queued) and revokes its grants with
//! their refresh and access tokens at once, so its tokens stop working and it cannot sign
//! in until unblocked.

use super::{Actor, Admin, AdminError, AdminResult, Page, Subject, invalid, not_found};
use crate::accounts::LegacyHash;
use crate::identifier;
use crate::model::{Account, AuditKind, Factors, Profile};
use crate::store::StoreError;

/// The password a new user gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordSource {
    /// None: the user signs in by phone code or recovers the account.
    None,
    /// A password to hash with argon2id.
    Plain(String),
    /// A hash from another system (argon2, bcrypt or PBKDF2), stored as is.
    Hash(String),
}

/// A user to create; identifiers as typed (they are normalised here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub login: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub password: PasswordSource,
}

/// Changes to a user: a field left `None` stays; an empty e-mail, phone or name clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserChanges {
    pub login: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
}

fn login(text: &str) -> AdminResult<String> {
    identifier::normalize_login(text).map_err(|e| invalid("login", e.to_string()))
}

fn email(text: &str) -> AdminResult<String> {
    identifier::normalize_email(text).map_err(|e| invalid("email", e.to_string()))
}

fn phone(text: &str) -> AdminResult<String> {
    identifier::normalize_phone(text).map_err(|e| invalid("phone", e.to_string()))
}

fn name(text: &str) -> AdminResult<Option<String>> {
    let text = text.trim();
    if text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "at most 200 characters, no control characters",
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn taken(error: StoreError) -> AdminError {
    match error {
        StoreError::Conflict(field) => {
            AdminError::Conflict(format!("a user with this {field} already exists"))
        }
        other => other.into(),
    }
}

impl Admin {
    /// Users whose login, e-mail, phone or name contains `query`, a page after `cursor`.
    pub async fn search_users(
        &self,
        query: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> AdminResult<Page<Account>> {
        let after = cursor.map(super::decode_cursor).transpose()?;
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let mut items = self
            .provider
            .store
            .search_accounts(query, after.as_deref(), limit + 1)
            .await?;
        let more = items.len() as i64 > limit;
        items.truncate(limit.max(0) as usize);
        let next_cursor = items
            .last()
            .filter(|_| more)
            .map(|a| super::encode_cursor(&a.id));
        Ok(Page { items, next_cursor })
    }

    pub async fn user(&self, id: &str) -> AdminResult<Account> {
        self.provider
            .store
            .get_account(id)
            .await?
            .ok_or_else(|| not_found("user", id))
    }

    /// The user with this login, e-mail or phone (as typed).
    pub async fn find_user(&self, identifier: &str) -> AdminResult<Account> {
        let key = identifier::normalize_identifier(identifier);
        self.provider
            .store
            .find_account(&key)
            .await?
            .ok_or_else(|| not_found("user", identifier))
    }

    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> AdminResult<Account> {
        let p = &self.provider;
        let login = login(&new.login)?;
        let email = new.email.as_deref().map(email).transpose()?;
        let phone = new.phone.as_deref().map(phone).transpose()?;
        let name = new.name.as_deref().map(name).transpose()?.flatten();
        for identifier in [Some(&login), email.as_ref(), phone.as_ref()]
            .into_iter()
            .flatten()
        {
            if p.store.find_account(identifier).await?.is_some() {
                return Err(AdminError::Conflict(format!(
                    "a user with login, e-mail or phone `{identifier}` already exists"
                )));
            }
        }
        let password_hash = match new.password {
            PasswordSource::None => None,
            PasswordSource::Plain(password) if password.is_empty() => {
                return Err(invalid("password", "must not be empty"));
            }
            PasswordSource::Plain(password) => Some(p.hash_password(&password).await?),
            PasswordSource::Hash(hash) => {
                let hash = hash.trim();
                if !LegacyHash::importable(hash) {
                    return Err(invalid(
                        "password_hash",
                        "not a supported hash (argon2 PHC, bcrypt $2a$/$2b$/$2y$, PBKDF2 as \
                         pbkdf2_sha256$…, $pbkdf2-sha256$i=…$… or passlib $pbkdf2-sha256$N$…)",
                    ));
                }
                Some(hash.to_owned())
            }
        };
        let now = p.now();
        let account = Account {
            id: p.random(16),
            login,
            email,
            phone,
            password_hash,
            profile: Profile {
                name,
                ..Profile::default()
            },
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        p.store.create_account(&account).await.map_err(taken)?;
        let subject = Subject {
            account_id: Some(&account.id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::AccountCreated, subject)
            .await?;
        Ok(account)
    }

    pub async fn update_user(
        &self,
        actor: &Actor,
        id: &str,
        changes: UserChanges,
    ) -> AdminResult<Account> {
        let mut account = self.user(id).await?;
        let mut changed: Vec<&str> = Vec::new();
        if let Some(text) = &changes.login {
            let value = login(text)?;
            if value != account.login {
                account.login = value;
                changed.push("login");
            }
        }
        if let Some(text) = &changes.email {
            let value = (!text.trim().is_empty()).then(|| email(text)).transpose()?;
            if value != account.email {
                account.email = value;
                account.profile.email_verified = false;
                changed.push("email");
            }
        }
        if let Some(text) = &changes.phone {
            let value = (!text.trim().is_empty()).then(|| phone(text)).transpose()?;
            if value != account.phone {
                account.phone = value;
                account.profile.phone_number_verified = false;
                changed.push("phone");
            }
        }
        if let Some(text) = &changes.name {
            let value = name(text)?;
            if value != account.profile.name {
                account.profile.name = value;
                changed.push("name");
            }
        }
        if changed.is_empty() {
            return Ok(account);
        }
        account.updated_at = self.provider.now();
        self.provider
            .store
            .update_account(&account)
            .await
            .map_err(taken)?;
        let detail = changed.join(" ");
        let subject = Subject {
            account_id: Some(id),
            detail: Some(&detail),
            ..Subject::default()
        };
        self.record(actor, AuditKind::AccountUpdated, subject)
            .await?;
        Ok(account)
    }

    /// Disables the account, ends its sessions and revokes every grant with its refresh
    /// and access tokens.
    pub async fn block_user(&self, actor: &Actor, id: &str) -> AdminResult<Account> {
        let p = &self.provider;
        let mut account = self.user(id).await?;
        let now = p.now();
        if !account.disabled {
            account.disabled = true;
            account.updated_at = now;
            p.store.update_account(&account).await?;
        }
        self.end_sessions(id).await?;
        p.store.revoke_account_grants(id, now).await?;
        let subject = Subject {
            account_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::AccountBlocked, subject)
            .await?;
        Ok(account)
    }

    /// Lets the account sign in again; what blocking revoked stays revoked.
    pub async fn unblock_user(&self, actor: &Actor, id: &str) -> AdminResult<Account> {
        let mut account = self.user(id).await?;
        if account.disabled {
            account.disabled = false;
            account.updated_at = self.provider.now();
            self.provider.store.update_account(&account).await?;
        }
        let subject = Subject {
            account_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::AccountUnblocked, subject)
            .await?;
        Ok(account)
    }

    /// Turns every second factor off and drops the recovery codes, for a user who lost
    /// them; the next sign-in asks for the password alone.
    pub async fn reset_second_factor(&self, actor: &Actor, id: &str) -> AdminResult<()> {
        let p = &self.provider;
        self.user(id).await?;
        let kept = p.store.get_factors(id).await?;
        let factors = Factors {
            account_id: id.to_owned(),
            phone_sign_in_off: kept.is_some_and(|f| f.phone_sign_in_off),
            updated_at: p.now(),
            ..Factors::default()
        };
        p.store.put_factors(&factors).await?;
        p.store.replace_recovery_codes(id, &[]).await?;
        let subject = Subject {
            account_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::SecondFactorReset, subject)
            .await
    }

    /// Ends every session of the user as a logout would (back-channel logouts queued) and
    /// revokes every grant; returns how many sessions ended.
    pub async fn sign_out_user(&self, actor: &Actor, id: &str) -> AdminResult<usize> {
        let p = &self.provider;
        self.user(id).await?;
        let ended = self.end_sessions(id).await?;
        p.store.revoke_account_grants(id, p.now()).await?;
        let detail = ended.to_string();
        let subject = Subject {
            account_id: Some(id),
            detail: Some(&detail),
            ..Subject::default()
        };
        self.record(actor, AuditKind::SessionsEnded, subject)
            .await?;
        Ok(ended)
    }

    /// Ends every live session of the account as a logout would: the session's grants
    /// revoked and a back-channel logout queued for each client that registered one.
    async fn end_sessions(&self, id: &str) -> AdminResult<usize> {
        let p = &self.provider;
        let now = p.now();
        let mut ended = 0;
        for session in p.store.list_sessions(id).await? {
            if session.is_live(now) {
                p.end_session_everywhere(&session).await?;
                ended += 1;
            }
        }
        Ok(ended)
    }

    /// Erases the account as its owner's deletion does (identifiers, password, profile,
    /// factors and consents gone; sessions ended with back-channel logouts queued; grants
    /// revoked; id never reused).
    pub async fn delete_user(&self, actor: &Actor, id: &str) -> AdminResult<()> {
        let p = &self.provider;
        self.user(id).await?;
        self.end_sessions(id).await?;
        if !p.store.erase_account(id, &[], p.now()).await? {
            return Err(not_found("user", id));
        }
        p.store.revoke_operator(id).await?;
        let subject = Subject {
            account_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::AccountDeleted, subject).await
    }

    pub async fn is_operator(&self, id: &str) -> AdminResult<bool> {
        Ok(self.provider.store.is_operator(id).await?)
    }

    /// Makes the user an operator of the console.
    pub async fn grant_operator(&self, actor: &Actor, id: &str) -> AdminResult<()> {
        let account = self.user(id).await?;
        if account.disabled {
            return Err(invalid(
                "user",
                "a blocked or deleted user cannot be an operator",
            ));
        }
        self.provider
            .store
            .grant_operator(id, self.provider.now())
            .await?;
        let subject = Subject {
            account_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::OperatorGranted, subject)
            .await
    }

    pub async fn revoke_operator(&self, actor: &Actor, id: &str) -> AdminResult<()> {
        self.user(id).await?;
        self.provider.store.revoke_operator(id).await?;
        let subject = Subject {
            account_id: Some(id),
            ..Subject::default()
        };
        self.record(actor, AuditKind::OperatorRevoked, subject)
            .await
    }
}
