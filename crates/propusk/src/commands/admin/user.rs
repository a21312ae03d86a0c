//! `propusk admin user create|import|list`. Passwords are hashed with argon2id by the
//! engine's password hasher; `import` stores an existing hash as is (for migration):
//! argon2, bcrypt or PBKDF2, which verify at sign-in and are then rehashed to argon2id.
//! Identifiers are normalised before storing: login and e-mail trimmed and lower-cased,
//! phone reduced to `+` and digits, so that sign-in can look them up the same way.

use crate::app::App;
use crate::cli::{UserCommand, UserProfileArgs};
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::accounts::LegacyHash;
use propusk_core::crypto::random_token;
use propusk_core::identifier;
use propusk_core::model::{Account, Profile};
use propusk_core::store::StoreError;
use serde::Serialize;

pub async fn run(command: UserCommand, app: &App) -> CliResult<()> {
    match command {
        UserCommand::Create {
            profile,
            password,
            out,
        } => {
            if password.is_empty() {
                return Err(CliError::Invalid("--password must not be empty".into()));
            }
            let p = &app.provider;
            let hash = p
                .passwords
                .hash(p.rng.as_ref(), &password)
                .map_err(|e| CliError::Invalid(format!("cannot hash the password: {e}")))?;
            create(app, profile, hash, out.json).await
        }
        UserCommand::Import {
            profile,
            password_hash,
            out,
        } => {
            if password_hash.trim().is_empty() {
                return Err(CliError::Invalid(
                    "--password-hash must not be empty".into(),
                ));
            }
            let hash = password_hash.trim();
            if !LegacyHash::importable(hash) {
                return Err(CliError::Invalid(
                    "--password-hash: not a supported hash (argon2 PHC, bcrypt $2a$/$2b$/$2y$, \
                     PBKDF2 as pbkdf2_sha256$…, $pbkdf2-sha256$i=…$… or passlib $pbkdf2-sha256$N$…)"
                        .into(),
                ));
            }
            create(app, profile, hash.to_owned(), out.json).await
        }
        UserCommand::List { out } => list(app, out.json).await,
        UserCommand::Certificate(command) => super::certificate::run(command, app).await,
    }
}

#[derive(Serialize)]
struct UserView {
    id: String,
    login: String,
    email: Option<String>,
    phone: Option<String>,
    name: Option<String>,
    disabled: bool,
    created_at: i64,
}

impl From<Account> for UserView {
    fn from(a: Account) -> Self {
        Self {
            id: a.id,
            login: a.login,
            email: a.email,
            phone: a.phone,
            name: a.profile.name,
            disabled: a.disabled,
            created_at: a.created_at,
        }
    }
}

async fn create(
    app: &App,
    args: UserProfileArgs,
    password_hash: String,
    json: bool,
) -> CliResult<()> {
    let login = normalize_login(&args.login)?;
    let email = args.email.as_deref().map(normalize_email).transpose()?;
    let phone = args.phone.as_deref().map(normalize_phone).transpose()?;
    for identifier in [Some(&login), email.as_ref(), phone.as_ref()]
        .into_iter()
        .flatten()
    {
        if app.store().find_account(identifier).await?.is_some() {
            return Err(CliError::Exists(format!(
                "a user with login, e-mail or phone `{identifier}` already exists"
            )));
        }
    }
    let now = app.now();
    let account = Account {
        id: random_token(app.provider.rng.as_ref(), 16),
        login,
        email,
        phone,
        password_hash: Some(password_hash),
        profile: Profile {
            name: args.name.filter(|n| !n.trim().is_empty()),
            ..Profile::default()
        },
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    app.store()
        .create_account(&account)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(field) => {
                CliError::Exists(format!("a user with this {field} already exists"))
            }
            other => other.into(),
        })?;
    let view = UserView::from(account);
    if json {
        return output::json(&view);
    }
    println!("user {} created with id {}", view.login, view.id);
    Ok(())
}

async fn list(app: &App, json: bool) -> CliResult<()> {
    const PAGE: i64 = 500;
    let mut users: Vec<UserView> = Vec::new();
    loop {
        let page = app.store().list_accounts(PAGE, users.len() as i64).await?;
        let full = page.len() as i64 == PAGE;
        users.extend(page.into_iter().map(UserView::from));
        if !full {
            break;
        }
    }
    if json {
        return output::json(&users);
    }
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.id.clone(),
                u.login.clone(),
                output::cell(u.email.as_deref()),
                output::cell(u.phone.as_deref()),
                output::cell(u.name.as_deref()),
                if u.disabled { "disabled" } else { "active" }.to_owned(),
            ]
        })
        .collect();
    output::table(&["ID", "LOGIN", "EMAIL", "PHONE", "NAME", "STATUS"], &rows);
    Ok(())
}

fn normalize_login(text: &str) -> CliResult<String> {
    identifier::normalize_login(text)
        .map_err(|e| CliError::Invalid(format!("--login `{text}`: {e}")))
}

fn normalize_email(text: &str) -> CliResult<String> {
    identifier::normalize_email(text)
        .map_err(|e| CliError::Invalid(format!("--email `{text}`: {e}")))
}

fn normalize_phone(text: &str) -> CliResult<String> {
    identifier::normalize_phone(text)
        .map_err(|e| CliError::Invalid(format!("--phone `{text}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_normalised() {
        assert_eq!(normalize_login(" Alice ").ok().as_deref(), Some("alice"));
        assert!(normalize_login("a b").is_err());
        assert!(normalize_login("  ").is_err());
        assert_eq!(
            normalize_email("Alice@Example.COM").ok().as_deref(),
            Some("alice@example.com")
        );
        assert!(normalize_email("alice").is_err());
        assert!(normalize_email("@example.com").is_err());
        assert_eq!(
            normalize_phone("+7 (900) 123-45-67").ok().as_deref(),
            Some("+79001234567")
        );
        assert_eq!(
            normalize_phone("8 900 123 45 67").ok().as_deref(),
            Some("+79001234567")
        );
        assert!(normalize_phone("call me").is_err());
        assert!(normalize_phone("+1").is_err());
    }
}
