//! One organization's budget spread over machines (issue 16 §7): how much of Zoho's per-minute
//! limit an import uses when three `zbooks worker` processes, each with a home (so a SQLite
//! store) of its own as on three machines, share the budget and the token on Redis and the
//! queue on PostgreSQL — beside, in the same run, the single-machine import on SQLite.
//!
//! Scenarios, each on a simulator of its own whose minute is shortened to 3 s (the limit stays
//! 100 calls a minute) and whose access tokens live 30 s, so several expire during a run:
//!
//! 1. `sqlite 1 process`: `zbooks import contacts.csv` on one machine (the baseline);
//! 2. `queue 3 workers`: the same contacts enqueued, then worked by three workers at once;
//! 3. `queue 3 workers, one killed`: the same, one worker SIGKILLed a third of the way in;
//! 4. `queue 3 workers + order sync`: the same while a fourth process, an "order sync" written
//!    on `zbooks-client` and sharing the budget through Redis, lists contacts at a steady
//!    20 calls a minute: neither may get a 429, and the import uses what the sync leaves.
//!
//! Reported per scenario: the share of the organization's limit used (every API call the
//! simulator answered during the run, over the run's time at 100 calls a minute), the 429s it
//! served, records doubled and lost, and the token requests against the tokens that expired.
//!
//! `cargo bench -p zbooks-cli --bench across_machines` (N = 3,000; `-- 600` for another N). It
//! needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (README: "Running across
//! machines"); each scenario uses a key prefix and a schema of its own, removed at the end. A
//! whole-run figure, not a timed test.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::disallowed_methods,
    reason = "a benchmark binary; its order-sync copy reads its settings from the environment"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use zbooks_client::{Client, Credentials, LimitsConfig, ListQuery, RetryConfig, TokenConfig};
use zbooks_redis::{RedisOptions, RedisStore};
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};

/// A Zoho minute, scaled.
const MINUTE: Duration = Duration::from_secs(3);
/// The simulator's access-token lifetime.
const TOKEN_LIFETIME: Duration = Duration::from_secs(30);
/// When a client refreshes a token this short-lived: at three quarters of its life (its margin
/// is at most a quarter of the lifetime, `zbooks_client::auth`), so a run of `t` seconds needs
/// `1 + t / REFRESHED_AFTER` tokens, one request each.
const REFRESHED_AFTER: f64 = 22.5;
/// Zoho's per-minute limit.
const PER_MINUTE: f64 = 100.0;
/// The order sync's calls per (scaled) minute.
const SYNC_PER_MINUTE: u32 = 20;
const REDIS: &str = "redis://127.0.0.1:6379/0";
const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";
/// The role a re-executed copy of this binary plays.
const ROLE: &str = "ZBOOKS_BENCH_ROLE";

fn main() {
    if std::env::var(ROLE).as_deref() == Ok("order-sync") {
        order_sync();
        return;
    }
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3_000);
    check_servers();
    println!(
        "N = {n} contacts, minute {} s at {PER_MINUTE} calls, tokens live {} s",
        MINUTE.as_secs(),
        TOKEN_LIFETIME.as_secs()
    );
    sqlite_baseline(n);
    queue(n, Variant::Plain);
    queue(n, Variant::KillOne);
    queue(n, Variant::OrderSync);
}

