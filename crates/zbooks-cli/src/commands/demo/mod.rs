//! `zbooks demo`: zbooks at work before anyone owns a Zoho account. A simulator starts
//! in-process (its minute shortened to a second, the limit still 100 a minute), a fault script
//! is loaded — a lost answer on a create, a 500, a token expiring mid-run, a burst of 1070, a
//! 44 — and the sample company shipped in the repository
//! (`crates/zbooks-import/fixtures/demo-company.xml`) is imported with the same pipeline as
//! `zbooks import`.
//!
//! It tells the story in about fifteen lines (`story`): what it migrates, each fault and what
//! zbooks did about it, the result, the limits' share used, the tie-out and the command for a
//! real organization — every figure from the run itself (the simulator's request log and
//! counters, the client's events, the journal, the reconciliation), none asserted. `-v` shows
//! the full detail as `zbooks import` prints it (plan, progress, report, reconciliation), then
//! the same story.

mod story;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use clap::Args;
use zbooks_client::events::EventSink;
use zbooks_client::{Client, Credentials, LimitsConfig, RetryConfig};
use zbooks_import::{
    ExecuteOptions, Format, Import, InputTotals, PlanOptions, Prepared, ReadOptions,
    Reconciliation, Record, Settings, Source, Summary,
};
use zbooks_sim::{FaultAction, FaultRule, Sim, SimConfig};
use zbooks_store::{RecordState, SqliteStore};
use zbooks_types::Plan;
use zbooks_types::event::CallEvent;

use crate::commands::import::run_import;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::{CommandResult, exit};

/// The sample company, built into the binary so the demo runs from anywhere.
const COMPANY: &[u8] = include_bytes!("../../../../zbooks-import/fixtures/demo-company.xml");
const COMPANY_NAME: &str = "demo-company.xml";

/// `zbooks demo`.
#[derive(Debug, Args)]
#[command(after_help = "\
Nothing leaves the machine: the simulator listens on 127.0.0.1 and stops with the demo. It
tells the story in about fifteen lines; -v shows the full detail of the import first.

Examples:
  zbooks demo
  zbooks demo -v
  cargo run -q -p zbooks-cli -- demo")]
pub struct DemoArgs {
    /// Seed of the simulator (ids, tokens).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// Keeps every event of the demo's client: what zbooks did about each fault.
#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<CallEvent>>);

impl Recorder {
    fn events(&self) -> Vec<CallEvent> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl EventSink for Recorder {
    fn record(&self, event: &CallEvent) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event.clone());
    }
}

/// The fault script, one of each kind the brief of the demo promises.
fn faults() -> Vec<FaultRule> {
    vec![
        FaultRule::on("POST", "/books/v3/invoices", FaultAction::ResetAfter)
            .named("lost answer after a create")
            .nth(3),
        FaultRule::on(
            "POST",
            "/books/v3/invoices",
            FaultAction::zoho(500, 1000, "Internal error"),
        )
        .named("server error (500/1000)")
        .nth(9),
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ExpireToken)
            .named("access token expired mid-run")
            .nth(12),
        FaultRule::on(
            "POST",
            "/books/v3/items",
            FaultAction::zoho(
                429,
                1070,
                "You have reached the maximum number of in process requests allowed. Kindly try \
                 again after some time.",
            ),
        )
        .named("too many calls in flight (429/1070)")
        .every(1)
        .times(3),
        FaultRule::on(
            "POST",
            "/books/v3/customerpayments",
            FaultAction::zoho(
                429,
                44,
                "For security reasons your organization has been blocked as it have exceeded the \
                 maximum number of requests per minute that can originate from an organization.",
            ),
        )
        .named("per-minute limit (429/44)")
        .nth(5),
    ]
}

/// The counter names under which the simulator counts a record (its key and aliases).
fn counter_names(org: &str, record: &Record) -> Vec<String> {
    record
        .keys()
        .filter_map(|k| {
            let kind = zbooks_sim::counter_kind(k.entity)?;
            // Listed with another entity (tax groups with the taxes), a record is counted
            // under that listing's name for it (`tax_name`).
            let row = k.entity.resource();
            let field = if k.field == row.name_field {
                row.name_filter
            } else {
                k.field.as_str()
            };
            Some(format!("{org}:{kind}:{field}={}", k.value))
        })
        .collect()
}

/// Runs `zbooks demo`; `verbose` (`-v`) adds the full detail of the import.
pub fn run(args: &DemoArgs, verbose: u8, p: Printer) -> CommandResult {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::io("cannot start the async runtime", &e))?;
    rt.block_on(demo(args, verbose > 0, p))
}

