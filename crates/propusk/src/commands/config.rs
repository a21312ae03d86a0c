//! `propusk config check FILE`: loads defaults plus the file and validates them, the
//! theme of `ui.theme_dir` included (every template compiled, every text file parsed).

use crate::cli::ConfigCommand;
use crate::error::CliResult;

pub fn run(command: ConfigCommand) -> CliResult<()> {
    match command {
        ConfigCommand::Check { file } => {
            crate::config::check_file(&file)?;
            println!("ok");
            Ok(())
        }
    }
}
