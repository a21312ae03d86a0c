//! `propusk admin scope-request list|approve|refuse`: the operator's decisions on
//! applications' requests for the scopes of products that require approval. Approving
//! adds the scope to the application's allowed scopes. Over the operator layer, with
//! the command line as the actor.

use crate::app::App;
use crate::cli::ScopeRequestCommand;
use crate::error::CliResult;
use crate::output;
use propusk_core::admin::{Actor, Admin};
use propusk_core::model::ScopeRequest;

pub async fn run(command: ScopeRequestCommand, app: &App) -> CliResult<()> {
    match command {
        ScopeRequestCommand::List { all, out } => list(app, all, out.json).await,
        ScopeRequestCommand::Approve { id, out } => decide(app, &id, true, out.json).await,
        ScopeRequestCommand::Refuse { id, out } => decide(app, &id, false, out.json).await,
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
    let requests = Admin::new(app.provider.clone()).scope_requests(all).await?;
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

async fn decide(app: &App, id: &str, approve: bool, json: bool) -> CliResult<()> {
    let request = Admin::new(app.provider.clone())
        .decide_scope_request(&Actor::Cli, id, approve)
        .await?;
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
