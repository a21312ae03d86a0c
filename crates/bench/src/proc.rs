//! The servers under test as child processes: start, wait until discovery answers 200,
//! read CPU time (`/proc/PID/stat` utime+stime) and memory (`/proc/PID/status`), stop.

use crate::http::{Conn, Target};
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Clock ticks per second of `/proc/PID/stat` times (`getconf CLK_TCK` on Linux).
const CLK_TCK: f64 = 100.0;

pub struct Server {
    pub name: &'static str,
    pub target: Target,
    child: Child,
    /// From spawn to the first 200 from discovery.
    pub ready: Duration,
    pub idle_rss_kb: u64,
}

impl Server {
    /// Spawns `cmd` (output to `log`) and waits up to 60 s for it to answer.
    pub async fn start(
        name: &'static str,
        mut cmd: Command,
        target: Target,
        log: &Path,
    ) -> Result<Self, String> {
        let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        let began = Instant::now();
        let child = cmd
            .spawn()
            .map_err(|e| format!("{name}: cannot start: {e}"))?;
        let mut server = Self {
            name,
            target,
            child,
            ready: Duration::ZERO,
            idle_rss_kb: 0,
        };
        while !server.answers().await {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "{name} exited with {status} before answering; see {}",
                    log.display()
                ));
            }
            if began.elapsed() > Duration::from_secs(60) {
                return Err(format!(
                    "{name} did not answer within 60 s; see {}",
                    log.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.ready = began.elapsed();
        tokio::time::sleep(Duration::from_millis(500)).await;
        server.idle_rss_kb = status_kb(server.pid(), "VmRSS:");
        Ok(server)
    }

    async fn answers(&self) -> bool {
        let Ok(mut conn) = Conn::open(self.target.addr).await else {
            return false;
        };
        let req = self.target.get("/.well-known/openid-configuration", &[]);
        matches!(conn.send(req).await, Ok(reply) if reply.status.is_success())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// User plus system CPU seconds used so far, all threads.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.pid()))
    }

    /// Starts a new peak-RSS window (`echo 5 > /proc/PID/clear_refs`, Linux ≥ 4.0).
    pub fn reset_peak(&self) {
        let _ignored = std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5");
    }

    /// Peak resident set since the last `reset_peak` (VmHWM), KiB.
    pub fn peak_rss_kb(&self) -> u64 {
        status_kb(self.pid(), "VmHWM:")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
    }
}

/// utime + stime of a `/proc/…/stat` file, seconds.
pub fn cpu_seconds(stat_path: &str) -> f64 {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_default();
    // Fields after the command name, which may hold spaces: state is field 3, utime 14.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks as f64 / CLK_TCK
}

/// The parent pid of a `/proc/…/stat` file (field 4).
pub fn parent(stat_path: &str) -> Option<u32> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    rest.split_whitespace().nth(1)?.parse().ok()
}

fn status_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}
