//! One module per command group; [`run`] loads the configuration and dispatches.

mod admin;
mod config;
mod health;
mod keys;
mod man;
mod migrate;
mod serve;
mod ui;

use crate::app::Runtime;
use crate::cli::{Cli, Command, GlobalArgs, ServeArgs};
use crate::config::{EnvLayer, Overrides, Secret, Settings, Sources};
use crate::error::{CliError, CliResult};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub async fn run(cli: Cli, runtime: Runtime) -> CliResult<()> {
    match cli.command {
        Command::Config(command) => config::run(command),
        Command::Ui(command) => ui::run(command),
        Command::Health(args) => health::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Serve(args) => {
            let settings = load(&cli.global, &args)?;
            init_logging(&settings.log, settings.log_json)?;
            warn_ignored(&settings);
            serve::run(settings, runtime).await
        }
        Command::Migrate => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            init_logging(QUIET, false)?;
            warn_ignored(&settings);
            migrate::run(&settings).await
        }
        Command::Keys(command) => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            init_logging(QUIET, false)?;
            warn_ignored(&settings);
            keys::run(command, &settings, &runtime).await
        }
        Command::Admin(command) => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            init_logging(QUIET, false)?;
            warn_ignored(&settings);
            admin::run(command, &settings, &runtime).await
        }
    }
}

/// Log filter of the one-shot commands: their output is the result, logs only warn.
const QUIET: &str = "warn";

fn load(global: &GlobalArgs, serve: &ServeArgs) -> CliResult<Settings> {
    let sources = Sources {
        file: global.config.clone(),
        env: EnvLayer::from_process()?,
        flags: Overrides {
            listen: serve.listen.clone(),
            issuer: serve.issuer.clone(),
            database_url: global.database_url.clone().map(Secret::new),
            data_dir: global.data_dir.clone(),
        },
    };
    crate::config::settings(&sources)
}

/// Names the `PROPUSK_*` variables that set nothing (platforms inject such variables;
/// a typo shows up here too).
fn warn_ignored(settings: &Settings) {
    if !settings.ignored_env.is_empty() {
        tracing::warn!(
            variables = %settings.ignored_env.join(", "),
            "ignoring environment variables that name no configuration key"
        );
    }
}

/// Logs go to stderr: text, coloured only on a terminal, or one JSON object per line
/// (`log_format = "json"`) for log collectors.
fn init_logging(filter: &str, json: bool) -> CliResult<()> {
    let filter = EnvFilter::try_new(filter).map_err(|e| CliError::Config(format!("log: {e}")))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let started = if json {
        builder.json().with_current_span(false).try_init()
    } else {
        builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init()
    };
    started.map_err(|e| CliError::Config(format!("cannot start logging: {e}")))
}
