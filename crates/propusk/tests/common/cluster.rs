//! Several `propusk serve` nodes over one throwaway PostgreSQL cluster (made by
//! `scripts/pg-throwaway`, which the test can halt and resume), sharing a master key and
//! an issuer, and a client that signs a user in once and then runs code flows across the
//! nodes with every step fallible, so that a test can count what failed when.

use super::{Server, TestDir};
use propusk_testkit::Browser;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub const LOGIN: &str = "alice";
pub const PASSWORD: &str = "correct horse battery staple";
pub const CLIENT_ID: &str = "web";
pub const REDIRECT_URI: &str = "https://rp.example/cb";
/// `propusk admin` arguments that create the account `alice`.
pub const ALICE: [&str; 8] = [
    "user",
    "create",
    "--login",
    LOGIN,
    "--password",
    PASSWORD,
    "--email",
    "alice@example.com",
];
/// `propusk admin` arguments that register the client `web`: confidential, code and
/// refresh grants, no consent.
pub const WEB_CLIENT: [&str; 15] = [
    "client",
    "create",
    "--client-id",
    CLIENT_ID,
    "--name",
    "Web",
    "--redirect-uri",
    REDIRECT_URI,
    "--scope",
    "openid profile email offline_access",
    "--grant-type",
    "authorization_code",
    "--grant-type",
    "refresh_token",
    "--no-consent",
];
/// A PKCE verifier and its S256 challenge (RFC 7636 Appendix B).
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-throwaway")
}

/// A PostgreSQL cluster of this test alone, removed when dropped.
pub struct Pg {
    dir: String,
    pub url: String,
}

impl Pg {
    /// A cluster whose acknowledged commits survive [`Pg::halt`].
    pub fn start() -> Self {
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .env("PROPUSK_PG_DURABLE", "1")
            .output()
            .expect("run pg-throwaway");
        assert!(
            out.status.success(),
            "pg-throwaway start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let value = |prefix: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .map(|v| v.trim_matches(['\'', '"']).to_owned())
                .unwrap_or_else(|| panic!("no {prefix} in {text}"))
        };
        Self {
            dir: value("PROPUSK_PG_DIR="),
            url: value("export PROPUSK_TEST_DATABASE_URL="),
        }
    }

    /// A handle that halts and resumes the server from another thread.
    pub fn control(&self) -> PgControl {
        PgControl {
            dir: self.dir.clone(),
        }
    }
}

#[derive(Clone)]
pub struct PgControl {
    dir: String,
}

