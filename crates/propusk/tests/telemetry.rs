//! `propusk serve` with `[telemetry] otlp_endpoint` posts its spans to an OTLP/HTTP
//! collector as protobuf: one server span per request, named by its route template, under
//! the configured service name, flushed on SIGTERM; and nothing it exports holds the
//! client secret, the password, a code, a token or a raw request path.

mod common;

use common::cluster::{self, Agent, LOGIN, PASSWORD};
use common::{Server, TestDir};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use propusk_testkit::Browser;
use prost::Message;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SERVICE: &str = "propusk-under-test";

/// One POST the collector received.
struct Export {
    path: String,
    content_type: String,
    body: Vec<u8>,
}

type Received = Arc<Mutex<Vec<Export>>>;

/// A collector on loopback that answers every request 200 and keeps what was posted.
fn collector() -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the collector");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    let received = Received::default();
    let kept = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let kept = kept.clone();
            std::thread::spawn(move || keep_requests(&stream, &kept));
        }
    });
    (endpoint, received)
}

/// Reads HTTP/1.1 requests with a `Content-Length` body off one connection.
fn keep_requests(stream: &TcpStream, kept: &Received) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let (mut length, mut content_type) = (0, String::new());
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "content-type" => value.trim().clone_into(&mut content_type),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        kept.lock().expect("lock").push(Export {
            path,
            content_type,
            body,
        });
        let mut writer = stream;
        let answer =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n";
        if writer.write_all(answer).is_err() {
            return;
        }
    }
}

/// A span as exported: its name, kind and string or integer attributes.
#[derive(Debug)]
struct Span {
    name: String,
    kind: i32,
    attributes: Vec<(String, String)>,
}

impl Span {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn text(value: Option<&AnyValue>) -> String {
    match value.and_then(|v| v.value.as_ref()) {
        Some(any_value::Value::StringValue(s)) => s.clone(),
        Some(any_value::Value::IntValue(i)) => i.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

fn pairs(attributes: &[KeyValue]) -> Vec<(String, String)> {
    attributes
        .iter()
        .map(|kv| (kv.key.clone(), text(kv.value.as_ref())))
        .collect()
}

/// The service names and the spans of every export.
fn decode(exports: &[Export]) -> (Vec<String>, Vec<Span>) {
    let (mut services, mut spans) = (Vec::new(), Vec::new());
    for export in exports {
        let request =
            ExportTraceServiceRequest::decode(export.body.as_slice()).expect("OTLP protobuf");
        for resource_spans in request.resource_spans {
            let resource = pairs(
                &resource_spans
                    .resource
                    .map(|r| r.attributes)
                    .unwrap_or_default(),
            );
            services.extend(
                resource
                    .into_iter()
                    .filter(|(k, _)| k == "service.name")
                    .map(|(_, v)| v),
            );
            for scope in resource_spans.scope_spans {
                spans.extend(scope.spans.into_iter().map(|s| Span {
                    name: s.name,
                    kind: s.kind,
                    attributes: pairs(&s.attributes),
                }));
            }
        }
    }
    (services, spans)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_spans_reach_the_collector_on_shutdown_and_hold_no_secret() {
    let (endpoint, received) = collector();
    let dir = TestDir::new("telemetry");
    let mut alice = vec!["admin"];
    alice.extend(cluster::ALICE);
    dir.json(&alice);
    let mut register = vec!["admin"];
    register.extend(cluster::WEB_CLIENT);
    let client = dir.json(&register);
    let secret = client["client_secret"]
        .as_str()
        .expect("client_secret")
        .to_owned();
    let base = format!("http://127.0.0.1:{}", cluster::free_port());
    let listen = base.trim_start_matches("http://").to_owned();
    let mut command = dir.command(&["serve", "--listen", &listen]);
    command
        .env("PROPUSK_ISSUER", &base)
        .env("PROPUSK_TELEMETRY__OTLP_ENDPOINT", &endpoint)
        .env("PROPUSK_TELEMETRY__SERVICE_NAME", SERVICE);
    let mut server = Server::spawn(command, dir.path.join("serve.log"));

    let browser = Browser::new(&base);
    let url = url::Url::parse(&cluster::authorize_url(&base, "first")).expect("url");
    let first = browser.authorize(&url, LOGIN, PASSWORD).await;
    let agent = Agent {
        http: browser.http(),
        secret: &secret,
    };
    let mut secrets = vec![secret.clone(), PASSWORD.to_owned(), first.code().to_owned()];
    let first_tokens = agent.exchange(&base, first.code()).await.expect("tokens");
    let code = agent.code(&base, "second").await.expect("a code");
    let tokens = agent.exchange(&base, &code).await.expect("tokens");
    agent
        .userinfo(&base, &tokens.access_token)
        .await
        .expect("userinfo");
    let renewed = agent
        .refresh(&base, &tokens.refresh_token)
        .await
        .expect("refreshed");
    assert!(
        agent
            .active(&base, &renewed.access_token)
            .await
            .expect("introspection")
    );
    let session = browser.cookie("propusk_session").expect("a session cookie");
    let unmatched = browser
        .http()
        .get(format!(
            "{base}/no/such/page?access_token={}",
            renewed.access_token
        ))
        .send()
        .await
        .expect("a request no route takes");
    assert_eq!(unmatched.status(), 404);
    secrets.extend([
        code,
        session,
        first_tokens.access_token,
        first_tokens.refresh_token,
        tokens.access_token,
        tokens.refresh_token,
        renewed.access_token,
        renewed.refresh_token,
    ]);

    server.terminate();
    let status = server
        .wait_exit(Duration::from_secs(15))
        .expect("the server exits after SIGTERM");
    assert!(status.success(), "{status:?}\n{}", server.log_text());

    let exports = std::mem::take(&mut *received.lock().expect("lock"));
    assert!(
        !exports.is_empty(),
        "the collector received nothing\n{}",
        server.log_text()
    );
    for export in &exports {
        assert_eq!(export.path, "/v1/traces");
        assert_eq!(export.content_type, "application/x-protobuf");
        for value in &secrets {
            assert!(!contains(&export.body, value), "exported: {value}");
        }
        assert!(!contains(&export.body, "/no/such/page"), "a raw path");
        assert!(!contains(&export.body, "state=first"), "a query");
    }
    let (services, spans) = decode(&exports);
    assert!(
        !services.is_empty() && services.iter().all(|s| s == SERVICE),
        "{services:?}"
    );
    let names: Vec<&str> = spans.iter().map(|s| s.name.as_str()).collect();
    for expected in [
        "GET /connect/authorize",
        "GET /interaction/{id}",
        "POST /interaction/{id}/login",
        "POST /connect/token",
        "GET /connect/userinfo",
        "POST /connect/introspect",
        "GET unmatched",
    ] {
        assert!(names.contains(&expected), "no {expected} span in {names:?}");
    }
    let tokens: Vec<&Span> = spans
        .iter()
        .filter(|s| s.name == "POST /connect/token")
        .collect();
    assert_eq!(tokens.len(), 3, "{tokens:?}");
    for span in &tokens {
        assert_eq!(span.kind, SpanKind::Server as i32, "{span:?}");
        assert_eq!(span.attribute("http.route"), Some("/connect/token"));
        assert_eq!(span.attribute("http.request.method"), Some("POST"));
        assert_eq!(span.attribute("http.response.status_code"), Some("200"));
    }
}
