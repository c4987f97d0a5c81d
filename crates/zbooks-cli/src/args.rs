//! The command line as clap sees it: flags only, no decisions (ripgrep's low-level arguments;
//! `settings` turns them into what commands use).
//!
//! This is the top layer: it only assembles the parser. Each command's module owns its own
//! arguments, the flags every command takes live in `settings` (which resolves them), and the
//! output format and colour choice in `printer`; nothing below imports this module, so the
//! modules stay layered one way (`cargo xtask modules`).

use std::ffi::OsString;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use crate::exit;
use crate::settings::HEADING_TESTING;

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
    /// Run a TallyPrime simulator (XML over HTTP, from Tally export files, with Tally's
    /// quirks and scripted faults) for trying `zbooks import tally://...` without a Tally.
    TallySim(crate::commands::tally_sim::TallySimArgs),
    /// Read an integration's logs and say what is wrong.
    #[command(subcommand)]
    Logs(LogsCommand),
    /// Settings: show them and where each came from, or save them (init, set, unset).
    #[command(subcommand, after_help = crate::commands::config::FILE_HELP)]
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
    /// Import a Tally XML, CSV or JSON Lines file, or a company pulled from a running
    /// TallyPrime, into Zoho Books: validated, planned, journaled and resumable; `import
    /// status` and `import failed` report on it.
    Import(crate::commands::import::ImportCommand),
    /// Tie Tally's trial balance, P&L and balance sheet out against Zoho Books': side by side
    /// per account group, each difference explained or listed; exit 1 when they differ.
    Tieout(crate::commands::tieout::TieoutArgs),
    /// A local gateway for programs in any language: point their base URL at it and they get
    /// zbooks's token care, pacing, safe retries and logs.
    Gateway(crate::commands::gateway::GatewayArgs),
    /// Work an import queue on PostgreSQL that `import FILE --queue` filled: on any number of
    /// machines at once, each record created once.
    Worker(crate::commands::worker::WorkerArgs),
    /// See it work without a Zoho account: a simulator in-process, a sample company, faults
    /// on cue, and the proof that nothing was lost or doubled.
    Demo(crate::commands::demo::DemoArgs),
    /// Receive Zoho Books' webhooks: signatures checked, replays and duplicates refused, every
    /// delivery kept, accepted events forwarded.
    #[command(subcommand)]
    Webhooks(crate::commands::webhooks::WebhooksCommand),
    /// Check Deluge scripts (custom functions, schedules, webhooks) for calls to Zoho Books that
    /// will break.
    #[command(subcommand)]
    Deluge(crate::commands::deluge::DelugeCommand),
    /// Alerts: send a test to each channel, list what was raised and who was told, send what
    /// is due.
    #[command(subcommand)]
    Alert(crate::commands::alert::AlertCommand),
    /// Print a shell's completion script: bash, zsh, fish, powershell or elvish.
    Completions(crate::commands::completions::CompletionsArgs),
}

/// The flag that prints help with the testing-only options ([`HEADING_TESTING`]) shown.
pub const HELP_ALL: &str = "--help-all";

/// Parses `args` (the program name first). `--help-all` is `--help` with the testing-only
/// options shown; clap's own output (help, usage errors) is coloured as `--color` and
/// `no_color` (`NO_COLOR` is set) say, for a terminal.
pub fn parse<I, T>(args: I, no_color: bool) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    parse_named(args, no_color).map(|(cli, _)| cli)
}

/// [`parse`], and the command's name as `--format json` writes it: the subcommands named,
/// joined by spaces (`quota`, `import status`, `logs analyze`).
pub fn parse_named<I, T>(args: I, no_color: bool) -> Result<(Cli, String), clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Only flags before a `--` are flags.
    let flags = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let mut help_all = false;
    for arg in &mut args[..flags] {
        if arg == HELP_ALL {
            *arg = OsString::from("--help");
            help_all = true;
        }
    }
    let mut command = if help_all {
        command_all()
    } else {
        Cli::command()
    };
    command = command.color(clap_color(&args[..flags], no_color));
    let matches = command.try_get_matches_from_mut(args)?;
    let mut names = Vec::new();
    let mut level = &matches;
    while let Some((name, sub)) = level.subcommand() {
        names.push(name.to_owned());
        level = sub;
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
    Ok((cli, names.join(" ")))
}

