//! `propusk health`: one HTTP/1.1 GET to a node's health endpoint, successful when the
//! answer's status is 2xx (RFC 9110 §15.3). It is the container health check, so it
//! needs neither curl in the image nor the configuration: plain `http` to the node
//! itself, every step bounded by `--timeout`.

use crate::cli::HealthArgs;
use crate::error::{CliError, CliResult};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use url::Url;

/// The longest status line read; a real one is a few dozen bytes.
const STATUS_LINE_MAX: usize = 1024;

pub fn run(args: &HealthArgs) -> CliResult<()> {
    let target = Target::parse(&args.url)?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout.max(1));
    let status = target.probe(deadline)?;
    if (200..300).contains(&status) {
        println!("ok: {} answered {status}", target.url);
        Ok(())
    } else {
        Err(CliError::Invalid(format!(
            "{} answered {status}",
            target.url
        )))
    }
}

/// What to probe: the addresses to connect to and the request line's parts.
#[derive(Debug)]
struct Target {
    url: Url,
    addrs: Vec<SocketAddr>,
    host: String,
    path: String,
}

impl Target {
    fn parse(text: &str) -> CliResult<Self> {
        let url =
            Url::parse(text).map_err(|e| CliError::Invalid(format!("--url `{text}`: {e}")))?;
        if url.scheme() != "http" {
            return Err(CliError::Invalid(format!(
                "--url `{text}`: only http is supported; probe the node itself, not its proxy"
            )));
        }
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => {
                return Err(CliError::Invalid(format!("--url `{text}`: no host")));
            }
        };
        let addrs = url
            .socket_addrs(|| Some(80))
            .map_err(|e| CliError::io(format!("cannot resolve {host}"), e))?;
        let path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        Ok(Self {
            url,
            addrs,
            host,
            path,
        })
    }

    /// Sends the GET and returns the status code of the answer.
    fn probe(&self, deadline: Instant) -> CliResult<u16> {
        let mut stream = self.connect(deadline)?;
        let io = |e| CliError::io(format!("{}", self.url), e);
        stream
            .set_write_timeout(Some(left(deadline)?))
            .map_err(io)?;
        write!(
            stream,
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: propusk-health\r\nConnection: close\r\n\r\n",
            self.path, self.host
        )
        .map_err(io)?;
        let mut head = Vec::new();
        let mut buf = [0u8; 256];
        while !head.contains(&b'\n') && head.len() < STATUS_LINE_MAX {
            stream.set_read_timeout(Some(left(deadline)?)).map_err(io)?;
            match stream.read(&mut buf).map_err(io)? {
                0 => break,
                n => head.extend_from_slice(&buf[..n]),
            }
        }
        status_code(&head).ok_or_else(|| {
            CliError::Invalid(format!("{} did not answer with an HTTP status", self.url))
        })
    }

    fn connect(&self, deadline: Instant) -> CliResult<TcpStream> {
        let mut last = None;
        for addr in &self.addrs {
            match TcpStream::connect_timeout(addr, left(deadline)?) {
                Ok(stream) => return Ok(stream),
                Err(e) => last = Some(e),
            }
        }
        Err(match last {
            Some(e) => CliError::io(format!("cannot connect to {}", self.url), e),
            None => CliError::Invalid(format!("{} resolves to no address", self.url)),
        })
    }
}

/// Time left before the deadline; an error once it has passed.
fn left(deadline: Instant) -> CliResult<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(CliError::Invalid("no answer before the timeout".into()))
    } else {
        Ok(left)
    }
}

/// The code of a status line `HTTP/1.x NNN reason` (RFC 9112 §4).
fn status_code(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.trim_end().splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    code.parse().ok().filter(|c| (100..600).contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_status_of_a_status_line() {
        assert_eq!(
            status_code(b"HTTP/1.1 200 OK\r\ncontent-length: 2"),
            Some(200)
        );
        assert_eq!(
            status_code(b"HTTP/1.0 503 Service Unavailable\r\n"),
            Some(503)
        );
        assert_eq!(status_code(b"HTTP/1.1 204\r\n"), Some(204));
        assert_eq!(status_code(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(status_code(b"HTTP/1.1 2000 OK\r\n"), None);
        assert_eq!(status_code(b"HTTP/1.1 abc OK\r\n"), None);
        assert_eq!(status_code(b""), None);
    }

    #[test]
    fn the_request_names_host_port_path_and_query() {
        let target = Target::parse("http://127.0.0.1:9090/readyz?full=1").expect("parses");
        assert_eq!(target.host, "127.0.0.1:9090");
        assert_eq!(target.path, "/readyz?full=1");
        assert_eq!(target.addrs, ["127.0.0.1:9090".parse().expect("addr")]);
        let target = Target::parse("http://[::1]/health").expect("parses");
        assert_eq!(target.host, "[::1]");
        assert_eq!(target.addrs, ["[::1]:80".parse().expect("addr")]);
    }

    #[test]
    fn only_plain_http_urls_are_probed() {
        assert!(Target::parse("https://id.example/health").is_err());
        assert!(Target::parse("/health").is_err());
        assert!(Target::parse("unix:/run/propusk.sock").is_err());
    }
}
