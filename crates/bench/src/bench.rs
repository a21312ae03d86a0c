//! The comparison: the workloads, what each server gets for them, and the schedule — for
//! each workload a warm-up per server, then rounds of Propusk, peer, Propusk, peer …

use crate::crypto;
use crate::http::{self, Target};
use crate::load::{self, Job};
use crate::proc::{self, Server};
use crate::setup::{self, JWT_PRODUCTS, REF_PRODUCT, Secrets, Tokens};
use hyper::header::AUTHORIZATION;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the issue asks of a workload.
#[derive(Clone, Copy)]
pub enum Goal {
    /// Propusk's requests/s at least this many times the peer's.
    Ratio(f64),
    /// Propusk alone, at least this many operations per second.
    Rate(f64),
    Report,
}

/// What one server gets for a workload.
pub enum Plan {
    Run(Arc<Job>),
    /// Not a server: an in-process baseline measured in the peer's turn (answers ops/s).
    InProcess(fn(Duration) -> Result<f64, String>),
    NotApplicable(String),
    Failed(String),
}

pub struct Workload {
    pub id: &'static str,
    pub name: &'static str,
    pub goal: Goal,
    /// Propusk, peer.
    pub plans: [Plan; 2],
}

/// Everything measured for one workload on one server, over all rounds.
#[derive(Default)]
pub struct Measured {
    pub rates: Vec<f64>,
    pub ops: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub latencies: Vec<u32>,
    pub cpu_seconds: f64,
    /// The load generator's own CPU seconds.
    pub client_cpu_seconds: f64,
    /// The database cluster's CPU seconds during this server's runs (`--pg`, Propusk only).
    pub db_cpu_seconds: Option<f64>,
    pub peak_rss_kb: u64,
    /// An in-process baseline: rates only.
    pub in_process: bool,
}

impl Measured {
    pub fn median_rate(&self) -> f64 {
        median(&self.rates)
    }
    /// Server CPU seconds per 1,000 operations.
    pub fn cpu_per_1k(&self) -> f64 {
        self.cpu_seconds * 1000.0 / (self.ops.max(1) as f64)
    }
    pub fn db_cpu_per_1k(&self) -> Option<f64> {
        self.db_cpu_seconds
            .map(|s| s * 1000.0 / (self.ops.max(1) as f64))
    }
    pub fn client_cpu_per_1k(&self) -> f64 {
        self.client_cpu_seconds * 1000.0 / (self.ops.max(1) as f64)
    }
    /// Latency quantile in milliseconds (latencies are sorted after the run).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let Some(last) = self.latencies.len().checked_sub(1) else {
            return 0.0;
        };
        let index = ((last as f64) * q).round() as usize;
        f64::from(self.latencies[index.min(last)]) / 1000.0
    }
    pub fn healthy(&self) -> bool {
        self.errors == 0 && self.ops > 0
    }
}

pub enum Cell {
    Ran(Measured),
    NotApplicable(String),
    Failed(String),
}

pub struct Row {
    pub id: &'static str,
    pub name: &'static str,
    pub goal: Goal,
    pub cells: [Cell; 2],
}

