//! `propusk admin trusted-issuer add|list|delete`: partner issuers whose JWT assertions
//! the `jwt-bearer` grant accepts (RFC 7523 §3): their public keys (private members
//! refused), the clients that may present their assertions, and how `sub` maps to an
//! account.

use super::client_spec::public_jwks;
use crate::app::App;
use crate::cli::TrustedIssuerCommand;
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::model::{SubjectMapping, TrustedIssuer};

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
            for id in &client_ids {
                if app.store().get_client(id).await?.is_none() {
                    return Err(CliError::NotFound(format!("client `{id}` not found")));
                }
            }
            let record = TrustedIssuer {
                issuer,
                jwks: public_jwks(&jwks)?,
                client_ids,
                subject,
                created_at: app.now(),
            };
            app.store().upsert_trusted_issuer(&record).await?;
            if out.json {
                return output::json(&record);
            }
            println!("trusted issuer {} registered", record.issuer);
            Ok(())
        }
        TrustedIssuerCommand::List { out } => {
            let issuers = app.store().list_trusted_issuers().await?;
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
            if !app.store().delete_trusted_issuer(&issuer).await? {
                return Err(CliError::NotFound(format!(
                    "trusted issuer `{issuer}` not found"
                )));
            }
            if out.json {
                return output::json(&serde_json::json!({ "deleted": issuer }));
            }
            println!("trusted issuer {issuer} deleted");
            Ok(())
        }
    }
}
