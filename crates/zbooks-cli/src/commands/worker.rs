//! `zbooks worker --queue postgres://…`: works the import queue `zbooks import FILE --queue`
//! filled, on any number of machines at once. It claims jobs in batches under a lease (renewed
//! while it works), creates each record through the client (paced, within the budget shared
//! through `ZBOOKS_STATE` or `--state` when set), and ends each claim with its outcome. A job
//! whose earlier claim expired (its worker died mid-call) is looked up by natural key first and
//! adopted when Zoho has it: never sent twice (docs/design.md promise 5). It exits when nothing
//! is left to do (`--follow`: polls for more instead).
//!
//! A worker that loses PostgreSQL (its connections killed, the server down for a while) does
//! not exit and loses nothing: it says so on stderr, pauses, tries again with a growing
//! backoff, and resumes when PostgreSQL answers. An outcome it could not record (a record Zoho
//! created) is kept in memory and recorded once the database is back, never sent again; if
//! its claim ended meanwhile and another worker took the job, that worker looks it up first.
//!
//! It decides nothing the queue decides (who holds what, dependencies, fencing): that is
//! `zbooks-pg`'s.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use clap::Args;
use serde::Serialize;
use serde_json::json;
use tokio::sync::watch;
use zbooks_client::store::{StoreError, StoreResult};
use zbooks_client::{Client, FailureClass, Sent};
use zbooks_import::{Books, CallError, Disposition, ExecuteOptions, NaturalKey, Record};
use zbooks_pg::{ClaimedJob, JobCounts, JobOutcome, PgQueue, PgStore};
use zbooks_store::{Failure, Outcome};

use crate::commands::import::queue::open_queue;
use crate::commands::import::setup::{self, duration};
use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, HEADING_TESTING, Resolved, Settings, Source};
use crate::{CommandResult, exit, render};

/// `zbooks worker`.
#[derive(Debug, Args)]
#[command(after_help = "\
Jobs come from `zbooks import FILE --queue URL`. Run as many workers as you like, on as many
machines: each job is held by one worker at a time, and a worker that dies lets its jobs go
when its lease ends; the next worker looks each of them up in Zoho before sending it again.

Examples:
  zbooks worker --queue postgres://zbooks@db:5432/zbooks
  zbooks worker --queue postgres://zbooks@db:5432/zbooks --state redis://cache:6379/0 --follow")]
pub struct WorkerArgs {
    /// The import queue on PostgreSQL (postgres://user@host:5432/db).
    #[arg(long, value_name = "URL", required = true)]
    pub queue: String,
    /// Where the organization's budget and tokens are shared with other machines
    /// (redis://host:6379/0 or postgres://user@host:5432/db); default: `ZBOOKS_STATE` or the
    /// profile's `state`.
    #[arg(long, value_name = "URL")]
    pub state: Option<String>,
    /// When the queue is empty, wait for more jobs instead of exiting.
    #[arg(long)]
    pub follow: bool,
    /// Jobs claimed at once (default 10).
    #[arg(long, hide = true, value_name = "N", help_heading = HEADING_TESTING)]
    pub batch: Option<u32>,
    /// How long a claim lives without renewal: how long a dead worker's jobs wait before
    /// another worker takes them (default 60s).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub lease: Option<String>,
    /// How often an idle worker asks the queue again (default 2s).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub poll: Option<String>,
    /// The length of a "minute" of the per-minute limit, for a simulator whose minute is
    /// shortened (testing only).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub minute: Option<String>,
    /// How long a record waits after a server error before it is sent again (default 5m).
    #[arg(long, hide = true, value_name = "DURATION", help_heading = HEADING_TESTING)]
    pub defer: Option<String>,
}

/// What one worker did (`--format json`: its `data`).
#[derive(Debug, Default, Serialize)]
struct Tally {
    worker: String,
    organization_id: String,
    created: u64,
    adopted: u64,
    failed: u64,
    deferred: u64,
    queue: QueueCounts,
}

/// The queue's jobs per state when the worker ended.
#[derive(Debug, Default, Serialize)]
struct QueueCounts {
    ready: u64,
    claimed: u64,
    done: u64,
    failed: u64,
}

