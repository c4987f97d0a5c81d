//! How `zbooks import` looks: the problems and the plan, the progress on stderr, the report
//! and the reconciliation on stdout, `import status` and `import failed`. The pipeline is
//! `zbooks_import`'s; this module only renders what it returns and maps a run's end to an
//! exit code.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use zbooks_import::totals::{Reconciliation, Scope};
use zbooks_import::{Action, ImportPlan, Prepared, RunResult, Stop, Summary, Survey, Validation};
use zbooks_store::{RecordState, RunInfo, SqliteStore};

use super::FailedArgs;
use crate::context;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::Settings;
use crate::{CommandResult, exit, render};

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

pub(crate) fn hm(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// `--strict` refusing an input its readers already found problems in: the problems on
/// stderr, and the error (nothing was sent).
pub(super) fn refused_by_strict_reading(prepared: &Prepared, p: Printer) -> CliError {
    print_problems(prepared.validation(), p);
    let parsed = prepared.parsed();
    CliError::usage(format!(
        "{} errors in {} ({} record(s) or part(s) of it could not be read); nothing imported, nothing sent (--strict)",
        parsed.report.errors(),
        prepared.name(),
        parsed.unread().len()
    ))
    .with_hint("correct the places named above, or run without --strict to import what can be read")
}

/// `--dry-run`: the problems, what a run would adopt, create and skip per entity (every
/// record in JSON), the plan's calls, and the exit code. `org` is the organization Zoho was
/// listed in, `None` offline.
pub(super) fn dry_run(prepared: &Prepared, survey: &Survey, org: Option<&str>, p: Printer) -> u8 {
    let validation = &survey.validation;
    print_problems(validation, p);
    if p.format == OutputFormat::Json {
        let entities: serde_json::Map<String, serde_json::Value> = survey
            .entities()
            .into_iter()
            .map(|e| {
                let counts: serde_json::Map<String, serde_json::Value> =
                    [Action::Adopt, Action::Create, Action::Skip]
                        .into_iter()
                        .map(|a| (a.as_str().to_owned(), json!(survey.count(e, a))))
                        .collect();
                (e.as_str().to_owned(), serde_json::Value::Object(counts))
            })
            .collect();
        p.json(&json!({
            "file": prepared.name(),
            "dry_run": true,
            "zoho": if survey.listed { "listed" } else { "offline" },
            "organization_id": org,
            "counts": entities,
            "records": survey.records,
            "plan": survey.plan,
            "problems": validation.report.problems,
        }));
    } else {
        p.out(&dry_run_text(prepared.name(), survey, org));
    }
    if validation.report.is_clean() {
        exit::OK
    } else {
        exit::USAGE
    }
}

/// The dry run as text: a table of actions per entity, the totals, the calls.
pub(crate) fn dry_run_text(file: &str, survey: &Survey, org: Option<&str>) -> String {
    let mut out = match org {
        Some(org) => {
            format!("dry run of {file} into organization {org}: Zoho listed, nothing sent\n")
        }
        None => format!("dry run of {file}: offline, nothing sent\n"),
    };
    let _ = writeln!(
        out,
        "  {:<18} {:>8} {:>8} {:>8}",
        "entity", "adopt", "create", "skip"
    );
    for e in survey.entities() {
        let _ = writeln!(
            out,
            "  {:<18} {:>8} {:>8} {:>8}",
            e.as_str(),
            survey.count(e, Action::Adopt),
            survey.count(e, Action::Create),
            survey.count(e, Action::Skip)
        );
    }
    let _ = writeln!(
        out,
        "  would adopt {} already in Zoho (found by key, not sent), create {}, skip {} with errors",
        survey.total(Action::Adopt),
        survey.total(Action::Create),
        survey.total(Action::Skip)
    );
    out.push_str(&calls_line(&survey.plan));
    out
}

/// The plan as text.
pub(crate) fn plan_text(plan: &ImportPlan) -> String {
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
    out.push_str(&calls_line(plan));
    out
}

/// The plan's calls, time at the per-minute limit and days of quota, as one line.
fn calls_line(plan: &ImportPlan) -> String {
    format!(
        "  {} calls; at {} a minute about {}; {} day{} of quota at {} calls a day\n",
        plan.calls,
        plan.per_minute,
        hm(plan.at_rate),
        plan.days,
        if plan.days == 1 { "" } else { "s" },
        zbooks_types::explain::thousands(plan.per_day)
    )
}

/// What this run did: each outcome, zeros included (a re-run of a finished import says
/// "created 0"), and why there was nothing to do when there was not.
pub(crate) fn this_run_line(s: &Summary) -> String {
    let mut line = format!(
        "this run: created {} · adopted {} · already there {} · failed {} · deferred {}",
        s.created, s.adopted, s.present, s.failed, s.deferred
    );
    if s.left > s.deferred {
        let _ = write!(line, " · left {}", s.left - s.deferred);
    }
    if s.total == 0 {
        line.push_str(" (nothing to do: earlier runs settled every record)");
    }
    line
}

/// What the journal holds overall, every run of this input together.
pub(crate) fn overall_line(s: &Summary) -> String {
    let in_zoho = s.created + s.adopted + s.present;
    format!(
        "overall:  {in_zoho} of {} in Zoho (created {} · adopted {} · already there {}) · failed {} · left {}",
        s.total, s.created, s.adopted, s.present, s.failed, s.left
    )
}

/// The reconciliation as text: entities and parties in full, records that disagree.
pub(crate) fn reconciliation_text(r: &Reconciliation) -> String {
    if r.lines.is_empty() {
        // Contacts, items, taxes and accounts carry no amounts to tick off.
        return "reconciliation: nothing with an amount in the input (invoices, bills, \
                payments, journals) to tick off against Zoho\n"
            .to_owned();
    }
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

pub(super) fn report(file: &str, org: &str, result: &RunResult, p: Printer) -> CommandResult {
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
                p.json(&json!({"file": file, "organization_id": org, "status": "stopped", "summary": s, "this_run": result.this_run}));
            }
            return Err(err);
        }
        _ => ("stopped", exit::UNREACHABLE, None),
    };
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "file": file,
            "organization_id": org,
            "status": status,
            "summary": s,
            "this_run": result.this_run,
            "reconciliation": result.reconciliation,
        }));
    } else {
        let mut out = format!("import of {file} into organization {org}: {status}\n");
        let _ = writeln!(out, "  {}", this_run_line(&result.this_run));
        let _ = writeln!(out, "  {}", overall_line(s));
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

pub(super) fn status(settings: &Settings, p: Printer) -> CommandResult {
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
        p.json(&json!({"imports": list}));
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

pub(super) fn failed(args: &FailedArgs, settings: &Settings, p: Printer) -> CommandResult {
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
    fn an_input_without_amounts_says_there_is_nothing_to_tick_off() {
        let text = reconciliation_text(&Reconciliation::default());
        assert!(
            text.starts_with("reconciliation: nothing with an amount"),
            "{text}"
        );
        assert!(!text.contains("0 of 0"), "{text}");
    }
}
