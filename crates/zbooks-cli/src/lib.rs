//! The `zbooks` command line: parse, resolve settings, dispatch to one module per command,
//! render the error, exit. Commands hold no logic a library user would also need; that lives in
//! the library crates.

use std::process::ExitCode;

use clap::Parser as _;

pub mod args;
pub mod commands;
pub mod error;
pub mod exit;
pub mod printer;
mod settings;

use args::{Cli, Command};
use error::CliError;
use printer::Printer;

/// Runs `zbooks` with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let printer = Printer::new(
        cli.global.format,
        cli.global.color,
        cli.global.quiet,
        settings::no_color(),
    );
    let result = match cli.command {
        Command::Explain(args) => commands::explain::run(&args, printer),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            printer.error(&err.to_string());
            ExitCode::from(err.exit_code)
        }
    }
}

/// The result of a command: its exit code, or an error to render.
pub type CommandResult = Result<u8, CliError>;
