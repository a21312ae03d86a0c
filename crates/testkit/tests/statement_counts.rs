//! The SQL statements of one code flow with a single sign-on session, counted on each
//! backend, so that the database work of the hottest path cannot grow unnoticed: the
//! authorization request answered from the session, the code redeemed at the token
//! endpoint, and userinfo. sqlx reports every statement it runs as a `tracing` event with
//! the target `sqlx::query`, and the store's pool each test of a connection (`ping`, a
//! round trip too) with the target `propusk_store::pool`; a layer installed for this test
//! binary counts both.
//!
//! When a change lowers a count, lower its limit here; when a change must raise one, the
//! failure prints the statements of that step so the reason can go into the commit.

use propusk_testkit::{Browser, ClientBuilder, TestClient, TestServer};
use reqwest::StatusCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt as _};

/// The statements sqlx ran since the last [`Statements::take`].
#[derive(Clone, Default)]
struct Statements(Arc<Mutex<Vec<String>>>);

impl Statements {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

struct Text(String);

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        // sqlx leaves `db.statement` empty when `summary` already is the whole statement.
        let wanted =
            field.name() == "db.statement" || (field.name() == "summary" && self.0.is_empty());
        if wanted && !value.trim().is_empty() {
            self.0 = value.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let target = event.metadata().target();
        if target == "propusk_store::pool" {
            // The store's pool testing a connection: a round trip like a statement.
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push("-- ping".into());
        } else if target == "sqlx::query" {
            let mut text = Text(String::new());
            event.record(&mut text);
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(text.0);
        }
    }
}

/// Most statements each step of the flow may run, per backend: (authorize, token, userinfo).
const SQLITE_LIMITS: [usize; 3] = [4, 5, 1];
const POSTGRES_LIMITS: [usize; 3] = [4, 6, 1];

/// Lets batched writes (audit events, session touches) land before a count is read.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(400)).await;
}

/// One SSO code flow of `client` in `browser`: each step's statements.
async fn flow(
    server: &TestServer,
    client: &TestClient,
    browser: &Browser,
    statements: &Statements,
) -> [(usize, Vec<String>); 3] {
    let url = server.authorize_url(&client.code_request(&[("scope", "openid email")], &[]));
    settle().await;
    statements.take();

    let page = browser.get(&url).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let answer = browser.answer(&page).expect("an answer from the session");
    let code = answer.code().to_owned();
    settle().await;
    let authorize = statements.take();

    let issued = server.redeem(&client.basic(), &code, &[]).await.issued();
    settle().await;
    let token = statements.take();

    let info = server.userinfo(&issued.access_token).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    settle().await;
    let userinfo = statements.take();
    [authorize, token, userinfo].map(|s| (s.len(), s))
}

/// Counts the steps of the second SSO code flow on `server`: the first one also pays for
/// what a running node has long done (the key ring loaded, the api-key's last use
/// recorded, the session's tie to the client written).
async fn count_flow(server: &TestServer, statements: &Statements) -> [(usize, Vec<String>); 3] {
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let browser = server.signed_in(&alice, &client, "openid email").await;
    flow(server, &client, &browser, statements).await;
    flow(server, &client, &browser, statements).await
}

fn check(backend: &str, counts: &[(usize, Vec<String>); 3], limits: [usize; 3]) {
    let steps = ["authorize", "token", "userinfo"];
    for ((step, (count, statements)), limit) in steps.iter().zip(counts).zip(limits) {
        println!("{backend} {step}: {count} statements");
        for statement in statements {
            println!("    {statement}");
        }
        assert!(
            *count <= limit,
            "{backend} {step} ran {count} statements, more than {limit}: {statements:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_code_flow_runs_no_more_statements_than_before() {
    let statements = Statements::default();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(statements.clone()),
    )
    .expect("the only subscriber of this test binary");

    let server = TestServer::start().await;
    let sqlite = count_flow(&server, &statements).await;
    check("sqlite", &sqlite, SQLITE_LIMITS);

    match TestServer::start_pg().await {
        Some(server) => {
            let postgres = count_flow(&server, &statements).await;
            check("postgres", &postgres, POSTGRES_LIMITS);
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("PROPUSK_TEST_DATABASE_URL is not set: in CI the PostgreSQL count must run")
        }
        None => eprintln!("notice: PROPUSK_TEST_DATABASE_URL is not set; PostgreSQL skipped"),
    }
}
