//! `zbooks import <file>`, `zbooks import status` and `zbooks import failed`: read, validate
//! and plan an input, run it against Zoho with the journaled executor of `zbooks-import`
//! (resumable: the same command again picks up where a crash, a Ctrl-C or the daily quota
//! stopped it), and report what was created, adopted, already there and failed, with the
//! accountant's reconciliation of input and Zoho.
//!
//! The work is the library's; this module parses flags, renders the plan, the progress on
//! stderr, the report on stdout, and maps the run's end to an exit code.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use zbooks_client::{Client, LimitsConfig, RetryConfig, TokenConfig};
use zbooks_import::totals::{Reconciliation, Scope};
use zbooks_import::{
    ExecuteOptions, ExistingRecords, Format, ImportPlan, Parsed, PlanOptions, Progress,
    ReadOptions, RunInput, RunResult, Stop, StopHandle, Summary, ValidateOptions, Validation,
    execute, fingerprint, plan, validate,
};
use zbooks_store::{
    ImportLease, LeaseAttempt, LeaseHolder, LeaseOptions, RecordState, RunInfo, SqliteStore,
};
use zbooks_types::{Limits, Plan, SystemClock};

use crate::args::{GlobalArgs, OutputFormat};
use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::Printer;
use crate::settings::Settings;
use crate::{CommandResult, exit, render};

/// The version of `import --format json` output.
const SCHEMA: u32 = 1;

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
  zbooks import status
  zbooks import failed --format csv > failed.csv
  zbooks import failed --format json > failed.jsonl && zbooks import failed.jsonl"
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
    /// The imports journaled in the store: each input, its organization, where it stands.
    Status,
    /// The failed records of the latest import (or of FILE's), with Zoho's code, the
    /// explanation and the fix: `--format csv` (the default) for a spreadsheet, `--format
    /// json` for JSON Lines that import again once corrected.
    Failed(FailedArgs),
}

/// `zbooks import failed`.
#[derive(Debug, Args)]
pub struct FailedArgs {
    /// The input whose failures to list (default: the latest import).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
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

/// What to import and how.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import.
    #[arg(value_name = "FILE", required = true)]
    pub file: Option<PathBuf>,
    /// The input's format (default: from the file name).
    #[arg(long, value_enum)]
    pub from: Option<FromFormat>,
    /// Stop after validation and the plan: nothing is sent.
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
    #[arg(long, hide = true, value_name = "DURATION")]
    pub minute: Option<String>,
    /// The length of the client's daily window when Zoho sends no reset time (testing only).
    #[arg(long, hide = true, value_name = "DURATION")]
    pub day: Option<String>,
    /// How long a record waits after a server error before it is sent again (default 5m).
    #[arg(long, hide = true, value_name = "DURATION")]
    pub defer: Option<String>,
    /// How long a record a killed run left in flight is given to land before it is looked up
    /// (default 10s).
    #[arg(long, hide = true, value_name = "DURATION")]
    pub settle: Option<String>,
    /// When another import is running in the organization, refuse (exit 2) instead of
    /// waiting for it to finish.
    #[arg(long)]
    pub no_wait: bool,
    /// How long the organization's import lease lives without a heartbeat: how long a run
    /// killed on another machine sharing the store holds the organization (default 60s).
    #[arg(long, hide = true, value_name = "DURATION")]
    pub lease_ttl: Option<String>,
}

/// Runs `zbooks import`.
pub fn run(
    command: &ImportCommand,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    match &command.action {
        Some(ImportAction::Status) => status(settings, p),
        Some(ImportAction::Failed(args)) => failed(args, settings, p),
        None => import(&command.run, settings, global, p),
    }
}

fn duration(flag: &str, text: Option<&str>, default: Duration) -> Result<Duration, CliError> {
    match text {
        None => Ok(default),
        Some(t) => zbooks_sim::parse_duration(t).map_err(|e| {
            CliError::usage(format!("invalid {flag} {t:?}: {e}"))
                .with_hint("write a duration like 500ms, 10s, 5m or 1h")
        }),
    }
}

