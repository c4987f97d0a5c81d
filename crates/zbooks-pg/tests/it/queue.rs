//! The import queue against PostgreSQL: concurrent claimers never share a job, a job waits
//! for the records it names, an expired lease comes back flagged for a lookup, a stale
//! holder cannot complete a job claimed again, enqueueing twice adds nothing, a completion
//! retried after a lost answer is kept, and the status shows every worker's share.

use std::collections::BTreeSet;
use std::time::Duration;

use zbooks_pg::{JobOutcome, NewJob};
use zbooks_store::{Failure, Outcome};

const LONG: Duration = Duration::from_mins(10);

fn job(entity: &str, key: &str, depends_on: &[(&str, &str)]) -> NewJob {
    NewJob {
        entity: entity.into(),
        key_field: format!("{entity}_name"),
        key_value: key.into(),
        location: format!("in.jsonl:{key}"),
        payload: format!("{{\"{entity}_name\":\"{key}\"}}"),
        depends_on: depends_on
            .iter()
            .map(|(e, k)| ((*e).to_owned(), (*k).to_owned()))
            .collect(),
        zoho_id: None,
    }
}

fn done(id: &str) -> JobOutcome {
    JobOutcome::Done {
        zoho_id: id.into(),
        outcome: Outcome::Created,
    }
}