/// The command the arguments name, as far as they name a known one (for a usage error's
/// envelope, before clap could parse them): `import status`, `quota`, or empty.
pub fn named_command(args: &[OsString]) -> String {
    let mut names = Vec::new();
    let mut command = Cli::command();
    for arg in args.iter().skip(1).filter_map(|a| a.to_str()) {
        if arg == "--" {
            break;
        }
        if let Some(sub) = command.find_subcommand(arg).cloned() {
            names.push(sub.get_name().to_owned());
            command = sub;
        }
    }
    names.join(" ")
}

/// Whether the arguments ask for JSON output (`--format json`, `--format=json`), read before
/// clap has parsed them: a usage error is then written as a JSON envelope too.
pub fn asks_for_json(args: &[OsString]) -> bool {
    let flags = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let args = &args[..flags];
    args.iter().any(|a| a == "--format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
}

/// The whole command tree with the testing-only options shown: for `--help-all` and the man
/// pages (a man page is the complete reference).
pub fn command_all() -> clap::Command {
    reveal_testing(Cli::command())
}

fn reveal_testing(mut command: clap::Command) -> clap::Command {
    let testing: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.get_help_heading() == Some(HEADING_TESTING))
        .map(|a| a.get_id().clone())
        .collect();
    for id in testing {
        command = command.mut_arg(id, |a| a.hide(false));
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in subcommands {
        command = command.mut_subcommand(name, reveal_testing);
    }
    command
}

/// clap's colour for its help and errors: `--color` as given (its last value), else `auto`
/// unless NO_COLOR is set. clap itself only colours a terminal.
fn clap_color(args: &[OsString], no_color: bool) -> clap::ColorChoice {
    let mut choice = None;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--color" {
            choice = args.next().map(std::borrow::Cow::into_owned);
        } else if let Some(value) = arg.strip_prefix("--color=") {
            choice = Some(value.to_owned());
        }
    }
    match choice.as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        _ if no_color => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
        command_all().debug_assert();
    }

    #[test]
    fn q_is_quiet_everywhere_but_after_call_where_it_is_the_query() {
        let cli = parse(["zbooks", "-q", "explain", "45"], true).unwrap();
        assert!(cli.global.quiet);
        let cli = parse(["zbooks", "explain", "-q", "45"], true).unwrap();
        assert!(cli.global.quiet);
        let cli = parse(["zbooks", "-q", "call", "GET", "/contacts"], true).unwrap();
        assert!(cli.global.quiet);
        let cli = parse(
            [
                "zbooks",
                "call",
                "GET",
                "/contacts",
                "-q",
                "per_page=5",
                "--quiet",
            ],
            true,
        )
        .unwrap();
        assert!(cli.global.quiet);
        let Command::Call(call) = cli.command else {
            panic!("not call")
        };
        assert_eq!(call.query, ["per_page=5"]);
        let cli = parse(["zbooks", "call", "GET", "/contacts", "-q", "a=b"], true).unwrap();
        assert!(!cli.global.quiet);
    }

    #[test]
    fn v_counts_and_does_not_go_with_q() {
        let cli = parse(["zbooks", "-vv", "explain", "45"], true).unwrap();
        assert_eq!(cli.global.verbose, 2);
        let cli = parse(["zbooks", "explain", "45", "-v", "--verbose", "-v"], true).unwrap();
        assert_eq!(cli.global.verbose, 3);
        let err = parse(["zbooks", "-v", "-q", "explain", "45"], true).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn testing_options_show_only_with_help_all() {
        let help = |args: &[&str]| {
            let err = parse(args.iter().copied(), true).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
            err.render().to_string()
        };
        let short = help(&["zbooks", "import", "--help"]);
        assert!(!short.contains("--minute"), "{short}");
        assert!(short.contains("--help-all"), "{short}");
        let all = help(&["zbooks", "import", "--help-all"]);
        for flag in ["--minute", "--day", "--defer", "--settle", "--lease-ttl"] {
            assert!(all.contains(flag), "{flag} missing:\n{all}");
        }
        assert!(all.contains(HEADING_TESTING), "{all}");
        // After `--`, it is an argument like any other.
        assert!(parse(["zbooks", "explain", "--", "--help-all"], true).is_ok());
    }

    #[test]
    fn clap_colour_follows_the_last_color_flag_then_no_color() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            clap_color(&args(&["zbooks", "--color", "always"]), true),
            clap::ColorChoice::Always
        );
        assert_eq!(
            clap_color(&args(&["zbooks", "--color=always", "--color=never"]), false),
            clap::ColorChoice::Never
        );
        assert_eq!(
            clap_color(&args(&["zbooks"]), true),
            clap::ColorChoice::Never
        );
        assert_eq!(
            clap_color(&args(&["zbooks"]), false),
            clap::ColorChoice::Auto
        );
    }
}
