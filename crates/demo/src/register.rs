//! Registration of the demo at the provider, through the operator's command line
//! (`propusk admin … --json`) pointed at the provider's configuration or database: the
//! product (which only the operator may create) and the three clients. Running the demo
//! again deletes and recreates the clients, so their redirect URIs follow the address
//! the demo listens on and their secrets are fresh; the product is kept as it is.

use crate::args::Args;
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The product's audience, also its introspection client's id.
pub const PRODUCT: &str = "demo-product";
/// The product's one scope: read the person's product data.
pub const PRODUCT_SCOPE: &str = "demo.read";

/// A client the demo registered, with the secret `client create` printed.
#[derive(Clone, Debug)]
pub struct Registered {
    pub secret: String,
    pub redirect_uri: String,
}

/// What `register_client` needs to know of one client.
pub struct ClientSpec<'a> {
    pub client_id: &'a str,
    pub name: &'a str,
    pub redirect_uri: String,
    pub scope: &'a str,
    /// The product's own page: first party, so no consent is asked.
    pub first_party: bool,
}

/// Runs `propusk admin` with the provider's configuration.
pub struct Admin {
    bin: PathBuf,
    global: Vec<OsString>,
}

impl Admin {
    pub fn from_args(args: &Args) -> Self {
        let bin = args.propusk.clone().unwrap_or_else(find_propusk);
        let mut global: Vec<OsString> = Vec::new();
        if let Some(config) = &args.config {
            global.extend(["--config".into(), config.into()]);
        }
        if let Some(url) = &args.database_url {
            global.extend(["--database-url".into(), url.into()]);
        }
        if let Some(dir) = &args.data_dir {
            global.extend(["--data-dir".into(), dir.into()]);
        }
        Self { bin, global }
    }

    /// `propusk admin ARGS --json`, its output parsed; the error line when it fails.
    async fn run(&self, args: &[&str]) -> Result<Value, String> {
        let output = tokio::process::Command::new(&self.bin)
            .arg("admin")
            .args(&self.global)
            .args(args)
            .arg("--json")
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .map_err(|e| format!("running {}: {e}", self.bin.display()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!(
                "propusk admin {}: {}",
                args.first().copied().unwrap_or_default(),
                stderr.trim()
            ));
        }
        serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("propusk admin {}: unreadable output: {e}", args.join(" ")))
    }

    /// The product with its scope, unless it exists; pairwise subjects derived from its
    /// audience, so that it sees one subject per person whichever app asks.
    pub async fn ensure_product(&self) -> Result<(), String> {
        let products = self.run(&["product", "list"]).await?;
        let exists = products
            .as_array()
            .is_some_and(|all| all.iter().any(|p| p["audience"] == PRODUCT));
        if exists {
            return Ok(());
        }
        self.run(&[
            "product",
            "create",
            "--audience",
            PRODUCT,
            "--name",
            "Demo product",
            "--scope",
            PRODUCT_SCOPE,
            "--subject-type",
            "pairwise",
        ])
        .await
        .map(drop)
    }

    /// A confidential web client with pairwise subjects (sector: the redirect URI's host),
    /// created afresh.
    pub async fn register_client(&self, spec: ClientSpec<'_>) -> Result<Registered, String> {
        // Absent on the first run: the error says so, and creation follows either way.
        let _ = self.run(&["client", "delete", spec.client_id]).await;
        let mut args = vec![
            "client",
            "create",
            "--client-id",
            spec.client_id,
            "--name",
            spec.name,
            "--redirect-uri",
            &spec.redirect_uri,
            "--scope",
            spec.scope,
            "--grant-type",
            "authorization_code",
            "--subject-type",
            "pairwise",
        ];
        if spec.first_party {
            args.push("--no-consent");
        }
        let created = self.run(&args).await?;
        let secret = created["client_secret"]
            .as_str()
            .ok_or_else(|| format!("client create {} printed no secret", spec.client_id))?;
        Ok(Registered {
            secret: secret.to_owned(),
            redirect_uri: spec.redirect_uri,
        })
    }

    /// The person to sign in as, unless an account with this login exists.
    pub async fn ensure_user(&self, login: &str, password: &str) {
        let created = self
            .run(&["user", "create", "--login", login, "--password", password])
            .await;
        if let Err(error) = created {
            tracing::info!(login, %error, "the account was not created (it may exist)");
        }
    }
}

/// `propusk` beside this binary (cargo puts both in the same target directory), else a
/// build of the workspace in the current directory, else the one on PATH.
fn find_propusk() -> PathBuf {
    let name = format!("propusk{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)));
    let candidates = beside.into_iter().chain(
        ["target/debug", "target/release"]
            .iter()
            .map(|dir| Path::new(dir).join(&name)),
    );
    for candidate in candidates {
        if candidate.is_file() {
            return candidate;
        }
    }
    PathBuf::from(name)
}
