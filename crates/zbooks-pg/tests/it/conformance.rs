//! One suite over `RunJournal`, run against the SQLite journal and the PostgreSQL journal with
//! the same assertions: what the executor relies on (resumption keeps states, attempts and
//! interruptions, failures keep their code, fix and record, runs are apart) holds on both.

use zbooks_import::RunJournal;
use zbooks_store::{Failure, JournalEntry, NewEntry, Outcome, RecordState, Transition};

fn entry(index: u64, state: RecordState) -> NewEntry {
    NewEntry {
        index,
        entity: "contact".into(),
        key_field: "contact_name".into(),
        key_value: format!("C{index}"),
        location: format!("c.jsonl:{}", index + 1),
        state,
        failure: None,
    }
}

fn failure(code: i64) -> Failure {
    Failure {
        code: Some(code),
        class: Some("validation".into()),
        message: format!("refused {code}"),
        fix: Some("fix it".into()),
        record: Some("{\"contact_name\":\"C\"}".into()),
    }
}

fn pending(n: u64) -> Vec<NewEntry> {
    (0..n).map(|i| entry(i, RecordState::Pending)).collect()
}

async fn at<J: RunJournal>(j: &J, index: usize) -> JournalEntry {
    j.entries().await.unwrap()[index].clone()
}

/// A second begin (a resumed run, another process) keeps every state, id and count.
async fn a_second_begin_keeps_the_states_of_the_first<J: RunJournal>(j: J, again: J, _other: J) {
    j.begin("c.jsonl", "1", 3, pending(3)).await.unwrap();
    j.set(0, Transition::InFlight).await.unwrap();
    j.set(
        0,
        Transition::Done {
            zoho_id: "900".into(),
            outcome: Outcome::Created,
        },
    )
    .await
    .unwrap();
    j.set(1, Transition::InFlight).await.unwrap();
    j.set_status("interrupted", Some("stopped".into()))
        .await
        .unwrap();
    again.begin("c.jsonl", "1", 3, pending(3)).await.unwrap();
    let e = again.entries().await.unwrap();
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].state, RecordState::Done);
    assert_eq!(e[0].zoho_id.as_deref(), Some("900"));
    assert_eq!(e[0].outcome, Some(Outcome::Created));
    assert_eq!(e[0].attempts, 1);
    assert_eq!(e[1].state, RecordState::InFlight);
    assert_eq!(e[1].attempts, 1);
    assert_eq!(e[2].state, RecordState::Pending);
    assert_eq!(e[2].attempts, 0);
}

/// Entries come back in input order, whatever order they were begun in, with their fields.
async fn entries_come_back_in_input_order<J: RunJournal>(j: J, _again: J, _other: J) {
    let mut entries = pending(12);
    entries.reverse();
    j.begin("c.jsonl", "1", 12, entries).await.unwrap();
    let e = j.entries().await.unwrap();
    assert_eq!(
        e.iter().map(|e| e.index).collect::<Vec<_>>(),
        (0..12).collect::<Vec<_>>()
    );
    assert_eq!(e[3].entity, "contact");
    assert_eq!(e[3].key_field, "contact_name");
    assert_eq!(e[3].key_value, "C3");
    assert_eq!(e[3].location, "c.jsonl:4");
    assert_eq!(e[3].outcome, None);
    assert_eq!(e[3].zoho_id, None);
    assert_eq!(e[3].message, None);
}

/// A record validation held back is journaled failed with its reason from the start.
async fn held_back_records_keep_their_failure<J: RunJournal>(j: J, _again: J, _other: J) {
    let mut held = entry(1, RecordState::Failed);
    held.failure = Some(failure(4));
    j.begin(
        "c.jsonl",
        "1",
        2,
        vec![entry(0, RecordState::Pending), held],
    )
    .await
    .unwrap();
    let e = at(&j, 1).await;
    assert_eq!(e.state, RecordState::Failed);
    assert_eq!(e.code, Some(4));
    assert_eq!(e.class.as_deref(), Some("validation"));
    assert_eq!(e.message.as_deref(), Some("refused 4"));
    assert_eq!(e.fix.as_deref(), Some("fix it"));
    assert_eq!(e.record.as_deref(), Some("{\"contact_name\":\"C\"}"));
}

