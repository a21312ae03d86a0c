//! `propusk-demo`: the three scenarios of Propusk, against a running provider, in one
//! process on one port.
//!
//! - Two integrators' web applications, App A and App B (confidential clients, code flow
//!   with PKCE, each with its own session): sign in, the ID token's claims and UserInfo.
//! - A product: an API built on `propusk-product` that the apps call with the person's
//!   access token, and the product's own web page, which signs the person in through
//!   Propusk (single sign-on) and keeps product accounts in a small JSON file, keyed by
//!   the subject the product sees in its access tokens: one account per person whichever
//!   app they came from.
//!
//! On start it registers the product and three clients with `propusk admin` (the same
//! configuration or database as the running provider), then serves.

mod apps;
mod args;
mod pages;
mod product;
mod register;
mod rp;
mod sessions;
mod site;

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "propusk_demo=info,propusk_product=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = args::Args::parse();
    match site::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("propusk-demo: {error}");
            ExitCode::FAILURE
        }
    }
}