impl From<JobCounts> for QueueCounts {
    fn from(c: JobCounts) -> Self {
        QueueCounts {
            ready: c.ready,
            claimed: c.claimed,
            done: c.done,
            failed: c.failed,
        }
    }
}

/// Why a worker stops before the queue is done.
enum Halt {
    /// The daily quota is spent.
    Quota,
    /// Every job would meet this (credentials, organization...).
    Fatal(zbooks_client::Error),
}

/// How the worker works.
struct Options {
    batch: u32,
    lease: Duration,
    poll: Duration,
    defer: Duration,
}

/// Runs `zbooks worker`.
pub fn run(
    args: &WorkerArgs,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    let minute = args
        .minute
        .as_deref()
        .map(|m| duration("--minute", Some(m), Duration::ZERO))
        .transpose()?;
    let scaled = ExecuteOptions::default().scaled_to(minute.unwrap_or(Duration::from_mins(1)));
    let options = Options {
        batch: args.batch.unwrap_or(10).max(1),
        lease: duration("--lease", args.lease.as_deref(), Duration::from_mins(1))?,
        poll: duration("--poll", args.poll.as_deref(), Duration::from_secs(2))?,
        defer: duration("--defer", args.defer.as_deref(), scaled.defer)?,
    };
    if options.lease < Duration::from_millis(300) {
        return Err(CliError::usage("--lease must be 300ms or longer"));
    }
    let mut settings = settings.clone();
    if let Some(state) = &args.state {
        settings.state = Some(Resolved {
            value: state.clone(),
            source: Source::Flag { flag: "--state" },
        });
    }
    let rt = context::runtime()?;
    rt.block_on(async {
        let ctx = Context::new(&settings, global.log_file.as_deref(), p).await?;
        let org = ctx.organization_id()?.value.clone();
        let client = setup::scaled_client(&ctx, minute, None, None)?;
        let store = open_queue(&args.queue, "--queue").await?;
        let queue = store.queue(&org);
        let db = Db {
            store,
            p,
            stop: interrupt(),
        };
        work(&client, &queue, &db, &options, args.follow, p).await
    })
}

/// This worker's name in the queue (`claimed_by`, `import status --queue`): the machine and
/// the process, `<host> pid <pid>`.
fn worker_name() -> String {
    format!("{} pid {}", zbooks_store::host_name(), std::process::id())
}

/// The first pause after PostgreSQL stops answering; each next one doubles, up to
/// [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// The longest pause between two attempts to reach PostgreSQL again.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Failures in a row of one operation while the database answers a ping: past this, the
/// failure is the operation's own (not a lost connection) and the worker stops on it.
const RETRIES_WHILE_ANSWERING: u32 = 3;

/// A receiver that turns true on Ctrl-C (SIGINT): every wait of the worker, the pauses for
/// PostgreSQL included, ends on it.
fn interrupt() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = tx.send(true);
        }
    });
    rx
}

/// Resolves once Ctrl-C was pressed (at once when it already was).
async fn interrupted(stop: &watch::Receiver<bool>) {
    let mut stop = stop.clone();
    if stop.wait_for(|s| *s).await.is_err() {
        // The signal task is gone (no handler could be installed): never interrupted.
        std::future::pending::<()>().await;
    }
}

/// Why a queue operation did not complete.
enum Lost {
    /// The database answers, and refused the operation every time: not a lost connection.
    Store(StoreError),
    /// Ctrl-C while paused for PostgreSQL.
    Interrupted,
}

/// The queue's database, with the worker's patience when it stops answering.
struct Db {
    store: PgStore,
    p: Printer,
    stop: watch::Receiver<bool>,
}

