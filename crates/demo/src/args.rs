//! The command line of the demo.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "propusk-demo",
    about = "Two integrator apps and a product against a running Propusk: sign in, call the \
             product API with the person's token, and open the product's own page with single \
             sign-on, where one person is one product account whichever app they came from."
)]
pub struct Args {
    /// The running provider's issuer, exactly as its discovery document names it.
    #[arg(long, value_name = "URL", default_value = "http://localhost:8080")]
    pub issuer: String,
    /// Address the demo listens on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9000")]
    pub listen: SocketAddr,
    /// Host name of App A and of the product in their addresses.
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    pub host_a: String,
    /// Host name of App B: another host than App A's, so that the two apps are different
    /// sectors and see different pairwise subjects of the same person.
    #[arg(long, value_name = "HOST", default_value = "localhost")]
    pub host_b: String,
    /// The `propusk` binary that registers the demo (`propusk admin …`); default: the one
    /// beside this binary, else `target/{debug,release}/propusk`, else `propusk` on PATH.
    #[arg(long, value_name = "PATH")]
    pub propusk: Option<PathBuf>,
    /// The provider's configuration file, handed to `propusk admin`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The provider's database URL, handed to `propusk admin`.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// The provider's data directory (embedded database and master key), handed to
    /// `propusk admin`.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The product's own store of accounts: a JSON file, created when missing.
    #[arg(long, value_name = "FILE", default_value = "demo-product.json")]
    pub store: PathBuf,
    /// Also create this account (login) with `--password`, unless it exists.
    #[arg(long, value_name = "LOGIN", requires = "password")]
    pub user: Option<String>,
    /// The password of `--user`.
    #[arg(long, value_name = "PASSWORD", requires = "user")]
    pub password: Option<String>,
}
