//! The load generator: `conns` keep-alive connections, each sending one operation after
//! another until the deadline, recording each operation's latency. An operation is one
//! request, or a short scripted sequence (refresh chain, code flow, password sign-in).

use crate::http::{self, Conn, Req, Target, json_str, path_of, query_param};
use hyper::StatusCode;
use hyper::header::{AUTHORIZATION, COOKIE, USER_AGENT};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one operation does.
pub enum Job {
    /// The same request every time; any 2xx counts.
    Fixed(Req),
    /// `refresh_token` grant; each connection follows its own rotating token family, whose
    /// latest token stays in its slot from one run to the next.
    Refresh {
        target: Target,
        auth: String,
        tokens: Vec<Mutex<String>>,
    },
    /// authorize with the SSO cookie → code → token → userinfo.
    CodeFlow {
        target: Target,
        authorize: Req,
        auth: String,
        redirect_uri: String,
    },
    /// authorize without a session → the sign-in page (rendered, with its CSRF cookie).
    SignInPage { target: Target, authorize: Req },
    /// authorize without a session → login page → password POST.
    SignIn {
        target: Target,
        authorize: Req,
        login: String,
        password: String,
    },
}

/// What a run measured.
#[derive(Default)]
pub struct Outcome {
    pub ops: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
    /// Latency of every operation, microseconds.
    pub latencies: Vec<u32>,
}

