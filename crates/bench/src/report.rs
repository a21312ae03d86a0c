//! The results as a Markdown table (ratios Propusk/peer, each against the target)
//! and a hand-written SVG bar chart of the ratios.

use crate::bench::{Cell, Goal, Measured, Row, median};
use std::fmt::Write;

/// Facts measured outside the workload table.
pub struct Extras {
    /// Start-to-ready milliseconds and idle RSS KiB, Propusk and peer.
    pub ready_ms: [f64; 2],
    pub idle_rss_kb: [u64; 2],
    pub rs256_sign_s: Option<f64>,
}

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

fn pair(cells: &[Cell; 2], f: impl Fn(&Measured) -> String) -> String {
    let one = |c: &Cell| match c {
        Cell::Ran(m) if m.in_process => "—".into(),
        Cell::Ran(m) => f(m),
        Cell::NotApplicable(_) => "n/a".into(),
        Cell::Failed(_) => "failed".into(),
    };
    format!("{} / {}", one(&cells[0]), one(&cells[1]))
}

fn rate(cell: &Cell) -> String {
    match cell {
        Cell::Ran(m) if m.errors > 0 => format!("{:.0} ⚠ {} errors", m.median_rate(), m.errors),
        Cell::Ran(m) => format!("{:.0}", m.median_rate()),
        Cell::NotApplicable(_) => "n/a".into(),
        Cell::Failed(_) => "**failed**".into(),
    }
}

/// Propusk/peer when both ran cleanly: the median of each round's ratio, since the two
/// runs of a round are adjacent in time and share the machine's background noise.
pub fn ratio(row: &Row) -> Option<f64> {
    match &row.cells {
        [Cell::Ran(a), Cell::Ran(b)] if a.healthy() && b.healthy() => {
            let per_round: Vec<f64> = a
                .rates
                .iter()
                .zip(&b.rates)
                .filter(|(_, b)| **b > 0.0)
                .map(|(a, b)| a / b)
                .collect();
            (!per_round.is_empty()).then(|| median(&per_round))
        }
        _ => None,
    }
}

fn verdict(row: &Row) -> String {
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    match (row.goal, ratio(row), &row.cells[0]) {
        (Goal::Ratio(want), Some(r), _) => format!("≥ {want}× {}", mark(r >= want)),
        (Goal::Ratio(want), None, _) => format!("≥ {want}× ✗ (no clean pair)"),
        (Goal::Rate(want), _, Cell::Ran(m)) => format!(
            "≥ {want:.0}/s {}",
            mark(m.healthy() && m.median_rate() >= want)
        ),
        (Goal::Rate(want), _, _) => format!("≥ {want:.0}/s ✗"),
        (Goal::Report, _, _) => "—".into(),
    }
}

pub fn markdown(rows: &[Row], extras: &Extras, header: &str) -> String {
    let mut md = format!("{header}\n\n");
    md.push_str("| workload | Propusk /s | peer /s | ratio | target | p50 ms (P / peer) | p99 ms (P / peer) | CPU s per 1k (P / peer) | peak RSS MB (P / peer) |\n");
    md.push_str("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
    for row in rows {
        let ratio = ratio(row).map_or("—".into(), |r| format!("{r:.2}×"));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {ratio} | {} | {} | {} | {} | {} |",
            row.name,
            rate(&row.cells[0]),
            rate(&row.cells[1]),
            verdict(row),
            pair(&row.cells, |m| format!("{:.2}", m.quantile_ms(0.5))),
            pair(&row.cells, |m| format!("{:.2}", m.quantile_ms(0.99))),
            pair(&row.cells, |m| format!("{:.3}", m.cpu_per_1k())),
            pair(&row.cells, |m| mb(m.peak_rss_kb)),
        );
    }
    md.push('\n');
    extras_lines(&mut md, rows, extras);
    rounds(&mut md, rows);
    problems(&mut md, rows);
    md
}

