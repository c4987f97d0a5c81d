//! The command line as clap sees it: flags only, no decisions (ripgrep's low-level arguments;
//! `settings` turns them into what commands use).

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit;

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

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format: text for people, json (versioned) for scripts.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print less on stderr.
    // No `-q`: `zbooks call` takes `-q key=value` for query parameters, as docs/design.md's
    // synopsis writes it, and clap cannot give one short flag two meanings.
    #[arg(long, global = true)]
    pub quiet: bool,
    /// The config-file profile to use [env: ZBOOKS_PROFILE].
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The data center: us, eu, in, au, jp, ca, cn, sa [env: ZBOOKS_DC].
    #[arg(long, global = true, value_name = "DC")]
    pub dc: Option<String>,
    /// The organization id [env: ZBOOKS_ORG_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub org: Option<String>,
    /// The config file to read [env: ZBOOKS_CONFIG].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Append every call's event (JSON Lines, as `zbooks logs analyze` reads) to FILE.
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<std::path::PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Text for people (`csv` is accepted too: `import failed` writes CSV as its text form).
    #[value(alias = "csv")]
    Text,
    /// JSON for scripts, with a `schema` version.
    Json,
}

/// Colour choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
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

/// `zbooks config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every resolved setting with its source (flag, environment, config file or
    /// default); secrets are masked.
    Show,
}

/// `zbooks explain`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  zbooks explain 57
  zbooks explain 429
  zbooks explain invalid_client
  zbooks explain '{\"code\":45,\"message\":\"...maximum call rate limit of 1,000.\"}'
  tail -n 200 app.log | zbooks explain -
  zbooks explain --list")]
pub struct ExplainArgs {
    /// A code (57), a status (429), an accounts error (invalid_client), a Zoho JSON body, or a
    /// log line; several words are read as one line; `-` reads standard input.
    #[arg(value_name = "INPUT", required_unless_present = "list")]
    pub input: Vec<String>,
    /// Print the whole catalog as a table.
    #[arg(long, conflicts_with = "input")]
    pub list: bool,
}

/// `zbooks sim`.
#[derive(Debug, Args)]
#[command(after_help = "\
On start it prints its accounts URL, API URL, control URL and the seeded demo organization's
client id, client secret, refresh token and organization id (simulator values, not secrets).
With --format json these come as one JSON object on the first line of stdout, for scripts.

Examples:
  zbooks sim --port 8787
  zbooks sim --port 0 --format json --minute 1s
  zbooks sim --scenario faults.toml --seed 7 --state sandbox.json")]
pub struct SimArgs {
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// A TOML or JSON file with settings, users, organizations and scripted faults.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<std::path::PathBuf>,
    /// Keep the sandbox in this file across restarts.
    #[arg(long, value_name = "FILE")]
    pub state: Option<std::path::PathBuf>,
    /// Seed of ids, tokens and probabilistic faults.
    #[arg(long)]
    pub seed: Option<u64>,
    /// How long a "minute" of the per-minute limit lasts (e.g. 1s, to test fast).
    #[arg(long, value_name = "DURATION")]
    pub minute: Option<String>,
    /// How long a "day" of the daily quota lasts.
    #[arg(long, value_name = "DURATION")]
    pub day: Option<String>,
    /// Lifetime of access tokens.
    #[arg(long, value_name = "DURATION")]
    pub token_lifetime: Option<String>,
    /// Switch the per-minute, daily and in-flight limits off (for benchmarks).
    #[arg(long)]
    pub no_limits: bool,
    /// Close a keep-alive connection idle for this long (default 60s).
    #[arg(long, value_name = "DURATION")]
    pub idle_timeout: Option<String>,
    /// The most connections open at once; more wait until one closes (default 512).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
}

/// `zbooks logs`.
#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Find what is wrong in logs: zbooks event logs (--log-file), HAR files, or any
    /// application, proxy or Deluge log with Zoho errors in it (plain or gzip).
    Analyze(LogsAnalyzeArgs),
}

/// `zbooks logs analyze`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  zbooks logs analyze app.log
  zbooks logs analyze zbooks-events.jsonl.gz export.har --html report.html
  kubectl logs deploy/sync | zbooks logs analyze - --format json")]
pub struct LogsAnalyzeArgs {
    /// Log files to read (several at once); `-` reads standard input.
    #[arg(value_name = "FILE", required_unless_present = "audit")]
    pub files: Vec<std::path::PathBuf>,
    /// Also read the audit log of failed calls that every zbooks command keeps in the store
    /// (for the profile's data directory).
    #[arg(long)]
    pub audit: bool,
    /// Also write a self-contained HTML report (charts inline, no network needed).
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// The organization's plan, for the daily quota and the in-flight limit.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<zbooks_types::Plan>,
    /// The daily quota, when Zoho raised it above the plan's.
    #[arg(long, value_name = "CALLS")]
    pub daily_limit: Option<u32>,
}