/// Fails loudly, saying how to start them, when Redis or PostgreSQL does not answer.
fn check_servers() {
    let rt = runtime();
    rt.block_on(async {
        let redis = RedisStore::open(&RedisOptions::new(REDIS)).unwrap();
        if let Err(e) = redis.ping().await {
            panic!("Redis does not answer at {REDIS} ({e}): `docker compose up -d` (README)");
        }
        if let Err(e) = tokio_postgres::connect(POSTGRES, tokio_postgres::NoTls).await {
            panic!("PostgreSQL does not answer at {POSTGRES} ({e}): `docker compose up -d`");
        }
    });
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A simulator for one scenario.
fn simulator(seed: u64) -> SimThread {
    SimThread::start(
        SimConfig {
            minute: MINUTE,
            token_lifetime: TOKEN_LIFETIME,
            seed,
            ..SimConfig::default()
        },
        2,
    )
}

/// A fresh home (a machine's own SQLite store and lock folder) under the bench's folder.
fn home(scenario: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "zbooks-across-{}-{scenario}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `n` customers as a CSV file in `dir`.
fn contacts_csv(dir: &Path, n: usize) -> PathBuf {
    let mut csv = String::from("Display Name,Contact Type\n");
    for i in 0..n {
        writeln!(csv, "Across Customer {i:05},customer").unwrap();
    }
    let path = dir.join("contacts.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// `zbooks` with the simulator's login in the environment and `home` as its home.
fn zbooks(sim: &SimThread, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
    cmd.args(args)
        .env_clear()
        .envs(cli_env(sim, home))
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("ZBOOKS_PLAN", "professional")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// What the simulator counted at one moment.
#[derive(Clone, Copy)]
struct Count {
    api_calls: u64,
    token_requests: u64,
    throttled: u64,
}

fn count(sim: &SimThread) -> Count {
    let c = sim.counters();
    Count {
        api_calls: c.requests - c.token_requests,
        token_requests: c.token_requests,
        throttled: c.throttled.values().sum(),
    }
}

/// Records doubled and lost among the `n` contacts.
fn doubled_and_lost(sim: &SimThread, n: usize) -> (u64, usize) {
    let org = sim.demo().organization_id;
    let counters = sim.counters();
    let mut doubled = 0;
    let mut lost = 0;
    for i in 0..n {
        let key = format!("{org}:contacts:contact_name=Across Customer {i:05}");
        match counters.records_per_natural_key.get(&key) {
            Some(c) => doubled += c.saturating_sub(1),
            None => lost += 1,
        }
    }
    (doubled, lost)
}

/// Prints one scenario's line.
fn report(name: &str, sim: &SimThread, n: usize, before: Count, elapsed: f64, extra: &str) {
    let after = count(sim);
    let calls = after.api_calls - before.api_calls;
    let share = calls as f64 / (elapsed / MINUTE.as_secs_f64() * PER_MINUTE);
    let (doubled, lost) = doubled_and_lost(sim, n);
    let needed = 1 + (elapsed / REFRESHED_AFTER) as u64;
    println!(
        "{name:<34} {calls:>5} calls in {elapsed:>6.1} s: {share:.3} of the limit; 429 served {}; \
         doubled {doubled}, lost {lost}; token requests {} (one per token: at most {needed}){extra}",
        after.throttled - before.throttled,
        after.token_requests - before.token_requests,
    );
}

fn wait_ok(child: Child, what: &str) {
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        eprintln!(
            "{what} exited {:?}:\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Scenario 1: one process, SQLite, as before issue 16.
fn sqlite_baseline(n: usize) {
    let sim = simulator(1);
    let dir = home("sqlite", "one");
    let csv = contacts_csv(&dir, n);
    let before = count(&sim);
    let started = Instant::now();
    let child = zbooks(
        &sim,
        &dir,
        &[
            "import",
            csv.to_str().unwrap(),
            "--minute",
            "3s",
            "--settle",
            "0s",
        ],
    )
    .spawn()
    .unwrap();
    wait_ok(child, "the import");
    let elapsed = started.elapsed().as_secs_f64();
    report("sqlite 1 process (baseline)", &sim, n, before, elapsed, "");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Which queue scenario.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Plain,
    KillOne,
    OrderSync,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Plain => "queue 3 workers",
            Variant::KillOne => "queue 3 workers, one killed",
            Variant::OrderSync => "queue 3 workers + order sync",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Variant::Plain => "plain",
            Variant::KillOne => "kill",
            Variant::OrderSync => "sync",
        }
    }
}

/// A schema of its own on PostgreSQL for one scenario, dropped by [`Schema::drop`].
struct Schema {
    name: String,
    rt: tokio::runtime::Runtime,
    admin: tokio_postgres::Client,
}

impl Schema {
    fn create(slug: &str) -> Schema {
        let rt = runtime();
        let admin = rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(POSTGRES, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client
        });
        let name = format!("zb_bench_{}_{slug}", std::process::id());
        rt.block_on(admin.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
        )))
        .unwrap();
        Schema { name, rt, admin }
    }

    fn url(&self) -> String {
        format!("{POSTGRES}?options=-c%20search_path%3D{}", self.name)
    }

    fn drop(self) {
        self.rt
            .block_on(
                self.admin
                    .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name)),
            )
            .unwrap();
    }
}