/// Every round's rate, so that the spread behind each median is visible.
fn rounds(md: &mut String, rows: &[Row]) {
    md.push_str("\nRounds (operations/s, Propusk | peer; the ratio is the median of the rounds' ratios):\n\n");
    for row in rows {
        let list = |c: &Cell| match c {
            Cell::Ran(m) => m
                .rates
                .iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(" "),
            _ => "—".into(),
        };
        let _ = writeln!(
            md,
            "- {}: {} | {}",
            row.id,
            list(&row.cells[0]),
            list(&row.cells[1])
        );
    }
}

fn extras_lines(md: &mut String, rows: &[Row], x: &Extras) {
    // Over the workloads both servers ran.
    let both = rows.iter().filter_map(|r| match &r.cells {
        [Cell::Ran(a), Cell::Ran(b)] if !b.in_process => Some((a.peak_rss_kb, b.peak_rss_kb)),
        _ => None,
    });
    let (p, q) = both.fold((0, 0), |(p, q), (a, b)| (p.max(a), q.max(b)));
    let peak = |i: usize| Some([p, q][i]).filter(|kb| *kb > 0);
    if let (Some(p), Some(q)) = (peak(0), peak(1)) {
        let r = p as f64 / q.max(1) as f64;
        let _ = writeln!(
            md,
            "- peak RSS under load: Propusk {} MB, peer {} MB, ratio {r:.2} (target ≤ 0.25 {})",
            mb(p),
            mb(q),
            if r <= 0.25 { "✓" } else { "✗" }
        );
    }
    let client = rows
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| (r.id, c)))
        .filter_map(|(id, c)| match c {
            Cell::Ran(m) if m.ops > 0 => Some((id, m.client_cpu_per_1k())),
            _ => None,
        });
    if let Some((id, most)) = client.max_by(|a, b| a.1.total_cmp(&b.1)) {
        let _ = writeln!(
            md,
            "- load generator (one thread, same machine): at most {most:.3} CPU s per 1k operations ({id})"
        );
    }
    let _ = writeln!(
        md,
        "- start to ready: Propusk {:.0} ms, peer {:.0} ms (target < 250 ms)",
        x.ready_ms[0], x.ready_ms[1]
    );
    let _ = writeln!(
        md,
        "- idle RSS: Propusk {} MB, peer {} MB (target < 30 MB)",
        mb(x.idle_rss_kb[0]),
        mb(x.idle_rss_kb[1])
    );
    let rs256 = rows
        .iter()
        .find(|r| r.id == "cc-rs256")
        .and_then(|r| match &r.cells[0] {
            Cell::Ran(m) if m.healthy() => Some(m.cpu_per_1k()),
            _ => None,
        });
    let flow = rows
        .iter()
        .find(|r| r.id == "code-flow")
        .and_then(|r| match &r.cells[0] {
            Cell::Ran(m) if m.healthy() => Some(m.cpu_per_1k()),
            _ => None,
        });
    if let (Some(sign), Some(per_1k)) = (x.rs256_sign_s, flow) {
        let per_flow = per_1k / 1000.0;
        let _ = writeln!(
            md,
            "- code flow (RS256 ID token): Propusk {:.3} ms CPU per flow, {:.2}× one RS256 signature (target ≤ 1.5×)",
            per_flow * 1e3,
            per_flow / sign
        );
    }
    let database: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.cells[0] {
            Cell::Ran(m) => m.db_cpu_per_1k().map(|s| format!("{} {s:.3}", r.id)),
            _ => None,
        })
        .collect();
    if !database.is_empty() {
        let _ = writeln!(
            md,
            "- PostgreSQL's own CPU s per 1k operations (its processes, during Propusk's runs): {}",
            database.join(", ")
        );
    }
    if let (Some(sign), Some(per_1k)) = (x.rs256_sign_s, rs256) {
        let per_token = per_1k / 1000.0;
        let _ = writeln!(
            md,
            "- RS256 token: Propusk {:.3} ms CPU per token, one aws-lc-rs RS256 signature {:.3} ms (signing on every core at once): {:.2}× (target ≤ 1.15×)",
            per_token * 1e3,
            sign * 1e3,
            per_token / sign
        );
    }
}

