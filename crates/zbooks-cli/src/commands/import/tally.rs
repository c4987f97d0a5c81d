//! `zbooks import tally://HOST:PORT --company NAME --from DATE --to DATE`: the live pull as
//! an import source. The pull (zbooks_tally::live) reads the masters once and the vouchers
//! month by month into the same Tally reader a file goes through, so validation, plan,
//! journal, resume and the failed report are a file import's.
//!
//! A re-run pulls only what is not yet imported: a month counts as imported when an earlier
//! run of the same Tally address and company into the same organization finished, every
//! record its vouchers request yielded is done in the journal, and so is every record of
//! that run's masters. The pull then covers the
//! first to the last month not imported (months between are pulled again and adopted by
//! their natural keys); when every month is imported nothing is pulled at all.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbooks_import::Source;
use zbooks_import::tally::TallyOptions;
use zbooks_store::RecordState;
use zbooks_tally::live::{self, Day, LiveError, LiveOptions, PullState, Tally, Window};

use super::{FromArg, ImportArgs};
use crate::context;
use crate::error::CliError;
use crate::exit;
use crate::printer::Printer;
use crate::settings::Settings;

/// A live pull ready to be read by the import.
pub(super) struct Live {
    /// The source to prepare.
    pub source: Source,
    /// How the pull ended, once prepared.
    pub state: Arc<Mutex<PullState>>,
}

/// Whether the input names a Tally server rather than a file.
pub(super) fn is_tally(input: &str) -> bool {
    input.starts_with("tally://")
}

/// Checks the company, skips the months already imported and sets up the pull; `None`
/// when there is nothing left to pull.
pub(super) fn source(
    url: &str,
    args: &ImportArgs,
    settings: &Settings,
    p: Printer,
) -> Result<Option<Live>, CliError> {
    let Some(company) = args.company.as_deref() else {
        return Err(
            CliError::usage(format!("{url}: which company? say --company NAME"))
                .with_hint("the company's name as TallyPrime shows it (F3: Select Company)"),
        );
    };
    let from = match &args.from {
        Some(FromArg::Date(d)) => *d,
        Some(FromArg::Format(_)) | None => {
            return Err(
                CliError::usage(format!("{url}: from which date? say --from YYYY-MM-DD"))
                    .with_hint(
                        "e.g. --from 2024-04-01 --to 2025-03-31 for the financial year 2024-25",
                    ),
            );
        }
    };
    let Some(to) = args.to else {
        return Err(CliError::usage(format!(
            "{url}: to which date? say --to YYYY-MM-DD"
        )));
    };
    if to < from {
        return Err(CliError::usage(format!(
            "--to {to} is before --from {from}"
        )));
    }
    let options = live_options(args)?;
    let tally = Tally::new(url, options).map_err(|e| live_error(url, &e))?;
    let company = tally
        .check_company(company)
        .map_err(|e| live_error(url, &e))?;
    let prefix = run_prefix(&tally, &company);
    let done = imported_months(&prefix, settings)?;
    let wanted = live::windows(from, to);
    let left: Vec<&Window> = wanted
        .iter()
        .filter(|w| !done.contains(&w.month()))
        .collect();
    let (Some(first), Some(last)) = (left.first(), left.last()) else {
        p.note(&format!(
            "{} {company:?}: every month from {from} to {to} is imported already; nothing to \
             pull",
            tally.url()
        ));
        return Ok(None);
    };
    let (start, end) = (first.from, last.to);
    if start != from || end != to {
        p.note(&format!(
            "{} {company:?}: months imported already are not pulled again; pulling {start} to \
             {end}",
            tally.url()
        ));
    }
    let windows = live::windows(start, end);
    // The opening balances stand the day before the period the command names, whichever
    // months this run pulls.
    let options = TallyOptions {
        books_from: Some(from.to_string()),
        ..TallyOptions::default()
    };
    let pull = live::pull(&tally, &company, windows, options);
    let name = format!("{prefix}{start}..{end}");
    Ok(Some(Live {
        source: Source::stream(name, pull.records, pull.content),
        state: pull.state,
    }))
}

/// The error that stopped the pull, if one did.
pub(super) fn check(url: &str, live: &Live) -> Result<(), CliError> {
    let error = live.state.lock().ok().and_then(|mut s| s.error.take());
    match error {
        Some(e) => Err(live_error(url, &e)),
        None => Ok(()),
    }
}

/// The start of the journal name of every run from this Tally and company:
/// `tally://host:9000 "Company" ` (the dates follow).
fn run_prefix(tally: &Tally, company: &str) -> String {
    format!("{} {company:?} ", tally.url())
}

/// The months (`YYYY-MM`) imported whole by finished runs named with `prefix`, in the
/// profile's organization.
fn imported_months(prefix: &str, settings: &Settings) -> Result<BTreeSet<String>, CliError> {
    let mut done = BTreeSet::new();
    if !context::store_path(settings).exists() {
        return Ok(done);
    }
    let store = context::open_store(settings)?;
    let org = settings.organization_id.as_ref().map(|o| o.value.clone());
    let rt = context::runtime()?;
    let store_error = |e: zbooks_client::store::StoreError| {
        let mut err = CliError::usage(format!("cannot read the journal: {e}"));
        err.exit_code = exit::LOCAL_IO;
        err
    };
    rt.block_on(async {
        let runs = store.journal_runs().await.map_err(store_error)?;
        for run in runs {
            if run.status != "finished" || org.as_ref().is_some_and(|o| *o != run.organization_id) {
                continue;
            }
            let Some(dates) = run.file.strip_prefix(prefix) else {
                continue;
            };
            let Some((a, b)) = dates.split_once("..") else {
                continue;
            };
            let (Ok(a), Ok(b)) = (Day::parse(a), Day::parse(b)) else {
                continue;
            };
            let journal = store.journal(&run.fingerprint).await.map_err(store_error)?;
            let entries = journal.entries().await.map_err(store_error)?;
            // A master not in Zoho (a contact, an item...) leaves the whole run to do again.
            let masters_whole = entries
                .iter()
                .filter(|e| e.location.contains(" masters"))
                .all(|e| e.state == RecordState::Done);
            if !masters_whole {
                continue;
            }
            for w in live::windows(a, b) {
                let month = w.month();
                let tag = format!(" vouchers {month}:");
                let whole = entries
                    .iter()
                    .filter(|e| e.location.contains(&tag))
                    .all(|e| e.state == RecordState::Done);
                if whole {
                    done.insert(month);
                }
            }
        }
        Ok::<_, CliError>(())
    })?;
    Ok(done)
}

fn live_options(args: &ImportArgs) -> Result<LiveOptions, CliError> {
    let mut options = LiveOptions::default();
    if let Some(t) = args.tally_timeout.as_deref() {
        options.timeout = super::duration("--tally-timeout", Some(t), Duration::ZERO)?;
    }
    if let Some(b) = args.tally_backoff.as_deref() {
        options.backoff = super::duration("--tally-backoff", Some(b), Duration::ZERO)?;
    }
    if let Some(r) = args.tally_retries {
        options.retries = r;
    }
    Ok(options)
}

/// A live error as the CLI shows it ([`CliError::tally`]).
fn live_error(url: &str, e: &LiveError) -> CliError {
    CliError::tally(url, e)
}