fn refused() -> Failure {
    Failure {
        code: Some(4),
        class: Some("validation".into()),
        message: "refused".into(),
        fix: None,
        record: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_claimers_never_get_the_same_job() {
    crate::in_schema(|config| async move {
        let a = crate::store(&config).await.queue("org");
        let b = crate::store(&config).await.queue("org");
        let jobs: Vec<NewJob> = (0..300)
            .map(|i| job("contact", &format!("C{i}"), &[]))
            .collect();
        assert_eq!(a.enqueue(jobs).await.unwrap(), 300);
        let mut tasks = Vec::new();
        for (w, q) in [("a1", &a), ("a2", &a), ("b1", &b), ("b2", &b)] {
            let q = q.clone();
            tasks.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                loop {
                    let got = q.claim(w, 7, LONG).await.unwrap();
                    if got.is_empty() {
                        return ids;
                    }
                    ids.extend(got.iter().map(|j| j.id));
                }
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let distinct: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), distinct.len(), "a job was claimed twice");
        assert_eq!(distinct.len(), 300);
        let counts = a.counts().await.unwrap();
        assert_eq!((counts.claimed, counts.ready), (300, 0));
    })
    .await;
}

#[tokio::test]
async fn a_job_with_an_unfinished_dependency_is_not_claimed() {
    crate::in_schema(|config| async move {
        let q = crate::store(&config).await.queue("org");
        q.enqueue(vec![
            job("invoice", "INV-1", &[("contact", "Acme")]),
            job("invoice", "INV-2", &[("contact", "Acme"), ("item", "Bolt")]),
            // Names a contact that is not in the queue (Zoho has it already): not held.
            job("invoice", "INV-3", &[("contact", "Elsewhere")]),
            job("contact", "Acme", &[]),
            job("item", "Bolt", &[]),
        ])
        .await
        .unwrap();
        let first = q.claim("w", 10, LONG).await.unwrap();
        let keys: Vec<&str> = first.iter().map(|j| j.key_value.as_str()).collect();
        assert_eq!(keys, ["INV-3", "Acme", "Bolt"]);
        // A dependency held by a worker, or failed, is not done: its dependents wait.
        let acme = first.iter().find(|j| j.key_value == "Acme").unwrap();
        let bolt = first.iter().find(|j| j.key_value == "Bolt").unwrap();
        assert!(q.claim("w", 10, LONG).await.unwrap().is_empty());
        assert!(q.complete(acme, done("1")).await.unwrap());
        let next = q.claim("w", 10, LONG).await.unwrap();
        let keys: Vec<&str> = next.iter().map(|j| j.key_value.as_str()).collect();
        assert_eq!(keys, ["INV-1"]);
        assert!(
            q.complete(bolt, JobOutcome::Failed(refused()))
                .await
                .unwrap()
        );
        assert!(q.claim("w", 10, LONG).await.unwrap().is_empty());
        let counts = q.counts().await.unwrap();
        assert_eq!(
            (counts.ready, counts.claimed, counts.done, counts.failed),
            (1, 2, 1, 1)
        );
    })
    .await;
}

#[tokio::test]
async fn an_expired_lease_is_reclaimable_and_flagged_for_a_lookup() {
    crate::in_schema(|config| async move {
        let q = crate::store(&config).await.queue("org");
        q.enqueue(vec![job("contact", "A", &[]), job("contact", "B", &[])])
            .await
            .unwrap();
        // A live lease is not taken.
        let live = q.claim("alive", 1, LONG).await.unwrap();
        assert_eq!(live.len(), 1);
        assert!(!live[0].lookup_first);
        // A lease of no time has ended by the next statement: the worker "died".
        let dead = q.claim("dead", 1, Duration::ZERO).await.unwrap();
        assert_eq!(dead.len(), 1);
        let again = q.claim("heir", 5, LONG).await.unwrap();
        assert_eq!(again.len(), 1, "only the expired claim is claimable");
        assert_eq!(again[0].id, dead[0].id);
        assert!(again[0].lookup_first, "an expired claim is looked up first");
        assert!(again[0].claim > dead[0].claim);
        // The dead worker comes back: its claim is fenced off, the heir's is not.
        assert!(!q.complete(&dead[0], done("9")).await.unwrap());
        assert!(!q.renew(&dead[0], LONG).await.unwrap());
        assert!(q.renew(&again[0], LONG).await.unwrap());
        assert!(q.complete(&again[0], done("10")).await.unwrap());
        // release_expired puts an ended claim back to ready, flagged, for status to count.
        assert!(
            q.complete(&live[0], JobOutcome::InDoubt(refused()))
                .await
                .unwrap()
        );
        let doubt = q.claim("w", 1, Duration::ZERO).await.unwrap();
        assert!(doubt[0].lookup_first, "an in-doubt job is looked up first");
        assert_eq!(q.release_expired().await.unwrap(), 1);
        let counts = q.counts().await.unwrap();
        assert_eq!((counts.ready, counts.claimed, counts.done), (1, 0, 1));
        let last = q.claim("w", 1, LONG).await.unwrap();
        assert!(last[0].lookup_first);
        assert!(q.complete(&last[0], done("11")).await.unwrap());
        assert_eq!(q.counts().await.unwrap().done, 2);
    })
    .await;
}

#[tokio::test]
async fn enqueueing_twice_adds_nothing_and_organizations_are_apart() {
    crate::in_schema(|config| async move {
        let s = crate::store(&config).await;
        let q = s.queue("org");
        let jobs = vec![
            job("contact", "A", &[]),
            job("invoice", "A", &[("contact", "A")]),
        ];
        assert_eq!(q.enqueue(jobs.clone()).await.unwrap(), 2);
        assert_eq!(q.enqueue(jobs.clone()).await.unwrap(), 0);
        let other = s.queue("other-org");
        assert_eq!(other.enqueue(jobs).await.unwrap(), 2);
        assert_eq!(q.counts().await.unwrap().ready, 2);
        let got = other.claim("w", 10, LONG).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].entity.as_str(), got[0].key_value.as_str()),
            ("contact", "A")
        );
        assert_eq!(got[0].payload, "{\"contact_name\":\"A\"}");
    })
    .await;
}

#[tokio::test]
async fn a_deferred_job_waits_for_its_time() {
    crate::in_schema(|config| async move {
        let q = crate::store(&config).await.queue("org");
        q.enqueue(vec![job("contact", "A", &[])]).await.unwrap();
        let got = q.claim("w", 1, LONG).await.unwrap();
        let deferred = JobOutcome::Deferred {
            after: LONG,
            failure: refused(),
        };
        assert!(q.complete(&got[0], deferred).await.unwrap());
        assert!(q.claim("w", 1, LONG).await.unwrap().is_empty());
        assert_eq!(q.counts().await.unwrap().ready, 1);
    })
    .await;
}

