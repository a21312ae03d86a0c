//! `propusk admin user|client|product|registration-token|ca …`: manage the data that flows need before any
//! cabinet exists. Identifiers are checked for duplicates up front, so a taken one is a
//! clear error (exit 1) rather than a storage failure.

mod ca;
mod certificate;
mod client;
mod client_spec;
mod product;
mod registration_token;
mod scope_request;
mod trusted_issuer;
mod user;

use crate::app::{App, Runtime};
use crate::cli::AdminCommand;
use crate::config::Settings;
use crate::error::CliResult;

pub async fn run(command: AdminCommand, settings: &Settings, runtime: &Runtime) -> CliResult<()> {
    if let AdminCommand::Ca(command) = command {
        return ca::run(command, settings);
    }
    let app = App::open(settings, runtime).await?;
    let result = match command {
        AdminCommand::User(command) => user::run(command, &app).await,
        AdminCommand::Client(command) => client::run(command, &app).await,
        AdminCommand::Product(command) => product::run(command, &app).await,
        AdminCommand::TrustedIssuer(command) => trusted_issuer::run(command, &app).await,
        AdminCommand::ScopeRequest(command) => scope_request::run(command, &app).await,
        AdminCommand::RegistrationToken(command) => registration_token::run(command, &app).await,
        AdminCommand::Ca(_) => Ok(()),
    };
    app.close().await;
    result
}

/// A client or product identifier: visible ASCII, no spaces (RFC 6749 §2.2, VSCHAR).
fn check_identifier(what: &str, value: &str) -> CliResult<()> {
    if !value.is_empty() && value.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        Ok(())
    } else {
        Err(crate::error::CliError::Invalid(format!(
            "{what} `{value}` must be non-empty visible ASCII without spaces"
        )))
    }
}