impl Outcome {
    pub fn rate(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `job` over `conns` connections for `duration`.
pub async fn run(
    addr: std::net::SocketAddr,
    job: Arc<Job>,
    conns: usize,
    duration: Duration,
) -> Outcome {
    let mut opened = Vec::with_capacity(conns);
    for _ in 0..conns {
        match Conn::open(addr).await {
            Ok(conn) => opened.push(conn),
            Err(e) => {
                return Outcome {
                    errors: 1,
                    first_error: Some(format!("connect: {e}")),
                    ..Outcome::default()
                };
            }
        }
    }
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for (index, conn) in opened.into_iter().enumerate() {
        let job = Arc::clone(&job);
        tasks.spawn(async move { drive(conn, &job, index, deadline).await });
    }
    let mut total = Outcome::default();
    let mut end = start;
    while let Some(joined) = tasks.join_next().await {
        let Ok((part, finished)) = joined else {
            continue;
        };
        end = end.max(finished);
        total.ops += part.ops;
        total.errors += part.errors;
        total.first_error = total.first_error.or(part.first_error);
        total.latencies.extend_from_slice(&part.latencies);
    }
    total.elapsed = end - start;
    total
}

async fn drive(mut conn: Conn, job: &Job, index: usize, deadline: Instant) -> (Outcome, Instant) {
    let mut out = Outcome {
        latencies: Vec::with_capacity(16 * 1024),
        ..Outcome::default()
    };
    let slot = match job {
        Job::Refresh { tokens, .. } => tokens.get(index),
        _ => None,
    };
    let mut refresh = slot.and_then(|s| s.lock().ok().map(|t| t.clone()));
    loop {
        let began = Instant::now();
        if began >= deadline {
            if let (Some(slot), Some(latest)) = (slot, refresh) {
                slot.lock().map(|mut t| *t = latest).ok();
            }
            return (out, began);
        }
        let result = match job {
            Job::Fixed(req) => expect(conn.send(req.clone()).await, |s| s.is_success()).map(drop),
            Job::Refresh { target, auth, .. } => {
                refresh_once(&mut conn, target, auth, &mut refresh).await
            }
            Job::CodeFlow {
                target,
                authorize,
                auth,
                redirect_uri,
            } => code_flow(&mut conn, target, authorize, auth, redirect_uri).await,
            Job::SignInPage { target, authorize } => {
                sign_in_page(&mut conn, target, authorize).await.map(drop)
            }
            Job::SignIn {
                target,
                authorize,
                login,
                password,
            } => sign_in(&mut conn, target, authorize, login, password)
                .await
                .map(drop),
        };
        let micros = began.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        out.ops += 1;
        out.latencies.push(micros);
        if let Err(e) = result {
            out.errors += 1;
            out.first_error.get_or_insert(e);
            if conn.reopen().await.is_err() {
                return (out, Instant::now());
            }
        }
    }
}

type Step<T> = Result<T, String>;

fn expect(
    sent: Result<http::Reply, http::Error>,
    ok: impl Fn(StatusCode) -> bool,
) -> Step<http::Reply> {
    match sent {
        Ok(reply) if ok(reply.status) => Ok(reply),
        Ok(reply) => Err(reply.describe()),
        Err(e) => Err(format!("transport: {e}")),
    }
}

fn redirect(s: StatusCode) -> bool {
    s.is_redirection()
}

async fn refresh_once(
    conn: &mut Conn,
    target: &Target,
    auth: &str,
    token: &mut Option<String>,
) -> Step<()> {
    let current = token
        .as_deref()
        .ok_or("no refresh token for this connection")?;
    let body = http::form(&[("grant_type", "refresh_token"), ("refresh_token", current)]);
    let reply = expect(
        conn.send(target.post("/connect/token", &[(AUTHORIZATION, auth)], body))
            .await,
        |s| s.is_success(),
    )?;
    if let Some(next) = json_str(&reply.body, "refresh_token") {
        *token = Some(next.to_owned());
    }
    Ok(())
}

async fn code_flow(
    conn: &mut Conn,
    target: &Target,
    authorize: &Req,
    auth: &str,
    redirect_uri: &str,
) -> Step<()> {
    let reply = expect(conn.send(authorize.clone()).await, redirect)?;
    let location = reply.location().unwrap_or_default();
    let code = query_param(location, "code").ok_or_else(|| format!("no code in {location}"))?;
    let body = http::form(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
    ]);
    let tokens = expect(
        conn.send(target.post("/connect/token", &[(AUTHORIZATION, auth)], body))
            .await,
        |s| s.is_success(),
    )?;
    let access = json_str(&tokens.body, "access_token").ok_or("no access_token")?;
    let bearer = format!("Bearer {access}");
    expect(
        conn.send(target.get("/connect/userinfo", &[(AUTHORIZATION, &bearer)]))
            .await,
        |s| s.is_success(),
    )?;
    Ok(())
}

/// An authorization request without a session and the sign-in page it leads to; answers
/// the page's path.
pub async fn sign_in_page(conn: &mut Conn, target: &Target, authorize: &Req) -> Step<String> {
    let reply = expect(conn.send(authorize.clone()).await, redirect)?;
    let page_path = path_of(reply.location().unwrap_or_default()).to_owned();
    let page = expect(conn.send(target.get(&page_path, &[])).await, |s| {
        s.is_success()
    })?;
    if http::input_value(page.text(), "csrf").is_none() {
        return Err("no csrf input on the sign-in page".into());
    }
    Ok(page_path)
}

/// What the sign-in form is posted with: a browser's User-Agent, as every real sign-in
/// has (the provider compares it with the account's earlier sessions).
const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// One password sign-in; answers the SSO session cookie's value.
pub async fn sign_in(
    conn: &mut Conn,
    target: &Target,
    authorize: &Req,
    login: &str,
    password: &str,
) -> Step<String> {
    let reply = expect(conn.send(authorize.clone()).await, redirect)?;
    let page_path = path_of(reply.location().unwrap_or_default()).to_owned();
    let page = expect(conn.send(target.get(&page_path, &[])).await, |s| {
        s.is_success()
    })?;
    let csrf = http::input_value(page.text(), "csrf").ok_or("no csrf input on the login page")?;
    let cookie = format!(
        "{}={}",
        crate::setup::CSRF_COOKIE,
        page.cookie(crate::setup::CSRF_COOKIE).unwrap_or_default()
    );
    let body = http::form(&[("csrf", csrf), ("login", login), ("password", password)]);
    let post_path = format!("{page_path}/login");
    let done = expect(
        conn.send(target.post(
            &post_path,
            &[(COOKIE, &cookie), (USER_AGENT, BROWSER)],
            body,
        ))
        .await,
        redirect,
    )?;
    let session = done
        .cookie(crate::setup::SESSION_COOKIE)
        .ok_or_else(|| format!("no session cookie: {}", done.describe()))?;
    Ok(session.to_owned())
}
