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
use crate::error::CliResult;
use crate::telemetry;

pub async fn run(cli: Cli, runtime: Runtime) -> CliResult<()> {
    match cli.command {
        Command::Config(command) => config::run(command),
        Command::Ui(command) => ui::run(command),
        Command::Health(args) => health::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Serve(args) => {
            let settings = load(&cli.global, &args)?;
            let telemetry = telemetry::init_with(
                &settings.log,
                settings.log_json,
                settings.telemetry.as_ref(),
                settings.metrics != crate::config::MetricsSettings::Off,
            )?;
            warn_ignored(&settings);
            let served = serve::run(settings, runtime).await;
            telemetry.shutdown().await;
            served
        }
        Command::Migrate => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            telemetry::init(QUIET, false, None)?;
            warn_ignored(&settings);
            migrate::run(&settings).await
        }
        Command::Keys(command) => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            telemetry::init(QUIET, false, None)?;
            warn_ignored(&settings);
            keys::run(command, &settings, &runtime).await
        }
        Command::Admin(command) => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            telemetry::init(QUIET, false, None)?;
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