impl Db {
    /// Runs a queue operation until PostgreSQL answers it. A failure while the database
    /// answers a ping (a killed connection the pool had not noticed yet) is tried again at
    /// once, a few times; while the database does not answer, the worker says so once,
    /// pauses with a growing backoff and tries again, and says when it resumes.
    async fn answered<T, F, Fut>(&self, what: &str, mut op: F) -> Result<T, Lost>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = StoreResult<T>>,
    {
        let mut backoff = FIRST_BACKOFF;
        let mut paused: Option<Instant> = None;
        let mut refused = 0;
        loop {
            let error = match op().await {
                Ok(value) => {
                    if let Some(since) = paused {
                        self.p.error(&format!(
                            "PostgreSQL answers again after {:.1}s: resuming ({what})",
                            since.elapsed().as_secs_f64()
                        ));
                    }
                    return Ok(value);
                }
                Err(e) => e,
            };
            if self.store.ping().await.is_ok() {
                refused += 1;
                if refused >= RETRIES_WHILE_ANSWERING {
                    return Err(Lost::Store(error));
                }
                continue;
            }
            if paused.is_none() {
                paused = Some(Instant::now());
                self.p.error(&format!(
                    "PostgreSQL is not answering while {what} ({error}): pausing this worker; \
                     trying again with a growing backoff until it answers (what this worker \
                     holds is kept: nothing is sent twice)"
                ));
            }
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                () = interrupted(&self.stop) => return Err(Lost::Interrupted),
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }
}

/// The claim loop.
async fn work(
    client: &Client,
    queue: &PgQueue,
    db: &Db,
    options: &Options,
    follow: bool,
    p: Printer,
) -> CommandResult {
    let mut tally = Tally {
        worker: worker_name(),
        organization_id: queue.organization_id().to_owned(),
        ..Tally::default()
    };
    // Ctrl-C while paused for PostgreSQL: the claims end with their lease, and the next
    // worker looks each job up before sending it.
    let lost = |lost| match lost {
        Lost::Store(e) => Err(render::store_error("the import queue failed", &e)),
        Lost::Interrupted => Ok(exit::INTERRUPTED),
    };
    let mut halt = None;
    'outer: loop {
        let claimed = db
            .answered("claiming jobs", || {
                queue.claim(&tally.worker, options.batch, options.lease)
            })
            .await;
        let jobs = match claimed {
            Ok(jobs) => jobs,
            Err(e) => return lost(e),
        };
        if jobs.is_empty() {
            let blocked = match db
                .answered("failing blocked jobs", || queue.fail_blocked())
                .await
            {
                Ok(n) => n,
                Err(e) => return lost(e),
            };
            if blocked > 0 {
                tally.failed += blocked;
                p.note(&format!(
                    "failed: {blocked} job(s) that name records that failed"
                ));
            }
            let counts = match db.answered("counting jobs", || queue.counts()).await {
                Ok(counts) => counts,
                Err(e) => return lost(e),
            };
            if !follow && counts.ready + counts.claimed == 0 {
                break;
            }
            // Jobs held by other workers (or waiting out a deferral): their lease may end.
            tokio::select! {
                () = tokio::time::sleep(options.poll) => continue,
                () = interrupted(&db.stop) => return Ok(exit::INTERRUPTED),
            }
        }
        let renewer = renew(queue.clone(), jobs.clone(), options.lease);
        for job in &jobs {
            let (outcome, stop) = tokio::select! {
                done = settle(client, queue, job, options.defer) => done,
                () = interrupted(&db.stop) => {
                    renewer.abort();
                    // The claims end with their lease; the next worker looks them up.
                    return Ok(exit::INTERRUPTED);
                }
            };
            record(&mut tally, job, &outcome, p);
            // Kept until PostgreSQL records it: a record Zoho created is never sent again.
            let completed = db
                .answered(
                    &format!("recording {} {}", job.entity, job.key_value),
                    || queue.complete(job, outcome.clone()),
                )
                .await;
            let kept = match completed {
                Ok(kept) => kept,
                Err(e) => {
                    renewer.abort();
                    return lost(e);
                }
            };
            if !kept {
                p.note(&format!(
                    "{} {}: this worker's claim ended before its answer; the job's new holder \
                     looks it up",
                    job.entity, job.key_value
                ));
            }
            if let Some(stop) = stop {
                halt = Some(stop);
                renewer.abort();
                break 'outer;
            }
        }
        renewer.abort();
    }
    tally.queue = match db.answered("counting jobs", || queue.counts()).await {
        Ok(counts) => counts.into(),
        Err(e) => return lost(e),
    };
    report(&tally, p);
    match halt {
        Some(Halt::Quota) => {
            p.error("the daily quota is spent: this worker stopped; run it again after the reset");
            Ok(exit::QUOTA)
        }
        Some(Halt::Fatal(e)) => Err(render::client_error("the worker stopped", &e)),
        None if tally.failed > 0 => Ok(exit::RECORDS_FAILED),
        None => Ok(exit::OK),
    }
}

