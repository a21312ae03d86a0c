//! `propusk admin registration-token create`: an initial access token for dynamic
//! client registration (RFC 7591 §3), printed once and stored only as a keyed hash.

use crate::app::App;
use crate::cli::RegistrationTokenCommand;
use crate::error::{CliError, CliResult};
use crate::output;

pub async fn run(command: RegistrationTokenCommand, app: &App) -> CliResult<()> {
    match command {
        RegistrationTokenCommand::Create { expires_in, out } => {
            if expires_in.is_some_and(|s| s <= 0) {
                return Err(CliError::Invalid(
                    "--expires-in must be a positive number of seconds".into(),
                ));
            }
            let token = app.provider.create_registration_token(expires_in).await?;
            if out.json {
                return output::json(&serde_json::json!({ "token": token }));
            }
            println!("{token}");
            output::secret_notice();
            Ok(())
        }
    }
}
