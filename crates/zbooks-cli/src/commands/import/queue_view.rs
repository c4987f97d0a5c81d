//! `zbooks import status --queue URL` and `zbooks import failed --queue URL`: the import queue
//! on PostgreSQL as the journal's `status` and `failed` show a single-machine import. `status`
//! shows each organization's jobs per state, per entity and per worker (what each created,
//! adopted and failed, what it holds now, when it was last seen); `failed` lists every job
//! that failed for good in the journal's formats (CSV, or JSON Lines that import again once
//! corrected). Both only read: nothing is created, migrated or changed.

use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use serde::Serialize;
use zbooks_import::Record;
use zbooks_pg::{FailedJob, MIGRATIONS, PgStore, QueueStatus, StateCounts, WorkerShare};
use zbooks_store::{JournalEntry, RecordState};

use super::FailedArgs;
use crate::context;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::Settings;
use crate::{CommandResult, exit, render};

/// Jobs per state (`--format json`).
#[derive(Debug, Serialize)]
struct Counts {
    total: u64,
    ready: u64,
    claimed: u64,
    created: u64,
    adopted: u64,
    present: u64,
    failed: u64,
    deferred: u64,
}

impl From<&StateCounts> for Counts {
    fn from(c: &StateCounts) -> Self {
        Counts {
            total: c.total(),
            ready: c.ready,
            claimed: c.claimed,
            created: c.created,
            adopted: c.adopted,
            present: c.present,
            failed: c.failed,
            deferred: c.deferred,
        }
    }
}

/// One entity's jobs (`--format json`).
#[derive(Debug, Serialize)]
struct EntityCounts {
    entity: String,
    #[serde(flatten)]
    counts: Counts,
}

/// One worker's share (`--format json`).
#[derive(Debug, Serialize)]
struct Worker {
    name: String,
    created: u64,
    adopted: u64,
    failed: u64,
    held: u64,
    last_seen: String,
}

impl From<&WorkerShare> for Worker {
    fn from(w: &WorkerShare) -> Self {
        Worker {
            name: w.name.clone(),
            created: w.created,
            adopted: w.adopted,
            failed: w.failed,
            held: w.held,
            last_seen: when(w.last_seen_ms),
        }
    }
}

/// One organization's queue (`--format json`).
#[derive(Debug, Serialize)]
struct Queue {
    organization_id: String,
    jobs: Counts,
    entities: Vec<EntityCounts>,
    workers: Vec<Worker>,
}

/// A time of the database's clock, for people.
fn when(ms: i64) -> String {
    zbooks_client::time::rfc3339(UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0)))
}

/// The queue at `url`, opened to read only; `None` when the database holds no zbooks tables.
async fn open(url: &str) -> Result<Option<PgStore>, CliError> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(CliError::usage("--queue is not a postgres:// URL")
            .with_hint("write --queue postgres://user@host:5432/database"));
    }
    PgStore::open_existing(url).await.map_err(|e| {
        render::store_error("cannot open the import queue on PostgreSQL", &e).with_hint(
            "check that PostgreSQL answers at the URL --queue names (README: \"Running across \
             machines\")",
        )
    })
}

/// The organizations to show: the profile's when it names one, else every one in the queue.
async fn organizations(store: &PgStore, settings: &Settings) -> Result<Vec<String>, CliError> {
    if let Some(org) = &settings.organization_id {
        return Ok(vec![org.value.clone()]);
    }
    store
        .queue_organizations()
        .await
        .map_err(|e| render::store_error("cannot read the import queue", &e))
}

/// `zbooks import status --queue URL`.
pub(super) fn status(url: &str, settings: &Settings, p: Printer) -> CommandResult {
    let queues: Vec<QueueStatus> = context::runtime()?.block_on(async {
        let Some(store) = open(url).await? else {
            return Ok::<_, CliError>(Vec::new());
        };
        let read = |e| render::store_error("cannot read the import queue", &e);
        let version = store.schema_version().await.map_err(read)?;
        if version < MIGRATIONS.last().map_or(0, |m| m.version) {
            return Err(CliError::usage(format!(
                "the import queue's schema is older (migration {version}) than this zbooks \
                 reads; nothing was changed"
            ))
            .with_hint(
                "run `zbooks worker --queue URL` or `zbooks import FILE --queue URL` with this \
                 version once: it upgrades the schema (the upgrade only adds)",
            ));
        }
        let mut queues = Vec::new();
        for org in organizations(&store, settings).await? {
            queues.push(store.queue(&org).status().await.map_err(read)?);
        }
        Ok(queues)
    })?;
    if p.format == OutputFormat::Json {
        let list: Vec<Queue> = queues
            .iter()
            .map(|q| Queue {
                organization_id: q.organization_id.clone(),
                jobs: Counts::from(&q.total),
                entities: q
                    .entities
                    .iter()
                    .map(|(entity, c)| EntityCounts {
                        entity: entity.clone(),
                        counts: Counts::from(c),
                    })
                    .collect(),
                workers: q.workers.iter().map(Worker::from).collect(),
            })
            .collect();
        p.json(&serde_json::json!({ "queues": list }));
        return Ok(exit::OK);
    }
    if queues.is_empty() {
        p.out("no jobs in the import queue yet (`zbooks import FILE --queue URL` enqueues)\n");
        return Ok(exit::OK);
    }
    let mut out = String::new();
    for q in &queues {
        out.push_str(&status_text(q));
    }
    p.out(&out);
    Ok(exit::OK)
}

