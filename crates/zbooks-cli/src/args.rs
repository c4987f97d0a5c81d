//! The command line as clap sees it: flags only, no decisions (ripgrep's low-level arguments;
//! `settings` turns them into what commands use).
//!
//! This is the top layer: it only assembles the parser. Each command's module owns its own
//! arguments, the flags every command takes live in `settings` (which resolves them), and the
//! output format and colour choice in `printer`; nothing below imports this module, so the
//! modules stay layered one way (`cargo xtask modules`).

use clap::{Parser, Subcommand};

use crate::exit;

// Re-exported where they used to be defined, so `zbooks_cli::args::*` paths keep working.
pub use crate::commands::config::ConfigCommand;
pub use crate::commands::explain::ExplainArgs;
pub use crate::commands::logs::LogsCommand;
pub use crate::commands::logs::analyze::LogsAnalyzeArgs;
pub use crate::commands::sim::SimArgs;
pub use crate::printer::{ColorChoice, OutputFormat};
pub use crate::settings::GlobalArgs;

/// zbooks: Zoho Books integrations that do not break.
#[derive(Debug, Parser)]
#[command(
    name = "zbooks",
    version,
    about = "Zoho Books integrations that do not break: explain errors, check a setup, call the \
             API, migrate books, analyze logs",
    after_help = exit::HELP,
    propagate_version = true
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain a Zoho Books error: a code, an HTTP status, an accounts error, an error body or
    /// a whole log line.
    Explain(ExplainArgs),
    /// Run a Zoho Books simulator (accounts server, Books API, limits, scripted faults) for
    /// trying zbooks or testing an integration without a Zoho account.
    Sim(SimArgs),
    /// Read an integration's logs and say what is wrong.
    #[command(subcommand)]
    Logs(LogsCommand),
    /// Show the resolved settings and where each came from.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Log in with a self client's grant code, show the login, or log out.
    #[command(subcommand)]
    Auth(crate::commands::auth::AuthCommand),
    /// Check a setup: data center, credentials, refresh, header, organization, plan, scopes,
    /// clock, reachability; each failure with its fix.
    Doctor(crate::commands::doctor::DoctorArgs),
    /// Call any Books endpoint with every resilience of the client; the body is checked first.
    Call(crate::commands::call::CallArgs),
    /// Per-organization API usage: this minute, today, left, and the (estimated) reset.
    Quota(crate::commands::quota::QuotaArgs),
    /// Import a Tally XML, CSV or JSON Lines file into Zoho Books: validated, planned,
    /// journaled and resumable; `import status` and `import failed` report on it.
    Import(crate::commands::import::ImportCommand),
    /// See it work without a Zoho account: a simulator in-process, a sample company, faults
    /// on cue, and the proof that nothing was lost or doubled.
    Demo(crate::commands::demo::DemoArgs),
}
