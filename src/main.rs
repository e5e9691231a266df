//! The `quipu` binary: parses the command line; with no subcommand, opens the window.

use std::process::ExitCode;

use clap::Parser;
use quipu::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => open_window(None),
        Some(Command::Gui { project }) => open_window(project),
        Some(command) => quipu::cli::run(command).map_err(|error| error.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("quipu: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_window(project: Option<std::path::PathBuf>) -> Result<(), String> {
    quipu::gui::run(project)
}

#[cfg(not(feature = "gui"))]
fn open_window(_project: Option<std::path::PathBuf>) -> Result<(), String> {
    Err("this build of Quipu has no window (it was built without the 'gui' feature); see `quipu --help`".to_owned())
}
