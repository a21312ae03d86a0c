//! The operator's surface of `propusk serve`, over real sockets: connection timeouts
//! (slow headers, slow bodies, idle keep-alive), client addresses behind trusted and
//! untrusted proxies, `/readyz` following PostgreSQL down and up again, and `/metrics`
//! on a listener of its own.

mod common;

use common::cluster::Pg;
use common::{Server, TestDir};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const SHORT_TIMEOUTS: [(&str, &str); 4] = [
    ("PROPUSK_HTTP__HEADER_READ_TIMEOUT_SECONDS", "1"),
    ("PROPUSK_HTTP__BODY_READ_TIMEOUT_SECONDS", "1"),
    ("PROPUSK_HTTP__IDLE_TIMEOUT_SECONDS", "2"),
    ("PROPUSK_HTTP__REQUEST_TIMEOUT_SECONDS", "10"),
];

/// Slack for a loaded machine on top of a configured timeout.
const SLACK: Duration = Duration::from_secs(2);

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .expect("read timeout");
    stream
}

/// Reads until the server closes the connection or `limit` passes; returns what was
/// read and when the connection closed (`None`: still open at `limit`).
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => return (lossy(&received), Some(started.elapsed())),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return (lossy(&received), Some(started.elapsed())),
        }
    }
    (lossy(&received), None)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn slow_headers_are_cut_at_the_header_timeout_even_when_dribbled() {
    let dir = TestDir::new("slow-headers");
    let server = dir.serve(&SHORT_TIMEOUTS);

    let mut silent = connect(&server);
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(1) + SLACK * 3);
    let closed = closed.expect("a connection that sends nothing is closed");
    assert!(closed < Duration::from_secs(1) + SLACK, "{closed:?}");

    let mut partial = connect(&server);
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    let (_, closed) = read_until_closed(&mut partial, Duration::from_secs(1) + SLACK * 3);
    let closed = closed.expect("half-sent headers are closed");
    assert!(closed < Duration::from_secs(1) + SLACK, "{closed:?}");

    // One byte every 200 ms keeps bytes moving, but the headers never end.
    let mut dribble = connect(&server);
    let started = Instant::now();
    let request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut open = true;
    for byte in request.iter().cycle().take(200) {
        if dribble.write_all(&[*byte]).is_err() {
            open = false;
            break;
        }
        if let (_, Some(_)) = read_until_closed(&mut dribble, Duration::from_millis(200)) {
            open = false;
            break;
        }
    }
    assert!(!open, "the dribbling connection was never closed");
    assert!(
        started.elapsed() < Duration::from_secs(1) + SLACK,
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn slow_bodies_get_408_and_are_closed_at_the_body_timeout() {
    let dir = TestDir::new("slow-bodies");
    let server = dir.serve(&SHORT_TIMEOUTS);
    let head = "POST /connect/token HTTP/1.1\r\nHost: x\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n\
                grant_type=";
    let mut held: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = connect(&server);
            stream.write_all(head.as_bytes()).expect("send");
            stream
        })
        .collect();
    let started = Instant::now();
    for stream in &mut held {
        let left = (Duration::from_secs(1) + SLACK * 3).saturating_sub(started.elapsed());
        let (answer, closed) = read_until_closed(stream, left);
        assert!(closed.is_some(), "still open after {:?}", started.elapsed());
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(1) + SLACK,
        "{:?}",
        started.elapsed()
    );
    // The server still answers.
    assert_eq!(server.get("/healthz").0, 200);
}

#[test]
fn idle_keep_alive_connections_are_closed_and_busy_ones_are_not() {
    let dir = TestDir::new("idle");
    let server = dir.serve(&SHORT_TIMEOUTS);
    let mut stream = connect(&server);
    let started = Instant::now();
    // Requests 0.5 s apart, for longer than the idle timeout, on one connection.
    for _ in 0..6 {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .expect("send");
        let mut answer = String::new();
        let mut buf = [0u8; 1024];
        while !answer.ends_with("ok") {
            match stream.read(&mut buf) {
                Ok(0) => panic!("closed while in use: {answer}"),
                Ok(n) => answer.push_str(&lossy(&buf[..n])),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    assert!(started.elapsed() < Duration::from_secs(20), "no answer");
                }
                Err(e) => panic!("read failed: {e}"),
            }
        }
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        std::thread::sleep(Duration::from_millis(500));
    }
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(2) + SLACK * 3);
    let closed = closed.expect("an idle connection is closed");
    assert!(
        closed >= Duration::from_millis(1000) && closed < Duration::from_secs(2) + SLACK,
        "{closed:?}"
    );
}

