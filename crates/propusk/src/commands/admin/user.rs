//! `propusk admin user create|import|list|block|unblock|grant-operator|revoke-operator`,
//! over the operator layer (`propusk_core::admin`) with the command line as the actor.
//! Passwords are hashed with argon2id; `import` stores an existing hash as is (for
//! migration): argon2, bcrypt or PBKDF2, which verify at sign-in and are then rehashed to
//! argon2id. Identifiers are normalised by the layer, so sign-in finds them.

use crate::app::App;
use crate::cli::{UserCommand, UserProfileArgs, UserTarget};
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::admin::{Actor, Admin, NewUser, PasswordSource};
use propusk_core::model::Account;
use serde::Serialize;

pub async fn run(command: UserCommand, app: &App) -> CliResult<()> {
    let admin = Admin::new(app.provider.clone());
    match command {
        UserCommand::Create {
            profile,
            password,
            out,
        } => {
            if password.is_empty() {
                return Err(CliError::Invalid("--password must not be empty".into()));
            }
            create(&admin, profile, PasswordSource::Plain(password), out.json).await
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
            create(
                &admin,
                profile,
                PasswordSource::Hash(password_hash),
                out.json,
            )
            .await
        }
        UserCommand::List { out } => list(app, out.json).await,
        UserCommand::Certificate(command) => super::certificate::run(command, app).await,
        UserCommand::Block(target) => act(&admin, target, Action::Block).await,
        UserCommand::Unblock(target) => act(&admin, target, Action::Unblock).await,
        UserCommand::GrantOperator(target) => act(&admin, target, Action::GrantOperator).await,
        UserCommand::RevokeOperator(target) => act(&admin, target, Action::RevokeOperator).await,
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
    admin: &Admin,
    args: UserProfileArgs,
    password: PasswordSource,
    json: bool,
) -> CliResult<()> {
    let new = NewUser {
        login: args.login,
        email: args.email,
        phone: args.phone,
        name: args.name,
        password,
    };
    let account = admin.create_user(&Actor::Cli, new).await?;
    let view = UserView::from(account);
    if json {
        return output::json(&view);
    }
    println!("user {} created with id {}", view.login, view.id);
    Ok(())
}

#[derive(Clone, Copy)]
enum Action {
    Block,
    Unblock,
    GrantOperator,
    RevokeOperator,
}

async fn act(admin: &Admin, target: UserTarget, action: Action) -> CliResult<()> {
    let account = admin.find_user(&target.login).await?;
    let id = account.id.as_str();
    let done = match action {
        Action::Block => {
            admin.block_user(&Actor::Cli, id).await?;
            "blocked"
        }
        Action::Unblock => {
            admin.unblock_user(&Actor::Cli, id).await?;
            "unblocked"
        }
        Action::GrantOperator => {
            admin.grant_operator(&Actor::Cli, id).await?;
            "made an operator"
        }
        Action::RevokeOperator => {
            admin.revoke_operator(&Actor::Cli, id).await?;
            "no longer an operator"
        }
    };
    if target.out.json {
        return output::json(
            &serde_json::json!({ "id": id, "login": account.login, "done": done }),
        );
    }
    println!("user {} {done}", account.login);
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
