//! `propusk`: the OpenID Provider binary. Loads the configuration, opens the store and
//! runs one command; every failure is one `error: …` line on stderr and exit code 1.

mod app;
mod cli;
mod commands;
mod config;
mod error;
#[cfg(feature = "gost")]
mod gost;
mod http;
mod master_key;
mod ops;
mod output;
mod telemetry;

use app::Runtime;
use clap::Parser;
use propusk_core::clock::SystemClock;
use propusk_core::crypto::SystemRng;
use std::process::ExitCode;
use std::sync::Arc;

/// mimalloc rather than glibc's allocator: glibc keeps the 19 MiB of a finished argon2id
/// run resident for good (its threshold for returning memory rises with each big free),
/// and its per-thread arenas cost more under many small request allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    #[cfg(feature = "gost")]
    if let Some(code) = gost::configure_openssl() {
        return code;
    }
    let cli = cli::Cli::parse();
    // Seeding AWS-LC's generator costs tens of milliseconds: the server does it beside
    // its start-up. The thread is joined before the process ends, because an exit while
    // AWS-LC is still seeding aborts the process.
    let warm_up = matches!(cli.command, cli::Command::Serve(_))
        .then(|| std::thread::spawn(SystemRng::warm_up));
    let code = run(cli);
    if let Some(thread) = warm_up {
        let _ = thread.join();
    }
    code
}

fn run(cli: cli::Cli) -> ExitCode {
    let runtime = Runtime {
        clock: Arc::new(SystemClock),
        rng: Arc::new(SystemRng),
    };
    let tokio = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(tokio) => tokio,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match tokio.block_on(commands::run(cli, runtime)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
