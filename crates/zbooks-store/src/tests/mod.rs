//! The SQLite store against the same expectations as the memory store, plus what only a file
//! has: private permissions, schema versions and several connections at once.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use zbooks_client::store::{
    Admission, DailyPolicy, LimitStore, PacingPolicy, ServerQuota, StoredToken, TokenAdmission,
    TokenKey, TokenRequestPolicy, TokenStore,
};
use zbooks_types::Secret;

use super::*;

fn t(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[tokio::test]
async fn tokens_round_trip_and_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("state.db");
    let store = SqliteStore::open(&path).unwrap();
    let key = TokenKey::from_stored("k");
    assert_eq!(store.load_token(&key).await.unwrap(), None);
    let token = StoredToken {
        access_token: Secret::new("1000.access.token"),
        expires_at: t(5000),
        api_domain: Some("https://www.zohoapis.in".into()),
        lifetime: Some(Duration::from_hours(1)),
    };
    store.save_token(&key, &token).await.unwrap();
    // Another connection (as another process would) sees it.
    let other = SqliteStore::open(&path).unwrap();
    assert_eq!(other.load_token(&key).await.unwrap(), Some(token));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let mode = std::fs::metadata(&name).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{suffix}");
        }
        let mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

#[tokio::test]
async fn token_guard_and_lock_hold_across_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let a = SqliteStore::open(&path).unwrap();
    let b = SqliteStore::open(&path).unwrap();
    let key = TokenKey::from_stored("k");
    let policy = TokenRequestPolicy {
        max: 10,
        window: Duration::from_mins(10),
    };
    for i in 0..10 {
        let store = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            store
                .admit_token_request(&key, t(100 + i), policy)
                .await
                .unwrap(),
            TokenAdmission::Granted
        );
    }
    assert_eq!(
        a.admit_token_request(&key, t(200), policy).await.unwrap(),
        TokenAdmission::Denied {
            until: t(100) + Duration::from_mins(10)
        }
    );
    b.cool_down(&key, t(2000)).await.unwrap();
    assert_eq!(
        a.admit_token_request(&key, t(1000), policy).await.unwrap(),
        TokenAdmission::Denied { until: t(2000) }
    );
    let lease = Duration::from_secs(30);
    assert!(a.try_lock_refresh(&key, "a", t(10), lease).await.unwrap());
    assert!(!b.try_lock_refresh(&key, "b", t(11), lease).await.unwrap());
    a.unlock_refresh(&key, "a").await.unwrap();
    assert!(b.try_lock_refresh(&key, "b", t(12), lease).await.unwrap());
    assert!(a.try_lock_refresh(&key, "a", t(43), lease).await.unwrap());
}

#[tokio::test]
async fn pacing_slots_are_unique_across_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let stores: Vec<Arc<SqliteStore>> = (0..3)
        .map(|_| Arc::new(SqliteStore::open(&path).unwrap()))
        .collect();
    let pacing = PacingPolicy {
        interval: Duration::from_millis(10),
        burst: 0,
    };
    let mut tasks = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut slots = Vec::new();
            for _ in 0..30 {
                match store
                    .admit("org", t(1000), Some(pacing), None)
                    .await
                    .unwrap()
                {
                    Admission::Send { at, .. } => slots.push(at),
                    Admission::QuotaExhausted { .. } => panic!("no quota set"),
                }
            }
            (i, slots)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap().1);
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 90, "every slot is taken once");
    assert_eq!(all[89], t(1000) + Duration::from_millis(890));
}

#[tokio::test]
async fn ledger_refuses_pauses_hold_and_headers_correct() {
    let store = SqliteStore::open_in_memory().unwrap();
    let daily = DailyPolicy {
        limit: 2,
        day: Duration::from_hours(24),
    };
    for _ in 0..2 {
        assert!(matches!(
            store.admit("o", t(10), None, Some(daily)).await.unwrap(),
            Admission::Send { .. }
        ));
    }
    assert_eq!(
        store.admit("o", t(10), None, Some(daily)).await.unwrap(),
        Admission::QuotaExhausted {
            resets_at: t(10) + Duration::from_hours(24)
        }
    );
    store
        .record_server_quota(
            "o",
            ServerQuota {
                limit: 1000,
                remaining: 400,
                resets_at: t(500),
            },
        )
        .await
        .unwrap();
    let snap = store.snapshot("o", t(20)).await.unwrap();
    assert_eq!(snap.daily.unwrap().used, 600);
    store.pause("o", t(60)).await.unwrap();
    assert_eq!(
        store.admit("o", t(20), None, Some(daily)).await.unwrap(),
        Admission::Send {
            at: t(60),
            paused: true
        }
    );
    store.exhaust_daily("o", t(400)).await.unwrap();
    assert_eq!(
        store.admit("o", t(100), None, Some(daily)).await.unwrap(),
        Admission::QuotaExhausted { resets_at: t(400) }
    );
}

