//! The client's shared state on PostgreSQL: the conformance suite every store passes
//! (`zbooks_testkit::store_conformance`, the same functions the memory, SQLite and Redis stores
//! run, directly and behind the CLI's local fallback), then what only a store shared by
//! machines must do: a fencing token per process, the server's clock, the plan for the next
//! process, the audit log, and a cut connection replaced without losing the budget.

use std::sync::Arc;
use std::time::Duration;

use zbooks_client::events::AuditSink;
use zbooks_client::store::{LimitStore, TokenKey, TokenStore};
use zbooks_client::time::BoxFuture;
use zbooks_pg::{PgState, PgStore};
use zbooks_redis::FallbackStore;
use zbooks_testkit::store_conformance::{Backend, t0};
use zbooks_types::Plan;
use zbooks_types::event::CallEvent;

use crate::{in_schema, store};

/// One test's schema: every store opened is another process on it, with its own pool.
struct PgBackend {
    config: tokio_postgres::Config,
}

impl Backend for PgBackend {
    type Store = PgState;
    const SHARED: bool = true;

    fn open(&self, participant: &str) -> BoxFuture<'_, Arc<PgState>> {
        let participant = participant.to_owned();
        Box::pin(
            async move { Arc::new(store(&self.config).await.state().participant(participant)) },
        )
    }
}

/// Runs a suite case in a schema of its own, dropped at the end.
async fn with_pg<F, Fut>(body: F)
where
    F: FnOnce(PgBackend) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    in_schema(|config| async move { body(PgBackend { config }).await }).await;
}

mod conformance {
    zbooks_testkit::store_conformance!(super::with_pg);
}

/// The same schema behind the local fallback the CLI puts in front of it: a live database
/// makes the fallback the database, leases and participants included.
struct FallbackBackend(PgBackend);

impl Backend for FallbackBackend {
    type Store = FallbackStore<PgState>;
    const SHARED: bool = true;

    fn open(&self, participant: &str) -> BoxFuture<'_, Arc<FallbackStore<PgState>>> {
        let participant = participant.to_owned();
        Box::pin(async move {
            let state = store(&self.0.config).await.state().participant(participant);
            Arc::new(FallbackStore::new(state))
        })
    }
}

/// Runs a suite case through the fallback, in a schema of its own.
async fn with_pg_behind_the_fallback<F, Fut>(body: F)
where
    F: FnOnce(FallbackBackend) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    with_pg(|backend| async move { body(FallbackBackend(backend)).await }).await;
}

mod behind_the_fallback {
    zbooks_testkit::store_conformance!(super::with_pg_behind_the_fallback);
}

#[tokio::test]
async fn the_refresh_lock_is_fenced_per_process_not_per_holder_name() {
    in_schema(|config| async move {
        // Two machines whose holders happen to share a name (names carry a pid only).
        let a = store(&config).await.state();
        let b = store(&config).await.state();
        let key = TokenKey::from_stored("k");
        let lease = Duration::from_secs(30);
        assert!(
            a.try_lock_refresh(&key, "worker", t0(), lease)
                .await
                .unwrap()
        );
        assert!(
            !b.try_lock_refresh(&key, "worker", t0(), lease)
                .await
                .unwrap()
        );
        // b cannot release a's lock under the same name.
        b.unlock_refresh(&key, "worker").await.unwrap();
        assert!(
            !b.try_lock_refresh(&key, "worker", t0(), lease)
                .await
                .unwrap()
        );
        a.unlock_refresh(&key, "worker").await.unwrap();
        assert!(
            b.try_lock_refresh(&key, "worker", t0(), lease)
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn the_server_clock_is_the_databases_and_the_plan_outlives_the_process() {
    in_schema(|config| async move {
        let state = store(&config).await.state();
        let server = state.server_time().await.unwrap().unwrap();
        // The database runs on this machine: its clock is ours, give or take a slow machine.
        let now = zbooks_types::Clock::now(&zbooks_types::SystemClock);
        let apart = now.duration_since(server).unwrap_or_else(|e| e.duration());
        assert!(apart < Duration::from_mins(1), "{apart:?}");
        assert_eq!(state.load_plan("1").await.unwrap(), None);
        state.save_plan("1", Plan::Premium, t0()).await.unwrap();
        let next = store(&config).await.state();
        assert_eq!(
            next.load_plan("1").await.unwrap(),
            Some((Plan::Premium, t0()))
        );
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_keeps_failures_for_every_machine_without_secrets() {
    in_schema(|config| async move {
        let event: CallEvent = serde_json::from_str(
            r#"{"schema":1,"ts":"2026-11-25T10:00:00.000Z","kind":"attempt","organization_id":"1","method":"GET","path":"/books/v3/invoices","status":429,"code":44,"class":"rate_limited_minute","sent":"answered","attempt":1,"duration_ms":4}"#,
        )
        .unwrap();
        let leaky = CallEvent {
            message: Some("refused 1000.canarycanarycanary.secret".to_owned()),
            ..event.clone()
        };
        let a = store(&config).await;
        let b = store(&config).await;
        a.record_failure(&event).await.unwrap();
        b.record_failure(&leaky).await.unwrap();
        let log = a.audit_log(10).await.unwrap();
        assert_eq!(log.len(), 2, "{log:?}");
        // Newest first; the token in the message never reached the table.
        assert_eq!(log[1], event);
        let message = log[0].message.clone().unwrap();
        assert!(!message.contains("canary"), "{message}");
        assert!(message.contains("[redacted]"), "{message}");
        assert_eq!(a.audit_log(1).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_participant_is_named_by_its_store() {
    in_schema(|config| async move {
        let pg: PgStore = store(&config).await;
        let state = pg.state();
        assert!(state.participant_name().starts_with("pid "));
        let named = state.participant("zbooks import on host-a (pid 7)");
        assert_eq!(named.participant_name(), "zbooks import on host-a (pid 7)");
        named.admit("1", t0(), None, None).await.unwrap();
        let listed = pg.state().participants("1", t0()).await.unwrap();
        let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["zbooks import on host-a (pid 7)"]);
    })
    .await;
}

#[tokio::test]
async fn a_cut_connection_is_replaced_and_the_budget_is_where_it_was() {
    in_schema(|mut config| async move {
        // Our own connections only: the application name is this test's.
        let name = format!("zbooks-test-cut-{:x}", std::process::id());
        config.application_name(&name);
        let state = store(&config).await.state();
        let pacing = Some(zbooks_client::store::PacingPolicy {
            interval: Duration::from_millis(100),
            burst: 0,
        });
        let first = state.admit("1", t0(), pacing, None).await.unwrap();
        assert!(
            matches!(first, zbooks_client::store::Admission::Send { at, .. } if at == t0()),
            "{first:?}"
        );
        let admin = crate::admin().await;
        let cut = admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = $1",
                &[&name],
            )
            .await
            .unwrap();
        assert!(cut >= 1, "no connection of {name} to cut");
        // A call may fail while the pool notices the cut (an error, never a wrong answer);
        // then a new connection answers from the state the database kept.
        let mut failed = 0;
        let next = loop {
            match state.admit("1", t0(), pacing, None).await {
                Ok(admission) => break admission,
                Err(e) => {
                    failed += 1;
                    assert!(failed < 100, "no new connection: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        };
        assert_eq!(
            next,
            zbooks_client::store::Admission::Send {
                at: t0() + Duration::from_millis(100),
                paused: false
            }
        );
    })
    .await;
}
