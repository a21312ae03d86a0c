//! Helpers for tests that run the built `propusk` binary: a temporary working directory,
//! commands with a clean `PROPUSK_*` environment, and a server started on a free port.
#![allow(dead_code)]

pub mod cluster;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const BIN: &str = env!("CARGO_BIN_EXE_propusk");

/// A fresh directory under the target dir, removed when dropped.
pub struct TestDir {
    pub path: PathBuf,
}

impl TestDir {
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let unique = format!(
            "{name}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("propusk-tests")
            .join(unique);
        std::fs::create_dir_all(&path).expect("create test dir");
        Self { path }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path.join("data")
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// `propusk ARGS… --data-dir <dir>/data`, run in the directory, without inherited
    /// `PROPUSK_*` variables.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = self.bare_command(args);
        command.arg("--data-dir").arg(self.data_dir());
        command
    }

    /// `propusk ARGS…` run in the directory, without inherited `PROPUSK_*` variables.
    pub fn bare_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command.current_dir(&self.path).args(args);
        for (name, _) in std::env::vars() {
            if name.starts_with("PROPUSK_") {
                command.env_remove(name);
            }
        }
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run propusk")
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "propusk {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs a command with `--json` and parses its stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        let text = self.ok(&args);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("propusk {args:?} printed no JSON ({e}): {text}"))
    }

    /// Runs a command that must fail with exit code 1; returns its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "propusk {args:?} should exit 1: {out:?}"
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Starts `propusk serve --listen 127.0.0.1:0` with extra environment variables and
    /// waits for its `listening on` line.
    pub fn serve(&self, env: &[(&str, &str)]) -> Server {
        let mut command = self.command(&["serve", "--listen", "127.0.0.1:0"]);
        command.envs(env.iter().copied());
        Server::spawn(command, self.path.join("serve.log"))
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `listening on http://127.0.0.1:PORT issuer …` → `http://127.0.0.1:PORT`.
pub fn parse_listening(line: &str) -> Option<String> {
    let rest = line.split("listening on ").nth(1)?;
    Some(rest.split_whitespace().next()?.to_owned())
}

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    pub log: PathBuf,
    /// What the server printed before its `listening on` line.
    pub stdout: Vec<String>,
}

impl Server {
    /// Spawns `command` (a `propusk serve`), its stderr going to `log`, and waits for its
    /// `listening on` line.
    pub fn spawn(command: Command, log: PathBuf) -> Server {
        Self::try_spawn(command, log)
            .unwrap_or_else(|text| panic!("propusk serve printed no listening line:\n{text}"))
    }

    /// [`Server::spawn`], with the log as the error when the server did not start.
    pub fn try_spawn(mut command: Command, log: PathBuf) -> Result<Server, String> {
        let file = std::fs::File::create(&log).expect("log file");
        command.stdout(Stdio::piped()).stderr(Stdio::from(file));
        let mut child = command.spawn().expect("spawn propusk serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = parse_listening(&line) {
                        return Ok(Server {
                            child,
                            url,
                            log,
                            stdout: before,
                        });
                    }
                    before.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(std::fs::read_to_string(&log).unwrap_or_default());
                }
            }
        }
    }

    /// Kills the process at once, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    /// A plain HTTP/1.0 GET; returns the status code and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.addr()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n",
            self.addr()
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// Sends SIGTERM, as a service manager stopping the node would.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits up to `limit` for the process to exit; its exit status, if it did.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
