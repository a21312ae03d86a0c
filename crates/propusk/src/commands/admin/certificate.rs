//! `propusk admin user certificate add|list|remove`: certificates that sign an account in.
//! A certificate is bound only when it chains to the trust of `[certificates] trust_dir`,
//! and to one account at most.

use crate::app::App;
use crate::cli::UserCertificateCommand;
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::certificates::binding::read_certificate;
use propusk_core::model::{Account, CertificateBinding};
use serde::Serialize;

pub async fn run(command: UserCertificateCommand, app: &App) -> CliResult<()> {
    match command {
        UserCertificateCommand::Add { login, file, out } => {
            let account = account(app, &login).await?;
            let bytes = std::fs::read(&file)
                .map_err(|e| CliError::io(format!("reading {}", file.display()), e))?;
            let certificate = read_certificate(&bytes)?;
            let binding = app
                .provider
                .bind_certificate(&account.id, &certificate)
                .await?;
            if out.json {
                return output::json(&BindingView::from(binding));
            }
            println!(
                "certificate {} bound to {}",
                binding.thumbprint, account.login
            );
            Ok(())
        }
        UserCertificateCommand::List { login, out } => {
            let account = account(app, &login).await?;
            let bindings = app.provider.account_certificates(&account.id).await?;
            let views: Vec<BindingView> = bindings.into_iter().map(BindingView::from).collect();
            if out.json {
                return output::json(&views);
            }
            let rows: Vec<Vec<String>> = views
                .iter()
                .map(|v| {
                    vec![
                        v.thumbprint.clone(),
                        v.subject.clone(),
                        output::cell(v.inn.as_deref()),
                        output::cell(v.snils.as_deref()),
                        v.not_after.to_string(),
                    ]
                })
                .collect();
            output::table(
                &["THUMBPRINT", "SUBJECT", "INN", "SNILS", "NOT_AFTER"],
                &rows,
            );
            Ok(())
        }
        UserCertificateCommand::Remove {
            login,
            thumbprint,
            out,
        } => {
            let account = account(app, &login).await?;
            if !app
                .provider
                .unbind_certificate(&account.id, &thumbprint)
                .await?
            {
                return Err(CliError::NotFound(format!(
                    "{login} has no certificate {thumbprint}"
                )));
            }
            if out.json {
                return output::json(&serde_json::json!({ "removed": thumbprint }));
            }
            println!("certificate {thumbprint} unbound from {login}");
            Ok(())
        }
    }
}

async fn account(app: &App, login: &str) -> CliResult<Account> {
    let identifier = propusk_core::identifier::normalize_identifier(login);
    app.store()
        .find_account(&identifier)
        .await?
        .ok_or_else(|| CliError::NotFound(format!("account `{login}` not found")))
}

#[derive(Serialize)]
struct BindingView {
    thumbprint: String,
    subject: String,
    issuer: String,
    inn: Option<String>,
    snils: Option<String>,
    not_after: i64,
}

impl From<CertificateBinding> for BindingView {
    fn from(b: CertificateBinding) -> Self {
        Self {
            thumbprint: b.thumbprint,
            subject: b.subject,
            issuer: b.issuer,
            inn: b.identity.inn.or(b.identity.inn_legal),
            snils: b.identity.snils,
            not_after: b.not_after,
        }
    }
}
