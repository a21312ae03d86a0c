//! PostgreSQL for `--pg`: `PROPUSK_BENCH_DATABASE_URL` (an empty database), or else a
//! throwaway cluster from `scripts/pg-throwaway`, stopped when the bench ends.

use std::process::Command;

const SCRIPT: &str = "scripts/pg-throwaway";

pub struct Database {
    pub url: String,
    /// The throwaway cluster's folder, when the bench started one.
    cluster: Option<String>,
}

impl Database {
    pub fn get() -> Result<Self, String> {
        if let Ok(url) = std::env::var("PROPUSK_BENCH_DATABASE_URL") {
            return Ok(Self { url, cluster: None });
        }
        let out = Command::new(SCRIPT)
            .arg("start")
            .output()
            .map_err(|e| format!("{SCRIPT}: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let value = |key: &str| {
            text.lines()
                .find_map(|line| {
                    line.trim_start_matches("export ")
                        .strip_prefix(key)?
                        .strip_prefix('=')
                })
                .map(|v| v.trim_matches(['\'', '"']).to_owned())
        };
        let cluster = value("PROPUSK_PG_DIR");
        match value("PROPUSK_TEST_DATABASE_URL") {
            Some(url) if out.status.success() => Ok(Self { url, cluster }),
            _ => Err(format!(
                "{SCRIPT} start failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
        }
    }
}

impl Database {
    /// CPU seconds used so far by the cluster this bench started: the postmaster and its
    /// children (backends, writer, WAL writer…), from `/proc`. `None` for a database given
    /// by URL, whose processes the bench cannot tell apart.
    pub fn cpu_seconds(&self) -> Option<f64> {
        let dir = self.cluster.as_deref()?;
        let pid_file = std::fs::read_to_string(format!("{dir}/data/postmaster.pid")).ok()?;
        let postmaster: u32 = pid_file.lines().next()?.trim().parse().ok()?;
        let mut total = 0.0;
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let path = format!("/proc/{pid}/stat");
            if pid == postmaster || crate::proc::parent(&path) == Some(postmaster) {
                total += crate::proc::cpu_seconds(&path);
            }
        }
        Some(total)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(dir) = &self.cluster {
            let _stopped = Command::new(SCRIPT).args(["stop", dir]).output();
        }
    }
}
