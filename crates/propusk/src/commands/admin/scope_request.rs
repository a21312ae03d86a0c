//! `propusk admin scope-request list|approve|refuse`: the operator's decisions on
//! applications' requests for the scopes of products that require approval. Approving
//! adds the scope to the application's allowed scopes.

use crate::app::App;
use crate::cli::ScopeRequestCommand;
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::developer::{Cabinet, CabinetError};
use propusk_core::model::{ScopeRequest, ScopeRequestStatus};

pub async fn run(command: ScopeRequestCommand, app: &App) -> CliResult<()> {
    match command {
        ScopeRequestCommand::List { all, out } => list(app, all, out.json).await,
        ScopeRequestCommand::Approve { id, out } => {
            decide(app, &id, ScopeRequestStatus::Approved, out.json).await
        }
        ScopeRequestCommand::Refuse { id, out } => {
            decide(app, &id, ScopeRequestStatus::Refused, out.json).await
        }
    }
}

fn as_json(request: &ScopeRequest) -> serde_json::Value {
    serde_json::json!({
        "id": request.id,
        "client_id": request.client_id,
        "product": request.audience,
        "scope": request.scope,
        "status": request.status.as_str(),
        "requested_by": request.requested_by,
        "created_at": request.created_at,
        "decided_at": request.decided_at,
    })
}

async fn list(app: &App, all: bool, json: bool) -> CliResult<()> {
    let status = (!all).then_some(ScopeRequestStatus::Pending);
    let requests = app.store().list_scope_requests(None, status).await?;
    if json {
        let values: Vec<_> = requests.iter().map(as_json).collect();
        return output::json(&values);
    }
    let rows: Vec<Vec<String>> = requests
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.client_id.clone(),
                r.audience.clone(),
                r.scope.clone(),
                r.status.as_str().to_owned(),
            ]
        })
        .collect();
    output::table(&["ID", "CLIENT", "PRODUCT", "SCOPE", "STATUS"], &rows);
    Ok(())
}

async fn decide(app: &App, id: &str, status: ScopeRequestStatus, json: bool) -> CliResult<()> {
    let cabinet = Cabinet::new(&app.provider);
    let request = cabinet
        .decide_scope_request(id, status)
        .await
        .map_err(|e| match e {
            CabinetError::Failed(error) => CliError::Engine(error),
            _ => CliError::NotFound(format!("no pending scope request `{id}`")),
        })?;
    if json {
        return output::json(&as_json(&request));
    }
    println!(
        "{} {} for {} ({})",
        request.status.as_str(),
        request.scope,
        request.client_id,
        request.id
    );
    Ok(())
}
