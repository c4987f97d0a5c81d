//! `zbooks import <file>`, `zbooks import status` and `zbooks import failed`: the flags, and
//! the glue between them and the pipeline of `zbooks-import` (`Import::prepare` reads,
//! validates and plans; `Prepared::run` lists Zoho, runs the journaled executor and
//! reconciles). Resumable: the same command again picks up where a crash, a Ctrl-C or the
//! daily quota stopped it. `setup` makes the client from the flags, `lease` holds the
//! organization's import lease, `run` runs and renders a prepared import, `progress` draws
//! its progress, `queue` enqueues for `zbooks worker` (`--queue`), `queue_view` shows the
//! queue (`status --queue`, `failed --queue`), `dry_run` surveys Zoho for `--dry-run`, `view`
//! renders the rest.

mod dry_run;
mod lease;
mod progress;
pub(crate) mod queue;
mod queue_view;
mod run;
pub(crate) mod setup;
mod tally;
mod view;

pub(crate) use run::run_import;
use setup::duration;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use zbooks_import::{Format, Import, ImportErrorKind, PlanOptions, ReadOptions, Source};
use zbooks_store::LeaseOptions;
use zbooks_tally::live::Day;

use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, HEADING_TESTING, Settings};
use crate::{CommandResult, exit};

/// `zbooks import`.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "\
Running the same command again resumes: every record's state is journaled in the private
store before each call, so a crash, a Ctrl-C (exit 130) or a spent daily quota (exit 7) loses
nothing and sends nothing twice.

Examples:
  zbooks import daybook.xml --dry-run
  zbooks import daybook.xml --daily-budget 4000 --wait
  zbooks import invoices.csv --mapping columns.json
  zbooks import daybook.xml --no-tieout
  zbooks import status
  zbooks import failed --format csv > failed.csv
  zbooks import failed --format json > failed.jsonl && zbooks import failed.jsonl
  zbooks import contacts.csv --queue postgres://zbooks@db:5432/zbooks
  zbooks import status --queue postgres://zbooks@db:5432/zbooks
  zbooks import tally://localhost:9000 --company \"Acme Pvt Ltd\" --from 2024-04-01 --to 2025-03-31

A tally://HOST:PORT input pulls straight from a running TallyPrime (its HTTP server enabled):
the masters once, then the vouchers month by month, one request at a time; a re-run pulls
only the months not yet imported (docs/tally-live.md)."
)]
pub struct ImportCommand {
    /// `status` or `failed`; without one, imports FILE.
    #[command(subcommand)]
    pub action: Option<ImportAction>,
    /// What to import and how.
    #[command(flatten)]
    pub run: ImportArgs,
}

/// `zbooks import status|failed`.
#[derive(Debug, Subcommand)]
pub enum ImportAction {
    /// The imports journaled in the store: each input, its organization, where it stands;
    /// with `--queue`, the import queue: its jobs per state, per entity and per worker.
    Status(StatusArgs),
    /// The failed records of the latest import (or of FILE's), with Zoho's code, the
    /// explanation and the fix: `--format csv` (the default) for a spreadsheet, `--format
    /// json` for JSON Lines that import again once corrected.
    Failed(FailedArgs),
}

/// `zbooks import status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Show the import queue on PostgreSQL (postgres://user@host:5432/db) that `import FILE
    /// --queue` filled and `zbooks worker` works, instead of the journal: every worker's
    /// share. The profile's organization, or every organization in the queue.
    #[arg(long, value_name = "URL")]
    pub queue: Option<String>,
}

/// `zbooks import failed`.
#[derive(Debug, Args)]
pub struct FailedArgs {
    /// The input whose failures to list (default: the latest import; with `--queue`, the
    /// jobs enqueued from this file).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// List the failed jobs of the import queue on PostgreSQL (postgres://user@host:5432/db)
    /// instead of the journal's: the profile's organization, or every organization in it.
    #[arg(long, value_name = "URL")]
    pub queue: Option<String>,
}