#[test]
fn refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::NewerSchema {
            found: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION
        }
    );
}

#[tokio::test]
async fn a_version_3_token_reads_with_an_unknown_lifetime_after_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "ALTER TABLE tokens DROP COLUMN lifetime_ms; PRAGMA user_version = 3; \
         INSERT INTO tokens (key, access_token, expires_at_ms, api_domain) \
         VALUES ('k', '1000.old.token', 5000000, NULL);",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let token = store
        .load_token(&TokenKey::from_stored("k"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.expires_at, t(5000));
    assert_eq!(token.lifetime, None);
}

#[tokio::test]
async fn audit_log_keeps_failures() {
    let store = SqliteStore::open_in_memory().unwrap();
    let event: CallEvent = serde_json::from_str(
        r#"{"schema":1,"ts":"2026-11-25T10:00:00.000Z","kind":"attempt","organization_id":"1","method":"GET","path":"/books/v3/invoices","status":429,"code":44,"class":"rate_limited_minute","sent":"answered","attempt":1,"duration_ms":4}"#,
    )
    .unwrap();
    store.record_failure(&event).await.unwrap();
    assert_eq!(store.audit_log(10).await.unwrap(), vec![event]);
}

#[tokio::test]
async fn plans_are_kept_for_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let first = SqliteStore::open(&path).unwrap();
    assert_eq!(first.load_plan("org").await.unwrap(), None);
    first
        .save_plan("org", zbooks_types::Plan::Premium, t(1000))
        .await
        .unwrap();
    first
        .save_plan("org", zbooks_types::Plan::Elite, t(2000))
        .await
        .unwrap();
    let second = SqliteStore::open(&path).unwrap();
    assert_eq!(
        second.load_plan("org").await.unwrap(),
        Some((zbooks_types::Plan::Elite, t(2000)))
    );
    assert_eq!(second.load_plan("other").await.unwrap(), None);
}

#[tokio::test]
async fn a_read_only_open_reads_the_journal_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let err = SqliteStore::open_read_only(&missing).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Open { .. }), "{err}");
    assert!(!missing.exists(), "a read-only open created the file");

    let path = dir.path().join("state.db");
    let store = SqliteStore::open(&path).unwrap();
    // A store that never journaled: nothing to list, and nothing created to say so.
    drop(store);
    let reader = SqliteStore::open_read_only(&path).unwrap();
    assert!(reader.is_read_only());
    assert!(reader.journal_runs().await.unwrap().is_empty());
    drop(reader);

    let store = SqliteStore::open(&path).unwrap();
    let journal = store.journal("fp").await.unwrap();
    journal
        .begin(
            "in.csv",
            "1",
            1,
            vec![NewEntry {
                index: 0,
                entity: "contact".into(),
                key_field: "contact_name".into(),
                key_value: "Asha".into(),
                location: "in.csv:2".into(),
                state: RecordState::Pending,
                failure: None,
            }],
        )
        .await
        .unwrap();
    drop((journal, store));
    let before = std::fs::read(&path).unwrap();

    let reader = SqliteStore::open_read_only(&path).unwrap();
    let runs = reader.journal_runs().await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].file, "in.csv");
    let entries = reader.journal("fp").await.unwrap().entries().await.unwrap();
    assert_eq!(entries.len(), 1);
    let key = TokenKey::from_stored("k");
    let token = StoredToken {
        access_token: Secret::new("1000.access.token"),
        expires_at: t(5000),
        api_domain: None,
        lifetime: None,
    };
    assert!(reader.save_token(&key, &token).await.is_err(), "it wrote");
    drop(reader);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn a_read_only_open_reads_a_version_1_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SqliteStore::open(&path).unwrap();
    let journal = store.journal("fp").await.unwrap();
    journal
        .begin(
            "in.csv",
            "1",
            1,
            vec![NewEntry {
                index: 0,
                entity: "contact".into(),
                key_field: "contact_name".into(),
                key_value: "Asha".into(),
                location: "in.csv:2".into(),
                state: RecordState::Pending,
                failure: None,
            }],
        )
        .await
        .unwrap();
    drop((journal, store));
    // What a version-1 build left: no count of interrupted creates.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "ALTER TABLE journal_records DROP COLUMN interrupted; \
         UPDATE journal_meta SET version = 1;",
    )
    .unwrap();
    drop(conn);
    let reader = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(reader.journal_runs().await.unwrap().len(), 1);
    let entries = reader.journal("fp").await.unwrap().entries().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].interrupted, 0);
}

#[test]
fn a_read_only_open_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = SqliteStore::open_read_only(&path).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NewerSchema { .. }), "{err}");
}

mod contention;
