//! `zbooks logs analyze`: read logs, print the findings, optionally write the HTML report.

use std::path::Path;

use clap::Args;
use zbooks_logs::{AnalyzeOptions, Analyzer};
use zbooks_types::{Clock as _, SystemClock};

use crate::context;
use crate::env::Env;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings};
use crate::{CommandResult, exit};

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
    /// (for the profile's data directory), or on PostgreSQL when ZBOOKS_STATE or ZBOOKS_JOURNAL
    /// is a postgres:// URL (every machine's failures).
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

/// Runs `zbooks logs analyze`.
pub fn run(args: &LogsAnalyzeArgs, global: &GlobalArgs, env: &Env, p: Printer) -> CommandResult {
    let mut analyzer = Analyzer::new(AnalyzeOptions {
        now: Some(SystemClock.now()),
        plan: args.plan,
        daily_limit: args.daily_limit,
    });
    let mut unreadable = 0;
    for path in &args.files {
        let result = if path == Path::new("-") {
            analyzer.feed_reader("-", std::io::stdin().lock())
        } else {
            analyzer.feed_path(path)
        };
        // A file that cannot be opened is reported and skipped; the others are still read.
        if let Err(err) = result {
            unreadable += 1;
            p.error(&format!("error: {err}{}", source_text(&err)));
        }
    }
    let mut sources = args.files.len();
    if args.audit {
        sources += 1;
        let settings = Settings::resolve(global, env)?;
        let path = context::store_path(&settings);
        if let Some(url) = context::audit_url(&settings) {
            let shown = crate::settings::redact_url(url.expose());
            if let Some(events) = context::runtime()?.block_on(pg_audit_log(url.expose()))? {
                analyzer.feed_events(&format!("audit log ({shown})"), events.iter().rev());
            } else {
                unreadable += 1;
                p.error(&format!(
                    "error: no audit log at {shown}: no zbooks command has written there yet"
                ));
            }
        } else if path.exists() {
            let store = context::open_store(&settings)?;
            let events = context::runtime()?
                .block_on(store.audit_log(AUDIT_LIMIT))
                .map_err(|e| {
                    CliError::usage(format!("cannot read the audit log in {}", path.display()))
                        .with_hint(e.to_string())
                })?;
            // The store returns the newest first; the analysis wants time order.
            analyzer.feed_events(
                &format!("audit log ({})", path.display()),
                events.iter().rev(),
            );
        } else {
            unreadable += 1;
            p.error(&format!(
                "error: no audit log at {}: no zbooks command has run with this profile's data \
                 directory",
                path.display()
            ));
        }
    }
    if unreadable == sources {
        return Err(CliError::usage("no log could be read").with_hint(
            "give one or more log files (plain or .gz), a HAR export, or - for standard input",
        ));
    }
    let report = analyzer.finish();
    match p.format {
        OutputFormat::Json => p.json(&report.to_json()),
        OutputFormat::Text => p.out(&report.to_text(p.color)),
    }
    if let Some(html) = &args.html {
        std::fs::write(html, report.to_html()).map_err(|e| {
            CliError::io(
                format!("cannot write the HTML report {}", html.display()),
                &e,
            )
        })?;
        p.note(&format!("HTML report written to {}", html.display()));
    }
    Ok(if unreadable > 0 {
        exit::LOCAL_IO
    } else {
        exit::OK
    })
}

/// The most audit-log entries read: the newest, which is where a failing integration's story is.
const AUDIT_LIMIT: u32 = 1_000_000;

fn source_text(err: &dyn std::error::Error) -> String {
    err.source()
        .map_or_else(String::new, |s| format!("\n  caused by: {s}"))
}

/// The newest entries of the audit log on PostgreSQL (`None` when the database holds no zbooks
/// tables yet: nothing is created by reading).
async fn pg_audit_log(url: &str) -> Result<Option<Vec<zbooks_types::event::CallEvent>>, CliError> {
    let shown = crate::settings::redact_url(url);
    let read = async {
        match zbooks_pg::PgStore::open_existing(url.trim()).await? {
            Some(pg) => pg.audit_log(AUDIT_LIMIT).await.map(Some),
            None => Ok(None),
        }
    };
    read.await.map_err(|e| {
        CliError::usage(format!("cannot read the audit log at {shown}")).with_hint(e.to_string())
    })
}