/// Failed, in doubt and deferred keep what the executor needs to go on.
async fn failures_keep_code_fix_record_and_deferral<J: RunJournal>(j: J, _again: J, _other: J) {
    j.begin("c.jsonl", "1", 3, pending(3)).await.unwrap();
    j.set(0, Transition::InFlight).await.unwrap();
    j.set(0, Transition::Failed(failure(2))).await.unwrap();
    let e = at(&j, 0).await;
    assert_eq!(e.state, RecordState::Failed);
    assert_eq!((e.code, e.fix.as_deref()), (Some(2), Some("fix it")));
    assert_eq!(e.record.as_deref(), Some("{\"contact_name\":\"C\"}"));

    j.set(1, Transition::InFlight).await.unwrap();
    j.set(1, Transition::InDoubt(failure(0))).await.unwrap();
    let e = at(&j, 1).await;
    assert_eq!(e.state, RecordState::InDoubt);
    assert_eq!(e.message.as_deref(), Some("refused 0"));
    assert_eq!(e.attempts, 1);

    j.set(2, Transition::InFlight).await.unwrap();
    j.set(
        2,
        Transition::Deferred {
            until_ms: 1_900_000_000_000,
            failure: failure(9),
        },
    )
    .await
    .unwrap();
    let e = at(&j, 2).await;
    assert_eq!(e.state, RecordState::Deferred);
    assert_eq!(e.deferred_until_ms, Some(1_900_000_000_000));
    assert_eq!(e.code, Some(9));
    // Back to pending clears the deferral; a second send counts a second attempt.
    j.set(2, Transition::Pending).await.unwrap();
    let e = at(&j, 2).await;
    assert_eq!((e.state, e.deferred_until_ms), (RecordState::Pending, None));
    j.set(2, Transition::InFlight).await.unwrap();
    j.set(
        2,
        Transition::Done {
            zoho_id: "77".into(),
            outcome: Outcome::Adopted,
        },
    )
    .await
    .unwrap();
    let e = at(&j, 2).await;
    assert_eq!(e.state, RecordState::Done);
    assert_eq!(e.attempts, 2);
    assert_eq!(e.outcome, Some(Outcome::Adopted));
    assert_eq!(e.zoho_id.as_deref(), Some("77"));
}

/// An interrupted create goes back to pending and is counted apart, never more often than
/// creates were sent, and only from in flight: attempts a crash cut off do not spend the budget.
async fn interruptions_are_counted_apart_from_attempts<J: RunJournal>(j: J, _again: J, _other: J) {
    j.begin("c.jsonl", "1", 2, pending(2)).await.unwrap();
    j.set(0, Transition::InFlight).await.unwrap();
    j.set(0, Transition::Interrupted).await.unwrap();
    let e = at(&j, 0).await;
    assert_eq!(
        (e.state, e.attempts, e.interrupted),
        (RecordState::Pending, 1, 1)
    );
    // Not in flight: nothing happens.
    j.set(0, Transition::Interrupted).await.unwrap();
    let e = at(&j, 0).await;
    assert_eq!(
        (e.state, e.attempts, e.interrupted),
        (RecordState::Pending, 1, 1)
    );
    j.set(0, Transition::InFlight).await.unwrap();
    j.set(0, Transition::Interrupted).await.unwrap();
    let e = at(&j, 0).await;
    assert_eq!((e.attempts, e.interrupted), (2, 2));
    // Pending, never sent: an interruption cannot count more than the creates sent.
    j.set(1, Transition::InFlight).await.unwrap();
    j.set(1, Transition::Pending).await.unwrap();
    j.set(1, Transition::Interrupted).await.unwrap();
    let e = at(&j, 1).await;
    assert_eq!(
        (e.state, e.attempts, e.interrupted),
        (RecordState::Pending, 1, 0)
    );
}