/// An input format, as `--from` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromFormat {
    /// A Tally XML export.
    Tally,
    /// CSV in Zoho's import-template columns (or mapped to them with --mapping).
    Csv,
    /// JSON Lines of Zoho payloads.
    Jsonl,
}

/// What `--from` says: a file's format, or the first date of a `tally://` pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromArg {
    /// The input's format.
    Format(FromFormat),
    /// The first day to pull.
    Date(Day),
}

fn parse_from(text: &str) -> Result<FromArg, String> {
    if let Ok(format) = FromFormat::from_str(text, true) {
        return Ok(FromArg::Format(format));
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return Day::parse(text).map(FromArg::Date);
    }
    Err(format!(
        "{text:?} is neither a format (tally, csv, jsonl) nor a date (YYYY-MM-DD)"
    ))
}

fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse(text)
}

/// What to import and how.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import, or tally://HOST:PORT to pull from a running TallyPrime.
    #[arg(value_name = "FILE", required = true)]
    pub file: Option<PathBuf>,
    /// The input's format: tally, csv or jsonl (default: from the file name). For a
    /// tally:// input, the first date to pull instead (YYYY-MM-DD).
    #[arg(long, value_name = "FORMAT|DATE", value_parser = parse_from)]
    pub from: Option<FromArg>,
    /// For a tally:// input: the last date to pull (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub to: Option<Day>,
    /// For a tally:// input: the company to pull, as TallyPrime names it (it must be open).
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// For a tally:// input: how long one request to Tally may take before it is sent
    /// again (default 2m).
    #[arg(long, value_name = "DURATION")]
    pub tally_timeout: Option<String>,
    /// For a tally:// input: how many times a request is sent again after a timeout or a
    /// dropped connection (default 3).
    #[arg(long, hide = true, value_name = "N", help_heading = HEADING_TESTING)]
    pub tally_retries: Option<u32>,
    /// For a tally:// input: the wait before the first retry, doubled each time (default
    /// 2s).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub tally_backoff: Option<String>,
    /// Say what the import would adopt, create and skip, and send nothing: with a login,
    /// it reads Zoho's listings (one per entity; no create, no lease); without one, it
    /// stays offline.
    #[arg(long)]
    pub dry_run: bool,
    /// Import nothing while the input has any error.
    #[arg(long)]
    pub strict: bool,
    /// Calls a day the import may use, leaving the rest of the plan's quota to the
    /// organization's other integrations.
    #[arg(long, value_name = "CALLS")]
    pub daily_budget: Option<u32>,
    /// When the daily quota is spent, wait for the reset and go on (default: stop with exit
    /// 7; the same command resumes).
    #[arg(long)]
    pub wait: bool,
    /// A CSV column mapping (JSON: {"entity": "invoice", "columns": {"Inv No": "Invoice
    /// Number"}}).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The length of a "minute" of the per-minute limit, for a simulator whose minute is
    /// shortened (testing only).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub minute: Option<String>,
    /// The length of the client's daily window when Zoho sends no reset time (testing only).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub day: Option<String>,
    /// How long a record waits after a server error before it is sent again (default 5m).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub defer: Option<String>,
    /// How long a record a killed run left in flight is given to land before it is looked up
    /// (default 10s).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub settle: Option<String>,
    /// Creates in flight at once (default: the plan's cap); 1 makes a run's order, and so
    /// its progress lines, the same every time (testing only).
    #[arg(long, hide = true, value_name = "N", help_heading = HEADING_TESTING)]
    pub in_flight: Option<u32>,
    /// When another import is running in the organization, refuse (exit 2) instead of
    /// waiting for it to finish.
    #[arg(long)]
    pub no_wait: bool,
    /// How long the organization's import lease lives without a heartbeat: how long a run
    /// killed on another machine sharing the store holds the organization (default 60s).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub lease_ttl: Option<String>,
    /// Enqueue the valid records on PostgreSQL (postgres://user@host:5432/db) for `zbooks
    /// worker` processes to create, on any number of machines, instead of creating them here.
    #[arg(long, value_name = "URL", conflicts_with = "dry_run")]
    pub queue: Option<String>,
    /// Skip the tie-out that follows the import of a Tally export (Tally's trial balance,
    /// P&L and balance sheet against Zoho's; `zbooks tieout`).
    #[arg(long)]
    pub no_tieout: bool,
}

