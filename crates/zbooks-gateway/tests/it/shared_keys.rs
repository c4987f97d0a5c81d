//! Gateways sharing a state backend share their `Idempotency-Key`s: the same create sent to
//! two gateways at once (two machines behind a load balancer, a client that retried on the
//! other one) reaches Zoho once, and both answers are the first one. Run on one shared
//! in-memory store, on one Redis (its own key prefix, deleted at the end) and on one
//! PostgreSQL database (its own schema, dropped at the end).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::json;
use zbooks_client::time::BoxFuture;
use zbooks_gateway::{
    AnswerStore, Claim, Gateway, GatewayConfig, GatewayError, MemoryAnswers, REPLAY_HEADER,
    RunningGateway, StoredAnswer,
};
use zbooks_sim::{DemoCredentials, FaultAction, FaultRule, RunningSim};

use crate::support::{self, Answer};

const REDIS_URL: &str = "redis://127.0.0.1:6379/0";
const PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A gateway of its own (its own client, token and queue) on `sim`, keeping answers in
/// `answers`.
async fn gateway(
    sim: &RunningSim,
    demo: &DemoCredentials,
    answers: Arc<dyn AnswerStore>,
    tune: impl FnOnce(&mut GatewayConfig),
) -> RunningGateway {
    let mut config = GatewayConfig {
        listen: "127.0.0.1:0".parse().expect("an address"),
        limits: zbooks_testkit::fast_limits(),
        ..GatewayConfig::default()
    };
    tune(&mut config);
    let client = zbooks_testkit::demo_client(sim, demo)
        .limits(config.limits)
        .build()
        .expect("client");
    Gateway::new(config)
        .organization(client)
        .answers(answers)
        .start()
        .await
        .expect("gateway starts")
}

fn create(http: &reqwest::Client, gateway: &RunningGateway, key: &str) -> reqwest::RequestBuilder {
    http.post(format!("{}/contacts", gateway.base_url()))
        .header("Idempotency-Key", key)
        .json(&json!({"contact_name": format!("Shared {key}")}))
}

fn posts(sim: &RunningSim) -> usize {
    zbooks_testkit::log_lines(sim)
        .iter()
        .filter(|l| l.starts_with("POST /books/v3/contacts "))
        .count()
}