async fn demo(args: &DemoArgs, verbose: bool, p: Printer) -> CommandResult {
    let started = Instant::now();
    let minute = Duration::from_secs(1);
    let plan = Plan::Professional;
    let sim = Sim::start(SimConfig {
        minute,
        seed: args.seed,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| CliError::usage(format!("cannot start the simulator: {e}")))?;
    let demo = sim.demo();
    let org = demo.organization_id.clone();
    let script = faults();
    if verbose {
        p.note(&format!(
            "zbooks demo: a Zoho Books simulator at {} (organization {org}, {plan:?} plan: 100 \
             calls a minute, 10 in flight; a minute lasts 1 s here)",
            sim.api_url()
        ));
        p.note("fault script:");
        for f in &script {
            p.note(&format!("  - {}", f.name.as_deref().unwrap_or("?")));
        }
    }
    let store = Arc::new(
        SqliteStore::open_in_memory()
            .map_err(|e| crate::render::store_error("cannot open a store in memory", &e))?,
    );
    let recorder = Arc::new(Recorder::default());
    let client = Client::builder()
        .accounts_url(sim.accounts_url())
        .api_url(sim.api_url())
        .organization_id(&org)
        .plan(plan)
        .credentials(Credentials::refresh_token(
            demo.client_id,
            demo.client_secret,
            demo.refresh_token,
        ))
        .limits(LimitsConfig {
            window: minute,
            ..LimitsConfig::default()
        })
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(300),
            concurrency_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        })
        .store(store.clone())
        .event_sink(recorder.clone())
        .build()
        .map_err(|e| crate::render::client_error("cannot set up the client", &e))?;
    // The simulator's India organization comes with its GST tax groups, as Zoho's do.
    sim.set_faults(script);

    let prepared = Import::prepare(
        Source::bytes(COMPANY_NAME, COMPANY),
        Settings {
            read: ReadOptions {
                format: Some(Format::Tally),
                ..ReadOptions::default()
            },
            strict: false,
            plan: PlanOptions {
                limits: plan.limits(),
                daily_budget: None,
            },
            execute: ExecuteOptions {
                in_flight: 10,
                settle: Duration::ZERO,
                // The simulator is this process's own: nobody else creates there.
                exclusive: true,
                // Every wait after a server failure in the simulator's minute.
                ..ExecuteOptions::default().scaled_to(minute)
            },
        },
    )
    .map_err(|e| CliError::usage(e.to_string()))?;
    let records = &prepared.parsed().records;
    let fp = prepared.fingerprint(&org);
    let (code, reconciliation) = if verbose {
        p.note(&format!(
            "importing {COMPANY_NAME}: {} records (customers, vendors, items, taxes, invoices, \
             receipts)",
            records.len()
        ));
        (
            run_import(&client, &store, &prepared, &org, None, None, p).await?,
            None,
        )
    } else {
        quiet_run(&client, &store, &prepared, &fp).await?
    };

    // The proof, from the simulator's side, before anything else is asked of it.
    let counters = sim.counters();
    let log = sim.request_log();
    let events = recorder.events();
    let duplicates = counters
        .records_per_natural_key
        .values()
        .filter(|n| **n > 1)
        .count();
    let journal = store
        .journal(&fp)
        .await
        .map_err(|e| crate::render::store_error("cannot read the journal", &e))?;
    let entries = journal
        .entries()
        .await
        .map_err(|e| crate::render::store_error("cannot read the journal", &e))?;
    let lost = records
        .iter()
        .zip(&entries)
        .filter(|(_, e)| e.state != RecordState::Failed)
        .filter(|(r, _)| {
            !counter_names(&org, r)
                .iter()
                .any(|name| counters.records_per_natural_key.contains_key(name))
        })
        .count();
    let elapsed = started.elapsed();
    let reconciliation = match reconciliation {
        Some(r) => Some(r),
        // After `-v`'s import the report has shown it in full; the story's line reads Zoho
        // back again (after the counters above were taken).
        None => tie_out(&client, &prepared).await,
    };

    // Entities order as they are created.
    let mut by_entity: BTreeMap<zbooks_import::Entity, usize> = BTreeMap::new();
    for r in records {
        *by_entity.entry(r.entity).or_default() += 1;
    }
    let story = story::Story {
        input: COMPANY_NAME.to_owned(),
        records: by_entity.into_iter().collect(),
        warnings: prepared.parsed().report.warnings(),
        detailed: verbose,
        faults: story::faults(&log, &events, &entries, records),
        summary: Summary::of(&entries),
        duplicates,
        lost,
        calls: log.iter().filter(|e| e.path.starts_with("/books/")).count(),
        token_requests: counters.token_requests,
        per_day: plan.limits().per_day,
        per_minute: plan.limits().per_minute,
        busiest_minute: story::busiest_minute(&events, minute),
        reconciliation,
        elapsed,
        minute,
    };
    if verbose && p.format != OutputFormat::Json {
        let fired: Vec<String> = {
            let mut fired: BTreeMap<&str, u64> = BTreeMap::new();
            for entry in &log {
                if let Some(f) = &entry.fault {
                    *fired.entry(f).or_default() += 1;
                }
            }
            fired.iter().map(|(k, n)| format!("{k} ×{n}")).collect()
        };
        let mut out = String::from("\nwhat the simulator saw:\n");
        let _ = writeln!(out, "  faults fired: {}", fired.join(", "));
        let _ = writeln!(
            out,
            "  requests: {} · token requests: {} · 429 served: {} · creates refused as \
             duplicates: {}\n",
            counters.requests,
            counters.token_requests,
            counters.throttled.values().sum::<u64>(),
            counters.duplicates_refused
        );
        p.out(&out);
    }
    if p.format == OutputFormat::Json {
        p.json(&story::json(&story));
    } else {
        p.out(&story::render(&story, p));
        // Tally's books against Zoho's, group by group (`zbooks tieout`): shown, not judged —
        // the demo company's opening balances are not imported and its unpaid invoices stay
        // drafts, and the table explains exactly that.
        match crate::commands::tieout::after_import(
            &client,
            COMPANY_NAME,
            COMPANY,
            &prepared.parsed().report.problems,
            &entries,
        )
        .await
        {
            Ok(t) => p.out(&format!("\n{}", zbooks_tally::tieout::render_text(&t))),
            Err(e) => p.note(&format!("tie-out: not available ({})", e.headline)),
        }
    }
    sim.shutdown().await;
    if duplicates > 0 || lost > 0 {
        return Err(CliError {
            headline: format!("the demo saw {duplicates} duplicate(s) and {lost} lost record(s)"),
            causes: Vec::new(),
            hint: Some("this is a bug in zbooks: please report it with this output".to_owned()),
            exit_code: exit::RECORDS_FAILED,
            code: None,
            class: None,
        });
    }
    Ok(code)
}

