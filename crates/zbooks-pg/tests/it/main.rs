//! The PostgreSQL backend against a real server (127.0.0.1:5432, trust authentication, the
//! `test` database: the project's machines and CI run one; README "Running across machines" says
//! how to start it). Each test works in a schema of its own (`zb_test_<random>`), dropped at
//! its end even when it fails, so tests run in parallel and leave nothing behind.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod conformance;
mod queue;
mod resume;
mod state;

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use zbooks_pg::PgStore;

/// The server every machine of the project runs.
const URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A connection outside any test schema, for creating and dropping one.
async fn admin() -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(URL, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not answering at {URL} ({e}): start it \
                 (`pg_ctlcluster 15 main start`, README \"Running across machines\")"
            )
        });
    tokio::spawn(connection);
    client
}

/// A fresh schema's name: no two tests (or test processes) share one.
fn schema_name() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(N.fetch_add(1, Ordering::Relaxed));
    format!("zb_test_{:016x}", h.finish())
}

/// Runs `test` with a configuration whose connections work in a new schema, then drops the
/// schema (also when the test panics, whose panic then goes on).
async fn in_schema<F, Fut>(test: F)
where
    F: FnOnce(tokio_postgres::Config) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let schema = schema_name();
    let admin = admin().await;
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    let mut config: tokio_postgres::Config = URL.parse().unwrap();
    config.options(format!("-c search_path={schema}"));
    let outcome = tokio::spawn(test(config)).await;
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A store on a schema's configuration (a process of its own, as far as the database sees).
async fn store(config: &tokio_postgres::Config) -> PgStore {
    PgStore::connect_with(config.clone()).await.unwrap()
}

#[tokio::test]
async fn migrations_apply_once_and_a_newer_schema_is_refused() {
    in_schema(|config| async move {
        // Two openers at once: each migration is applied and recorded once.
        let (a, b) = tokio::join!(store(&config), store(&config));
        drop((a, b));
        let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        let rows = client
            .query(
                "SELECT version, name FROM zbooks_migrations ORDER BY version",
                &[],
            )
            .await
            .unwrap();
        let applied: Vec<(i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        let known: Vec<(i64, String)> = zbooks_pg::MIGRATIONS
            .iter()
            .map(|m| (m.version, m.name.to_owned()))
            .collect();
        assert_eq!(applied, known);
        client
            .execute(
                "INSERT INTO zbooks_migrations (version, name) VALUES (999, 'future.sql')",
                &[],
            )
            .await
            .unwrap();
        let err = PgStore::connect_with(config.clone()).await.unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_that_keeps_the_password_out() {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let err = PgStore::connect("postgres://zb:s3cret-canary@127.0.0.1:1/test")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("connection"), "{err}");
    assert!(!err.contains("s3cret-canary"), "{err}");
    let err = PgStore::connect("mysql://nope")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("PostgreSQL URL"), "{err}");
}

#[tokio::test]
async fn reading_an_untouched_database_changes_nothing_and_lists_every_run() {
    in_schema(|config| async move {
        assert!(
            PgStore::open_existing_with(config.clone())
                .await
                .unwrap()
                .is_none()
        );
        let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        let tables: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "a read created tables");
        let s = store(&config).await;
        s.journal("old")
            .begin("a.xml", "1", 0, Vec::new())
            .await
            .unwrap();
        s.journal("new")
            .begin("b.xml", "1", 0, Vec::new())
            .await
            .unwrap();
        s.journal("new").set_status("finished", None).await.unwrap();
        let read = PgStore::open_existing_with(config.clone())
            .await
            .unwrap()
            .unwrap();
        let runs = read.journal_runs().await.unwrap();
        let files: Vec<&str> = runs.iter().map(|r| r.file.as_str()).collect();
        assert_eq!(files.len(), 2);
        assert!(files.contains(&"a.xml") && files.contains(&"b.xml"));
    })
    .await;
}

/// The gateway's `Idempotency-Key` answers in PostgreSQL pass the gateway's conformance suite
/// (the one the memory, SQLite and Redis stores pass), claims racing on the pool's connections included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_answers_pass_the_gateway_conformance_tests() {
    in_schema(|config| async move {
        let one = store(&config).await;
        let answers: std::sync::Arc<dyn zbooks_gateway::AnswerStore> =
            std::sync::Arc::new(one.answers());
        zbooks_gateway::conformance::run(answers.clone()).await;
        zbooks_gateway::conformance::run_concurrent(answers).await;
    })
    .await;
}