/// The same keyed create sent to two gateways at once, each keeping answers in its own
/// handle on one shared store (`first`, `second`): one record, the same answer twice.
async fn one_create_through_two_gateways(
    first: Arc<dyn AnswerStore>,
    second: Arc<dyn AnswerStore>,
) {
    // Zoho takes its time over the create, so the second request arrives while the first is
    // in flight, whichever gateway wins the key.
    let slow = FaultRule::on("POST", "/books/v3/contacts", FaultAction::Delay { ms: 300 }).nth(1);
    let (sim, demo) = zbooks_testkit::start_with_faults(vec![slow]).await;
    let a = gateway(&sim, &demo, first, |_| {}).await;
    let b = gateway(&sim, &demo, second, |_| {}).await;
    let http = reqwest::Client::new();
    let (one, two) = tokio::join!(
        support::send(&demo, create(&http, &a, "order-42")),
        support::send(&demo, create(&http, &b, "order-42")),
    );
    for answer in [&one, &two] {
        assert_eq!(answer.status, 201, "{}", answer.text);
    }
    assert_eq!(one.text, two.text, "both gateways give the first answer");
    let replays = [&one, &two]
        .iter()
        .filter(|a: &&&Answer| a.headers.get(REPLAY_HEADER).is_some())
        .count();
    assert_eq!(replays, 1, "one answer is Zoho's, the other its replay");
    assert_eq!(posts(&sim), 1, "Zoho saw the create once");
    // Later, on either gateway: still the first answer.
    let again = support::send(&demo, create(&http, &b, "order-42")).await;
    assert_eq!(again.text, one.text);
    assert_eq!(posts(&sim), 1);
    a.shutdown().await;
    b.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn two_gateways_on_one_store_send_a_keyed_create_once() {
    let store: Arc<dyn AnswerStore> = Arc::new(MemoryAnswers::new());
    one_create_through_two_gateways(store.clone(), store).await;
}

#[tokio::test]
async fn two_gateways_on_one_redis_send_a_keyed_create_once() {
    let prefix = format!("zbooks-test:gw-keys:{:016x}:", random());
    let open = || {
        zbooks_redis::RedisStore::open(
            &zbooks_redis::RedisOptions::new(REDIS_URL).prefix(prefix.clone()),
        )
        .expect("redis store")
    };
    let (one, two) = (open(), open());
    let outcome = tokio::spawn(one_create_through_two_gateways(
        Arc::new(one.answers()),
        Arc::new(two.answers()),
    ))
    .await;
    one.delete_all().await.expect("delete the test's keys");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test]
async fn two_gateways_on_one_postgresql_send_a_keyed_create_once() {
    let schema = format!("zb_test_gw_{:016x}", random());
    let (admin, connection) = tokio_postgres::connect(PG_URL, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is not answering at {PG_URL} ({e})"));
    tokio::spawn(connection);
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("a schema");
    let mut config: tokio_postgres::Config = PG_URL.parse().expect("a URL");
    config.options(format!("-c search_path={schema}"));
    let outcome = tokio::spawn(async move {
        // Two pools, as two machines have.
        let one = zbooks_pg::PgStore::connect_with(config.clone())
            .await
            .expect("pg");
        let two = zbooks_pg::PgStore::connect_with(config).await.expect("pg");
        one_create_through_two_gateways(Arc::new(one.answers()), Arc::new(two.answers())).await;
    })
    .await;
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .expect("drop the schema");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test]
async fn a_key_in_flight_elsewhere_past_the_wait_is_a_409_then_the_first_answer() {
    // The create takes long; the second gateway waits only briefly for it.
    let slow = FaultRule::on(
        "POST",
        "/books/v3/contacts",
        FaultAction::Delay { ms: 2000 },
    )
    .nth(1);
    let (sim, demo) = zbooks_testkit::start_with_faults(vec![slow]).await;
    let watched = Arc::new(Watched::default());
    let store: Arc<dyn AnswerStore> = watched.clone();
    let a = gateway(&sim, &demo, store.clone(), |_| {}).await;
    let b = gateway(&sim, &demo, store, |c| {
        c.idempotency_wait = Duration::from_millis(50);
    })
    .await;
    let http = reqwest::Client::new();
    let first = tokio::spawn({
        let (http, demo) = (http.clone(), demo.clone());
        let request = create(&http, &a, "order-7");
        async move { support::send(&demo, request).await }
    });
    // Once the first gateway holds the key, its create is on its way (or at Zoho).
    watched.claimed.notified().await;
    let refused = support::send(&demo, create(&http, &b, "order-7")).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    let body = refused.json();
    assert_eq!(body["code"], 90013);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("still in flight")),
        "{body}"
    );
    assert!(refused.headers.get("retry-after").is_some());
    let first = first.await.expect("the first create");
    assert_eq!(first.status, 201, "{}", first.text);
    let again = support::send(&demo, create(&http, &b, "order-7")).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.headers[REPLAY_HEADER], "true");
    assert_eq!(again.text, first.text);
    assert_eq!(posts(&sim), 1);
    a.shutdown().await;
    b.shutdown().await;
    sim.shutdown().await;
}

/// A shared in-memory store that says when a key was first claimed.
#[derive(Debug, Default)]
struct Watched {
    inner: MemoryAnswers,
    claimed: tokio::sync::Notify,
}

impl AnswerStore for Watched {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
        now: SystemTime,
        pending_until: SystemTime,
    ) -> BoxFuture<'a, Result<Claim, GatewayError>> {
        Box::pin(async move {
            let claim = self.inner.claim(key, holder, now, pending_until).await?;
            if claim == Claim::Mine {
                self.claimed.notify_one();
            }
            Ok(claim)
        })
    }

    fn save<'a>(
        &'a self,
        key: &'a str,
        answer: &'a StoredAnswer,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        self.inner.save(key, answer, now, expires_at)
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        holder: &'a str,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        self.inner.release(key, holder)
    }
}

fn random() -> u64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish()
}