/// The import with nothing printed (the story tells it afterwards): its exit code and the
/// reconciliation it ended with.
async fn quiet_run(
    client: &Client,
    store: &SqliteStore,
    prepared: &Prepared,
    fingerprint: &str,
) -> Result<(u8, Option<Reconciliation>), CliError> {
    let journal = store
        .journal(fingerprint)
        .await
        .map_err(|e| crate::render::store_error("the import journal failed", &e))?;
    let outcome = prepared
        .run(client, &journal, &mut |_: zbooks_import::Event<'_>| {})
        .await
        .map_err(|e| CliError {
            headline: "the demo's import did not run".to_owned(),
            causes: vec![zbooks_types::scrub(&e.to_string())],
            hint: Some("this is a bug in zbooks: please report it with this output".to_owned()),
            exit_code: exit::RECORDS_FAILED,
            code: None,
            class: None,
        })?;
    let run = outcome.run;
    let finished = matches!(run.stop, zbooks_import::Stop::Finished);
    let code = if finished && run.summary.failed == 0 {
        exit::OK
    } else {
        exit::RECORDS_FAILED
    };
    Ok((code, run.reconciliation))
}

/// The input ticked off against Zoho, read back with list calls (`None` if Zoho could not be
/// read).
async fn tie_out(client: &Client, prepared: &Prepared) -> Option<Reconciliation> {
    let records = &prepared.parsed().records;
    let zoho = zbooks_import::reconcile::read_back(client, records)
        .await
        .ok()?;
    Some(zbooks_import::compare(
        &InputTotals::of(records),
        &zoho,
        prepared.settings().execute.tolerance,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_company_reads_without_errors() {
        let reader = zbooks_import::TallyReader::new(
            std::io::Cursor::new(COMPANY),
            COMPANY_NAME,
            zbooks_import::TallyOptions::default(),
        );
        let parsed = zbooks_import::Parsed::collect(reader);
        assert_eq!(parsed.report.errors(), 0, "{}", parsed.report);
        assert!(parsed.records.len() > 80, "{}", parsed.records.len());
    }
}
