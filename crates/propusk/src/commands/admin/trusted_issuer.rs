//! `propusk admin trusted-issuer add|list|delete`: partner issuers whose JWT assertions
//! the `jwt-bearer` grant accepts (RFC 7523 §3): their public keys (private members
//! refused), the clients that may present their assertions, and how `sub` maps to an
//! account. Over the operator layer, with the command line as the actor.

use super::client_spec::public_jwks;
use crate::app::App;
use crate::cli::TrustedIssuerCommand;
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::admin::{Actor, Admin};
use propusk_core::model::SubjectMapping;

pub async fn run(command: TrustedIssuerCommand, app: &App) -> CliResult<()> {
    match command {
        TrustedIssuerCommand::Add {
            issuer,
            jwks,
            client_ids,
            subject,
            out,
        } => {
            let subject = SubjectMapping::parse(&subject).ok_or_else(|| {
                CliError::Invalid(format!("--subject `{subject}`: use login or id"))
            })?;
            if issuer.trim().is_empty() {
                return Err(CliError::Invalid("--issuer must not be empty".into()));
            }
            let jwks = serde_json::to_value(public_jwks(&jwks)?)
                .map_err(|e| CliError::Invalid(format!("--jwks: {e}")))?;
            let record = Admin::new(app.provider.clone())
                .put_trusted_issuer(&Actor::Cli, &issuer, &jwks, client_ids, subject)
                .await?;
            if out.json {
                return output::json(&record);
            }
            println!("trusted issuer {} registered", record.issuer);
            Ok(())
        }
        TrustedIssuerCommand::List { out } => {
            let issuers = Admin::new(app.provider.clone()).trusted_issuers().await?;
            if out.json {
                return output::json(&issuers);
            }
            let rows: Vec<Vec<String>> = issuers
                .iter()
                .map(|i| {
                    vec![
                        i.issuer.clone(),
                        i.client_ids.join(","),
                        i.subject.as_str().to_owned(),
                        i.jwks.keys.len().to_string(),
                    ]
                })
                .collect();
            output::table(&["ISSUER", "CLIENTS", "SUBJECT", "KEYS"], &rows);
            Ok(())
        }
        TrustedIssuerCommand::Delete { issuer, out } => {
            Admin::new(app.provider.clone())
                .delete_trusted_issuer(&Actor::Cli, &issuer)
                .await?;
            if out.json {
                return output::json(&serde_json::json!({ "deleted": issuer }));
            }
            println!("trusted issuer {issuer} deleted");
            Ok(())
        }
    }
}
