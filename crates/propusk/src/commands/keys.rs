//! `propusk keys rotate|list`. Rotation publishes the successor at once and lets it sign
//! after the pre-publication window; every node picks the change up within its key cache
//! TTL (OIDC Core §10.1.1).

use crate::app::{App, Runtime};
use crate::cli::KeysCommand;
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output;
use propusk_core::admin::{Actor, Admin};
use propusk_core::clock::Timestamp;
use propusk_core::jose::Alg;
use propusk_core::model::KeyRecord;
use serde::Serialize;

pub async fn run(command: KeysCommand, settings: &Settings, runtime: &Runtime) -> CliResult<()> {
    let app = App::open(settings, runtime).await?;
    let result = match command {
        KeysCommand::Rotate {
            algs,
            prepublish,
            out,
        } => {
            let prepublish = prepublish.unwrap_or(settings.provider.keys.prepublish);
            rotate(&app, &algs, prepublish, out.json).await
        }
        KeysCommand::List { out } => list(&app, out.json).await,
    };
    app.close().await;
    result
}

#[derive(Serialize)]
struct Created {
    created: Vec<CreatedKey>,
}

#[derive(Serialize)]
struct CreatedKey {
    kid: String,
    alg: String,
    active_from: Timestamp,
}

async fn rotate(app: &App, algs: &[Alg], prepublish: i64, json: bool) -> CliResult<()> {
    if prepublish < 0 {
        return Err(CliError::Invalid(
            "--prepublish must not be negative".into(),
        ));
    }
    let records = Admin::new(app.provider.clone())
        .rotate_keys(&Actor::Cli, algs, Some(prepublish))
        .await?;
    let created = Created {
        created: records
            .into_iter()
            .map(|r| CreatedKey {
                kid: r.kid,
                alg: r.alg,
                active_from: r.active_from,
            })
            .collect(),
    };
    if json {
        return output::json(&created);
    }
    let now = app.now();
    for key in &created.created {
        println!(
            "{} {}: published now, signs from {} (in {} s)",
            key.alg,
            key.kid,
            key.active_from,
            key.active_from - now
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct KeyView {
    kid: String,
    alg: String,
    status: &'static str,
    created_at: Timestamp,
    active_from: Timestamp,
    retired_at: Option<Timestamp>,
    unpublish_at: Option<Timestamp>,
}

impl KeyView {
    fn new(record: KeyRecord, now: Timestamp) -> Self {
        Self {
            status: status(&record, now),
            kid: record.kid,
            alg: record.alg,
            created_at: record.created_at,
            active_from: record.active_from,
            retired_at: record.retired_at,
            unpublish_at: record.unpublish_at,
        }
    }
}

/// `published` (not signing yet), `signing`, `retired` (published, no longer signing)
/// or `unpublished` (waiting for deletion).
fn status(record: &KeyRecord, now: Timestamp) -> &'static str {
    if record.unpublish_at.is_some_and(|t| t <= now) {
        "unpublished"
    } else if record.retired_at.is_some_and(|t| t <= now) {
        "retired"
    } else if record.active_from > now {
        "published"
    } else {
        "signing"
    }
}

async fn list(app: &App, json: bool) -> CliResult<()> {
    let now = app.now();
    let mut records = app.store().list_keys().await?;
    records.sort_by(|a, b| (&a.alg, a.created_at).cmp(&(&b.alg, b.created_at)));
    let views: Vec<KeyView> = records.into_iter().map(|r| KeyView::new(r, now)).collect();
    if json {
        return output::json(&views);
    }
    let opt = |t: Option<Timestamp>| t.map_or_else(|| "-".to_owned(), |t| t.to_string());
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|k| {
            vec![
                k.alg.clone(),
                k.kid.clone(),
                k.status.to_owned(),
                k.active_from.to_string(),
                opt(k.retired_at),
                opt(k.unpublish_at),
            ]
        })
        .collect();
    output::table(
        &[
            "ALG",
            "KID",
            "STATUS",
            "SIGNS FROM",
            "RETIRED",
            "UNPUBLISHED",
        ],
        &rows,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use propusk_types::jwk::Jwk;

    fn record(
        active_from: Timestamp,
        retired_at: Option<Timestamp>,
        unpublish_at: Option<Timestamp>,
    ) -> KeyRecord {
        KeyRecord {
            kid: "k".into(),
            alg: "RS256".into(),
            sealed_private: Vec::new(),
            public_jwk: Jwk::default(),
            created_at: 0,
            active_from,
            retired_at,
            unpublish_at,
        }
    }

    #[test]
    fn status_follows_the_key_life() {
        assert_eq!(status(&record(10, None, None), 5), "published");
        assert_eq!(status(&record(10, None, None), 10), "signing");
        assert_eq!(status(&record(0, Some(20), Some(30)), 19), "signing");
        assert_eq!(status(&record(0, Some(20), Some(30)), 20), "retired");
        assert_eq!(status(&record(0, Some(20), Some(30)), 30), "unpublished");
    }
}
