//! One module per command group; [`run`] loads the configuration and dispatches.

mod admin;
mod config;
mod keys;
mod migrate;
mod serve;

use crate::app::Runtime;
use crate::cli::{Cli, Command, GlobalArgs, ServeArgs};
use crate::config::{EnvLayer, Overrides, Secret, Settings, Sources};
use crate::error::CliResult;
use crate::telemetry;

pub async fn run(cli: Cli, runtime: Runtime) -> CliResult<()> {
    match cli.command {
        Command::Config(command) => config::run(command),
        Command::Serve(args) => {
            let settings = load(&cli.global, &args)?;
            let telemetry = telemetry::init(
                &settings.log,
                settings.log_json,
                settings.telemetry.as_ref(),
            )?;
            let served = serve::run(settings, runtime).await;
            telemetry.shutdown().await;
            served
        }
        Command::Migrate => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            telemetry::init(QUIET, false, None)?;
            migrate::run(&settings).await
        }
        Command::Keys(command) => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            telemetry::init(QUIET, false, None)?;
            keys::run(command, &settings, &runtime).await
        }
        Command::Admin(command) => {
            let settings = load(&cli.global, &ServeArgs::default())?;
            telemetry::init(QUIET, false, None)?;
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
