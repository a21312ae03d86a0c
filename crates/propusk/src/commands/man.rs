//! `propusk man`: the manual pages, rendered from the same command definitions as
//! `--help` (roff, man-pages(7)), so they cannot drift from the CLI.

use crate::cli::{Cli, ManArgs};
use crate::error::{CliError, CliResult};
use clap::CommandFactory;

pub fn run(args: &ManArgs) -> CliResult<()> {
    let command = Cli::command();
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::io(format!("cannot create {}", dir.display()), e))?;
            clap_mangen::generate_to(command, dir)
                .map_err(|e| CliError::io(format!("cannot write pages to {}", dir.display()), e))?;
            println!("manual pages written to {}", dir.display());
            Ok(())
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(|e| CliError::io("cannot render the manual page", e))?;
            std::io::Write::write_all(&mut std::io::stdout().lock(), &page)
                .map_err(|e| CliError::io("cannot print the manual page", e))
        }
    }
}
