//! The executor with the PostgreSQL journal, importing the sample Tally company into the
//! simulator: killed mid-run (the run's future dropped while creates are in flight, one of
//! them landed with its answer never heard), then resumed by a new process on the same
//! database: every record ends in Zoho once, none lost, none doubled.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;
use zbooks_client::Client;
use zbooks_import::{
    Body, Books, Entity, ExecuteOptions, ExistingRecords, Record, RunInput, Stop, StopHandle,
    ValidateOptions, execute_with, fingerprint, parse_tally_bytes, validate,
};
use zbooks_store::{RecordState, SqliteStore};

/// The client, until its `kill_after`th create has landed: then the answer is never heard
/// and the run is told to die.
#[derive(Clone)]
struct Dying {
    client: Client,
    creates: Arc<AtomicUsize>,
    kill_after: usize,
    killed: Arc<Notify>,
}

impl Books for Dying {
    type Error = zbooks_client::Error;

    fn organization_id(&self) -> String {
        Books::organization_id(&self.client)
    }

    async fn create(&self, record: &Record, body: &Body) -> Result<Option<String>, Self::Error> {
        let answer = self.client.create(record, body).await;
        if self.creates.fetch_add(1, Ordering::SeqCst) + 1 >= self.kill_after {
            self.killed.notify_one();
            std::future::pending::<()>().await;
        }
        answer
    }

    async fn lookup(&self, record: &Record) -> Result<Option<String>, Self::Error> {
        self.client.lookup(record).await
    }

    async fn list(
        &self,
        entities: &BTreeSet<Entity>,
        on_listed: &mut (dyn FnMut(Entity, u64) + Send),
    ) -> Result<ExistingRecords, Self::Error> {
        self.client.list(entities, on_listed).await
    }

    async fn read_back(&self, records: &[Record]) -> Result<Vec<(Entity, Value)>, Self::Error> {
        self.client.read_back(records).await
    }

    async fn post_drafts(&self, ids: &[String]) -> Result<usize, Self::Error> {
        self.client.post_drafts(ids).await
    }
}

fn options() -> ExecuteOptions {
    ExecuteOptions {
        defer: Duration::from_millis(300),
        settle: Duration::ZERO,
        ..ExecuteOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_mid_create_resumes_on_postgres_with_nothing_lost_or_doubled() {
    crate::in_schema(|config| async move {
        let (sim, demo) = zbooks_testkit::start(zbooks_testkit::fast_sim()).await;
        let client = zbooks_testkit::demo_client(&sim, &demo)
            .store(Arc::new(SqliteStore::open_in_memory().unwrap()))
            .build()
            .unwrap();
        let file = "sample-company.xml";
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../zbooks-import/fixtures/tally/sample-company.xml"
        ))
        .unwrap();
        let parsed = parse_tally_bytes(&bytes);
        let validation = validate(
            &parsed.records,
            &parsed.report,
            &ExistingRecords::new(),
            ValidateOptions::default(),
        );
        let fp = fingerprint(&bytes, "", &demo.organization_id);
        let input = RunInput {
            records: &parsed.records,
            validation: &validation,
            unread: &[],
            file,
            fingerprint: &fp,
        };

        // The first process: killed once its 5th create has landed.
        let dying = Dying {
            client: client.clone(),
            creates: Arc::new(AtomicUsize::new(0)),
            kill_after: 5,
            killed: Arc::new(Notify::new()),
        };
        let first = crate::store(&config).await.journal(&fp);
        let stop = StopHandle::new();
        let mut quiet = |_: &zbooks_import::Progress| {};
        let run = execute_with(&dying, &first, &input, options(), &stop, &mut quiet);
        tokio::select! {
            result = run => panic!("the run ended before it was killed: {:?}", result.map(|r| r.stop)),
            () = dying.killed.notified() => {}
        }
        let cut = first.entries().await.unwrap();
        assert!(
            cut.iter().any(|e| e.state == RecordState::InFlight),
            "the kill left a create in flight"
        );
        assert!(cut.iter().any(|e| e.state == RecordState::Pending));

        // A new process on the same database resumes.
        let second = crate::store(&config).await.journal(&fp);
        let result = execute_with(&client, &second, &input, options(), &stop, &mut |_| {})
            .await
            .unwrap();
        assert!(matches!(result.stop, Stop::Finished), "{:?}", result.stop);
        let s = result.summary;
        assert_eq!((s.failed, s.left), (0, 0), "{s:?}");
        assert_eq!(s.total, parsed.records.len() as u64);
        let entries = second.entries().await.unwrap();
        assert!(entries.iter().all(|e| e.state == RecordState::Done && e.zoho_id.is_some()));
        // The record whose answer was lost was found, not sent again.
        assert!(s.adopted >= 1, "{s:?}");

        let counters = sim.counters();
        let doubled: Vec<_> = counters
            .records_per_natural_key
            .iter()
            .filter(|(_, n)| **n > 1)
            .collect();
        assert!(doubled.is_empty(), "duplicates: {doubled:?}");
        assert_eq!(counters.unmatched_routes, 0, "{:?}", counters.unmatched);
        assert_eq!(s.created + s.adopted + s.present, s.total, "{s:?}");
        sim.shutdown().await;
    })
    .await;
}
