//! The fetcher against servers on this machine: loopback, private and link-local
//! targets refused (no request reaches the server), redirects refused, oversized and
//! slow answers refused, and key sets cached as `Cache-Control` says, with one refetch
//! a minute for an unknown `kid`.

use propusk_core::clock::ManualClock;
use propusk_core::fetch::{FetchError, JwksFetcher};
use propusk_fetch::{FetchPolicy, Fetcher, JwksCache};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const JWKS: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"eA","y":"eQ"}]}"#;

/// What the test server does with each request.
#[derive(Clone)]
enum Behaviour {
    /// Status line, extra header lines, body.
    Answer(&'static str, String, String),
    /// Waits this long before answering anything.
    Stall(Duration),
    /// Sends headers, then one byte every 100 ms for ever.
    Trickle,
    /// A chunked body that never ends.
    Endless,
}

struct TestServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl TestServer {
    async fn start(bind: &str, behaviour: Behaviour) -> Option<Self> {
        let listener = TcpListener::bind(bind).await.ok()?;
        let addr = listener.local_addr().ok()?;
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let behaviour = behaviour.clone();
                let counter = counter.clone();
                tokio::spawn(serve(stream, behaviour, counter));
            }
        });
        Some(Self { addr, requests })
    }

    async fn jwks(headers: &str) -> Self {
        Self::start(
            "127.0.0.1:0",
            Behaviour::Answer("200 OK", headers.to_owned(), JWKS.to_owned()),
        )
        .await
        .expect("a loopback server")
    }

    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}/jwks", self.addr)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour, counter: Arc<AtomicUsize>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    counter.fetch_add(1, Ordering::SeqCst);
    match behaviour {
        Behaviour::Answer(status, headers, body) => {
            let text = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{headers}connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(text.as_bytes()).await;
        }
        Behaviour::Stall(wait) => {
            tokio::time::sleep(wait).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                .await;
        }
        Behaviour::Trickle => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
                .await;
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
            }
        }
        Behaviour::Endless => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            let chunk = format!("400\r\n{}\r\n", " ".repeat(0x400));
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        }
    }
}

fn strict() -> Fetcher {
    Fetcher::new(FetchPolicy::default())
}

fn loopback_allowed() -> FetchPolicy {
    FetchPolicy {
        insecure_allow_loopback: true,
        timeout: Duration::from_millis(800),
        ..FetchPolicy::default()
    }
}