/// Renews the claims of a batch every third of the lease until aborted.
fn renew(queue: PgQueue, jobs: Vec<ClaimedJob>, lease: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(lease / 3).await;
            for job in &jobs {
                // A failure is not fatal here: the claim may still outlive it, and if not,
                // the fencing number keeps this worker from completing a job it lost.
                let _ = queue.renew(job, lease).await;
            }
        }
    })
}

/// Counts an outcome and says a failure on stderr.
fn record(tally: &mut Tally, job: &ClaimedJob, outcome: &JobOutcome, p: Printer) {
    match outcome {
        JobOutcome::Done {
            outcome: Outcome::Created,
            ..
        } => tally.created += 1,
        JobOutcome::Done { .. } => tally.adopted += 1,
        JobOutcome::Failed(f) => {
            tally.failed += 1;
            let code = f.code.map(|c| format!(" (code {c})")).unwrap_or_default();
            p.note(&format!(
                "failed: {} {} at {}{code}: {}",
                job.entity, job.key_value, job.location, f.message
            ));
        }
        _ => tally.deferred += 1,
    }
}

/// Prints what the worker did.
fn report(tally: &Tally, p: Printer) {
    if p.format == OutputFormat::Json {
        p.json(tally);
        return;
    }
    let q = &tally.queue;
    p.out(&format!(
        "worker {}: {} created, {} adopted, {} failed, {} deferred\n\
         queue of organization {}: {} done, {} failed, {} waiting, {} held by workers\n",
        tally.worker,
        tally.created,
        tally.adopted,
        tally.failed,
        tally.deferred,
        tally.organization_id,
        q.done,
        q.failed,
        q.ready,
        q.claimed
    ));
}

/// A failure that is not Zoho's answer (an unreadable job, an unresolved reference).
fn local_failure(class: &str, message: String, fix: &str) -> Failure {
    Failure {
        code: None,
        class: Some(class.to_owned()),
        message,
        fix: Some(fix.to_owned()),
        record: None,
    }
}

/// How long until `at`, from now.
fn until(at: Option<SystemTime>, otherwise: Duration) -> Duration {
    at.map_or(otherwise, |at| {
        at.duration_since(zbooks_types::Clock::now(&zbooks_types::SystemClock))
            .unwrap_or(Duration::ZERO)
    })
}

