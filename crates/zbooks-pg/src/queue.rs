//! The import queue on PostgreSQL: one job per record, unique on (organization, entity,
//! natural key); a job waits for the records it names until they are done; workers claim jobs
//! with `FOR UPDATE SKIP LOCKED` under a lease, so two workers never hold one job, and a
//! worker that dies lets its jobs go when the lease ends. An expired claim comes back with
//! `lookup_first` set: the dead worker's create may have landed, so the next worker looks the
//! record up by natural key before it sends anything (docs/design.md promise 5).
//!
//! Leases are measured on the database's clock (`now()`), the one clock every machine shares:
//! a worker whose own clock is off by seconds neither steals a live claim nor keeps a dead one.
//! Each claim carries a fencing number (`claim_seq`): a worker whose lease ended and whose job
//! was claimed again cannot complete it.

use std::time::Duration;

use zbooks_client::store::StoreResult;
use zbooks_store::{Failure, Outcome};

use crate::{PgStore, db_error};

/// A record to enqueue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJob {
    /// The entity (`contact`).
    pub entity: String,
    /// The natural key's field (`contact_name`).
    pub key_field: String,
    /// The natural key's value: unique with the organization and the entity.
    pub key_value: String,
    /// Where in the input it came from.
    pub location: String,
    /// The record (JSON), as the worker will send it.
    pub payload: String,
    /// The records it names, as (entity, natural key value): it waits until those are done
    /// (one that is not in the queue does not hold it: it is in Zoho already, or not ours).
    pub depends_on: Vec<(String, String)>,
    /// Zoho's id when Zoho holds the record already (found by natural key when it was
    /// enqueued): the job is enqueued done, "already there", and no worker sends it.
    pub zoho_id: Option<String>,
}

/// A job a worker holds until its lease ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedJob {
    /// The job.
    pub id: i64,
    /// The fencing number of this claim: [`PgQueue::complete`] must show it.
    pub claim: i64,
    /// The entity.
    pub entity: String,
    /// The natural key's field.
    pub key_field: String,
    /// The natural key's value.
    pub key_value: String,
    /// Where in the input it came from.
    pub location: String,
    /// The record (JSON).
    pub payload: String,
    /// An earlier claim ended without an answer (its worker died, or its create's answer was
    /// lost): look the record up before sending it.
    pub lookup_first: bool,
}

/// How a worker ends its claim on a job.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobOutcome {
    /// In Zoho, with its id.
    Done {
        /// Its id.
        zoho_id: String,
        /// How it came to be there.
        outcome: Outcome,
    },
    /// Refused for good.
    Failed(Failure),
    /// Zoho failed on its side: claimable again after `after`.
    Deferred {
        /// How long to wait.
        after: Duration,
        /// Why.
        failure: Failure,
    },
    /// The create may have landed: claimable again at once, to be looked up first.
    InDoubt(Failure),
}

/// Jobs per state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Waiting for a worker (or for their dependencies).
    pub ready: u64,
    /// Held by a worker (its lease may have ended).
    pub claimed: u64,
    /// In Zoho.
    pub done: u64,
    /// Refused for good.
    pub failed: u64,
}

/// Jobs per state as `zbooks import status --queue` shows them: the done ones split by how
/// they came to be in Zoho, the ready ones waiting out a deferral apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateCounts {
    /// Claimable, or waiting for the records they name (a claim whose lease ended counts
    /// here: the next worker takes it, looking it up first).
    pub ready: u64,
    /// Held by a live claim.
    pub claimed: u64,
    /// Created by a worker.
    pub created: u64,
    /// Found in Zoho by a worker (a dead worker's create that landed, or a duplicate).
    pub adopted: u64,
    /// In Zoho before the import: enqueued done.
    pub present: u64,
    /// Refused for good.
    pub failed: u64,
    /// Ready again after a deferral (a server error, the limits) that has not ended yet.
    pub deferred: u64,
}

impl StateCounts {
    fn add(&mut self, state: &str, n: u64) {
        match state {
            "ready" => self.ready += n,
            "claimed" => self.claimed += n,
            "created" => self.created += n,
            "adopted" => self.adopted += n,
            "present" => self.present += n,
            "failed" => self.failed += n,
            "deferred" => self.deferred += n,
            _ => {}
        }
    }

    /// Every job counted.
    pub fn total(&self) -> u64 {
        self.ready
            + self.claimed
            + self.created
            + self.adopted
            + self.present
            + self.failed
            + self.deferred
    }
}