/// The records of an input, read and collected, with the options that read them.
pub(crate) struct Input {
    pub(crate) name: String,
    pub(crate) parsed: Parsed,
    pub(crate) options_text: String,
    pub(crate) bytes: Vec<u8>,
}

fn read_input(args: &ImportArgs, path: &Path) -> Result<Input, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::io(format!("cannot read {}", path.display()), &e))?;
    let mut options = ReadOptions {
        format: args.from.map(|f| match f {
            FromFormat::Tally => Format::Tally,
            FromFormat::Csv => Format::Csv,
            FromFormat::Jsonl => Format::Jsonl,
        }),
        ..ReadOptions::default()
    };
    if let Some(m) = &args.mapping {
        let mapping = zbooks_import::csv::ColumnMapping::load(m)
            .map_err(|e| CliError::usage(e.to_string()))?;
        options.csv.mapping = Some(mapping);
    }
    let records = zbooks_import::open(path, &options).map_err(|e| {
        let err = CliError::usage(e.to_string());
        if e.kind() == zbooks_import::ImportErrorKind::UnknownFormat {
            err.with_hint("say which with --from tally, --from csv or --from jsonl")
        } else {
            err
        }
    })?;
    let parsed = Parsed::collect(records);
    let options_text = format!(
        "from={:?};mapping={:?};strict={}",
        options.format, options.csv.mapping, args.strict
    );
    Ok(Input {
        name: path.display().to_string(),
        parsed,
        options_text,
        bytes,
    })
}

/// Prints the reader's and the validator's problems on stderr, each with its place.
pub(crate) fn print_problems(validation: &Validation, p: Printer) {
    let report = &validation.report;
    for problem in &report.problems {
        let text = problem.to_string();
        if problem.is_error() {
            p.error(&text);
        } else {
            p.note(&text);
        }
    }
    if !report.problems.is_empty() {
        p.note(&format!(
            "{} errors, {} warnings; {} of {} records may go ahead",
            report.errors(),
            report.warnings(),
            validation.valid(),
            validation.len()
        ));
    }
}

