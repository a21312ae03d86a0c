//! Three nodes over one PostgreSQL behave as one provider: a code flow crosses them; an
//! admin change made through any process is used by every node within the second; and
//! under faults (a node killed with SIGKILL, the database halted and resumed) no code or
//! refresh token is accepted twice, nothing a node acknowledged is lost, the survivors
//! keep answering, and every node serves again soon after the database is back.

mod common;

use common::cluster::{Agent, Cluster, Tokens};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

async fn client_credentials(base: &str, id: &str, secret: &str, scope: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/connect/token"))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials"), ("scope", scope)])
        .send()
        .await
        .expect("token request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// Repeats `attempt` until it is true; the time it took, or a failure after `limit`.
async fn within<F, Fut>(limit: Duration, what: &str, mut attempt: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if attempt().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_crosses_three_nodes_and_admin_changes_reach_every_node_at_once() {
    let cluster = Cluster::start("cluster-flow", 3);
    let browser = cluster.signed_in_browser().await;
    let agent = Agent {
        http: browser.http(),
        secret: &cluster.client_secret,
    };
    let (a, b, c) = (cluster.base(0), cluster.base(1), cluster.base(2));
    let mut secrets = vec![cluster.client_secret.clone()];
    for round in 0..3 {
        let code = agent.code(&a, &format!("r{round}")).await.expect("code");
        let tokens = agent.exchange(&b, &code).await.expect("token on B");
        secrets.extend([
            code,
            tokens.access_token.clone(),
            tokens.refresh_token.clone(),
        ]);
        let sub = agent
            .userinfo(&c, &tokens.access_token)
            .await
            .expect("userinfo on C");
        assert!(!sub.is_empty());
        let renewed = agent
            .refresh(&a, &tokens.refresh_token)
            .await
            .expect("refresh on A");
        assert_ne!(renewed.refresh_token, tokens.refresh_token);
        secrets.extend([renewed.access_token.clone(), renewed.refresh_token.clone()]);
        for base in [&a, &b, &c] {
            assert!(
                agent
                    .active(base, &renewed.access_token)
                    .await
                    .expect("introspect")
            );
        }
    }

    // A product and a client created by `propusk admin`: each node still holds the
    // product list it cached before.
    cluster.admin(&[
        "product",
        "create",
        "--audience",
        "old.api",
        "--scope",
        "old.api",
    ]);
    let service = cluster.admin(&[
        "client",
        "create",
        "--client-id",
        "svc",
        "--name",
        "Service",
        "--grant-type",
        "client_credentials",
        "--scope",
        "old.api new.api",
    ]);
    let secret = service["client_secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    for base in [&a, &b, &c] {
        within(Duration::from_secs(1), "the old product", || async {
            client_credentials(base, "svc", &secret, "old.api").await.0 == 200
        })
        .await;
        let (status, body) = client_credentials(base, "svc", &secret, "new.api").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_scope"))
        );
    }
    cluster.admin(&[
        "product",
        "create",
        "--audience",
        "new.api",
        "--scope",
        "new.api",
    ]);
    for base in [&c, &b, &a] {
        let took = within(Duration::from_secs(1), "the new product", || async {
            client_credentials(base, "svc", &secret, "new.api").await.0 == 200
        })
        .await;
        eprintln!("{base}: new product used after {took:?}");
    }

    // A new api-key works everywhere within the second; a deleted client stops everywhere.
    let added = cluster.admin(&["client", "secret", "add", "svc"]);
    let second = added["client_secret"].as_str().expect("secret").to_owned();
    for base in [&b, &c] {
        within(Duration::from_secs(1), "the new api-key", || async {
            client_credentials(base, "svc", &second, "old.api").await.0 == 200
        })
        .await;
    }
    cluster.admin(&["client", "delete", "svc"]);
    for base in [&a, &b, &c] {
        within(
            Duration::from_secs(1),
            "the deleted client refused",
            || async { client_credentials(base, "svc", &secret, "old.api").await.0 == 401 },
        )
        .await;
    }
}

/// What the fault test saw of one flow.
#[derive(Default)]
struct Tally {
    /// Final tokens of flows whose every step a node answered with success.
    kept: Vec<Tokens>,
    /// Failures while no fault was in progress (a survivor failing).
    unexpected: Vec<String>,
    /// Failures during the database restart (allowed).
    during_restart: usize,
    flows: usize,
    /// Flows that were in progress while the database was down (each failed, or waited
    /// and succeeded once it was back).
    overlapped_outage: usize,
    /// A code or refresh token accepted a second time.
    accepted_twice: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_lose_nothing_acknowledged_and_accept_nothing_twice() {
    let mut cluster = Cluster::start("cluster-faults", 3);
    let browser = cluster.signed_in_browser().await;
    let secret = cluster.client_secret.clone();
    let bases: Vec<String> = (0..3).map(|n| cluster.base(n)).collect();
    let mut tally = Tally::default();
    let started = Instant::now();
    let mut killed = false;
    // The database restart runs beside the traffic: halted at 12 s, resumed 3 s later.
    let restart: Arc<Mutex<(Option<Instant>, Option<Instant>)>> = Arc::default();
    let choreography = tokio::task::spawn_blocking({
        let pg = cluster.pg.control();
        let restart = restart.clone();
        move || {
            std::thread::sleep(Duration::from_secs(12));
            restart.lock().unwrap_or_else(|e| e.into_inner()).0 = Some(Instant::now());
            pg.halt();
            std::thread::sleep(Duration::from_secs(3));
            pg.resume();
            restart.lock().unwrap_or_else(|e| e.into_inner()).1 = Some(Instant::now());
        }
    });
    let phase = || *restart.lock().unwrap_or_else(|e| e.into_inner());
    let mut back_on: Vec<Option<Duration>> = vec![None; 3];
    let mut flow = 0usize;

    while started.elapsed() < Duration::from_secs(30) {
        let now = started.elapsed();
        if !killed && now >= Duration::from_secs(5) {
            cluster.kill(2);
            killed = true;
        }
        let live: Vec<&String> = if killed {
            bases[..2].iter().collect()
        } else {
            bases.iter().collect()
        };
        let (a, b) = (live[flow % live.len()], live[(flow + 1) % live.len()]);
        flow += 1;
        let agent = Agent {
            http: browser.http(),
            secret: &secret,
        };
        let began = Instant::now();
        let outcome = one_flow(&agent, a, b, flow, &mut tally.accepted_twice).await;
        if let (Some(halted), resumed) = phase()
            && resumed.is_none_or(|resumed| began < resumed)
            && Instant::now() > halted
        {
            tally.overlapped_outage += 1;
        }
        tally.flows += 1;
        match outcome {
            Ok(kept) => {
                if let (_, Some(resumed)) = phase() {
                    for (node, base) in bases.iter().enumerate() {
                        if (base == a || base == b) && back_on[node].is_none() {
                            back_on[node] = Some(resumed.elapsed());
                        }
                    }
                }
                tally.kept.extend(kept);
            }
            Err(error) => match phase() {
                (Some(_), None) => tally.during_restart += 1,
                (Some(_), Some(resumed)) if resumed.elapsed() < Duration::from_secs(5) => {
                    tally.during_restart += 1;
                }
                _ => tally
                    .unexpected
                    .push(format!("{:?} into the test: {error}", started.elapsed())),
            },
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    choreography.await.expect("the database restart");
    let logs = cluster.logs();
    let (halted, _) = phase();
    let halted = halted.expect("halted");
    assert!(
        tally.overlapped_outage > 0,
        "no flow ran while the database was down (halted {:?} into the test)",
        halted - started
    );
    assert!(tally.flows >= 40, "only {} flows ran", tally.flows);
    assert!(
        tally.accepted_twice.is_empty(),
        "accepted twice: {:?}",
        tally.accepted_twice
    );
    assert!(
        tally.unexpected.is_empty(),
        "survivors failed outside the database restart ({} of {} flows; {} during the restart): {:#?}\n{logs}",
        tally.unexpected.len(),
        tally.flows,
        tally.during_restart,
        tally.unexpected
    );
    for (node, back) in back_on.iter().enumerate().take(2) {
        let after =
            back.unwrap_or_else(|| panic!("node {node} never served after the restart\n{logs}"));
        assert!(
            after <= Duration::from_secs(5),
            "node {node} served again only after {after:?}"
        );
    }

    // Everything acknowledged still works: each kept access token is active on both
    // survivors, and each kept refresh token is accepted once more.
    let agent = Agent {
        http: browser.http(),
        secret: &secret,
    };
    for tokens in &tally.kept {
        for base in &bases[..2] {
            assert!(
                agent
                    .active(base, &tokens.access_token)
                    .await
                    .expect("introspect"),
                "an acknowledged access token is inactive"
            );
        }
    }
    for (i, tokens) in tally.kept.iter().enumerate() {
        agent
            .refresh(&bases[i % 2], &tokens.refresh_token)
            .await
            .expect("an acknowledged refresh token works");
    }
    eprintln!(
        "{} flows, {} kept, {} failed during the restart; back after {:?}",
        tally.flows,
        tally.kept.len(),
        tally.during_restart,
        back_on
    );
}

/// Authorize on `a`, redeem on `b`, userinfo on `a`, refresh on `b`: the final tokens.
/// Every fifth flow also replays its first refresh token and its code on `a`, which must
/// be refused; the replay revokes what the flow issued, so that flow keeps nothing.
async fn one_flow(
    agent: &Agent<'_>,
    a: &str,
    b: &str,
    flow: usize,
    accepted_twice: &mut Vec<String>,
) -> Result<Option<Tokens>, String> {
    let code = agent.code(a, &format!("f{flow}")).await?;
    let tokens = agent.exchange(b, &code).await?;
    agent.userinfo(a, &tokens.access_token).await?;
    let renewed = agent.refresh(b, &tokens.refresh_token).await?;
    if !flow.is_multiple_of(5) {
        return Ok(Some(renewed));
    }
    let (status, body) = agent.use_refresh(a, &tokens.refresh_token).await?;
    if status != 400 || body["error"] != "invalid_grant" {
        accepted_twice.push(format!("refresh token of flow {flow}: {status} {body}"));
    }
    let (status, body) = agent.redeem(a, &code).await?;
    if status != 400 || body["error"] != "invalid_grant" {
        accepted_twice.push(format!("code of flow {flow}: {status} {body}"));
    }
    Ok(None)
}