/// One worker's share of an organization's queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerShare {
    /// Its name (`<host> pid <pid>`), as it claims jobs.
    pub name: String,
    /// Jobs it ended created.
    pub created: u64,
    /// Jobs it ended adopted.
    pub adopted: u64,
    /// Jobs it ended failed.
    pub failed: u64,
    /// Jobs it holds now under a live lease.
    pub held: u64,
    /// When it last asked for work or ended a job (milliseconds since the Unix epoch, the
    /// database's clock).
    pub last_seen_ms: i64,
}

/// An organization's queue: its jobs per state, per entity and per worker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueStatus {
    /// The organization.
    pub organization_id: String,
    /// Every job.
    pub total: StateCounts,
    /// Per entity, in the order their first job was enqueued.
    pub entities: Vec<(String, StateCounts)>,
    /// Every worker that ever asked for work, the last seen first.
    pub workers: Vec<WorkerShare>,
}

/// A job that failed for good, as `zbooks import failed --queue` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedJob {
    /// The entity.
    pub entity: String,
    /// The natural key's field.
    pub key_field: String,
    /// The natural key's value, folded as the queue compares keys.
    pub key_value: String,
    /// Where in the input it came from (`file:line`).
    pub location: String,
    /// Zoho's code, when Zoho refused it.
    pub code: Option<i64>,
    /// The failure class.
    pub class: Option<String>,
    /// What went wrong.
    pub message: Option<String>,
    /// How to fix it.
    pub fix: Option<String>,
    /// The record (JSON), as it was enqueued.
    pub payload: String,
}