fn hm(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// The plan as text.
pub(crate) fn plan_text(plan: &ImportPlan, offline: bool) -> String {
    let mut out = String::from("plan:\n");
    let _ = writeln!(
        out,
        "  {:<18} {:>8} {:>8} {:>8} {:>8}",
        "entity", "create", "exists", "held", "listing"
    );
    for e in &plan.entities {
        let name = e.entity.map_or("?", |x| x.as_str());
        let _ = writeln!(
            out,
            "  {:<18} {:>8} {:>8} {:>8} {:>8}",
            name, e.to_create, e.existing, e.held_back, e.listing_calls
        );
    }
    let _ = writeln!(
        out,
        "  {} calls; at {} a minute about {}; {} day{} of quota at {} calls a day",
        plan.calls,
        plan.per_minute,
        hm(plan.at_rate),
        plan.days,
        if plan.days == 1 { "" } else { "s" },
        zbooks_types::explain::thousands(plan.per_day)
    );
    if offline {
        out.push_str("  (dry run: Zoho was not asked what it holds already)\n");
    }
    out
}

/// Renders progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise.
pub(crate) struct ProgressView {
    printer: Printer,
    tty: bool,
    started: Instant,
    last: Option<Instant>,
    last_phase: String,
    last_percent: u64,
}

impl ProgressView {
    pub(crate) fn new(printer: Printer) -> Self {
        ProgressView {
            printer,
            tty: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
            last_phase: String::new(),
            last_percent: 0,
        }
    }

    #[expect(
        clippy::cast_precision_loss,
        reason = "a rate and a time left for people; counts stay far below 2^52"
    )]
    pub(crate) fn show(&mut self, progress: &Progress) {
        if self.printer.quiet {
            return;
        }
        let phase = match &progress.phase {
            zbooks_import::Phase::Listed { entity, records } => {
                self.printer.note(&format!(
                    "listed {records} {entity} record(s) already in Zoho"
                ));
                return;
            }
            zbooks_import::Phase::Waiting { reason, until } => {
                let wait = until
                    .duration_since(zbooks_types::Clock::now(&zbooks_types::SystemClock))
                    .unwrap_or(Duration::ZERO);
                format!("waiting {} for {reason}", hm(wait))
            }
            zbooks_import::Phase::ReadingBack => "reading Zoho back".to_owned(),
            _ => "creating".to_owned(),
        };
        let now = Instant::now();
        let done_now = progress.settled.saturating_sub(progress.settled_before);
        let elapsed = now.duration_since(self.started).as_secs_f64().max(0.001);
        let rate = done_now as f64 / elapsed;
        let left = progress.total.saturating_sub(progress.settled);
        let eta = if rate > 0.0 {
            hm(Duration::from_secs_f64(left as f64 / rate))
        } else {
            "?".to_owned()
        };
        let percent = (progress.settled * 100)
            .checked_div(progress.total)
            .unwrap_or(100);
        let line = format!(
            "{phase}: {}/{} ({percent}%) · created {} · adopted {} · present {} · failed {} · deferred {} · {:.1}/s · {eta} left",
            progress.settled,
            progress.total,
            progress.created,
            progress.adopted,
            progress.present,
            progress.failed,
            progress.deferred,
            rate,
        );
        if self.tty {
            if self
                .last
                .is_some_and(|l| now.duration_since(l) < Duration::from_millis(100))
                && phase == self.last_phase
                && left > 0
            {
                return;
            }
            let width = 30_usize;
            let filled = usize::try_from(percent).unwrap_or(100) * width / 100;
            let bar = format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled));
            eprint_inline(&format!("\r\x1b[2K{bar} {line}"));
        } else {
            let step = percent / 10;
            if phase == self.last_phase && step == self.last_percent / 10 && left > 0 {
                return;
            }
            self.printer.note(&line);
        }
        self.last = Some(now);
        self.last_phase = phase;
        self.last_percent = percent;
    }

    pub(crate) fn finish(&self) {
        if self.tty && !self.printer.quiet && self.last.is_some() {
            eprint_inline("\n");
        }
    }
}