/// One organization's queue as text: the totals, a table per entity, a table per worker.
fn status_text(q: &QueueStatus) -> String {
    let t = &q.total;
    let in_zoho = t.created + t.adopted + t.present;
    let mut out = format!(
        "import queue of organization {}: {in_zoho} of {} in Zoho\n",
        q.organization_id,
        t.total()
    );
    let _ = writeln!(
        out,
        "  ready {} · claimed {} · created {} · adopted {} · already there {} · failed {} · \
         deferred {}",
        t.ready, t.claimed, t.created, t.adopted, t.present, t.failed, t.deferred
    );
    let _ = writeln!(
        out,
        "  {:<16} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "entity", "ready", "claimed", "created", "adopted", "there", "failed", "deferred"
    );
    for (entity, c) in &q.entities {
        let _ = writeln!(
            out,
            "  {:<16} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
            entity, c.ready, c.claimed, c.created, c.adopted, c.present, c.failed, c.deferred
        );
    }
    if q.workers.is_empty() {
        out.push_str("  no worker yet (`zbooks worker --queue URL` on any machine)\n");
        return out;
    }
    let _ = writeln!(
        out,
        "  {:<32} {:>7} {:>7} {:>7} {:>5}  last seen",
        "worker", "created", "adopted", "failed", "held"
    );
    for w in &q.workers {
        let _ = writeln!(
            out,
            "  {:<32} {:>7} {:>7} {:>7} {:>5}  {}",
            w.name,
            w.created,
            w.adopted,
            w.failed,
            w.held,
            when(w.last_seen_ms)
        );
    }
    out
}

/// Whether a job came from `file` (its location is `file`, `file:line` or `file <element>`).
fn from_file(job: &FailedJob, file: &str) -> bool {
    job.location
        .strip_prefix(file)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(':') || rest.starts_with(' '))
}

/// A failed job as the journal's entry of a failed record, for the journal's exports: the
/// natural key as the input wrote it when the queued record reads back.
fn entry_of(job: FailedJob) -> JournalEntry {
    let key_value = serde_json::from_str::<Record>(&job.payload)
        .map_or_else(|_| job.key_value.clone(), |r| r.key.value);
    JournalEntry {
        index: 0,
        entity: job.entity,
        key_field: job.key_field,
        key_value,
        location: job.location,
        state: RecordState::Failed,
        outcome: None,
        zoho_id: None,
        attempts: 0,
        interrupted: 0,
        code: job.code,
        class: job.class,
        message: job.message,
        fix: job.fix,
        deferred_until_ms: None,
        record: Some(job.payload),
    }
}

/// `zbooks import failed --queue URL [FILE]`.
pub(super) fn failed(
    url: &str,
    args: &FailedArgs,
    settings: &Settings,
    p: Printer,
) -> CommandResult {
    let entries = context::runtime()?.block_on(async {
        let Some(store) = open(url).await? else {
            return Ok::<_, CliError>(Vec::new());
        };
        let wanted = args.file.as_ref().map(|f| f.display().to_string());
        let mut entries = Vec::new();
        for org in organizations(&store, settings).await? {
            let jobs = store
                .queue(&org)
                .failed_jobs()
                .await
                .map_err(|e| render::store_error("cannot read the import queue", &e))?;
            entries.extend(
                jobs.into_iter()
                    .filter(|j| wanted.as_deref().is_none_or(|f| from_file(j, f)))
                    .map(entry_of),
            );
        }
        Ok(entries)
    })?;
    let failed = zbooks_import::failed_records(&entries);
    if p.format == OutputFormat::Json {
        p.out(&zbooks_import::failed_jsonl(&failed));
    } else {
        p.out(&zbooks_import::failed_csv(&failed));
    }
    p.note(&format!(
        "{} failed job(s) in the import queue",
        failed.len()
    ));
    Ok(exit::OK)
}
