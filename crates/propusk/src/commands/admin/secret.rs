//! Client secrets (api-keys): generated with 32 random bytes or imported, stored only as
//! the provider's keyed hash; the value is returned to be printed once.

use crate::app::App;
use crate::error::{CliError, CliResult};
use propusk_core::clock::Timestamp;
use propusk_core::crypto::random_token;
use propusk_core::model::ClientSecret;

/// Bytes of a generated secret.
const SECRET_BYTES: usize = 32;

/// Stores a secret for the client: `value` when importing, else a generated one.
/// Returns the stored record and the value.
pub async fn add(
    app: &App,
    client_id: &str,
    value: Option<String>,
    expires_in: Option<i64>,
) -> CliResult<(ClientSecret, String)> {
    if expires_in.is_some_and(|s| s <= 0) {
        return Err(CliError::Invalid(
            "--expires-in must be a positive number of seconds".into(),
        ));
    }
    if value.as_deref().is_some_and(str::is_empty) {
        return Err(CliError::Invalid("--secret must not be empty".into()));
    }
    let p = &app.provider;
    let value = value.unwrap_or_else(|| random_token(p.rng.as_ref(), SECRET_BYTES));
    let now: Timestamp = app.now();
    let record = ClientSecret {
        id: random_token(p.rng.as_ref(), 9),
        client_id: client_id.to_owned(),
        secret_hash: p.hasher.hash(&value),
        created_at: now,
        expires_at: expires_in.map(|s| now + s),
        name: None,
        last_used_at: None,
        revoked_at: None,
    };
    app.store().add_client_secret(&record).await?;
    Ok((record, value))
}