/// Works one job to its outcome; a [`Halt`] when the worker must stop after it.
async fn settle(
    client: &Client,
    queue: &PgQueue,
    job: &ClaimedJob,
    defer: Duration,
) -> (JobOutcome, Option<Halt>) {
    let record: Record = match serde_json::from_str(&job.payload) {
        Ok(r) => r,
        Err(e) => {
            let f = local_failure(
                "bad_job",
                format!("the queued record cannot be read: {e}"),
                "enqueue the file again with this version of zbooks",
            );
            return (JobOutcome::Failed(f), None);
        }
    };
    if job.lookup_first {
        // The claim before this one ended without an answer: its create may have landed.
        match client.lookup(&record).await {
            Ok(Some(id)) => return (adopted(id), None),
            Ok(None) => {}
            Err(e) => return not_done(&e, defer, None),
        }
    }
    let body = match resolve(client, queue, &record).await {
        Ok(Ok(body)) => body,
        Ok(Err(missing)) => {
            let names: Vec<String> = missing
                .iter()
                .map(|k| format!("{} {}", k.entity, k.value))
                .collect();
            let f = local_failure(
                "unresolved",
                format!("names {}, which Zoho does not hold", names.join(", ")),
                "import the records it names first, or correct the names",
            );
            return (JobOutcome::Failed(f), None);
        }
        Err(e) => return not_done(&e, defer, None),
    };
    let error = match client.create(&record, &body).await {
        Ok(Some(id)) => {
            return (
                JobOutcome::Done {
                    zoho_id: id,
                    outcome: Outcome::Created,
                },
                None,
            );
        }
        Ok(None) => {
            // Created, but the answer named no id: the lookup finds it.
            return match client.lookup(&record).await {
                Ok(Some(id)) => (
                    JobOutcome::Done {
                        zoho_id: id,
                        outcome: Outcome::Created,
                    },
                    None,
                ),
                Ok(None) => (
                    JobOutcome::InDoubt(local_failure(
                        "bad_response",
                        "the create's answer named no id and the lookup found nothing".to_owned(),
                        "nothing to do: the next claim looks it up again",
                    )),
                    None,
                ),
                Err(e) => not_done(&e, defer, Some(true)),
            };
        }
        Err(e) => e,
    };
    // 3062 is Zoho's documented duplicate; a key Zoho keeps unique may come back as a
    // validation refusal instead (as the executor reads it): the lookup settles it.
    let duplicate = error.class() == FailureClass::Duplicate
        || (error.class() == FailureClass::Validation && record.is_refused_twice_by_zoho());
    if duplicate || error.may_have_landed() {
        return match client.lookup(&record).await {
            Ok(Some(id)) => (adopted(id), None),
            Ok(None) if duplicate => (JobOutcome::Failed(error.journal_failure()), None),
            // A lost answer: claimable again at once, looked up first.
            Ok(None) if error.sent() == Sent::MaybeSent && error.status().is_none() => {
                (JobOutcome::InDoubt(error.journal_failure()), None)
            }
            Ok(None) => not_done(&error, defer, None),
            Err(e) => not_done(&e, defer, Some(true)),
        };
    }
    not_done(&error, defer, None)
}

fn adopted(id: String) -> JobOutcome {
    JobOutcome::Done {
        zoho_id: id,
        outcome: Outcome::Adopted,
    }
}

/// The outcome of a call that did not land (or a lookup that failed): failed for good,
/// deferred (5xx, limits), or in doubt when `in_doubt` says the create may have landed.
fn not_done(
    error: &zbooks_client::Error,
    defer: Duration,
    in_doubt: Option<bool>,
) -> (JobOutcome, Option<Halt>) {
    let failure = error.journal_failure();
    let deferred = |after| JobOutcome::Deferred {
        after,
        failure: failure.clone(),
    };
    match CallError::disposition(error) {
        Disposition::Fail if in_doubt != Some(true) => (JobOutcome::Failed(failure), None),
        Disposition::Fail | Disposition::Defer => (deferred(defer), None),
        Disposition::Quota(reset) => (deferred(until(reset, defer)), Some(Halt::Quota)),
        Disposition::Cooldown(at) => (deferred(until(Some(at), defer)), None),
        _ => (deferred(Duration::ZERO), Some(Halt::Fatal(error.clone()))),
    }
}

/// The body of `record`, its references resolved: to the ids of done jobs of the queue, else
/// to the records Zoho holds (looked up once each); the keys neither knows, as an error.
async fn resolve(
    client: &Client,
    queue: &PgQueue,
    record: &Record,
) -> Result<Result<zbooks_import::Body, Vec<NaturalKey>>, zbooks_client::Error> {
    let mut ids: HashMap<NaturalKey, String> = HashMap::new();
    let mut missing = Vec::new();
    for key in record.depends_on() {
        let queued = queue
            .done_id(key.entity.as_str(), &key.folded_value())
            .await
            .unwrap_or(None);
        let id = if let Some(id) = queued {
            Some(id)
        } else {
            let target = Record::new(key.entity, key.clone(), json!({}), record.location.clone());
            client.lookup(&target).await?
        };
        match id {
            Some(id) => {
                ids.insert(key.clone(), id);
            }
            None => missing.push(key.clone()),
        }
    }
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    Ok(record.body(|k| ids.get(k).cloned()).map_err(|u| u.missing))
}