#[tokio::test]
async fn a_done_job_names_its_id_and_a_failed_one_fails_its_dependents() {
    crate::in_schema(|config| async move {
        let q = crate::store(&config).await.queue("org");
        q.enqueue(vec![
            job("contact", "Acme", &[]),
            job("item", "Bolt", &[]),
            job("invoice", "INV-1", &[("contact", "Acme"), ("item", "Bolt")]),
            job("creditnote", "CN-1", &[("invoice", "INV-1")]),
        ])
        .await
        .unwrap();
        let first = q.claim("w", 10, LONG).await.unwrap();
        assert_eq!(q.done_id("contact", "Acme").await.unwrap(), None);
        assert!(q.complete(&first[0], done("77")).await.unwrap());
        assert!(
            q.complete(&first[1], JobOutcome::Failed(refused()))
                .await
                .unwrap()
        );
        assert_eq!(
            q.done_id("contact", "Acme").await.unwrap().as_deref(),
            Some("77")
        );
        assert_eq!(q.done_id("item", "Bolt").await.unwrap(), None);
        // INV-1 waits for Bolt, which failed; CN-1 waits for INV-1.
        assert_eq!(q.fail_blocked().await.unwrap(), 2);
        let counts = q.counts().await.unwrap();
        assert_eq!((counts.ready, counts.done, counts.failed), (0, 1, 3));
    })
    .await;
}

#[tokio::test]
async fn status_shows_every_workers_share_and_the_jobs_zoho_held_already() {
    crate::in_schema(|config| async move {
        let q = crate::store(&config).await.queue("org");
        let mut there = job("contact", "D", &[]);
        there.zoho_id = Some("5".into());
        q.enqueue(vec![
            job("contact", "A", &[]),
            job("contact", "B", &[]),
            job("contact", "C", &[]),
            there,
            job("invoice", "INV-1", &[("contact", "D")]),
        ])
        .await
        .unwrap();
        // D is done before any worker: never claimed, and its dependent is claimable.
        assert_eq!(
            q.done_id("contact", "D").await.unwrap().as_deref(),
            Some("5")
        );
        let one = q.claim("host-a pid 1", 2, LONG).await.unwrap();
        assert_eq!(one.len(), 2);
        assert!(q.complete(&one[0], done("1")).await.unwrap());
        assert!(
            q.complete(&one[1], JobOutcome::Failed(refused()))
                .await
                .unwrap()
        );
        let two = q.claim("host-b pid 2", 1, LONG).await.unwrap();
        let adopted = JobOutcome::Done {
            zoho_id: "3".into(),
            outcome: Outcome::Adopted,
        };
        assert!(q.complete(&two[0], adopted.clone()).await.unwrap());
        // The same completion again (its first answer was lost with the connection): kept.
        assert!(q.complete(&two[0], adopted).await.unwrap());
        let three = q.claim("host-c pid 3", 5, LONG).await.unwrap();
        assert_eq!(three.len(), 1);
        assert_eq!(three[0].entity, "invoice");

        let status = q.status().await.unwrap();
        let t = status.total;
        assert_eq!(
            (
                t.ready, t.claimed, t.created, t.adopted, t.present, t.failed, t.deferred
            ),
            (0, 1, 1, 1, 1, 1, 0)
        );
        let entities: Vec<(&str, u64, u64)> = status
            .entities
            .iter()
            .map(|(e, c)| (e.as_str(), c.total(), c.claimed))
            .collect();
        assert_eq!(entities, vec![("contact", 4, 0), ("invoice", 1, 1)]);
        let share = |name: &str| {
            let w = status
                .workers
                .iter()
                .find(|w| w.name == name)
                .unwrap_or_else(|| panic!("{name} in {:?}", status.workers));
            assert!(w.last_seen_ms > 1_577_836_800_000, "{w:?}");
            (w.created, w.adopted, w.failed, w.held)
        };
        assert_eq!(share("host-a pid 1"), (1, 0, 1, 0));
        assert_eq!(share("host-b pid 2"), (0, 1, 0, 0));
        assert_eq!(share("host-c pid 3"), (0, 0, 0, 1));
        assert_eq!(status.workers.len(), 3);

        let failed = q.failed_jobs().await.unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(
            (
                failed[0].key_value.as_str(),
                failed[0].code,
                failed[0].location.as_str()
            ),
            ("B", Some(4), "in.jsonl:B")
        );
    })
    .await;
}