/// Runs `zbooks import`.
pub fn run(
    command: &ImportCommand,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    match &command.action {
        Some(ImportAction::Status(StatusArgs { queue: Some(url) })) => {
            queue_view::status(url, settings, p)
        }
        Some(ImportAction::Status(_)) => view::status(settings, p),
        Some(ImportAction::Failed(args)) => match &args.queue {
            Some(url) => queue_view::failed(url, args, settings, p),
            None => view::failed(args, settings, p),
        },
        None => import(&command.run, settings, global, p),
    }
}

fn import(
    args: &ImportArgs,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    let Some(path) = args.file.as_deref() else {
        return Err(CliError::usage("no file to import"));
    };
    let minute = args
        .minute
        .as_deref()
        .map(|m| duration("--minute", Some(m), Duration::ZERO))
        .transpose()?;
    let lease_ttl = duration(
        "--lease-ttl",
        args.lease_ttl.as_deref(),
        Duration::from_mins(1),
    )?;
    let input = path.to_string_lossy().into_owned();
    let mut live = None;
    let source = if tally::is_tally(&input) {
        match tally::source(&input, args, settings, p)? {
            Some(l) => {
                let source = l.source.clone();
                live = Some(l);
                source
            }
            None => return Ok(crate::exit::OK),
        }
    } else {
        if args.company.is_some() || args.to.is_some() {
            return Err(CliError::usage(
                "--company and --to are for a tally:// input; a file holds its own company",
            ));
        }
        if let Some(FromArg::Date(d)) = args.from {
            return Err(CliError::usage(format!(
                "--from {d} is a date, which only a tally:// input takes"
            ))
            .with_hint("for a file, --from names its format: tally, csv or jsonl"));
        }
        Source::file(path)
            .map_err(|e| CliError::io(format!("cannot read {}", path.display()), &e))?
    };
    let mut read = ReadOptions {
        format: match args.from {
            Some(FromArg::Format(FromFormat::Tally)) => Some(Format::Tally),
            Some(FromArg::Format(FromFormat::Csv)) => Some(Format::Csv),
            Some(FromArg::Format(FromFormat::Jsonl)) => Some(Format::Jsonl),
            Some(FromArg::Date(_)) | None => None,
        },
        ..ReadOptions::default()
    };
    if let Some(m) = &args.mapping {
        let mapping = zbooks_import::csv::ColumnMapping::load(m)
            .map_err(|e| CliError::usage(e.to_string()))?;
        read.csv.mapping = Some(mapping);
    }
    let plan = setup::plan_of(settings, global, p)?;
    let limits = plan.plan.limits();
    let in_flight = args
        .in_flight
        .unwrap_or_else(|| setup::limits_in_flight(&plan));
    let execute = setup::execute_options(args, in_flight, minute)?;
    let settle = execute.settle;
    let prepared = Import::prepare(
        source,
        zbooks_import::Settings {
            read,
            strict: args.strict,
            plan: PlanOptions {
                limits,
                daily_budget: args.daily_budget,
            },
            execute,
        },
    )
    .map_err(|e| {
        let err = CliError::usage(e.to_string());
        if e.kind() == ImportErrorKind::UnknownFormat {
            err.with_hint("say which with --from tally, --from csv or --from jsonl")
        } else {
            err
        }
    })?;
    if let Some(l) = &live {
        // A pull that stopped early read only part of the books: nothing is sent.
        tally::check(&input, l)?;
    }
    if prepared.refused_by_strict_reading() && !args.dry_run {
        // Before the token, the organization or any listing: --strict promises that
        // nothing is sent while the input has a problem its reader already knows.
        return Err(view::refused_by_strict_reading(&prepared, p));
    }
    if let Some(url) = args.queue.as_deref() {
        let rt = context::runtime()?;
        return rt.block_on(async {
            let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
            let client = setup::client_for(&ctx, args, minute)?;
            queue::enqueue(&ctx, &client, &prepared, url, p).await
        });
    }
    if args.dry_run {
        return dry_run::dry_run(&prepared, args, settings, global, minute, p);
    }
    let rt = context::runtime()?;
    rt.block_on(async {
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        let org = ctx.organization_id()?.value.clone();
        let client = setup::client_for(&ctx, args, minute)?;
        // The lease before the listing: the listing then stands for every record's lookup.
        let key = format!("{}|{org}", ctx.api_base().unwrap_or_default());
        let options = LeaseOptions {
            ttl: lease_ttl,
            ..LeaseOptions::new(&settings.lock_dir)
        };
        let lease = lease::take_lease(
            &ctx.store,
            &key,
            &org,
            prepared.name(),
            &options,
            args.no_wait,
            p,
        )
        .await?;
        if let Some(dead) = lease.taken_over() {
            p.note(&format!(
                "an earlier import ({}) ended without letting go of the organization; \
                 waiting {} for its last requests to land before looking at Zoho",
                lease::describe(dead),
                view::hm(settle)
            ));
            tokio::time::sleep(settle).await;
        }
        let code = run_import(
            &client,
            &ctx.store,
            &prepared,
            &org,
            Some(lease),
            settings.journal_url.as_ref(),
            p,
        )
        .await?;
        // The tie-out of a finished import (a stopped one resumes first).
        if args.no_tieout || !matches!(code, exit::OK | exit::RECORDS_FAILED) {
            return Ok(code);
        }
        let entries = match settings.journal_url {
            // The journal on PostgreSQL: failed records are not read back here.
            Some(_) => Vec::new(),
            None => match ctx.store.journal(&prepared.fingerprint(&org)).await {
                Ok(journal) => journal.entries().await.unwrap_or_default(),
                Err(_) => Vec::new(),
            },
        };
        let t = if live.is_some() {
            // Tally's side asked of the running Tally for the whole period the command
            // names (a re-run pulls fewer months; the books are tied out in full).
            let (url, company) = (input.clone(), args.company.clone().unwrap_or_default());
            let day = |a: Option<&FromArg>| match a {
                Some(FromArg::Date(d)) => Some(d.to_string()),
                _ => None,
            };
            let (from, to) = (day(args.from.as_ref()), args.to.map(|d| d.to_string()));
            crate::commands::tieout::after_live_import(
                &client,
                url,
                company,
                from,
                to,
                &prepared.parsed().report.problems,
                &entries,
            )
            .await?
        } else {
            let tally = matches!(args.from, Some(FromArg::Format(FromFormat::Tally)))
                || (args.from.is_none()
                    && path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("xml")));
            if !tally {
                p.note("tie-out: skipped (no Tally side: the input is not a Tally export)");
                return Ok(code);
            }
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::io(format!("cannot read {}", path.display()), &e))?;
            crate::commands::tieout::after_import(
                &client,
                prepared.name(),
                &bytes,
                &prepared.parsed().report.problems,
                &entries,
            )
            .await?
        };
        let tie = if p.format == OutputFormat::Json {
            // The import's JSON report is the one document on stdout: the tie-out's verdict
            // goes to stderr, its table to `zbooks tieout --format json`.
            let failing = t.failing().count();
            p.note(&format!(
                "tie-out: {}",
                if failing == 0 {
                    "ties out".to_owned()
                } else {
                    format!(
                        "does NOT tie out ({failing} group rows differ); `zbooks tieout \
                         --tally-export FILE --format json` shows the table"
                    )
                }
            ));
            if t.ties() {
                exit::OK
            } else {
                exit::RECORDS_FAILED
            }
        } else {
            crate::commands::tieout::show(&t, p, None)?
        };
        Ok(code.max(tie))
    })
}