/// Scenarios 2–4: enqueue, then three workers (and perhaps an order sync) at once.
fn queue(n: usize, variant: Variant) {
    let sim = simulator(2);
    let schema = Schema::create(variant.slug());
    let queue_url = schema.url();
    let prefix = format!("zbooks-bench:{}:{}:", std::process::id(), variant.slug());
    let state = format!("{REDIS}?prefix={prefix}");
    let enqueuer = home(variant.slug(), "enqueue");
    let csv = contacts_csv(&enqueuer, n);
    let out = zbooks(
        &sim,
        &enqueuer,
        &["import", csv.to_str().unwrap(), "--queue", &queue_url],
    )
    .env("ZBOOKS_STATE", &state)
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "enqueue failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let sync = (variant == Variant::OrderSync).then(|| OrderSync::start(&sim, &state, variant));
    let before = count(&sim);
    let started = Instant::now();
    let homes: Vec<PathBuf> = (0..3)
        .map(|i| home(variant.slug(), &format!("worker{i}")))
        .collect();
    let mut workers: Vec<Option<Child>> = homes
        .iter()
        .map(|h| {
            Some(
                zbooks(
                    &sim,
                    h,
                    &[
                        "worker", "--queue", &queue_url, "--state", &state, "--minute", "3s",
                        "--lease", "3s", "--poll", "100ms", "--defer", "1s",
                    ],
                )
                .spawn()
                .unwrap(),
            )
        })
        .collect();
    if variant == Variant::KillOne {
        let org = sim.demo().organization_id;
        while sim
            .counters()
            .records_per_natural_key
            .keys()
            .filter(|k| k.starts_with(&format!("{org}:contacts:contact_name=Across")))
            .count()
            < n / 3
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut victim = workers[0].take().unwrap();
        victim.kill().unwrap();
        victim.wait().unwrap();
    }
    for (i, w) in workers.into_iter().enumerate() {
        if let Some(child) = w {
            wait_ok(child, &format!("worker {i}"));
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let extra = match sync {
        Some(sync) => {
            let (calls, throttled) = sync.stop();
            let share = calls as f64 / (elapsed / MINUTE.as_secs_f64() * PER_MINUTE);
            format!(
                "; the sync made {calls} calls ({share:.3} of the limit), 429s it met {throttled}"
            )
        }
        None => String::new(),
    };
    report(variant.name(), &sim, n, before, elapsed, &extra);
    let rt = runtime();
    rt.block_on(async {
        RedisStore::open(&RedisOptions::new(REDIS).prefix(&prefix))
            .unwrap()
            .delete_all()
            .await
            .unwrap();
    });
    schema.drop();
    for h in homes.iter().chain([&enqueuer]) {
        let _ = std::fs::remove_dir_all(h);
    }
}

/// The order-sync process, a copy of this binary in the `order-sync` role.
struct OrderSync {
    child: Child,
    stop: PathBuf,
}

impl OrderSync {
    fn start(sim: &SimThread, state: &str, variant: Variant) -> OrderSync {
        let dir = home(variant.slug(), "sync");
        let stop = dir.join("stop");
        let demo = sim.demo();
        let child = Command::new(std::env::current_exe().unwrap())
            .env(ROLE, "order-sync")
            .env("SYNC_ACCOUNTS", sim.accounts_url())
            .env("SYNC_API", sim.api_url())
            .env("SYNC_ORG", &demo.organization_id)
            .env("SYNC_CLIENT_ID", &demo.client_id)
            .env("SYNC_CLIENT_SECRET", &demo.client_secret)
            .env("SYNC_REFRESH_TOKEN", &demo.refresh_token)
            .env("SYNC_STATE", state)
            .env("SYNC_STOP", &stop)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        OrderSync { child, stop }
    }

    /// Stops the sync; its calls and the 429s it met.
    fn stop(self) -> (u64, u64) {
        std::fs::write(&self.stop, "").unwrap();
        let out = self.child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().unwrap());
        (fields.next().unwrap(), fields.next().unwrap())
    }
}

/// The `order-sync` role: lists a page of contacts `SYNC_PER_MINUTE` times a minute through a
/// client sharing the organization's budget and token on Redis, until `SYNC_STOP` exists;
/// prints its calls and the 429s it met.
fn order_sync() {
    let var = |name: &str| std::env::var(name).expect(name);
    let rt = runtime();
    let (calls, throttled) = rt.block_on(async {
        let state = var("SYNC_STATE");
        let options = RedisOptions::from_url(&state).unwrap();
        let store = Arc::new(RedisStore::open(&options).unwrap());
        let scale = MINUTE.as_secs_f64() / 60.0;
        let mut retry = RetryConfig::default();
        retry.initial_backoff = retry.initial_backoff.mul_f64(scale);
        retry.max_backoff = retry.max_backoff.mul_f64(scale);
        retry.concurrency_backoff = retry.concurrency_backoff.mul_f64(scale);
        let mut tokens = TokenConfig::default();
        tokens.request_window = tokens.request_window.mul_f64(scale);
        tokens.cooldown = tokens.cooldown.mul_f64(scale);
        tokens.refresh_before = tokens.refresh_before.mul_f64(scale);
        let client = Client::builder()
            .accounts_url(var("SYNC_ACCOUNTS"))
            .api_url(var("SYNC_API"))
            .organization_id(var("SYNC_ORG"))
            .plan(zbooks_types::Plan::Professional)
            .credentials(Credentials::refresh_token(
                var("SYNC_CLIENT_ID"),
                var("SYNC_CLIENT_SECRET"),
                var("SYNC_REFRESH_TOKEN"),
            ))
            .limits(LimitsConfig {
                window: MINUTE,
                ..LimitsConfig::default()
            })
            .retry(retry)
            .tokens(tokens)
            .store(store)
            .build()
            .unwrap();
        let stop = PathBuf::from(var("SYNC_STOP"));
        let every = MINUTE / SYNC_PER_MINUTE;
        let mut next = tokio::time::Instant::now();
        let (mut calls, mut throttled) = (0u64, 0u64);
        while !stop.exists() {
            tokio::time::sleep_until(next).await;
            next += every;
            let result = client
                .contacts()
                .list_page(&ListQuery::default(), 1, 1)
                .await;
            calls += 1;
            if let Err(e) = result
                && e.status() == Some(429)
            {
                throttled += 1;
            }
        }
        (calls, throttled)
    });
    println!("{calls} {throttled}");
}
