//! `propusk migrate`: applies pending migrations of the configured database and exits.

use crate::app::open_store;
use crate::config::Settings;
use crate::error::CliResult;

pub async fn run(settings: &Settings) -> CliResult<()> {
    let store = open_store(settings).await?;
    store.close().await;
    println!("database is up to date");
    Ok(())
}
