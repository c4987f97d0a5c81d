//! Whole-run figures of the client against the in-process simulator, printed as a table (not
//! part of `cargo test`; run `cargo bench -p zbooks-client --bench throughput`).
//!
//! - overhead: limits off, 20,000 `GET`s at 32 in flight, the client beside a bare `reqwest`
//!   loop making the same calls (same request, same headers, its body parsed as JSON and its
//!   code checked). 11 rounds; each round runs both, alternating which goes first, so drift in
//!   the machine's load falls on both alike. Printed: the best round of each, and the median
//!   of the rounds' ratios. The simulator runs on a runtime (and thread) of its own; the
//!   calls on a runtime of `--workers N` threads (default 2).
//! - pacing: a limit of 100 a (one-second) minute, 1,000 calls through one client, then 1,200
//!   calls through three processes sharing one SQLite store; the share of the limit reached
//!   and the 429s the simulator served.
//!
//! The three processes are this binary run again with `--pacing-child <job>`. For a profiler,
//! `--profile bare|client CALLS` runs one overhead variant alone (under
//! `valgrind --tool=callgrind`, the instructions of the two compare exactly).
#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]
#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first failure")]

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use zbooks_client::{Client, Credentials, LimitsConfig, Method, RetryConfig};
use zbooks_sim::{DemoCredentials, RunningSim, Sim, SimConfig};
use zbooks_store::SqliteStore;
use zbooks_types::Plan;

const OVERHEAD_CALLS: usize = 20_000;
const IN_FLIGHT: usize = 32;
const ROUNDS: usize = 11;
const PACED_CALLS: usize = 1_000;
const PROCESSES: usize = 3;
const CALLS_PER_PROCESS: usize = 400;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The client's runtime threads (`--workers N`, default 2; the simulator has its own).
    let workers = args
        .iter()
        .position(|a| a == "--workers")
        .map_or(2, |pos| args[pos + 1].parse().unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap();
    if let Some(pos) = args.iter().position(|a| a == "--pacing-child") {
        runtime.block_on(pacing_child(&args[pos + 1]));
        return;
    }
    // One variant alone, for a profiler: `--profile bare|client CALLS` (under
    // `valgrind --tool=callgrind`, instructions per call compare exactly).
    if let Some(pos) = args.iter().position(|a| a == "--profile") {
        let calls = args.get(pos + 2).map_or(2_000, |n| n.parse().unwrap());
        runtime.block_on(profile(&args[pos + 1], calls));
        return;
    }
    runtime.block_on(async {
        println!("| measure | figure |");
        println!("|---|---|");
        overhead().await;
        pacing_one().await;
        pacing_processes().await;
    });
}

fn client(sim: &RunningSim, demo: &DemoCredentials, limits: LimitsConfig) -> Client {
    client_builder(sim, demo, limits).build().unwrap()
}

fn client_builder(
    sim: &RunningSim,
    demo: &DemoCredentials,
    limits: LimitsConfig,
) -> zbooks_client::ClientBuilder {
    Client::builder()
        .accounts_url(sim.accounts_url())
        .api_domain(sim.api_domain())
        .organization_id(&demo.organization_id)
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            demo.client_id.clone(),
            demo.client_secret.clone(),
            demo.refresh_token.clone(),
        ))
        .limits(limits)
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(50),
            ..RetryConfig::default()
        })
}

