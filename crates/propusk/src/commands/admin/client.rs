//! `propusk admin client create|list|show|delete|secret add`, over the operator layer
//! (`propusk_core::admin`) with the command line as the actor. A generated or imported
//! secret is stored only as a keyed hash; a generated one is printed once, here.

use super::client_spec::{self, SecretPlan};
use crate::app::App;
use crate::cli::{ClientCommand, ClientCreateArgs, SecretCommand};
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::admin::{Actor, Admin};
use propusk_core::model::{Client, ClientSecret};
use serde::Serialize;
use serde_json::{Map, Value};

pub async fn run(command: ClientCommand, app: &App) -> CliResult<()> {
    match command {
        ClientCommand::Create(args) => create(app, &args).await,
        ClientCommand::List { out } => list(app, out.json).await,
        ClientCommand::Show { client_id, out } => show(app, &client_id, out.json).await,
        ClientCommand::Delete { client_id, out } => delete(app, &client_id, out.json).await,
        ClientCommand::Secret(SecretCommand::Add {
            client_id,
            expires_in,
            out,
        }) => add_secret(app, &client_id, expires_in, out.json).await,
    }
}

/// The client as JSON with `client_id` in place of `id`, plus `extra` members.
pub fn client_json(client: &Client, extra: Vec<(&str, Value)>) -> CliResult<Value> {
    let value = serde_json::to_value(client)
        .map_err(|e| CliError::Invalid(format!("cannot print the client: {e}")))?;
    let Value::Object(fields) = value else {
        return Err(CliError::Invalid("a client is not a JSON object".into()));
    };
    let mut out = Map::new();
    out.insert("client_id".into(), Value::String(client.id.clone()));
    for (key, value) in extra {
        out.insert(key.into(), value);
    }
    out.extend(fields.into_iter().filter(|(k, _)| k != "id"));
    Ok(Value::Object(out))
}

async fn create(app: &App, args: &ClientCreateArgs) -> CliResult<()> {
    let (client, plan) = client_spec::build(args, app.now())?;
    let spec = client_spec::spec(args)?;
    let (generated, import) = match plan {
        SecretPlan::None => (false, None),
        SecretPlan::Generate => (true, None),
        SecretPlan::Import(value) => (false, Some(value)),
    };
    let admin = Admin::new(app.provider.clone());
    let (client, issued) = admin
        .create_client(&Actor::Cli, Some(&client.id), &spec, import)
        .await?;
    let secret = issued.map(|s| s.value).filter(|_| generated);
    if args.out.json {
        let printed = secret.clone().map_or(Value::Null, Value::String);
        return output::json(&client_json(&client, vec![("client_secret", printed)])?);
    }
    println!(
        "client {} created ({}, {})",
        client.id,
        if client.is_public() {
            "public"
        } else {
            "confidential"
        },
        client.auth_method.as_str()
    );
    if let Some(secret) = secret {
        println!("client_secret: {secret}");
        output::secret_notice();
    }
    Ok(())
}

async fn list(app: &App, json: bool) -> CliResult<()> {
    let mut clients = app.store().list_clients().await?;
    clients.sort_by(|a, b| a.id.cmp(&b.id));
    if json {
        let values = clients
            .iter()
            .map(|c| client_json(c, Vec::new()))
            .collect::<CliResult<Vec<_>>>()?;
        return output::json(&values);
    }
    let rows: Vec<Vec<String>> = clients
        .iter()
        .map(|c| {
            let grants: Vec<&str> = c.grant_types.iter().map(|g| g.as_str()).collect();
            vec![
                c.id.clone(),
                c.name.clone(),
                c.auth_method.as_str().to_owned(),
                if grants.is_empty() {
                    "-".into()
                } else {
                    grants.join(",")
                },
                c.product.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    output::table(&["CLIENT_ID", "NAME", "AUTH", "GRANTS", "PRODUCT"], &rows);
    Ok(())
}

#[derive(Serialize)]
struct SecretView {
    id: String,
    created_at: i64,
    expires_at: Option<i64>,
}

impl From<&ClientSecret> for SecretView {
    fn from(s: &ClientSecret) -> Self {
        Self {
            id: s.id.clone(),
            created_at: s.created_at,
            expires_at: s.expires_at,
        }
    }
}

async fn show(app: &App, client_id: &str, json: bool) -> CliResult<()> {
    let client = get(app, client_id).await?;
    let secrets: Vec<SecretView> = app
        .store()
        .client_secrets(client_id)
        .await?
        .iter()
        .map(SecretView::from)
        .collect();
    let secrets_json =
        serde_json::to_value(&secrets).map_err(|e| CliError::Invalid(e.to_string()))?;
    let value = client_json(&client, vec![("secrets", secrets_json)])?;
    if json {
        return output::json(&value);
    }
    let text =
        serde_json::to_string_pretty(&value).map_err(|e| CliError::Invalid(e.to_string()))?;
    println!("{text}");
    Ok(())
}

async fn delete(app: &App, client_id: &str, json: bool) -> CliResult<()> {
    Admin::new(app.provider.clone())
        .delete_client(&Actor::Cli, client_id)
        .await?;
    if json {
        return output::json(&serde_json::json!({ "deleted": client_id }));
    }
    println!("client {client_id} deleted");
    Ok(())
}

async fn add_secret(
    app: &App,
    client_id: &str,
    expires_in: Option<i64>,
    json: bool,
) -> CliResult<()> {
    if expires_in.is_some_and(|s| s <= 0) {
        return Err(CliError::Invalid(
            "--expires-in must be a positive number of seconds".into(),
        ));
    }
    let issued = Admin::new(app.provider.clone())
        .add_client_secret(&Actor::Cli, client_id, None, expires_in)
        .await?;
    let value = issued.value;
    if json {
        return output::json(&serde_json::json!({
            "client_id": client_id,
            "secret_id": issued.secret.id,
            "client_secret": value,
            "expires_at": issued.secret.expires_at,
        }));
    }
    println!("client_secret: {value}");
    if let Some(at) = issued.secret.expires_at {
        println!("expires at {at} (unix time)");
    }
    output::secret_notice();
    Ok(())
}

async fn get(app: &App, client_id: &str) -> CliResult<Client> {
    app.store()
        .get_client(client_id)
        .await?
        .ok_or_else(|| no_client(client_id))
}

fn no_client(client_id: &str) -> CliError {
    CliError::NotFound(format!("no client `{client_id}`"))
}