/// Sends failing client authentications (a new unknown client each time, so only the
/// per-IP counter adds up) with `header: value` until the server answers 429 with a wait
/// of at least 4 s.
async fn throttle_ip(http: &reqwest::Client, url: &str, header: &str, value: &str) {
    for i in 0..200 {
        let response = http
            .post(url)
            .basic_auth(format!("ghost-{value}-{i}"), Some("x"))
            .header(header, value)
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("token request");
        match response.status().as_u16() {
            401 => {}
            429 => {
                let wait: u64 = response.headers()["retry-after"]
                    .to_str()
                    .expect("ascii")
                    .parse()
                    .expect("seconds");
                if wait >= 4 {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            other => panic!("unexpected {other}"),
        }
    }
    panic!("no 429 for {header}: {value}");
}

async fn status_from(http: &reqwest::Client, url: &str, header: &str, value: &str) -> u16 {
    http.post(url)
        .basic_auth("someone-else", Some("x"))
        .header(header, value)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token request")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_trusted_proxies_name_the_client_address() {
    let http = reqwest::Client::new();

    let dir = TestDir::new("trusted-proxy");
    let trusted = dir.serve(&[("PROPUSK_HTTP__TRUSTED_PROXIES", "127.0.0.0/8, ::1")]);
    let url = format!("{}/connect/token", trusted.url);
    throttle_ip(&http, &url, "x-forwarded-for", "198.51.100.1").await;
    assert_eq!(
        status_from(&http, &url, "x-forwarded-for", "198.51.100.1").await,
        429,
        "the throttled client stays throttled"
    );
    assert_eq!(
        status_from(&http, &url, "x-forwarded-for", "198.51.100.2").await,
        401,
        "another client behind the same proxy has its own bucket"
    );
    assert_eq!(
        status_from(
            &http,
            &url,
            "forwarded",
            "for=\"198.51.100.3:4711\";proto=https"
        )
        .await,
        401
    );
    assert_eq!(
        status_from(&http, &url, "x-forwarded-for", "198.51.100.1, 127.0.0.1").await,
        429,
        "trusted hops on the right are skipped"
    );
    assert_eq!(
        status_from(&http, &url, "x-forwarded-for", "198.51.100.2, 198.51.100.1").await,
        429,
        "the rightmost untrusted hop is the client, not a spoofed left entry"
    );
    assert_eq!(
        status_from(&http, &url, "x-forwarded-for", "not-an-address").await,
        401,
        "a malformed header falls back to the proxy's own address"
    );

    let dir = TestDir::new("untrusted-proxy");
    let untrusted = dir.serve(&[]);
    let url = format!("{}/connect/token", untrusted.url);
    throttle_ip(&http, &url, "x-forwarded-for", "198.51.100.1").await;
    assert_eq!(
        status_from(&http, &url, "x-forwarded-for", "198.51.100.2").await,
        429,
        "headers from an untrusted peer change nothing"
    );
    assert_eq!(
        status_from(&http, &url, "forwarded", "for=198.51.100.3").await,
        429
    );
}

#[test]
fn metrics_can_have_a_listener_of_their_own() {
    let dir = TestDir::new("metrics-listen");
    let server = dir.serve(&[("PROPUSK_METRICS__LISTEN", "127.0.0.1:0")]);
    let line = server
        .stdout
        .iter()
        .find(|l| l.starts_with("metrics on http://"))
        .unwrap_or_else(|| panic!("no metrics line: {:?}", server.stdout));
    let addr = line
        .trim_start_matches("metrics on http://")
        .trim_end_matches("/metrics")
        .to_owned();
    assert_eq!(server.get("/healthz").0, 200);
    assert_eq!(server.get("/metrics").0, 404, "not on the main listener");

    let mut stream = TcpStream::connect(&addr).expect("metrics listener");
    write!(stream, "GET /metrics HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    assert_eq!(text.split_whitespace().nth(1), Some("200"), "{text}");
    assert!(text.contains("text/plain; version=0.0.4"), "{text}");
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    assert!(
        body.lines()
            .any(|l| l.starts_with("propusk_http_requests_total{")
                && l.contains("route=\"/healthz\"")
                && l.contains("status=\"200\"")),
        "{body}"
    );
    for line in body
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let value = line.rsplit(' ').next().unwrap_or("");
        assert!(value.parse::<f64>().is_ok(), "not a sample line: {line}");
    }

    let off = TestDir::new("metrics-off");
    let plain = off.serve(&[]);
    assert_eq!(plain.get("/metrics").0, 404);
}

/// Polls `/readyz` until it answers `status`; returns the body.
fn wait_ready(server: &Server, status: u16, within: Duration) -> String {
    let started = Instant::now();
    loop {
        let (got, body) = server.get("/readyz");
        if got == status {
            return body;
        }
        assert!(
            started.elapsed() < within,
            "/readyz still {got} after {within:?}: {body}\n{}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn readiness_follows_postgresql_down_and_up_again() {
    let pg = Pg::start();
    let control = pg.control();
    let dir = TestDir::new("readyz");
    let server = dir.serve(&[("PROPUSK_DATABASE_URL", pg.url.as_str())]);
    let body = wait_ready(&server, 200, Duration::from_secs(5));
    assert_eq!(body, r#"{"status":"ready"}"#);

    control.halt();
    let body = wait_ready(&server, 503, Duration::from_secs(10));
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON reason");
    assert_eq!(json["status"], "unready");
    assert!(
        json["reason"]
            .as_str()
            .is_some_and(|r| r.contains("database")),
        "{json}"
    );
    assert_eq!(server.get("/healthz").0, 200, "the process is alive");

    control.resume();
    let back = Instant::now();
    wait_ready(&server, 200, Duration::from_secs(10));
    assert!(back.elapsed() < Duration::from_secs(10));
    assert_eq!(server.get("/.well-known/openid-configuration").0, 200);
}
