//! `propusk admin product create|list`, over the operator layer (`propusk_core::admin`)
//! with the command line as the actor. A product (resource server) owns scopes and is
//! the audience of tokens that carry them (RFC 9068, RFC 8707). Creating one also creates
//! its own confidential client, id = audience, that may only introspect (RFC 7662 §2.1);
//! its generated secret is printed once.

use super::check_identifier;
use crate::app::App;
use crate::cli::{ProductCommand, SubjectTypeArg, TokenFormatArg};
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::admin::{Actor, Admin, ProductSpec};
use propusk_core::jose::Alg;
use propusk_core::model::{ProductScope, SubjectType, TokenFormat};
use propusk_types::scope::{STANDARD_SCOPES, Scope};
use serde::Serialize;

pub async fn run(command: ProductCommand, app: &App) -> CliResult<()> {
    match command {
        ProductCommand::Create {
            audience,
            name,
            scopes,
            token_format,
            signing_alg,
            approval_required,
            subject_type,
            out,
        } => {
            let spec = Spec {
                audience,
                name,
                scopes,
                token_format,
                signing_alg,
                approval_required,
                subject_type,
            };
            create(app, spec, out.json).await
        }
        ProductCommand::List { out } => list(app, out.json).await,
    }
}

struct Spec {
    audience: String,
    name: Option<String>,
    scopes: Vec<String>,
    token_format: TokenFormatArg,
    signing_alg: Option<Alg>,
    approval_required: bool,
    subject_type: SubjectTypeArg,
}

#[derive(Serialize)]
struct Created<'a> {
    audience: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
    name: &'a str,
    scopes: Vec<&'a str>,
    token_format: &'a str,
    signing_alg: Option<&'a str>,
    subject_type: SubjectType,
}

async fn create(app: &App, spec: Spec, json: bool) -> CliResult<()> {
    check_identifier("--audience", &spec.audience)?;
    let scopes = product_scopes(&spec.scopes)?;
    let spec = ProductSpec {
        audience: spec.audience,
        name: spec.name,
        scopes: scopes
            .into_iter()
            .map(|name| ProductScope {
                name,
                description_ru: None,
                description_en: None,
            })
            .collect(),
        token_format: match spec.token_format {
            TokenFormatArg::Jwt => TokenFormat::Jwt,
            TokenFormatArg::Reference => TokenFormat::Reference,
        },
        signing_alg: spec.signing_alg.map(|a| a.as_str().to_owned()),
        approval_required: spec.approval_required,
        subject_type: match spec.subject_type {
            SubjectTypeArg::Public => SubjectType::Public,
            SubjectTypeArg::Pairwise => SubjectType::Pairwise,
        },
    };
    let (product, issued) = Admin::new(app.provider.clone())
        .create_product(&Actor::Cli, spec)
        .await?;
    let value = issued.value;
    let created = Created {
        audience: &product.audience,
        client_id: &product.audience,
        client_secret: &value,
        name: &product.name,
        scopes: product.scopes.iter().map(|s| s.name.as_str()).collect(),
        token_format: product.token_format.as_str(),
        signing_alg: product.signing_alg.as_deref(),
        subject_type: product.subject_type,
    };
    if json {
        return output::json(&created);
    }
    println!(
        "product {} created (scopes: {}; tokens: {}; subjects: {})",
        created.audience,
        created.scopes.join(" "),
        created.token_format,
        product.subject_type.as_str()
    );
    println!("introspection client_id: {}", created.client_id);
    println!("client_secret: {value}");
    output::secret_notice();
    Ok(())
}

/// `--scope` values, each possibly space-separated; OpenID Connect scopes are refused.
fn product_scopes(values: &[String]) -> CliResult<Vec<String>> {
    let mut scopes: Vec<String> = Vec::new();
    for value in values {
        let parsed = Scope::parse(value)
            .map_err(|_| CliError::Invalid(format!("--scope `{value}` is not a valid scope")))?;
        for token in parsed.iter() {
            if STANDARD_SCOPES.contains(&token) {
                return Err(CliError::Invalid(format!(
                    "--scope `{token}` is an OpenID Connect scope, not a product scope"
                )));
            }
            if !scopes.iter().any(|s| s == token) {
                scopes.push(token.to_owned());
            }
        }
    }
    if scopes.is_empty() {
        return Err(CliError::Invalid(
            "a product needs at least one --scope".into(),
        ));
    }
    Ok(scopes)
}

async fn list(app: &App, json: bool) -> CliResult<()> {
    let mut products = app.store().list_products().await?;
    products.sort_by(|a, b| a.audience.cmp(&b.audience));
    if json {
        return output::json(&products);
    }
    let rows: Vec<Vec<String>> = products
        .iter()
        .map(|p| {
            let scopes: Vec<&str> = p.scopes.iter().map(|s| s.name.as_str()).collect();
            vec![
                p.audience.clone(),
                p.name.clone(),
                scopes.join(" "),
                p.token_format.as_str().to_owned(),
                output::cell(p.signing_alg.as_deref()),
                p.subject_type.as_str().to_owned(),
            ]
        })
        .collect();
    output::table(
        &["AUDIENCE", "NAME", "SCOPES", "FORMAT", "ALG", "SUBJECTS"],
        &rows,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_may_be_repeated_or_space_separated() {
        let scopes = product_scopes(&[
            "api.read api.write".into(),
            "api.read".into(),
            "api.admin".into(),
        ]);
        assert_eq!(
            scopes.ok(),
            Some(vec![
                "api.read".into(),
                "api.write".into(),
                "api.admin".into()
            ])
        );
        assert!(product_scopes(&["openid".into()]).is_err());
        assert!(product_scopes(&["  ".into()]).is_err());
        assert!(product_scopes(&["bad\"scope".into()]).is_err());
    }
}
