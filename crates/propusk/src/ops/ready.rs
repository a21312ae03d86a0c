//! `GET /readyz`: 200 `{"status":"ready"}` when this node can serve, else 503 with
//! `{"status":"unready","reason":…}`: the database does not answer (within
//! [`CHECK_TIMEOUT`]), its schema lacks migrations this binary needs, or no signing key
//! is loaded for the default algorithm. Load balancers and orchestrators poll it.

use super::Ops;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

pub async fn readyz(State(ops): State<Arc<Ops>>) -> Response {
    let checked = tokio::time::timeout(CHECK_TIMEOUT, check(&ops))
        .await
        .unwrap_or_else(|_| Err("the database did not answer in time".to_owned()));
    let mut response = match checked {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unready", "reason": reason })),
            )
                .into_response()
        }
    };
    propusk_web::error::no_store(response.headers_mut());
    response
}

async fn check(ops: &Ops) -> Result<(), String> {
    let pending = ops
        .store
        .pending_migrations()
        .await
        .map_err(|_| "the database is unreachable".to_owned())?;
    if pending > 0 {
        return Err(format!(
            "{pending} schema migrations are pending; run `propusk migrate`"
        ));
    }
    let provider = &ops.provider;
    let alg = provider.config.default_signing_alg;
    provider
        .keys
        .signer(provider.store.as_ref(), provider.now(), alg)
        .await
        .map_err(|_| format!("no signing key loaded for {}", alg.as_str()))?;
    Ok(())
}