pub struct Schedule {
    pub rounds: usize,
    pub duration: Duration,
    pub warmup: Duration,
    pub conns: usize,
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Every workload id, in the order they run.
pub const IDS: [&str; 12] = [
    "cc-rs256",
    "cc-es256",
    "cc-eddsa",
    "cc-ref",
    "discovery",
    "introspect",
    "userinfo",
    "refresh",
    "code-flow",
    "code-flow-es256",
    "sign-in-page",
    "sign-in",
];

/// Whether a workload presents tokens that must be obtained first.
pub fn needs_tokens(id: &str) -> bool {
    matches!(
        id,
        "introspect" | "userinfo" | "refresh" | "code-flow" | "code-flow-es256"
    )
}

/// Both servers' inputs for workload `id`.
pub fn workload(
    id: &str,
    targets: [&Target; 2],
    secrets: &Secrets,
    tokens: [&Tokens; 2],
) -> Option<Workload> {
    let client = http::basic("bench", &secrets.client);
    let client = client.as_str();
    let web = http::basic("bench-web", &secrets.web);
    let web_es256 = http::basic(setup::WEB_ES256, &secrets.web);
    let product = http::basic(REF_PRODUCT, &secrets.product);
    let for_each = |make: &dyn Fn(&Target, &Tokens) -> Plan| -> [Plan; 2] {
        [make(targets[0], tokens[0]), make(targets[1], tokens[1])]
    };
    let cc = |scope: &'static str| {
        for_each(&move |t, _| {
            let body = http::form(&[("grant_type", "client_credentials"), ("scope", scope)]);
            fixed(t.post("/connect/token", &[(AUTHORIZATION, client)], body))
        })
    };
    let propusk_only = |job: &dyn Fn(&Target, &Tokens) -> Result<Job, String>| -> [Plan; 2] {
        let plan = job(targets[0], tokens[0]).map_or_else(Plan::Failed, |j| Plan::Run(Arc::new(j)));
        [plan, Plan::NotApplicable("Propusk only".into())]
    };
    let all = vec![
        Workload {
            id: "cc-rs256",
            name: "client_credentials, RS256 JWT",
            goal: Goal::Ratio(1.5),
            plans: cc(JWT_PRODUCTS[0].0),
        },
        Workload {
            id: "cc-es256",
            name: "client_credentials, ES256 JWT",
            goal: Goal::Ratio(4.0),
            plans: cc(JWT_PRODUCTS[1].0),
        },
        Workload {
            id: "cc-eddsa",
            name: "client_credentials, EdDSA JWT",
            goal: Goal::Ratio(4.0),
            plans: cc(JWT_PRODUCTS[2].0),
        },
        Workload {
            id: "cc-ref",
            name: "client_credentials, reference token",
            goal: Goal::Ratio(2.0),
            plans: cc(REF_PRODUCT),
        },
        Workload {
            id: "discovery",
            name: "discovery",
            goal: Goal::Ratio(3.0),
            plans: for_each(&|t, _| fixed(t.get("/.well-known/openid-configuration", &[]))),
        },
        Workload {
            id: "introspect",
            name: "introspection (reference token)",
            goal: Goal::Ratio(3.0),
            plans: for_each(&|t, k| match &k.reference {
                Ok(token) => fixed(t.post(
                    "/connect/introspect",
                    &[(AUTHORIZATION, &product)],
                    http::form(&[("token", token)]),
                )),
                Err(e) => Plan::Failed(e.clone()),
            }),
        },
        Workload {
            id: "userinfo",
            name: "userinfo",
            goal: Goal::Ratio(3.0),
            plans: for_each(&|t, k| match &k.access {
                Ok(token) => fixed(t.get(
                    "/connect/userinfo",
                    &[(AUTHORIZATION, &format!("Bearer {token}"))],
                )),
                Err(e) => Plan::Failed(e.clone()),
            }),
        },
        Workload {
            id: "refresh",
            name: "refresh (rotating)",
            goal: Goal::Report,
            plans: for_each(&|t, k| match &k.refresh {
                Ok(tokens) => {
                    let tokens = tokens.iter().cloned().map(Mutex::new).collect();
                    plan(Job::Refresh {
                        target: t.clone(),
                        auth: web.clone(),
                        tokens,
                    })
                }
                Err(e) => Plan::Failed(e.clone()),
            }),
        },
        Workload {
            id: "code-flow",
            name: "code flow with SSO session (authorize → token → userinfo), RS256 ID token",
            goal: Goal::Rate(1500.0),
            plans: propusk_only(&|t, k| code_flow(t, k, "bench-web", &web)),
        },
        Workload {
            id: "code-flow-es256",
            name: "code flow with SSO session (authorize → token → userinfo), ES256 ID token",
            goal: Goal::Rate(3000.0),
            plans: propusk_only(&|t, k| code_flow(t, k, setup::WEB_ES256, &web_es256)),
        },
        Workload {
            id: "sign-in-page",
            name: "authorize without a session → sign-in page (rendered)",
            goal: Goal::Report,
            plans: propusk_only(&|t, _| {
                Ok(Job::SignInPage {
                    target: t.clone(),
                    authorize: setup::authorize(t, "openid", None),
                })
            }),
        },
        Workload {
            id: "sign-in",
            name: "password sign-in (peer column: raw argon2id hashes in-process)",
            goal: Goal::Report,
            plans: [
                plan(Job::SignIn {
                    target: targets[0].clone(),
                    authorize: setup::authorize(targets[0], "openid", None),
                    login: setup::LOGIN.into(),
                    password: secrets.password.clone(),
                }),
                Plan::InProcess(crypto::argon2id_all_cores),
            ],
        },
    ];
    all.into_iter().find(|w| w.id == id)
}

