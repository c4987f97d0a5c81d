//! `zbooks import FILE --queue postgres://…`: the input read, then Zoho listed (one listing
//! per entity, as a single-machine run and `--dry-run` do), validated and planned against
//! what Zoho holds, then every valid record enqueued on PostgreSQL (one job per record, with
//! the records it names as dependencies) for `zbooks worker` processes on any machine to
//! create. A record Zoho holds already (found by natural key) is enqueued done with its Zoho
//! id, "already there": no worker sends it, and the records that name it find its id in the
//! queue. It creates nothing in Zoho and journals nothing: the queue is the record of the
//! import.

use serde::Serialize;
use zbooks_client::Client;
use zbooks_import::{Action, Event, Prepared, Record, RunError};
use zbooks_pg::{NewJob, PgStore};

use super::view;
use crate::context::Context;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::{CommandResult, exit, render};

/// What `import FILE --queue` prints (`--format json`: its `data`).
#[derive(Debug, Serialize)]
struct QueueReport<'a> {
    file: &'a str,
    organization_id: &'a str,
    valid: u64,
    enqueued: u64,
    already_queued: u64,
    already_there: u64,
    held_back: u64,
}

/// The queue at `url`, its schema migrated; a URL that is not PostgreSQL's is a usage error.
pub(crate) async fn open_queue(url: &str, flag: &str) -> Result<PgStore, CliError> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(CliError::usage(format!("{flag} is not a postgres:// URL"))
            .with_hint("write --queue postgres://user@host:5432/database"));
    }
    PgStore::connect(url).await.map_err(|e| {
        render::store_error("cannot open the import queue on PostgreSQL", &e).with_hint(
            "check that PostgreSQL answers at the URL --queue names (README: \"Journal on \
             PostgreSQL\")",
        )
    })
}

/// The job of one record: its natural key folded (as validation compares keys), the record
/// itself as JSON, the records it names, and its Zoho id when Zoho holds it already.
pub(crate) fn job_of(record: &Record, zoho_id: Option<String>) -> Result<NewJob, CliError> {
    let payload = serde_json::to_string(record)
        .map_err(|e| CliError::usage(format!("cannot encode a record for the queue: {e}")))?;
    Ok(NewJob {
        entity: record.entity.as_str().to_owned(),
        key_field: record.key.field.clone(),
        key_value: record.key.folded_value(),
        location: record.location.to_string(),
        payload,
        depends_on: record
            .depends_on()
            .into_iter()
            .map(|k| (k.entity.as_str().to_owned(), k.folded_value()))
            .collect(),
        zoho_id,
    })
}

/// Lists Zoho, then enqueues the valid records of `prepared` for the organization of `ctx`
/// (those Zoho holds already as done), and reports.
pub(super) async fn enqueue(
    ctx: &Context,
    client: &Client,
    prepared: &Prepared,
    url: &str,
    p: Printer,
) -> CommandResult {
    let org = ctx.organization_id()?.value.clone();
    // Before Zoho is listed: a URL that is not PostgreSQL's costs no call.
    let store = open_queue(url, "--queue").await?;
    let survey = prepared
        .survey(client, &mut |event: Event<'_>| match event {
            Event::Listed { entity, records } => {
                p.note(&format!("listed {entity}: Zoho holds {records}"));
            }
            Event::Waiting { reason, .. } => p.note(&format!("waiting for {reason}")),
            _ => {}
        })
        .await;
    let survey = match survey {
        Ok(survey) => survey,
        Err(RunError::Listing(err)) => {
            return Err(render::client_error(
                "cannot list what Zoho holds, so nothing was enqueued",
                &err,
            ));
        }
        Err(RunError::Interrupted) => return Ok(exit::INTERRUPTED),
        Err(other) => return Err(CliError::usage(other.to_string())),
    };
    let validation = &survey.validation;
    view::print_problems(validation, p);
    if prepared.settings().strict && validation.held_back() > 0 {
        return Err(CliError::usage(format!(
            "{} records held back in {}; nothing enqueued (--strict)",
            validation.held_back(),
            prepared.name()
        ))
        .with_hint(
            "correct the records named above, or run without --strict to enqueue the valid ones",
        ));
    }
    let records = &prepared.parsed().records;
    let mut jobs = Vec::with_capacity(records.len());
    let mut already_there = 0;
    for (i, record) in records.iter().enumerate() {
        if !validation.is_valid(i) {
            continue;
        }
        let zoho_id = survey
            .records
            .get(i)
            .filter(|r| r.action == Action::Adopt)
            .and_then(|r| r.zoho_id.clone());
        if zoho_id.is_some() {
            already_there += 1;
        }
        jobs.push(job_of(record, zoho_id)?);
    }
    let valid = jobs.len() as u64;
    let held_back = records.len() as u64 - valid;
    let enqueued = store
        .queue(&org)
        .enqueue(jobs)
        .await
        .map_err(|e| render::store_error("cannot enqueue the records", &e))?;
    let report = QueueReport {
        file: prepared.name(),
        organization_id: &org,
        valid,
        enqueued,
        already_queued: valid - enqueued,
        already_there,
        held_back,
    };
    if p.format == OutputFormat::Json {
        p.json(&report);
    } else {
        p.out(&format!(
            "enqueued {enqueued} of {valid} valid records of {} for organization {org} \
             ({} already queued, {held_back} held back by errors)\n\
             already in Zoho (found by key, enqueued done, never sent): {already_there}\n\
             next: zbooks worker --queue URL (on any number of machines); \
             zbooks import status --queue URL shows the queue\n",
            report.file, report.already_queued
        ));
    }
    Ok(if held_back > 0 {
        exit::RECORDS_FAILED
    } else {
        exit::OK
    })
}
