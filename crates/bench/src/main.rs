//! `propusk-bench`: Propusk and node `oidc-provider` side by side on loopback, same client,
//! same connections, same duration, A B A B; prints a Markdown table of ratios and writes it
//! with an SVG chart to `results/bench-<timestamp>/`. Run it through `scripts/bench`.

mod bench;
mod crypto;
mod http;
mod load;
mod pg;
mod proc;
mod report;
mod setup;

use clap::Parser;
use http::Target;
use proc::Server;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(about = "Benchmark Propusk against node oidc-provider")]
struct Args {
    /// One round of 2 s, client_credentials ES256 only; fails unless both servers answer 200s.
    #[arg(long)]
    smoke: bool,
    /// Run Propusk on PostgreSQL (PROPUSK_BENCH_DATABASE_URL, or a throwaway cluster).
    #[arg(long)]
    pg: bool,
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Seconds per round and server.
    #[arg(long, default_value_t = 4.0)]
    duration: f64,
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Workload ids to run (comma-separated): cc-rs256 cc-es256 cc-eddsa cc-ref discovery
    /// introspect userinfo refresh code-flow code-flow-es256 sign-in-page sign-in.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    #[arg(long, default_value = "target/release/propusk")]
    propusk: PathBuf,
    /// Folder of the peer (bench/peer, with node_modules installed).
    #[arg(long, default_value = "bench/peer")]
    peer: PathBuf,
    #[arg(long, default_value = "results")]
    results: PathBuf,
}

fn main() -> ExitCode {
    let mut args = Args::parse();
    if args.smoke {
        (args.rounds, args.duration, args.only) = (1, 2.0, vec!["cc-es256".into()]);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&e.to_string()),
    };
    match runtime.block_on(run(&args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => fail("a server did not answer every request with a 2xx (see Notes above)"),
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("propusk-bench: {message}");
    ExitCode::FAILURE
}

/// Runs the comparison; answers whether every run was clean.
async fn run(args: &Args) -> Result<bool, String> {
    let out = args.results.join(format!("bench-{}", timestamp()));
    let guard = Scratch(std::env::temp_dir().join(format!("propusk-bench-{}", std::process::id())));
    let scratch = &guard.0;
    for dir in [&out, scratch] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let cluster = if args.pg {
        Some(pg::Database::get()?)
    } else {
        None
    };
    let database_url = match &cluster {
        Some(db) => db.url.clone(),
        None => format!("sqlite://{}/propusk.db?mode=rwc", scratch.display()),
    };
    eprintln!(
        "propusk-bench: provisioning Propusk ({})",
        if args.pg { "PostgreSQL" } else { "SQLite" }
    );
    let secrets = setup::provision(&args.propusk, &database_url, scratch)?;
    let targets = [
        Target::new(([127, 0, 0, 1], proc::free_port()?).into()),
        Target::new(([127, 0, 0, 1], proc::free_port()?).into()),
    ];
    let propusk = Server::start(
        "propusk",
        propusk_command(args, &database_url, scratch, &targets[0]),
        targets[0].clone(),
        &out.join("propusk.log"),
    )
    .await?;
    let peer = Server::start(
        "peer",
        peer_command(args, &secrets, &targets[1])?,
        targets[1].clone(),
        &out.join("peer.log"),
    )
    .await?;
    let mut servers = [propusk, peer];
    eprintln!("propusk-bench: both servers ready");
    let schedule = bench::Schedule {
        rounds: args.rounds.max(1),
        duration: Duration::from_secs_f64(args.duration),
        warmup: Duration::from_secs_f64((args.duration / 4.0).clamp(0.5, 2.0)),
        conns: args.connections.max(1),
    };
    let mut rows = Vec::new();
    for id in bench::IDS
        .into_iter()
        .filter(|id| args.only.is_empty() || args.only.iter().any(|o| o == id))
    {
        // Just before the workload: the peer's in-memory store keeps only its last ~1,000 entries.
        let tokens = if bench::needs_tokens(id) {
            [
                setup::propusk_tokens(&targets[0], &secrets, schedule.conns).await?,
                setup::peer_tokens(&targets[1], &secrets, schedule.conns).await?,
            ]
        } else {
            [setup::Tokens::none(), setup::Tokens::none()]
        };
        if let Some(w) = bench::workload(
            id,
            [&targets[0], &targets[1]],
            &secrets,
            [&tokens[0], &tokens[1]],
        ) {
            rows.push(bench::run(&mut servers, w, &schedule, cluster.as_ref()).await);
        }
    }
    let ready_ms = servers.each_ref().map(|s| s.ready.as_secs_f64() * 1e3);
    let idle_rss_kb = servers.each_ref().map(|s| s.idle_rss_kb);
    drop(servers);

    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let rs256_sign_s = rows
        .iter()
        .any(|r| r.id == "cc-rs256" || r.id == "code-flow")
        .then(|| crypto::rs256_sign_seconds(Duration::from_secs(2)).ok())
        .flatten();
    let extras = report::Extras {
        ready_ms,
        idle_rss_kb,
        rs256_sign_s,
    };
    let header = format!(
        "## Propusk vs oidc-provider: {} rounds × {} s, {} connections, {}, {threads} CPUs\n\nCommand: `scripts/bench{}`",
        schedule.rounds,
        args.duration,
        schedule.conns,
        if args.pg { "PostgreSQL" } else { "SQLite" },
        shown_args()
    );
    let md = report::markdown(&rows, &extras, &header);
    println!("{md}");
    write(&out.join("results.md"), &md)?;
    write(&out.join("chart.svg"), &report::svg(&rows))?;
    eprintln!("propusk-bench: wrote {}", out.display());
    let clean = |c: &bench::Cell| {
        matches!(c, bench::Cell::NotApplicable(_))
            || matches!(c, bench::Cell::Ran(m) if m.healthy())
    };
    Ok(rows.iter().all(|r| r.cells.iter().all(clean)))
}

/// The fresh data folder of this run (database, master key), removed at the end.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _removed = std::fs::remove_dir_all(&self.0);
    }
}

/// The command-line arguments as typed to `scripts/bench` (without the paths it adds).
fn shown_args() -> String {
    let mut shown = String::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--propusk" || arg == "--peer" {
            args.next();
        } else {
            shown.push(' ');
            shown.push_str(&arg);
        }
    }
    shown
}

fn propusk_command(args: &Args, database_url: &str, dir: &Path, target: &Target) -> Command {
    let mut cmd = Command::new(&args.propusk);
    cmd.arg("serve")
        .args([
            "--listen",
            &target.addr.to_string(),
            "--issuer",
            &target.base(),
            "--database-url",
            database_url,
        ])
        .arg("--data-dir")
        .arg(dir);
    cmd
}

fn peer_command(args: &Args, secrets: &setup::Secrets, target: &Target) -> Result<Command, String> {
    let script = args.peer.join("server.mjs");
    if !args.peer.join("node_modules/oidc-provider").is_dir() {
        return Err(format!(
            "{}: run `npm ci` there first (scripts/bench does)",
            args.peer.display()
        ));
    }
    let mut cmd = Command::new("node");
    cmd.arg(script)
        .env("PORT", target.addr.port().to_string())
        .env("CLIENT_SECRET", &secrets.client)
        .env("WEB_SECRET", &secrets.web)
        .env("RS_SECRET", &secrets.product)
        .env("NODE_ENV", "production");
    Ok(cmd)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// UTC `YYYYMMDD-HHMMSS` of now.
fn timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