fn eprint_inline(text: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The organization's limits: the configured plan's, or the Free plan's (the most careful)
/// when it is not known before the first call.
fn limits_of(settings: &Settings) -> (Limits, Option<Plan>) {
    let plan = settings.plan.as_ref().map(|p| p.value);
    (plan.unwrap_or(Plan::Free).limits(), plan)
}

/// A client with the import's own limits (a daily budget, a shortened minute); otherwise the
/// one every command uses.
fn client_for(
    ctx: &Context,
    args: &ImportArgs,
    minute: Option<Duration>,
) -> Result<Client, CliError> {
    if minute.is_none() && args.daily_budget.is_none() && args.day.is_none() {
        return ctx.client();
    }
    let mut limits = LimitsConfig {
        per_day: args.daily_budget,
        ..LimitsConfig::default()
    };
    if let Some(day) = args.day.as_deref() {
        limits.day = duration("--day", Some(day), limits.day)?;
    }
    let mut retry = RetryConfig::default();
    let mut tokens = TokenConfig::default();
    if let Some(m) = minute {
        limits.window = m;
        let scale = m.as_secs_f64() / 60.0;
        retry.initial_backoff = retry.initial_backoff.mul_f64(scale);
        retry.max_backoff = retry.max_backoff.mul_f64(scale);
        retry.concurrency_backoff = retry.concurrency_backoff.mul_f64(scale);
        // The simulator's token window is ten of its minutes, like Zoho's.
        tokens.request_window = tokens.request_window.mul_f64(scale);
        tokens.cooldown = tokens.cooldown.mul_f64(scale);
        tokens.refresh_before = tokens.refresh_before.mul_f64(scale);
    }
    ctx.client_builder()?
        .limits(limits)
        .retry(retry)
        .tokens(tokens)
        .build()
        .map_err(|e| render::client_error("cannot set up the Zoho Books client", &e))
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
    let defer = duration("--defer", args.defer.as_deref(), Duration::from_mins(5))?;
    let settle = duration("--settle", args.settle.as_deref(), Duration::from_secs(10))?;
    let lease_ttl = duration(
        "--lease-ttl",
        args.lease_ttl.as_deref(),
        Duration::from_mins(1),
    )?;
    let input = read_input(args, path)?;
    if args.strict && !args.dry_run && !input.parsed.report.is_clean() {
        // Before the token, the organization or any listing: --strict promises that
        // nothing is sent while the input has a problem its reader already knows.
        let validation = validate(
            &input.parsed.records,
            &input.parsed.report,
            &ExistingRecords::new(),
            ValidateOptions {
                strict: true,
                ..ValidateOptions::default()
            },
        );
        print_problems(&validation, p);
        let unread = input.parsed.unread().len();
        return Err(CliError::usage(format!(
            "{} errors in {} ({unread} record(s) or part(s) of it could not be read); nothing imported, nothing sent (--strict)",
            input.parsed.report.errors(),
            input.name
        ))
        .with_hint(
            "correct the places named above, or run without --strict to import what can be read",
        ));
    }
    let (limits, _) = limits_of(settings);
    let plan_options = PlanOptions {
        limits,
        daily_budget: args.daily_budget,
    };
    let validate_options = ValidateOptions {
        strict: args.strict,
        ..ValidateOptions::default()
    };
    if args.dry_run {
        let existing = ExistingRecords::new();
        let validation = validate(
            &input.parsed.records,
            &input.parsed.report,
            &existing,
            validate_options,
        );
        print_problems(&validation, p);
        let plan = plan(&input.parsed.records, &validation, &existing, &plan_options);
        if p.format == OutputFormat::Json {
            p.json(&json!({"schema": SCHEMA, "file": input.name, "dry_run": true, "plan": plan, "problems": validation.report.problems}));
        } else {
            p.out(&plan_text(&plan, true));
        }
        return Ok(if validation.report.is_clean() {
            exit::OK
        } else {
            exit::USAGE
        });
    }
    let rt = context::runtime()?;
    rt.block_on(async {
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        let org = ctx.organization_id()?.value.clone();
        let client = client_for(&ctx, args, minute)?;
        let fp = fingerprint(&input.bytes, &input.options_text, &org);
        // The lease before the listing: the listing then stands for every record's lookup.
        let key = format!("{}|{org}", ctx.api_base().unwrap_or_default());
        let lease = LeaseOptions {
            ttl: lease_ttl,
            ..LeaseOptions::new(&settings.lock_dir)
        };
        let lease =
            take_lease(&ctx.store, &key, &org, &input.name, &lease, args.no_wait, p).await?;
        if let Some(dead) = lease.taken_over() {
            p.note(&format!(
                "an earlier import ({}) ended without letting go of the organization; \
                 waiting {} for its last requests to land before looking at Zoho",
                describe(dead),
                hm(settle)
            ));
            tokio::time::sleep(settle).await;
        }
        run_import(
            &client,
            &ctx.store,
            &input,
            &fp,
            RunSettings {
                plan_options,
                validate_options,
                execute: ExecuteOptions {
                    in_flight: usize::try_from(limits_in_flight(settings)).unwrap_or(5),
                    defer,
                    settle,
                    wait_for_quota: args.wait,
                    ..ExecuteOptions::default()
                },
                organization_id: org,
                lease: Some(lease),
            },
            p,
        )
        .await
    })
}

fn limits_in_flight(settings: &Settings) -> u32 {
    // Unknown plan: the client reads it from Zoho and keeps its own cap; 10 tasks are
    // enough to keep any plan's cap busy.
    settings
        .plan
        .as_ref()
        .map_or(10, |p| p.value.limits().in_flight)
}

/// What [`run_import`] needs besides the input.
pub(crate) struct RunSettings {
    pub(crate) plan_options: PlanOptions,
    pub(crate) validate_options: ValidateOptions,
    pub(crate) execute: ExecuteOptions,
    pub(crate) organization_id: String,
    /// The organization's import lease, taken before anything was listed: the run is then
    /// the only one creating there (let go when the run ends).
    pub(crate) lease: Option<ImportLease>,
}

/// Who holds a lease, for a notice: `pid 4242 on host, importing daybook.xml since ...`.
fn describe(holder: &LeaseHolder) -> String {
    format!(
        "pid {} on {}, importing {} since {}",
        holder.pid,
        holder.host,
        holder.file,
        zbooks_client::time::rfc3339(
            std::time::UNIX_EPOCH
                + Duration::from_millis(u64::try_from(holder.started_ms).unwrap_or(0))
        )
    )
}

/// Takes the organization's import lease, waiting (with a notice naming the other run) while
/// another import holds it, or refusing with exit 2 under `--no-wait`.
async fn take_lease(
    store: &SqliteStore,
    key: &str,
    org: &str,
    file: &str,
    options: &LeaseOptions,
    no_wait: bool,
    p: Printer,
) -> Result<ImportLease, CliError> {
    let me = LeaseHolder::this_process(file, &SystemClock);
    let mut told: Option<Option<LeaseHolder>> = None;
    loop {
        let attempt = store
            .try_import_lease(key, &me, options)
            .await
            .map_err(|e| render::store_error("cannot take the organization's import lease", &e))?;
        let (holder, expires_ms) = match attempt {
            LeaseAttempt::Held(lease) => {
                if told.is_some() {
                    p.note("the other import let go of the organization; going on");
                }
                return Ok(lease);
            }
            LeaseAttempt::Busy { holder, expires_ms } => (holder, expires_ms),
        };
        let who = holder
            .as_ref()
            .map_or_else(|| "another zbooks process".to_owned(), describe);
        let expiry = expires_ms.map_or_else(String::new, |t| {
            format!(
                "; its lease expires at {} unless it is still running",
                zbooks_client::time::rfc3339(
                    std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(t).unwrap_or(0))
                )
            )
        });
        if no_wait {
            return Err(CliError::usage(format!(
                "another import is running in organization {org}: {who}{expiry}"
            ))
            .with_hint(
                "run again when it has finished, or without --no-wait to wait for it; \
                 `zbooks import status` shows where each import stands",
            ));
        }
        if told.as_ref() != Some(&holder) {
            p.note(&format!(
                "waiting: another import is running in organization {org}: {who}{expiry}; \
                 this one starts when it ends (--no-wait refuses instead)"
            ));
            told = Some(holder);
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = tokio::signal::ctrl_c() => {
                return Err(CliError {
                    headline: "interrupted while waiting for the other import".to_owned(),
                    causes: Vec::new(),
                    hint: Some("nothing was sent; run the same command again".to_owned()),
                    exit_code: exit::INTERRUPTED,
                });
            }
        }
    }
}

