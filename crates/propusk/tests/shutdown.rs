//! Graceful shutdown of `propusk serve` on SIGTERM: the listener closes at once, a request
//! already in flight still gets its answer, and a request that never finishes holds the
//! process no longer than `shutdown_grace_seconds`.

mod common;

use common::TestDir;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const BODY: &str = "grant_type=client_credentials&client_id=nobody";

/// A token request whose headers and the first half of the body are sent; the rest waits.
fn half_sent(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "POST /connect/token HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        BODY.len(),
        &BODY[..10]
    )
    .expect("send the first half");
    stream.flush().expect("flush");
    stream
}

#[test]
fn in_flight_requests_finish_and_new_connections_are_refused() {
    let dir = TestDir::new("shutdown");
    let mut server = dir.serve(&[("PROPUSK_SHUTDOWN_GRACE_SECONDS", "10")]);
    let addr = server.addr();
    let mut in_flight = half_sent(&addr);
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        TcpStream::connect(&addr).is_err(),
        "the listener still accepts after SIGTERM"
    );
    assert!(
        server.wait_exit(Duration::from_millis(10)).is_none(),
        "the process left a request in flight unanswered"
    );
    in_flight
        .write_all(&BODY.as_bytes()[10..])
        .expect("send the rest");
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).expect("read");
    assert!(
        answer.starts_with("HTTP/1.1 401") || answer.starts_with("HTTP/1.1 400"),
        "the request in flight was answered: {answer}"
    );
    let status = server
        .wait_exit(Duration::from_secs(5))
        .expect("the process exits once nothing is in flight");
    assert!(status.success(), "{status:?}\n{}", server.log_text());
}

#[test]
fn a_request_that_never_finishes_holds_the_process_only_for_the_grace() {
    let dir = TestDir::new("shutdown-grace");
    let mut server = dir.serve(&[("PROPUSK_SHUTDOWN_GRACE_SECONDS", "2")]);
    let _stuck = half_sent(&server.addr());
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    server.terminate();
    let status = server
        .wait_exit(Duration::from_secs(8))
        .expect("the process exits after the grace");
    let took = signalled.elapsed();
    assert!(
        took >= Duration::from_millis(1_500) && took < Duration::from_secs(6),
        "exited after {took:?}"
    );
    assert!(status.success(), "{status:?}");
    assert!(
        server.log_text().contains("shutdown grace"),
        "{}",
        server.log_text()
    );
}