#[tokio::test]
async fn loopback_targets_are_refused_without_the_allowance() {
    let server = TestServer::jwks("").await;
    let port = server.addr.port();
    for url in [
        server.url("https"),
        server.url("http"),
        format!("https://localhost:{port}/jwks"),
        format!("https://[::ffff:127.0.0.1]:{port}/jwks"),
    ] {
        let error = strict().get(&url).await.expect_err(&url);
        assert!(
            matches!(error, FetchError::ForbiddenAddress(..)),
            "{url}: {error}"
        );
    }
    assert_eq!(server.requests(), 0, "no request reached the server");
    let allowed = Fetcher::new(loopback_allowed())
        .get(&server.url("http"))
        .await
        .expect("the allowance admits loopback");
    assert_eq!(allowed.body, JWKS.as_bytes());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn private_and_link_local_targets_are_refused_even_with_the_allowance() {
    for fetcher in [strict(), Fetcher::new(loopback_allowed())] {
        for url in [
            "https://10.0.0.1/jwks",
            "https://192.168.0.1/jwks",
            "https://172.16.0.1/jwks",
            "https://169.254.169.254/latest/meta-data",
            "https://[fe80::1]/jwks",
            "https://[fd00::1]/jwks",
            "https://0.0.0.0/jwks",
            "https://[::]/jwks",
            "https://224.0.0.1/jwks",
        ] {
            let error = fetcher.get(url).await.expect_err(url);
            assert!(
                matches!(error, FetchError::ForbiddenAddress(..)),
                "{url}: {error}"
            );
        }
    }
    // This machine's own unique-local address, with a server listening on it.
    let Some(server) = TestServer::start(
        "[fd00::2]:0",
        Behaviour::Answer("200 OK", String::new(), JWKS.into()),
    )
    .await
    else {
        eprintln!("no fd00::2 on this machine; the listening private server is skipped");
        return;
    };
    for fetcher in [strict(), Fetcher::new(loopback_allowed())] {
        for scheme in ["https", "http"] {
            let error = fetcher.get(&server.url(scheme)).await.expect_err("private");
            assert!(matches!(error, FetchError::ForbiddenAddress(..)), "{error}");
        }
    }
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn only_https_is_fetched_from_public_hosts() {
    let error = strict()
        .get("http://93.184.215.14/jwks")
        .await
        .expect_err("http");
    assert!(matches!(error, FetchError::NotHttps(_)), "{error}");
    let error = strict()
        .get("ftp://93.184.215.14/jwks")
        .await
        .expect_err("ftp");
    assert!(matches!(error, FetchError::NotHttps(_)), "{error}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let target = TestServer::jwks("").await;
    let redirect = TestServer::start(
        "127.0.0.1:0",
        Behaviour::Answer(
            "302 Found",
            format!("location: {}\r\n", target.url("http")),
            String::new(),
        ),
    )
    .await
    .expect("server");
    let error = Fetcher::new(loopback_allowed())
        .get(&redirect.url("http"))
        .await
        .expect_err("a redirect");
    assert!(matches!(error, FetchError::Redirect(_, 302)), "{error}");
    assert_eq!(target.requests(), 0, "the redirect target was never asked");
}

#[tokio::test]
async fn oversized_answers_are_refused() {
    let policy = FetchPolicy {
        max_bytes: 1024,
        ..loopback_allowed()
    };
    let declared = TestServer::start(
        "127.0.0.1:0",
        Behaviour::Answer("200 OK", String::new(), " ".repeat(4096)),
    )
    .await
    .expect("server");
    let error = Fetcher::new(policy.clone())
        .get(&declared.url("http"))
        .await
        .expect_err("declared too large");
    assert!(matches!(error, FetchError::TooLarge(_, 1024)), "{error}");
    let endless = TestServer::start("127.0.0.1:0", Behaviour::Endless)
        .await
        .expect("server");
    let error = Fetcher::new(policy)
        .get(&endless.url("http"))
        .await
        .expect_err("endless body");
    assert!(matches!(error, FetchError::TooLarge(_, 1024)), "{error}");
}

#[tokio::test]
async fn slow_answers_are_refused() {
    for behaviour in [Behaviour::Stall(Duration::from_secs(5)), Behaviour::Trickle] {
        let server = TestServer::start("127.0.0.1:0", behaviour)
            .await
            .expect("server");
        let started = std::time::Instant::now();
        let error = Fetcher::new(loopback_allowed())
            .get(&server.url("http"))
            .await
            .expect_err("too slow");
        assert!(matches!(error, FetchError::Timeout(..)), "{error}");
        assert!(started.elapsed() < Duration::from_secs(3), "the limit held");
        assert_eq!(server.requests(), 1);
    }
}

fn cache(clock: &Arc<ManualClock>) -> JwksCache {
    JwksCache::new(Fetcher::new(loopback_allowed()), clock.clone())
}

#[tokio::test]
async fn key_sets_are_kept_for_their_max_age() {
    let clock = Arc::new(ManualClock::new(1_000));
    let server = TestServer::jwks("cache-control: public, max-age=120\r\n").await;
    let keys = cache(&clock);
    let url = server.url("http");
    let set = keys.jwks(&url, Some("k1")).await.expect("keys");
    assert_eq!(set.keys[0].kid.as_deref(), Some("k1"));
    keys.jwks(&url, Some("k1")).await.expect("cached");
    clock.advance(119);
    keys.jwks(&url, None).await.expect("cached");
    assert_eq!(server.requests(), 1);
    clock.advance(1);
    keys.jwks(&url, None).await.expect("stale, fetched again");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn no_store_is_fetched_every_time() {
    let clock = Arc::new(ManualClock::new(1_000));
    let server = TestServer::jwks("cache-control: no-store\r\n").await;
    let keys = cache(&clock);
    let url = server.url("http");
    for _ in 0..3 {
        keys.jwks(&url, Some("k1")).await.expect("keys");
    }
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn an_unknown_kid_refetches_at_most_once_a_minute() {
    let clock = Arc::new(ManualClock::new(1_000));
    let server = TestServer::jwks("cache-control: max-age=3600\r\n").await;
    let keys = cache(&clock);
    let url = server.url("http");
    keys.jwks(&url, Some("k1")).await.expect("keys");
    assert_eq!(server.requests(), 1);
    clock.advance(10);
    for _ in 0..5 {
        let set = keys.jwks(&url, Some("rotated")).await.expect("keys");
        assert!(set.keys.iter().all(|k| k.kid.as_deref() != Some("rotated")));
    }
    assert_eq!(server.requests(), 1, "within a minute of the fetch");
    clock.advance(50);
    keys.jwks(&url, Some("rotated")).await.expect("refetched");
    assert_eq!(server.requests(), 2);
    keys.jwks(&url, Some("rotated")).await.expect("not again");
    assert_eq!(server.requests(), 2);
}