impl PgControl {
    fn run(&self, verb: &str) {
        let out = Command::new("bash")
            .arg(script())
            .args([verb, &self.dir])
            .output()
            .expect("run pg-throwaway");
        assert!(
            out.status.success(),
            "pg-throwaway {verb} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops the server at once (as a crash would), keeping the data.
    pub fn halt(&self) {
        self.run("halt");
    }

    /// Starts the server again on the same port.
    pub fn resume(&self) {
        self.run("resume");
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .args(["stop", &self.dir])
            .output();
    }
}

/// A port free at the time of asking, below the kernel's range of ephemeral ports (which
/// other tests' `127.0.0.1:0` binds take from), so that it is likely still free when the
/// node binds it; [`Cluster::start`] tries again when it is not.
pub fn free_port() -> u16 {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    for i in 0..1000u32 {
        let port = 10_000 + (seed.wrapping_add(i.wrapping_mul(7_919)) % 20_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port between 10000 and 30000")
}

pub struct Cluster {
    pub dir: TestDir,
    pub pg: Pg,
    pub issuer: String,
    master_key: String,
    ports: Vec<u16>,
    pub nodes: Vec<Option<Server>>,
    pub client_secret: String,
}

impl Cluster {
    /// A database with the account `alice` and the confidential client `web` (no consent,
    /// code and refresh grants), and `count` nodes serving it; node 0's address is the
    /// issuer of all of them.
    pub fn start(name: &str, count: usize) -> Self {
        let dir = TestDir::new(name);
        let pg = Pg::start();
        let ports: Vec<u16> = (0..count).map(|_| free_port()).collect();
        let mut cluster = Self {
            dir,
            pg,
            issuer: format!("http://127.0.0.1:{}", ports[0]),
            master_key: "5f".repeat(32),
            ports,
            nodes: Vec::new(),
            client_secret: String::new(),
        };
        cluster.admin(&ALICE);
        let client = cluster.admin(&WEB_CLIENT);
        cluster.client_secret = client["client_secret"]
            .as_str()
            .expect("client_secret")
            .to_owned();
        for attempt in 1..=3 {
            match cluster.spawn_all(count) {
                Ok(()) => return cluster,
                Err(log) if attempt < 3 => {
                    eprintln!("a node did not start (attempt {attempt}), new ports:\n{log}");
                    cluster.ports = (0..count).map(|_| free_port()).collect();
                    cluster.issuer = format!("http://127.0.0.1:{}", cluster.ports[0]);
                }
                Err(log) => panic!("the nodes did not start:\n{log}"),
            }
        }
        cluster
    }

    fn spawn_all(&mut self, count: usize) -> Result<(), String> {
        for node in 0..count {
            match self.spawn(node) {
                Ok(server) => self.nodes.push(Some(server)),
                Err(log) => {
                    for mut server in self.nodes.drain(..).flatten() {
                        server.kill();
                    }
                    return Err(log);
                }
            }
        }
        Ok(())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = self.dir.bare_command(args);
        command
            .env("PROPUSK_DATABASE_URL", &self.pg.url)
            .env("PROPUSK_MASTER_KEY", &self.master_key)
            .env("PROPUSK_ISSUER", &self.issuer)
            .env("PROPUSK_DATA_DIR", self.dir.data_dir());
        command
    }

    /// `propusk admin ARGS… --json` against the cluster's database.
    pub fn admin(&self, args: &[&str]) -> Value {
        let mut full = vec!["admin"];
        full.extend_from_slice(args);
        full.push("--json");
        let out = self.command(&full).output().expect("run propusk admin");
        assert!(
            out.status.success(),
            "propusk {full:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    fn spawn(&self, node: usize) -> Result<Server, String> {
        let listen = format!("127.0.0.1:{}", self.ports[node]);
        let mut command = self.command(&["serve", "--listen", &listen]);
        command
            .env("PROPUSK_SHUTDOWN_GRACE_SECONDS", "1")
            .env("PROPUSK_LOG_FORMAT", "json")
            .env(
                "PROPUSK_LOG",
                "info,propusk=debug,propusk_core=debug,propusk_web=debug,propusk_store=debug",
            );
        Server::try_spawn(command, self.dir.path.join(format!("node-{node}.log")))
    }

    pub fn base(&self, node: usize) -> String {
        format!("http://127.0.0.1:{}", self.ports[node])
    }

    /// Kills the node with SIGKILL.
    pub fn kill(&mut self, node: usize) {
        if let Some(mut server) = self.nodes[node].take() {
            server.kill();
        }
    }

    pub fn logs(&self) -> String {
        self.nodes
            .iter()
            .flatten()
            .map(|s| s.log_text())
            .collect::<Vec<_>>()
            .join("\n----\n")
    }

    /// A browser signed in as `alice` (through node 0, the issuer's address).
    pub async fn signed_in_browser(&self) -> Browser {
        let browser = Browser::new(&self.issuer);
        let url = url::Url::parse(&authorize_url(&self.issuer, "first")).expect("url");
        let answer = browser.authorize(&url, LOGIN, PASSWORD).await;
        assert!(
            answer.param("code").is_some(),
            "the first sign-in gave a code"
        );
        browser
    }
}

pub fn authorize_url(base: &str, state: &str) -> String {
    let mut url = url::Url::parse(&format!("{base}/connect/authorize")).expect("url");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", "openid profile email offline_access")
        .append_pair("state", state)
        .append_pair("nonce", "n")
        .append_pair("code_challenge", CHALLENGE)
        .append_pair("code_challenge_method", "S256");
    url.into()
}

/// Tokens as a token endpoint answered them.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

/// One step of a flow: the request went out, the answer is what it is.
pub type Step<T> = Result<T, String>;

/// A signed-in user agent and the client's credentials, making fallible requests.
pub struct Agent<'a> {
    pub http: &'a reqwest::Client,
    pub secret: &'a str,
}

impl Agent<'_> {
    /// GET authorize on `base` with the SSO session: the code of the 303 to the client.
    pub async fn code(&self, base: &str, state: &str) -> Step<String> {
        let response = self
            .http
            .get(authorize_url(base, state))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("authorize: {e}"))?;
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| {
                format!(
                    "authorize answered {} without a redirect",
                    response.status()
                )
            })?;
        let url = url::Url::parse(&location).map_err(|e| format!("location {location}: {e}"))?;
        if !location.starts_with(REDIRECT_URI) {
            return Err(format!("authorize redirected to {location}"));
        }
        url.query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| format!("no code in {location}"))
    }