/// Two runs (two fingerprints) never see each other's records; status and plan are kept
/// without touching the records.
async fn runs_are_apart<J: RunJournal>(j: J, _again: J, other: J) {
    // Before any begin, status and plan have nothing to change and do not fail.
    j.set_status("running", None).await.unwrap();
    j.save_plan("{}".into()).await.unwrap();
    j.begin("a.jsonl", "1", 2, pending(2)).await.unwrap();
    other.begin("b.jsonl", "1", 1, pending(1)).await.unwrap();
    other.set(0, Transition::InFlight).await.unwrap();
    j.save_plan("{\"plan\":1}".into()).await.unwrap();
    j.set_status("finished", Some("all done".into()))
        .await
        .unwrap();
    assert_eq!(j.entries().await.unwrap().len(), 2);
    assert_eq!(at(&j, 0).await.state, RecordState::Pending);
    assert_eq!(other.entries().await.unwrap().len(), 1);
    assert_eq!(at(&other, 0).await.state, RecordState::InFlight);
}

/// Each case, once per backend: `sqlite::name` and `postgres::name`.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            use zbooks_store::SqliteStore;
            $(
                #[tokio::test]
                async fn $case() {
                    let dir = tempfile::tempdir().unwrap();
                    let path = dir.path().join("state.db");
                    let one = SqliteStore::open(&path).unwrap();
                    // A second process on the same file.
                    let two = SqliteStore::open(&path).unwrap();
                    super::$case(
                        one.journal("fp").await.unwrap(),
                        two.journal("fp").await.unwrap(),
                        one.journal("other").await.unwrap(),
                    )
                    .await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    crate::in_schema(|config| async move {
                        let one = crate::store(&config).await;
                        // A second process on the same database.
                        let two = crate::store(&config).await;
                        super::$case(one.journal("fp"), two.journal("fp"), one.journal("other"))
                            .await;
                    })
                    .await;
                }
            )*
        }
    };
}

conformance!(
    a_second_begin_keeps_the_states_of_the_first,
    entries_come_back_in_input_order,
    held_back_records_keep_their_failure,
    failures_keep_code_fix_record_and_deferral,
    interruptions_are_counted_apart_from_attempts,
    runs_are_apart,
);

/// What only the PostgreSQL journal shows beyond the trait: the run's row and its counts.
#[tokio::test]
async fn postgres_run_info_counts_states_and_keeps_status_and_plan() {
    crate::in_schema(|config| async move {
        let s = crate::store(&config).await;
        let j = s.journal("fp");
        assert_eq!(j.info().await.unwrap(), None);
        j.begin("c.jsonl", "42", 3, pending(3)).await.unwrap();
        j.set(0, Transition::InFlight).await.unwrap();
        j.save_plan("{\"p\":1}".into()).await.unwrap();
        j.set_status("quota", Some("resets at 00:00".into()))
            .await
            .unwrap();
        let run = j.info().await.unwrap().unwrap();
        assert_eq!(run.fingerprint, "fp");
        assert_eq!(run.file, "c.jsonl");
        assert_eq!(run.organization_id, "42");
        assert_eq!(run.total, 3);
        assert_eq!(run.status, "quota");
        assert_eq!(run.detail.as_deref(), Some("resets at 00:00"));
        assert_eq!(run.plan.as_deref(), Some("{\"p\":1}"));
        assert_eq!(run.count(RecordState::InFlight), 1);
        assert_eq!(run.count(RecordState::Pending), 2);
        assert_eq!(j.entries_in(RecordState::Pending).await.unwrap().len(), 2);
        // A new begin sets it running again, detail cleared.
        j.begin("c.jsonl", "42", 3, pending(3)).await.unwrap();
        let run = j.info().await.unwrap().unwrap();
        assert_eq!((run.status.as_str(), run.detail), ("running", None));
    })
    .await;
}