/// Lists what Zoho holds, validates, plans, runs and reports: what `import` and `demo` share.
pub(crate) async fn run_import(
    client: &Client,
    store: &Arc<SqliteStore>,
    input: &Input,
    fp: &str,
    mut settings: RunSettings,
    p: Printer,
) -> CommandResult {
    let lease = settings.lease.take();
    let lost = lease.as_ref().map(ImportLease::lost);
    let result = run_leased(client, store, input, fp, settings, lost, p).await;
    // Let go on every path (an early error too): a lease dropped without it would make the
    // next run wait for this one's requests to land, and another machine wait for the expiry.
    if let Some(lease) = lease
        && let Err(e) = lease.release().await
    {
        p.note(&format!(
            "warning: could not let go of the import lease ({e}); it expires by itself"
        ));
    }
    result
}

/// [`run_import`] once the lease (if any) is held; `lost` resolves if another run takes it.
async fn run_leased(
    client: &Client,
    store: &Arc<SqliteStore>,
    input: &Input,
    fp: &str,
    settings: RunSettings,
    lost: Option<impl Future<Output = ()> + Send + 'static>,
    p: Printer,
) -> CommandResult {
    // One listing per entity, before validation, so references to records already in Zoho
    // resolve and records already there are planned as such; the executor reuses it.
    let mut entities = std::collections::BTreeSet::new();
    for r in &input.parsed.records {
        entities.insert(r.entity);
        for d in r.depends_on() {
            entities.insert(d.entity);
        }
    }
    let existing = loop {
        let listing = zbooks_import::reconcile::list_existing(client, &entities, |entity, n| {
            if n > 0 {
                p.note(&format!("Zoho holds {n} {entity} record(s) already"));
            }
        })
        .await;
        let err = match listing {
            Ok(existing) => break existing,
            Err(err) => err,
        };
        // Another process on this refresh token spent the accounts server's window: wait.
        let Some(until) = zbooks_import::token_cooldown(&err) else {
            return Err(render::client_error("cannot list what Zoho holds", &err));
        };
        p.note(&format!(
            "waiting for {}",
            zbooks_import::token_cooldown_reason(until)
        ));
        let wait = until
            .duration_since(zbooks_types::Clock::now(&zbooks_types::SystemClock))
            .unwrap_or(Duration::ZERO);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = tokio::signal::ctrl_c() => return Ok(exit::INTERRUPTED),
        }
    };
    let validation = validate(
        &input.parsed.records,
        &input.parsed.report,
        &existing,
        settings.validate_options.clone(),
    );
    print_problems(&validation, p);
    let plan = plan(
        &input.parsed.records,
        &validation,
        &existing,
        &settings.plan_options,
    );
    if p.format == OutputFormat::Text {
        p.out(&plan_text(&plan, false));
    }
    if settings.validate_options.strict && !validation.report.is_clean() {
        return Err(CliError::usage(format!(
            "{} errors in {}; nothing imported (--strict)",
            validation.report.errors(),
            input.name
        ))
        .with_hint(
            "correct the records named above, or run without --strict to import the valid ones",
        ));
    }
    let stop = StopHandle::new();
    let ctrl_c = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.stop();
            }
        })
    };
    let unread = input.parsed.unread();
    let run_input = RunInput {
        records: &input.parsed.records,
        validation: &validation,
        unread: &unread,
        file: &input.name,
        fingerprint: fp,
    };
    let exclusive = lost.is_some();
    let lost = lost.map(|lost| {
        let stop = stop.clone();
        tokio::spawn(async move {
            lost.await;
            p.error(
                "another run took the organization's import lease (this one stopped renewing \
                 it): stopping; run the same command again to resume",
            );
            stop.stop();
        })
    });
    let mut view = ProgressView::new(p);
    let mut options = settings.execute;
    options.existing = Some(existing);
    options.exclusive = exclusive;
    let result = execute(client, store, &run_input, options, &stop, &mut |pr| {
        view.show(pr);
    })
    .await;
    view.finish();
    ctrl_c.abort();
    if let Some(lost) = lost {
        lost.abort();
    }
    let result = result.map_err(|e| match e {
        zbooks_import::ExecuteError::Listing(err) => {
            render::client_error("cannot list what Zoho holds", &err)
        }
        other => render::store_error("the import journal failed", &other),
    })?;
    if let Ok(journal) = store.journal(fp).await {
        let _ = journal
            .save_plan(serde_json::to_string(&plan).unwrap_or_default())
            .await;
    }
    report(&input.name, &settings.organization_id, &result, p)
}

