//! The commands the packaging relies on: `propusk health`, the container health check
//! (success only on a 2xx answer, failure on an error status, a closed port or silence),
//! and `propusk man`, the manual pages.

mod common;

use common::TestDir;
use std::net::TcpListener;
use std::time::{Duration, Instant};

#[test]
fn health_succeeds_on_a_running_node_and_fails_on_an_error_status() {
    let dir = TestDir::new("health");
    let server = dir.serve(&[]);

    for path in ["/healthz", "/readyz", "/health"] {
        let url = format!("{}{path}", server.url);
        let ok = dir
            .bare_command(&["health", "--url", &url])
            .output()
            .expect("run");
        assert!(ok.status.success(), "{ok:?}");
        assert!(
            String::from_utf8_lossy(&ok.stdout).contains("200"),
            "{ok:?}"
        );
    }

    let url = format!("{}/no-such-page", server.url);
    let missing = dir
        .bare_command(&["health", "--url", &url])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1), "{missing:?}");
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("answered 404"),
        "{missing:?}"
    );
}

#[test]
fn health_fails_when_nothing_listens() {
    let dir = TestDir::new("health-closed");
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let url = format!("http://127.0.0.1:{port}/health");
    let out = dir
        .bare_command(&["health", "--url", &url])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot connect"),
        "{out:?}"
    );
}

#[test]
fn health_gives_up_on_a_silent_peer_after_the_timeout() {
    let dir = TestDir::new("health-silent");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/health", listener.local_addr().expect("addr"));
    let started = Instant::now();
    let out = dir
        .bare_command(&["health", "--url", &url, "--timeout", "1"])
        .output()
        .expect("run");
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "took {took:?}"
    );
    drop(listener);
}

#[test]
fn health_refuses_https() {
    let dir = TestDir::new("health-https");
    let out = dir
        .bare_command(&["health", "--url", "https://127.0.0.1:8443/health"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("only http"),
        "{out:?}"
    );
}

#[test]
fn man_prints_the_main_page_and_writes_one_per_command() {
    let dir = TestDir::new("man");
    let page = dir.bare_command(&["man"]).output().expect("run");
    assert!(page.status.success(), "{page:?}");
    let page = String::from_utf8(page.stdout).expect("utf-8");
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH propusk 1"), "{page}");
    for command in [
        "serve", "migrate", "config", "keys", "admin", "health", "man",
    ] {
        assert!(page.contains(command), "{command} missing from propusk(1)");
    }

    let out_dir = dir.path.join("man1");
    let out_dir_arg = out_dir.to_str().expect("path");
    let written = dir
        .bare_command(&["man", "--out-dir", out_dir_arg])
        .output()
        .expect("run");
    assert!(written.status.success(), "{written:?}");
    let create = std::fs::read_to_string(out_dir.join("propusk-admin-client-create.1"))
        .expect("a page for admin client create");
    assert!(create.contains("redirect\\-uri"), "{create}");
    for page in [
        "propusk.1",
        "propusk-serve.1",
        "propusk-health.1",
        "propusk-keys-rotate.1",
        "propusk-admin-trusted-issuer-delete.1",
    ] {
        assert!(out_dir.join(page).is_file(), "{page} not written");
    }
}
