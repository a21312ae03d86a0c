//! `propusk ui export-theme DIR`: writes the built-in theme for an operator to edit.

use crate::cli::UiCommand;
use crate::error::{CliError, CliResult};
use propusk_web::Theme;

pub fn run(command: UiCommand) -> CliResult<()> {
    match command {
        UiCommand::ExportTheme { dir } => {
            let written = Theme::export(&dir).map_err(|e| {
                CliError::io(format!("cannot write the theme to {}", dir.display()), e)
            })?;
            println!("wrote {} files to {}", written.len(), dir.display());
            Ok(())
        }
    }
}