fn summary_line(s: &Summary) -> String {
    format!(
        "created {} · adopted after reconciliation {} · already present {} · failed {} · left {}",
        s.created, s.adopted, s.present, s.failed, s.left
    )
}

/// The reconciliation as text: entities and parties in full, records that disagree.
pub(crate) fn reconciliation_text(r: &Reconciliation) -> String {
    let mut out = String::from("reconciliation (input against Zoho, read back with list calls):\n");
    let _ = writeln!(
        out,
        "  {:<40} {:>6} {:>14} {:>6} {:>14}",
        "", "input", "amount", "zoho", "amount"
    );
    let mut records = (0, 0);
    for l in &r.lines {
        let name = match &l.scope {
            Scope::Entity { entity } => format!("{entity} (all)"),
            Scope::Party { entity, party } => format!("{entity} · {party}"),
            Scope::Record { key } => {
                records.0 += 1;
                if l.agrees {
                    records.1 += 1;
                    continue;
                }
                format!("{} {}", key.entity, key.value)
            }
        };
        let mark = if l.agrees { "ok" } else { "DIFFERS" };
        let _ = writeln!(
            out,
            "  {:<40} {:>6} {:>14} {:>6} {:>14}  {mark}",
            truncate(&name, 40),
            l.input.count,
            format!("{:.2}", l.input.amount),
            l.zoho.count,
            format!("{:.2}", l.zoho.amount)
        );
    }
    let _ = writeln!(
        out,
        "  records: {} of {} agree voucher by voucher",
        records.1, records.0
    );
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn report(file: &str, org: &str, result: &RunResult, p: Printer) -> CommandResult {
    let s = &result.summary;
    let (status, code, note) = match &result.stop {
        Stop::Finished if s.failed == 0 => ("finished", exit::OK, None),
        Stop::Finished => (
            "finished",
            exit::RECORDS_FAILED,
            Some(format!(
                "{} record(s) not imported (refused by Zoho, held back by validation, or not readable in the input): `zbooks import failed --format csv` lists them with the place, the reason and the fix",
                s.failed
            )),
        ),
        Stop::Interrupted => (
            "interrupted",
            exit::INTERRUPTED,
            Some(format!(
                "interrupted with {} record(s) left; run the same command again to resume",
                s.left
            )),
        ),
        Stop::Quota { resets_at } => (
            "quota",
            exit::QUOTA,
            Some(format!(
                "the daily API quota is spent with {} record(s) left; run the same command again after {} (or add --wait to sleep until then)",
                s.left,
                resets_at.map_or_else(
                    || "the quota resets".to_owned(),
                    zbooks_client::time::rfc3339
                )
            )),
        ),
        Stop::Fatal(e) => {
            let mut err = render::client_error(
                format!("the import stopped with {} record(s) left", s.left),
                e,
            );
            err.hint = Some(format!(
                "{} — then run the same command again to resume",
                err.hint
                    .clone()
                    .unwrap_or_else(|| "fix the cause".to_owned())
            ));
            if p.format == OutputFormat::Json {
                p.json(&json!({"schema": SCHEMA, "file": file, "organization_id": org, "status": "stopped", "summary": s}));
            }
            return Err(err);
        }
        _ => ("stopped", exit::UNREACHABLE, None),
    };
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "schema": SCHEMA,
            "file": file,
            "organization_id": org,
            "status": status,
            "summary": s,
            "reconciliation": result.reconciliation,
        }));
    } else {
        let mut out = format!("import of {file} into organization {org}: {status}\n");
        let _ = writeln!(out, "  {}", summary_line(s));
        if let Some(r) = &result.reconciliation {
            out.push_str(&reconciliation_text(r));
        }
        p.out(&out);
    }
    if let Some(note) = note {
        if code == exit::OK {
            p.note(&note);
        } else {
            p.error(&note);
        }
    }
    Ok(code)
}