/// Runs `calls` calls of `one` with `IN_FLIGHT` workers; returns calls per second.
async fn drive<F, Fut>(calls: usize, workers: usize, one: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let one = Arc::new(one);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (one, next) = (one.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < calls {
                one().await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    #[expect(clippy::cast_precision_loss, reason = "call counts are small")]
    let rate = calls as f64 / started.elapsed().as_secs_f64();
    rate
}

/// Starts a simulator on a runtime of its own (its own worker thread), so the load generator
/// and the server do not share one scheduler: both variants then compete for the cores the same
/// way, as a client and a remote server would.
fn sim_on_own_runtime(config: SimConfig) -> RunningSim {
    std::thread::spawn(move || {
        let runtime = Box::leak(Box::new(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap(),
        ));
        runtime.block_on(Sim::start(config)).unwrap()
    })
    .join()
    .unwrap()
}

/// The overhead comparison's two sides against one simulator (limits off): zbooks-client, and
/// a bare reqwest loop making the same calls — same headers (the client's default User-Agent
/// included), its own token fetched by hand, its own JSON parse of every body.
struct Overhead {
    sim: RunningSim,
    demo: DemoCredentials,
    zb: Client,
    http: reqwest::Client,
    header: String,
    url: String,
}

impl Overhead {
    async fn start() -> Self {
        let sim = sim_on_own_runtime(SimConfig {
            limits_enabled: false,
            ..SimConfig::default()
        });
        let demo = sim.demo();
        let zb = client(&sim, &demo, LimitsConfig::disabled());
        zb.request(Method::GET, "/contacts").send().await.unwrap();
        let http = bare_client();
        let header = bare_header(&http, &sim, &demo).await;
        let url = format!("{}/contacts", sim.api_url());
        Overhead {
            sim,
            demo,
            zb,
            http,
            header,
            url,
        }
    }

    fn bare(&self) -> impl Fn() -> BoxedCall + Send + Sync + 'static {
        bare_call(
            self.http.clone(),
            self.header.clone(),
            self.url.clone(),
            self.demo.organization_id.clone(),
        )
    }
}

type BoxedCall = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

async fn profile(variant: &str, calls: usize) {
    let setup = Overhead::start().await;
    let rate = match variant {
        "bare" => drive(calls, IN_FLIGHT, setup.bare()).await,
        "client" => drive(calls, IN_FLIGHT, client_call(setup.zb.clone())).await,
        other => panic!("--profile bare|client, not {other}"),
    };
    println!("{variant}: {calls} calls, {rate:.0} calls/s");
}

fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("zbooks-client/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap()
}

/// The bare loop's own token, fetched by hand.
async fn bare_header(http: &reqwest::Client, sim: &RunningSim, demo: &DemoCredentials) -> String {
    let token: serde_json::Value = http
        .post(format!("{}/oauth/v2/token", sim.accounts_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", demo.client_id.as_str()),
            ("client_secret", demo.client_secret.as_str()),
            ("refresh_token", demo.refresh_token.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    format!(
        "Zoho-oauthtoken {}",
        token["access_token"].as_str().unwrap()
    )
}

/// One bare `reqwest` call: the same request, its body parsed as JSON and its code checked.
fn bare_call(
    http: reqwest::Client,
    header: String,
    url: String,
    org: String,
) -> impl Fn() -> BoxedCall + Send + Sync + 'static {
    move || {
        let request = http
            .get(&url)
            .query(&[("organization_id", org.as_str())])
            .header("Authorization", header.as_str());
        Box::pin(async move {
            let body = request.send().await.unwrap().bytes().await.unwrap();
            let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(value["code"], 0);
        })
    }
}

/// One call through zbooks-client, its body as JSON and its code checked.
fn client_call(zb: Client) -> impl Fn() -> BoxedCall + Send + Sync + 'static {
    move || {
        let zb = zb.clone();
        Box::pin(async move {
            let value = zb
                .request(Method::GET, "/contacts")
                .send_json()
                .await
                .unwrap();
            assert_eq!(value["code"], 0);
        })
    }
}

async fn overhead() {
    let setup = Overhead::start().await;
    let (sim, demo, zb, http) = (&setup.sim, &setup.demo, &setup.zb, &setup.http);
    // The same client again, on the bare loop's reqwest client: what zbooks' own layer costs
    // when both use one HTTP client.
    let shared = client_builder(sim, demo, LimitsConfig::disabled())
        .http_client(http.clone())
        .build()
        .unwrap();
    shared
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    // Rounds alternate which variant goes first, so drift in the machine's load falls on both
    // alike; each round's ratio compares runs made seconds apart.
    let (mut bare, mut ours, mut on_shared) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let run_bare = || drive(OVERHEAD_CALLS, IN_FLIGHT, setup.bare());
        if round % 2 == 0 {
            bare.push(run_bare().await);
            ours.push(drive(OVERHEAD_CALLS, IN_FLIGHT, client_call(zb.clone())).await);
        } else {
            ours.push(drive(OVERHEAD_CALLS, IN_FLIGHT, client_call(zb.clone())).await);
            bare.push(run_bare().await);
        }
        on_shared.push(drive(OVERHEAD_CALLS, IN_FLIGHT, client_call(shared.clone())).await);
    }
    let best = |v: &[f64]| v.iter().copied().fold(0f64, f64::max);
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let ratios: Vec<f64> = ours.iter().zip(&bare).map(|(o, b)| o / b * 100.0).collect();
    let shared_ratios: Vec<f64> = on_shared
        .iter()
        .zip(&bare)
        .map(|(o, b)| o / b * 100.0)
        .collect();
    let (bare_best, client_best, shared_best) = (best(&bare), best(&ours), best(&on_shared));
    println!(
        "| overhead: bare reqwest, {OVERHEAD_CALLS} GETs at {IN_FLIGHT} in flight (best of {ROUNDS}) | {bare_best:.0} calls/s |"
    );
    println!(
        "| overhead: zbooks-client, limits off, same calls (best of {ROUNDS}) | {client_best:.0} calls/s |"
    );
    println!(
        "| overhead: client / bare, best against best | {:.1} % |",
        client_best / bare_best * 100.0
    );
    println!(
        "| overhead: client / bare, median of {ROUNDS} paired rounds (range) | {:.1} % ({:.1}–{:.1} %) |",
        median(ratios.clone()),
        ratios.iter().copied().fold(f64::INFINITY, f64::min),
        best(&ratios),
    );
    println!(
        "| overhead: zbooks-client on the bare loop's reqwest client (best of {ROUNDS}; median paired) | {shared_best:.0} calls/s = {:.1} % of bare; {:.1} % |",
        shared_best / bare_best * 100.0,
        median(shared_ratios),
    );
    setup.sim.shutdown().await;
}

fn fast_sim() -> SimConfig {
    SimConfig {
        minute: Duration::from_secs(1),
        ..SimConfig::default()
    }
}

fn one_second_limits() -> LimitsConfig {
    LimitsConfig {
        window: Duration::from_secs(1),
        ..LimitsConfig::default()
    }
}

async fn pacing_one() {
    let sim = Sim::start(fast_sim()).await.unwrap();
    let demo = sim.demo();
    let zb = client(&sim, &demo, one_second_limits());
    zb.request(Method::GET, "/organizations")
        .send()
        .await
        .unwrap();
    let calls = PACED_CALLS;
    let rate = drive(calls, 10, move || {
        let zb = zb.clone();
        async move {
            zb.request(Method::GET, "/contacts").send().await.unwrap();
        }
    })
    .await;
    let throttled = sim.counters().throttled;
    let served_429: u64 = throttled.values().sum();
    let served_429 = format!("{served_429} (by code {throttled:?})");
    println!(
        "| pacing: one client, {calls} calls at a limit of 100/s | {rate:.1} calls/s = {rate:.1} % of the limit, {served_429} × 429 |"
    );
    sim.shutdown().await;
}

fn unix_ms() -> u64 {
    u64::try_from(
        zbooks_types::Clock::now(&zbooks_types::SystemClock)
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

async fn pacing_processes() {
    let sim = Sim::start(fast_sim()).await.unwrap();
    let demo = sim.demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    // One token for all, fetched before the clock starts.
    let warm = Client::builder()
        .accounts_url(sim.accounts_url())
        .api_domain(sim.api_domain())
        .organization_id(&demo.organization_id)
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            demo.client_id.clone(),
            demo.client_secret.clone(),
            demo.refresh_token.clone(),
        ))
        .store(Arc::new(SqliteStore::open(&path).unwrap()))
        .limits(one_second_limits())
        .build()
        .unwrap();
    warm.request(Method::GET, "/organizations")
        .send()
        .await
        .unwrap();
    let start_at = unix_ms() + 1500;
    let job = serde_json::json!({
        "accounts_url": sim.accounts_url(),
        "api_domain": sim.api_domain(),
        "organization_id": demo.organization_id,
        "client_id": demo.client_id,
        "client_secret": demo.client_secret,
        "refresh_token": demo.refresh_token,
        "store": path.to_string_lossy(),
        "start_at": start_at,
    })
    .to_string();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(&exe)
                .args(["--pacing-child", &job])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let mut last_end = 0u64;
    for output in outputs {
        assert!(output.status.success(), "a pacing child failed");
        let end: u64 = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap();
        last_end = last_end.max(end);
    }
    let calls = PROCESSES * CALLS_PER_PROCESS;
    #[expect(clippy::cast_precision_loss, reason = "small numbers")]
    let rate = calls as f64 / ((last_end - start_at) as f64 / 1000.0);
    let throttled = sim.counters().throttled;
    let served_429: u64 = throttled.values().sum();
    let served_429 = format!("{served_429} (by code {throttled:?})");
    println!(
        "| pacing: {PROCESSES} processes sharing a SQLite store, {calls} calls at 100/s | {rate:.1} calls/s = {rate:.1} % of the limit, {served_429} × 429 |"
    );
    sim.shutdown().await;
}

async fn pacing_child(job: &str) {
    let job: serde_json::Value = serde_json::from_str(job).unwrap();
    let text = |k: &str| job[k].as_str().unwrap().to_owned();
    let zb = Client::builder()
        .accounts_url(text("accounts_url"))
        .api_domain(text("api_domain"))
        .organization_id(text("organization_id"))
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            text("client_id"),
            text("client_secret"),
            text("refresh_token"),
        ))
        .store(Arc::new(SqliteStore::open(text("store")).unwrap()))
        .limits(one_second_limits())
        .build()
        .unwrap();
    let start_at = job["start_at"].as_u64().unwrap();
    let now = unix_ms();
    if start_at > now {
        tokio::time::sleep(Duration::from_millis(start_at - now)).await;
    }
    drive(CALLS_PER_PROCESS, 10, move || {
        let zb = zb.clone();
        async move {
            zb.request(Method::GET, "/contacts").send().await.unwrap();
        }
    })
    .await;
    println!("{}", unix_ms());
}