fn problems(md: &mut String, rows: &[Row]) {
    let mut notes = String::new();
    for row in rows {
        for (who, cell) in ["Propusk", "peer"].iter().zip(&row.cells) {
            let text = match cell {
                Cell::Ran(m) => m
                    .first_error
                    .as_ref()
                    .map(|e| format!("{} errors of {}, first: {e}", m.errors, m.ops)),
                Cell::Failed(why) => Some(format!("did not run: {why}")),
                Cell::NotApplicable(why) => Some(format!("n/a: {why}")),
            };
            if let Some(text) = text {
                let _ = writeln!(notes, "- {} / {who}: {}", row.id, text.replace('\n', " "));
            }
        }
    }
    if !notes.is_empty() {
        md.push_str("\nNotes:\n\n");
        md.push_str(&notes);
    }
}

/// Horizontal bars of Propusk/peer per workload, a line at 1× and a tick at each target.
pub fn svg(rows: &[Row]) -> String {
    let goal = |g: Goal| {
        if let Goal::Ratio(t) = g {
            Some(t)
        } else {
            None
        }
    };
    let bars: Vec<(&str, f64, Option<f64>)> = rows
        .iter()
        .filter_map(|r| ratio(r).map(|x| (r.id, x, goal(r.goal))))
        .collect();
    let top = bars
        .iter()
        .map(|(_, r, t)| r.max(t.unwrap_or(0.0)))
        .fold(1.0_f64, f64::max)
        * 1.15;
    let (left, width, row_h) = (110.0, 560.0, 28.0);
    let height = 64.0 + row_h * bars.len() as f64;
    let x = |v: f64| left + width * v / top;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{height:.0}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <text x=\"10\" y=\"20\" font-size=\"14\">Propusk / oidc-provider, requests per second (ticks: targets; sign-in: / raw argon2id)</text>\n",
        left + width + 80.0
    );
    for (i, (name, r, target)) in bars.iter().enumerate() {
        let y = 40.0 + row_h * i as f64;
        let colour = match target {
            None => "#607d8b",
            Some(t) if *r >= *t => "#2e7d32",
            Some(_) => "#c62828",
        };
        let _ = writeln!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 15.0,
            escape(name)
        );
        let _ = writeln!(
            s,
            "<rect x=\"{left:.0}\" y=\"{y:.0}\" width=\"{:.1}\" height=\"20\" fill=\"{colour}\"/>",
            x(*r) - left
        );
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.0}\">{r:.2}×</text>",
            x(r.max(target.unwrap_or(0.0))) + 5.0,
            y + 15.0
        );
        if let Some(t) = target {
            let _ = writeln!(
                s,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.0}\" y2=\"{2:.0}\" stroke=\"black\" stroke-width=\"2\"/>",
                x(*t),
                y - 2.0,
                y + 22.0
            );
        }
    }
    let _ = writeln!(
        s,
        "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"32\" y2=\"{1:.0}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>",
        x(1.0),
        height - 10.0
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.0}\" text-anchor=\"middle\" fill=\"#888\">1×</text>",
        x(1.0),
        height
    );
    s.push_str("</svg>\n");
    s
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(rates: &[f64]) -> Cell {
        Cell::Ran(Measured {
            rates: rates.to_vec(),
            ops: 100,
            ..Measured::default()
        })
    }

    #[test]
    fn the_ratio_is_the_median_of_the_rounds_ratios_and_errors_void_it() {
        let row = |cells| Row {
            id: "cc-es256",
            name: "ES256",
            goal: Goal::Ratio(4.0),
            cells,
        };
        let clean = row([ran(&[400.0, 90.0, 500.0]), ran(&[100.0, 10.0, 100.0])]);
        assert_eq!(ratio(&clean), Some(5.0));
        assert!(verdict(&clean).contains('✓'));
        assert!(svg(&[clean]).contains(">cc-es256</text>"));
        let mut failing = ran(&[400.0]);
        if let Cell::Ran(m) = &mut failing {
            m.errors = 1;
        }
        assert_eq!(ratio(&row([failing, ran(&[100.0])])), None);
    }
}