/// The store, opened only to read it: `status` and `failed` work on a store the user cannot
/// write, and never create, migrate or change one.
fn open_existing_store(settings: &Settings) -> Result<Option<Arc<SqliteStore>>, CliError> {
    let path = context::store_path(settings);
    if !path.exists() {
        return Ok(None);
    }
    SqliteStore::open_read_only(&path)
        .map(|s| Some(Arc::new(s)))
        .map_err(|e| render::store_error(format!("cannot open the store {}", path.display()), &e))
}

fn status(settings: &Settings, p: Printer) -> CommandResult {
    let runs: Vec<RunInfo> = match open_existing_store(settings)? {
        None => Vec::new(),
        Some(store) => context::runtime()?
            .block_on(store.journal_runs())
            .map_err(|e| render::store_error("cannot read the import journal", &e))?,
    };
    if p.format == OutputFormat::Json {
        let list: Vec<_> = runs
            .iter()
            .map(|r| {
                let counts: serde_json::Map<String, serde_json::Value> = RecordState::ALL
                    .iter()
                    .map(|s| (s.as_str().to_owned(), json!(r.count(*s))))
                    .collect();
                json!({
                    "file": r.file,
                    "fingerprint": r.fingerprint,
                    "organization_id": r.organization_id,
                    "status": r.status,
                    "detail": r.detail,
                    "total": r.total,
                    "records": counts,
                    "updated": zbooks_client::time::rfc3339(std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(r.updated_ms).unwrap_or(0))),
                })
            })
            .collect();
        p.json(&json!({"schema": SCHEMA, "imports": list}));
        return Ok(exit::OK);
    }
    if runs.is_empty() {
        p.out("no imports journaled yet\n");
        return Ok(exit::OK);
    }
    let mut out = String::new();
    for r in &runs {
        let _ = writeln!(
            out,
            "{} → organization {}: {}{}",
            r.file,
            r.organization_id,
            r.status,
            r.detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "  {} records: done {} · failed {} · pending {} · deferred {} · in doubt {} · in flight {}",
            r.total,
            r.count(RecordState::Done),
            r.count(RecordState::Failed),
            r.count(RecordState::Pending),
            r.count(RecordState::Deferred),
            r.count(RecordState::InDoubt),
            r.count(RecordState::InFlight)
        );
        let _ = writeln!(
            out,
            "  updated {}",
            zbooks_client::time::rfc3339(
                std::time::UNIX_EPOCH
                    + Duration::from_millis(u64::try_from(r.updated_ms).unwrap_or(0))
            )
        );
    }
    p.out(&out);
    Ok(exit::OK)
}

