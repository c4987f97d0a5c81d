//! The `zbooks` command line: parse, resolve settings, dispatch to one module per command,
//! render the error, exit. Commands hold no logic a library user would also need; that lives in
//! the library crates.

use std::process::ExitCode;

pub mod args;
pub mod commands;
pub mod context;
pub mod env;
pub mod envelope;
pub mod error;
pub mod exit;
pub mod logfile;
pub mod logging;
pub mod plan;
pub mod printer;
pub mod prompt;
pub mod render;
pub mod settings;

use args::{Cli, Command};
use error::CliError;
use printer::Printer;

/// Runs `zbooks` with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let env = env::Env::from_process();
    let no_color = env.get(env::NO_COLOR).is_some();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let (cli, name) = match args::parse_named(argv.iter().cloned(), no_color) {
        Ok(parsed) => parsed,
        Err(err) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            let _ = err.print();
            if !err.use_stderr() {
                return ExitCode::from(exit::OK);
            }
            if args::asks_for_json(&argv) {
                // A script asked for JSON: the usage error is an envelope too.
                let text = err.render().to_string();
                let headline = text
                    .lines()
                    .next()
                    .unwrap_or("invalid arguments")
                    .trim_start_matches("error: ");
                let usage = CliError::usage(headline).with_hint("zbooks --help");
                envelope::finish(&args::named_command(&argv), exit::USAGE, Some(&usage));
            }
            return ExitCode::from(exit::USAGE);
        }
    };
    let printer = Printer::new(
        cli.global.format,
        cli.global.color,
        cli.global.quiet,
        no_color,
    );
    logging::init(
        logging::level(cli.global.verbose, cli.global.quiet),
        printer.color_stderr,
    );
    let result = match cli.command {
        // explain needs no settings: it must work with a broken config too.
        Command::Explain(args) => commands::explain::run(&args, printer),
        Command::Sim(args) => commands::sim::run(&args, printer),
        Command::TallySim(args) => commands::tally_sim::run(&args, printer),
        Command::Logs(args::LogsCommand::Analyze(args)) => {
            commands::logs::analyze::run(&args, &cli.global, &env, printer)
        }
        Command::Config(cmd) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::config::run(&cmd, settings, &cli.global, printer)
        }),
        Command::Auth(cmd) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::auth::run(&cmd, settings, &cli.global, printer)
        }),
        Command::Doctor(args) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::doctor::run(&args, settings, &cli.global, printer)
        }),
        Command::Call(args) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::call::run(&args, settings, &cli.global, printer)
        }),
        Command::Quota(args) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::quota::run(&args, settings, &cli.global, printer)
        }),
        Command::Import(cmd) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::import::run(&cmd, settings, &cli.global, printer)
        }),
        Command::Tieout(args) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::tieout::run(&args, settings, &cli.global, printer)
        }),
        Command::Gateway(args) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::gateway::run(&args, settings, &cli.global, &env, printer)
        }),
        Command::Worker(args) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::worker::run(&args, settings, &cli.global, printer)
        }),
        // The demo needs no settings: it brings its own Zoho.
        Command::Demo(args) => commands::demo::run(&args, cli.global.verbose, printer),
        // Reads scripts, never Zoho: no settings needed.
        Command::Deluge(cmd) => commands::deluge::run(&cmd, printer),
        Command::Webhooks(cmd) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::webhooks::run(&cmd, settings, &env, printer)
        }),
        Command::Alert(cmd) => with_settings(&cli.global, &env, &name, printer, |settings| {
            commands::alert::run(&cmd, settings, &env, printer)
        }),
        Command::Completions(args) => {
            commands::completions::run(&args, <Cli as clap::CommandFactory>::command(), printer)
        }
    };
    // A permanent failure of `import` or `worker` raises an alert (when `[alerts]` is set).
    let (code, error) = match &result {
        Ok(code) => (*code, None),
        Err(err) => (err.exit_code, Some(err)),
    };
    commands::alert::after_run(&name, code, error, &cli.global, &env, printer);
    let json =
        cli.global.format == printer::OutputFormat::Json && envelope::ends_with_envelope(&name);
    match result {
        Ok(code) => {
            if json {
                envelope::finish(&name, code, None);
            }
            ExitCode::from(code)
        }
        Err(err) => {
            printer.error(&err.to_string());
            if json {
                envelope::finish(&name, err.exit_code, Some(&err));
            }
            ExitCode::from(err.exit_code)
        }
    }
}

/// Resolves settings, prints their warnings, and runs `f` with them.
fn with_settings(
    global: &args::GlobalArgs,
    env: &env::Env,
    command: &str,
    printer: Printer,
    f: impl FnOnce(&settings::Settings) -> CommandResult,
) -> CommandResult {
    let mut settings = settings::Settings::resolve(global, env)?;
    command.clone_into(&mut settings.command);
    for warning in &settings.warnings {
        printer.note(&format!("warning: {warning}"));
    }
    f(&settings)
}

/// The result of a command: its exit code, or an error to render.
pub type CommandResult = Result<u8, CliError>;