    async fn token(&self, base: &str, form: &[(&str, &str)]) -> Step<(u16, Value)> {
        let response = self
            .http
            .post(format!("{base}/connect/token"))
            .basic_auth(CLIENT_ID, Some(self.secret))
            .form(form)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("token: {e}"))?;
        let status = response.status().as_u16();
        let body: Value = response
            .json()
            .await
            .map_err(|e| format!("token body: {e}"))?;
        Ok((status, body))
    }

    fn tokens(status: u16, body: &Value) -> Step<Tokens> {
        if status != 200 {
            return Err(format!("token endpoint answered {status}: {body}"));
        }
        let get = |name: &str| {
            body[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("no {name} in {body}"))
        };
        Ok(Tokens {
            access_token: get("access_token")?,
            refresh_token: get("refresh_token")?,
        })
    }

    /// Redeems `code` at `base`: the status and body as answered.
    pub async fn redeem(&self, base: &str, code: &str) -> Step<(u16, Value)> {
        self.token(
            base,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT_URI),
                ("code_verifier", VERIFIER),
            ],
        )
        .await
    }

    pub async fn exchange(&self, base: &str, code: &str) -> Step<Tokens> {
        let (status, body) = self.redeem(base, code).await?;
        Self::tokens(status, &body)
    }

    /// Uses `refresh_token` at `base`: the status and body as answered.
    pub async fn use_refresh(&self, base: &str, refresh_token: &str) -> Step<(u16, Value)> {
        self.token(
            base,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
        )
        .await
    }

    pub async fn refresh(&self, base: &str, refresh_token: &str) -> Step<Tokens> {
        let (status, body) = self.use_refresh(base, refresh_token).await?;
        Self::tokens(status, &body)
    }

    /// GET userinfo at `base`: the `sub` it answered.
    pub async fn userinfo(&self, base: &str, access_token: &str) -> Step<String> {
        let response = self
            .http
            .get(format!("{base}/connect/userinfo"))
            .bearer_auth(access_token)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("userinfo: {e}"))?;
        let status = response.status().as_u16();
        let body: Value = response
            .json()
            .await
            .map_err(|e| format!("userinfo body ({status}): {e}"))?;
        if status != 200 {
            return Err(format!("userinfo answered {status}: {body}"));
        }
        body["sub"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no sub in {body}"))
    }

    /// Introspects with the client's own credentials: whether the token is active.
    pub async fn active(&self, base: &str, token: &str) -> Step<bool> {
        let response = self
            .http
            .post(format!("{base}/connect/introspect"))
            .basic_auth(CLIENT_ID, Some(self.secret))
            .form(&[("token", token)])
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("introspect: {e}"))?;
        let body: Value = response
            .json()
            .await
            .map_err(|e| format!("introspect body: {e}"))?;
        body["active"]
            .as_bool()
            .ok_or_else(|| format!("introspection answered {body}"))
    }
}