fn failed(args: &FailedArgs, settings: &Settings, p: Printer) -> CommandResult {
    let Some(store) = open_existing_store(settings)? else {
        return Err(CliError::usage("no imports journaled yet"));
    };
    let rt = context::runtime()?;
    let entries = rt.block_on(async {
        let runs = store
            .journal_runs()
            .await
            .map_err(|e| render::store_error("cannot read the import journal", &e))?;
        let wanted = args.file.as_ref().map(|f| f.display().to_string());
        let run = runs
            .iter()
            .find(|r| wanted.as_ref().is_none_or(|w| &r.file == w))
            .ok_or_else(|| {
                CliError::usage(match &wanted {
                    Some(w) => format!("no import of {w} is journaled"),
                    None => "no imports journaled yet".to_owned(),
                })
                .with_hint("`zbooks import status` lists the journaled imports")
            })?;
        let journal = store
            .journal(&run.fingerprint)
            .await
            .map_err(|e| render::store_error("cannot read the import journal", &e))?;
        journal
            .entries()
            .await
            .map_err(|e| render::store_error("cannot read the import journal", &e))
    })?;
    let failed = zbooks_import::failed_records(&entries);
    if p.format == OutputFormat::Json {
        p.out(&zbooks_import::failed_jsonl(&failed));
    } else {
        p.out(&zbooks_import::failed_csv(&failed));
    }
    p.note(&format!("{} failed record(s)", failed.len()));
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_the_simulator_s() {
        assert_eq!(
            duration("--defer", Some("250ms"), Duration::ZERO).unwrap(),
            Duration::from_millis(250)
        );
        assert_eq!(
            duration("--defer", None, Duration::from_secs(3)).unwrap(),
            Duration::from_secs(3)
        );
        assert!(duration("--defer", Some("soon"), Duration::ZERO).is_err());
        assert_eq!(hm(Duration::from_secs(3725)), "1h 02m");
    }
}