/// One organization's import queue in a [`PgStore`].
#[derive(Clone, Debug)]
pub struct PgQueue {
    store: PgStore,
    organization_id: String,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl PgQueue {
    pub(crate) fn new(store: PgStore, organization_id: &str) -> PgQueue {
        PgQueue {
            store,
            organization_id: organization_id.to_owned(),
        }
    }

    /// The organization whose jobs these are.
    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    /// Adds the jobs not in the queue yet (by organization, entity and natural key), with
    /// their dependencies, in one transaction; how many were new.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be written.
    pub async fn enqueue(&self, jobs: Vec<NewJob>) -> StoreResult<u64> {
        let mut client = self.store.client().await?;
        let tx = client.transaction().await.map_err(|e| db_error(&e))?;
        let insert = tx
            .prepare(
                "INSERT INTO import_jobs (organization_id, entity, key_field, key_value, \
                 location, payload, state, outcome, zoho_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, \
                   CASE WHEN $7::text IS NULL THEN 'ready' ELSE 'done' END, \
                   CASE WHEN $7::text IS NULL THEN NULL ELSE 'present' END, $7) \
                 ON CONFLICT (organization_id, entity, key_value) DO NOTHING RETURNING id",
            )
            .await
            .map_err(|e| db_error(&e))?;
        let dep = tx
            .prepare(
                "INSERT INTO import_job_deps (job_id, entity, key_value) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .await
            .map_err(|e| db_error(&e))?;
        let mut added = 0;
        for job in jobs {
            let row = tx
                .query_opt(
                    &insert,
                    &[
                        &self.organization_id,
                        &job.entity,
                        &job.key_field,
                        &job.key_value,
                        &job.location,
                        &job.payload,
                        &job.zoho_id,
                    ],
                )
                .await
                .map_err(|e| db_error(&e))?;
            // Already queued: its dependencies were recorded with it.
            let Some(row) = row else { continue };
            let id: i64 = row.get(0);
            added += 1;
            for (entity, key) in &job.depends_on {
                if *entity == job.entity && *key == job.key_value {
                    continue;
                }
                tx.execute(&dep, &[&id, entity, key])
                    .await
                    .map_err(|e| db_error(&e))?;
            }
        }
        tx.commit().await.map_err(|e| db_error(&e))?;
        Ok(added)
    }

    /// Claims up to `n` claimable jobs for `worker` for `lease`: jobs ready (and past their
    /// deferral) whose dependencies are all done, and jobs whose earlier claim has expired
    /// (those come flagged [`ClaimedJob::lookup_first`]). Jobs another worker is claiming at
    /// the same instant are skipped, never waited for.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be written.
    pub async fn claim(
        &self,
        worker: &str,
        n: u32,
        lease: Duration,
    ) -> StoreResult<Vec<ClaimedJob>> {
        let client = self.store.client().await?;
        // The worker's heartbeat, for `import status`: when it last asked for work.
        client
            .execute(
                "INSERT INTO import_workers (organization_id, name) VALUES ($1, $2) \
                 ON CONFLICT (organization_id, name) DO UPDATE SET last_seen = now()",
                &[&self.organization_id, &worker],
            )
            .await
            .map_err(|e| db_error(&e))?;
        let rows = client
            .query(
                "WITH picked AS ( \
                   SELECT j.id FROM import_jobs j \
                   WHERE j.organization_id = $1 \
                     AND (j.state = 'ready' OR (j.state = 'claimed' AND j.lease_until <= now())) \
                     AND (j.not_before IS NULL OR j.not_before <= now()) \
                     AND NOT EXISTS ( \
                       SELECT 1 FROM import_job_deps d JOIN import_jobs p \
                         ON p.organization_id = j.organization_id AND p.entity = d.entity \
                         AND p.key_value = d.key_value \
                       WHERE d.job_id = j.id AND p.state <> 'done') \
                   ORDER BY j.id LIMIT $3 \
                   FOR UPDATE OF j SKIP LOCKED) \
                 UPDATE import_jobs j SET state = 'claimed', claimed_by = $2, \
                   lease_until = now() + $4::bigint * interval '1 millisecond', \
                   claim_seq = j.claim_seq + 1, claims = j.claims + 1, \
                   lookup_first = j.lookup_first OR j.state = 'claimed', not_before = NULL, \
                   updated_at = now() \
                 FROM picked WHERE j.id = picked.id \
                 RETURNING j.id, j.claim_seq, j.entity, j.key_field, j.key_value, j.location, \
                   j.payload, j.lookup_first",
                &[
                    &self.organization_id,
                    &worker,
                    &i64::from(n),
                    &millis(lease),
                ],
            )
            .await
            .map_err(|e| db_error(&e))?;
        let mut jobs: Vec<ClaimedJob> = rows
            .iter()
            .map(|r| ClaimedJob {
                id: r.get(0),
                claim: r.get(1),
                entity: r.get(2),
                key_field: r.get(3),
                key_value: r.get(4),
                location: r.get(5),
                payload: r.get(6),
                lookup_first: r.get(7),
            })
            .collect();
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Extends a claim by `lease` from now; false when the claim is no longer this worker's
    /// (its lease ended and another worker claimed the job).
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be written.
    pub async fn renew(&self, job: &ClaimedJob, lease: Duration) -> StoreResult<bool> {
        let client = self.store.client().await?;
        let n = client
            .execute(
                "UPDATE import_jobs SET lease_until = now() + $3::bigint * interval '1 millisecond', \
                 updated_at = now() WHERE id = $1 AND claim_seq = $2 AND state = 'claimed'",
                &[&job.id, &job.claim, &millis(lease)],
            )
            .await
            .map_err(|e| db_error(&e))?;
        Ok(n == 1)
    }

    /// Ends a claim with its outcome; false when the claim is no longer this worker's (the
    /// outcome is then not recorded: the job's new holder decides, after a lookup).
    ///
    /// Completing again with the same outcome (a retry after the connection dropped before
    /// the answer of the first attempt came back) finds the job already ended by this claim
    /// and answers true: nobody claimed it since, as its fencing number shows.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be written.
    pub async fn complete(&self, job: &ClaimedJob, outcome: JobOutcome) -> StoreResult<bool> {
        let client = self.store.client().await?;
        // This claim's job, still held, or already ended by this claim in the same state.
        let fence = |state: &str| {
            format!("WHERE id = $1 AND claim_seq = $2 AND (state = 'claimed' OR state = '{state}')")
        };
        let n =
            match outcome {
                JobOutcome::Done { zoho_id, outcome } => client
                    .execute(
                        &format!(
                            "UPDATE import_jobs SET state = 'done', zoho_id = $3, outcome = $4, \
                             finished_by = COALESCE(claimed_by, finished_by), claimed_by = NULL, \
                             lease_until = NULL, lookup_first = FALSE, updated_at = now() {}",
                            fence("done")
                        ),
                        &[&job.id, &job.claim, &zoho_id, &outcome.as_str()],
                    )
                    .await,
                JobOutcome::Failed(f) => {
                    client
                        .execute(
                            &format!(
                                "UPDATE import_jobs SET state = 'failed', code = $3, class = $4, \
                             message = $5, fix = $6, \
                             finished_by = COALESCE(claimed_by, finished_by), claimed_by = NULL, \
                             lease_until = NULL, updated_at = now() {}",
                                fence("failed")
                            ),
                            &[&job.id, &job.claim, &f.code, &f.class, &f.message, &f.fix],
                        )
                        .await
                }
                JobOutcome::Deferred { after, failure } => {
                    client
                        .execute(
                            &format!(
                                "UPDATE import_jobs SET state = 'ready', \
                             not_before = now() + $3::bigint * interval '1 millisecond', \
                             code = $4, class = $5, message = $6, claimed_by = NULL, \
                             lease_until = NULL, updated_at = now() {}",
                                fence("ready")
                            ),
                            &[
                                &job.id,
                                &job.claim,
                                &millis(after),
                                &failure.code,
                                &failure.class,
                                &failure.message,
                            ],
                        )
                        .await
                }
                JobOutcome::InDoubt(f) => {
                    client
                        .execute(
                            &format!(
                                "UPDATE import_jobs SET state = 'ready', lookup_first = TRUE, \
                             code = $3, class = $4, message = $5, claimed_by = NULL, \
                             lease_until = NULL, updated_at = now() {}",
                                fence("ready")
                            ),
                            &[&job.id, &job.claim, &f.code, &f.class, &f.message],
                        )
                        .await
                }
            }
            .map_err(|e| db_error(&e))?;
        Ok(n == 1)
    }

    /// Puts every job whose lease has ended back to ready, flagged to be looked up before it
    /// is sent again; how many. ([`PgQueue::claim`] takes such jobs anyway: this is for
    /// `import status`, which should not count a dead worker's jobs as held.)
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be written.
    pub async fn release_expired(&self) -> StoreResult<u64> {
        let client = self.store.client().await?;
        client
            .execute(
                "UPDATE import_jobs SET state = 'ready', lookup_first = TRUE, claimed_by = NULL, \
                 lease_until = NULL, updated_at = now() \
                 WHERE organization_id = $1 AND state = 'claimed' AND lease_until <= now()",
                &[&self.organization_id],
            )
            .await
            .map_err(|e| db_error(&e))
    }

    /// The Zoho id of a done job (by entity and natural key value): how a worker resolves a
    /// record's reference to another record of the queue. `None` when it is not in the queue
    /// or not done.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be read.
    pub async fn done_id(&self, entity: &str, key_value: &str) -> StoreResult<Option<String>> {
        let client = self.store.client().await?;
        let row = client
            .query_opt(
                "SELECT zoho_id FROM import_jobs WHERE organization_id = $1 AND entity = $2 \
                 AND key_value = $3 AND state = 'done'",
                &[&self.organization_id, &entity, &key_value],
            )
            .await
            .map_err(|e| db_error(&e))?;
        Ok(row.and_then(|r| r.get::<_, Option<String>>(0)))
    }

    /// Fails every ready job that waits for a job that failed (it could never be claimed);
    /// how many. Repeated, it fails the jobs that wait for those too.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be written.
    pub async fn fail_blocked(&self) -> StoreResult<u64> {
        let client = self.store.client().await?;
        let mut total = 0;
        loop {
            let n = client
                .execute(
                    "UPDATE import_jobs j SET state = 'failed', code = NULL, \
                     class = 'dependency_failed', \
                     message = 'depends on ' || p.entity || ' ' || p.key_value || ', which failed', \
                     fix = 'correct the record it depends on and import both again', \
                     claimed_by = NULL, lease_until = NULL, updated_at = now() \
                     FROM import_job_deps d, import_jobs p \
                     WHERE j.organization_id = $1 AND j.state = 'ready' AND d.job_id = j.id \
                       AND p.organization_id = j.organization_id AND p.entity = d.entity \
                       AND p.key_value = d.key_value AND p.state = 'failed'",
                    &[&self.organization_id],
                )
                .await
                .map_err(|e| db_error(&e))?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// Jobs per state.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be read.
    pub async fn counts(&self) -> StoreResult<JobCounts> {
        let client = self.store.client().await?;
        let rows = client
            .query(
                "SELECT state, COUNT(*) FROM import_jobs WHERE organization_id = $1 \
                 GROUP BY state",
                &[&self.organization_id],
            )
            .await
            .map_err(|e| db_error(&e))?;
        let mut counts = JobCounts::default();
        for r in rows {
            let n = u64::try_from(r.get::<_, i64>(1)).unwrap_or(0);
            match r.get::<_, &str>(0) {
                "ready" => counts.ready = n,
                "claimed" => counts.claimed = n,
                "done" => counts.done = n,
                "failed" => counts.failed = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// The queue's jobs per state, per entity and per worker: what `zbooks import status
    /// --queue` shows. Reads only.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be read.
    pub async fn status(&self) -> StoreResult<QueueStatus> {
        let client = self.store.client().await?;
        // A claim whose lease ended is ready again (its next claim looks it up first).
        let state = "CASE WHEN state = 'claimed' AND lease_until <= now() THEN 'ready' \
                     WHEN state = 'ready' AND not_before > now() THEN 'deferred' \
                     WHEN state = 'done' THEN COALESCE(outcome, 'created') ELSE state END";
        let rows = client
            .query(
                &format!(
                    "SELECT entity, {state} AS s, COUNT(*), MIN(id) FROM import_jobs \
                     WHERE organization_id = $1 GROUP BY entity, s ORDER BY MIN(id)"
                ),
                &[&self.organization_id],
            )
            .await
            .map_err(|e| db_error(&e))?;
        let mut status = QueueStatus {
            organization_id: self.organization_id.clone(),
            ..QueueStatus::default()
        };
        let mut first: Vec<(i64, String)> = Vec::new();
        for r in &rows {
            let entity: String = r.get(0);
            let state: &str = r.get(1);
            let n = count(r.get(2));
            let at: i64 = r.get(3);
            status.total.add(state, n);
            if let Some(i) = status.entities.iter().position(|(e, _)| *e == entity) {
                status.entities[i].1.add(state, n);
                first[i].0 = first[i].0.min(at);
            } else {
                let mut counts = StateCounts::default();
                counts.add(state, n);
                status.entities.push((entity.clone(), counts));
                first.push((at, entity));
            }
        }
        // Creation order: the entity whose first job came first.
        status
            .entities
            .sort_by_key(|(e, _)| first.iter().find(|(_, f)| f == e).map_or(0, |(at, _)| *at));
        let workers = client
            .query(
                "SELECT name, (EXTRACT(EPOCH FROM last_seen) * 1000)::bigint FROM import_workers \
                 WHERE organization_id = $1",
                &[&self.organization_id],
            )
            .await
            .map_err(|e| db_error(&e))?;
        let mut shares: Vec<WorkerShare> = workers
            .iter()
            .map(|r| WorkerShare {
                name: r.get(0),
                last_seen_ms: r.get(1),
                ..WorkerShare::default()
            })
            .collect();
        let ended = client
            .query(
                "SELECT finished_by, CASE WHEN state = 'done' THEN COALESCE(outcome, 'created') \
                   ELSE state END AS s, COUNT(*), \
                   (EXTRACT(EPOCH FROM MAX(updated_at)) * 1000)::bigint \
                 FROM import_jobs WHERE organization_id = $1 AND finished_by IS NOT NULL \
                 GROUP BY finished_by, s \
                 UNION ALL \
                 SELECT claimed_by, 'held', COUNT(*), \
                   (EXTRACT(EPOCH FROM MAX(updated_at)) * 1000)::bigint \
                 FROM import_jobs WHERE organization_id = $1 AND state = 'claimed' \
                   AND lease_until > now() AND claimed_by IS NOT NULL GROUP BY claimed_by",
                &[&self.organization_id],
            )
            .await
            .map_err(|e| db_error(&e))?;
        for r in &ended {
            let name: String = r.get(0);
            let i = if let Some(i) = shares.iter().position(|w| w.name == name) {
                i
            } else {
                shares.push(WorkerShare {
                    name,
                    ..WorkerShare::default()
                });
                shares.len() - 1
            };
            let share = &mut shares[i];
            let n = count(r.get(2));
            match r.get::<_, &str>(1) {
                "created" => share.created += n,
                "adopted" => share.adopted += n,
                "failed" => share.failed += n,
                "held" => share.held += n,
                _ => {}
            }
            share.last_seen_ms = share.last_seen_ms.max(r.get(3));
        }
        shares.sort_by(|a, b| {
            b.last_seen_ms
                .cmp(&a.last_seen_ms)
                .then_with(|| a.name.cmp(&b.name))
        });
        status.workers = shares;
        Ok(status)
    }

    /// Every job that failed for good, in the order they were enqueued.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](zbooks_client::store::StoreError) when the database cannot be read.
    pub async fn failed_jobs(&self) -> StoreResult<Vec<FailedJob>> {
        let client = self.store.client().await?;
        let rows = client
            .query(
                "SELECT entity, key_field, key_value, location, code, class, message, fix, \
                 payload FROM import_jobs WHERE organization_id = $1 AND state = 'failed' \
                 ORDER BY id",
                &[&self.organization_id],
            )
            .await
            .map_err(|e| db_error(&e))?;
        Ok(rows
            .iter()
            .map(|r| FailedJob {
                entity: r.get(0),
                key_field: r.get(1),
                key_value: r.get(2),
                location: r.get(3),
                code: r.get(4),
                class: r.get(5),
                message: r.get(6),
                fix: r.get(7),
                payload: r.get(8),
            })
            .collect())
    }
}

/// A count from the database (never negative).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
