//! Printing results: JSON for scripts (`--json`, one document on stdout) or aligned
//! text for people. Secrets appear only in the result of the command that created them.

use crate::error::{CliError, CliResult};
use serde::Serialize;

pub fn json(value: &impl Serialize) -> CliResult<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Invalid(format!("cannot print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// Prints rows under headers, columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// An optional value for a table cell.
pub fn cell(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

/// Reminds the operator that a secret is shown only once (stderr, so stdout stays data).
pub fn secret_notice() {
    eprintln!(
        "Store the secret now: it is not stored in readable form and will not be shown again."
    );
}