/// Code flows of `client_id` from the SSO session: authorize, redeem, userinfo.
fn code_flow(t: &Target, k: &Tokens, client_id: &str, auth: &str) -> Result<Job, String> {
    let session = k.session.as_deref().map_err(Clone::clone)?;
    let authorize = setup::authorize_for(t, client_id, "openid profile email", Some(session));
    Ok(Job::CodeFlow {
        target: t.clone(),
        authorize,
        auth: auth.to_owned(),
        redirect_uri: setup::REDIRECT_URI.into(),
    })
}

fn fixed(req: http::Req) -> Plan {
    plan(Job::Fixed(req))
}

fn plan(job: Job) -> Plan {
    Plan::Run(Arc::new(job))
}

/// Runs one workload on both servers, alternating.
pub async fn run(
    servers: &mut [Server; 2],
    w: Workload,
    s: &Schedule,
    db: Option<&crate::pg::Database>,
) -> Row {
    let mut cells = w.plans.each_ref().map(|plan| match plan {
        Plan::Run(_) => Cell::Ran(Measured::default()),
        Plan::InProcess(_) => Cell::Ran(Measured {
            in_process: true,
            ..Measured::default()
        }),
        Plan::NotApplicable(why) => Cell::NotApplicable(why.clone()),
        Plan::Failed(why) => Cell::Failed(why.clone()),
    });
    for (server, plan) in servers.iter().zip(&w.plans) {
        if let Plan::Run(job) = plan {
            load::run(server.target.addr, Arc::clone(job), s.conns, s.warmup).await;
            server.reset_peak();
        }
    }
    for round in 1..=s.rounds {
        for (i, server) in servers.iter_mut().enumerate() {
            let Cell::Ran(m) = &mut cells[i] else {
                continue;
            };
            let job = match &w.plans[i] {
                Plan::Run(job) => job,
                Plan::InProcess(baseline) => {
                    let (baseline, duration) = (*baseline, s.duration);
                    let rate = tokio::task::spawn_blocking(move || baseline(duration)).await;
                    match rate.map_err(|e| e.to_string()).and_then(|r| r) {
                        Ok(rate) => {
                            m.rates.push(rate);
                            m.ops += (rate * duration.as_secs_f64()).round() as u64;
                        }
                        Err(e) => (m.errors, m.first_error) = (m.errors + 1, Some(e)),
                    }
                    eprintln!(
                        "  {:<10} {:<8} round {round}: {:>9.1} /s",
                        w.id,
                        "baseline",
                        m.rates.last().unwrap_or(&0.0)
                    );
                    continue;
                }
                _ => continue,
            };
            if !server.running() {
                cells[i] = Cell::Failed(format!("{} is not running any more", server.name));
                continue;
            }
            let (cpu, own) = (server.cpu_seconds(), proc::cpu_seconds("/proc/self/stat"));
            // Only Propusk (the first server) talks to the database.
            let db_cpu = db.filter(|_| i == 0).and_then(|d| d.cpu_seconds());
            let out = load::run(server.target.addr, Arc::clone(job), s.conns, s.duration).await;
            m.cpu_seconds += server.cpu_seconds() - cpu;
            m.client_cpu_seconds += proc::cpu_seconds("/proc/self/stat") - own;
            if let (Some(before), Some(after)) = (db_cpu, db.and_then(|d| d.cpu_seconds())) {
                m.db_cpu_seconds = Some(m.db_cpu_seconds.unwrap_or(0.0) + after - before);
            }
            eprintln!(
                "  {:<10} {:<8} round {round}: {:>9.1} /s, {} errors",
                w.id,
                server.name,
                out.rate(),
                out.errors
            );
            m.rates.push(out.rate());
            m.ops += out.ops;
            m.errors += out.errors;
            m.first_error = m.first_error.take().or(out.first_error);
            m.latencies.extend_from_slice(&out.latencies);
        }
    }
    for (cell, server) in cells.iter_mut().zip(servers.iter()) {
        if let Cell::Ran(m) = cell {
            m.latencies.sort_unstable();
            if !m.in_process {
                m.peak_rss_kb = server.peak_rss_kb();
            }
        }
    }
    Row {
        id: w.id,
        name: w.name,
        goal: w.goal,
        cells,
    }
}
