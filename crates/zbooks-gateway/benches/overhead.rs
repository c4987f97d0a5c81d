//! What the gateway costs and what it gets out of the limit, printed as a table (not part of
//! `cargo test`; run `cargo bench -p zbooks-gateway --bench overhead`).
//!
//! - latency: one program making `GET /contacts` calls one after the other, directly to the
//!   simulator (with a token it fetched itself) and through the gateway (no token), the two
//!   interleaved call by call so that drift in the machine's load falls on both alike; limits
//!   off in the simulator, so only the work of the hop is measured; the gateway twice, its
//!   client's limits off, and kept (an unreachable limit of a million calls a minute: the
//!   queue, the store's admission and the pacing slot, with no wait). Printed: p50 and p99 of
//!   each and the p50 and p99 the gateway adds.
//! - share of the limit: ten programs making 60 calls each (one create in six) through the
//!   gateway to a simulator whose minute lasts one second (100 calls a minute); printed: the
//!   share of the limit used over the run, Zoho's 429s (must be 0) and the answers.
#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]
#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first failure")]

use std::time::{Duration, Instant};

use serde_json::json;
use zbooks_client::{Client, LimitsConfig};
use zbooks_gateway::{Gateway, GatewayConfig, RunningGateway};
use zbooks_sim::{RunningSim, SimConfig};

const LATENCY_CALLS: usize = 2_000;
const CLIENTS: usize = 10;
const CALLS_PER_CLIENT: usize = 60;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        latency().await;
        share().await;
    });
}

async fn gateway(sim: &RunningSim, client: Client, limits: LimitsConfig) -> RunningGateway {
    let _ = sim;
    Gateway::new(GatewayConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        limits,
        ..GatewayConfig::default()
    })
    .organization(client)
    .start()
    .await
    .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn latency() {
    let (sim, demo) = zbooks_testkit::start(SimConfig {
        limits_enabled: false,
        ..SimConfig::default()
    })
    .await;
    let client = zbooks_testkit::demo_client(&sim, &demo)
        .limits(LimitsConfig::disabled())
        .build()
        .unwrap();
    let gw = gateway(&sim, client, LimitsConfig::disabled()).await;
    let kept = LimitsConfig {
        per_window: 1_000_000,
        ..LimitsConfig::default()
    };
    let paced = zbooks_testkit::demo_client(&sim, &demo)
        .limits(kept)
        .build()
        .unwrap();
    let gw_paced = gateway(&sim, paced, kept).await;
    let http = reqwest::Client::new();
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
    let header = format!(
        "Zoho-oauthtoken {}",
        token["access_token"].as_str().unwrap()
    );
    let direct_url = format!("{}/contacts", sim.api_url());
    let gateway_url = format!("{}/contacts", gw.base_url());
    let paced_url = format!("{}/contacts", gw_paced.base_url());
    let org = demo.organization_id.clone();
    // 0: direct, 1: the gateway with limits off, 2: with limits kept.
    let call = |way: usize| {
        let request = match way {
            0 => http.get(&direct_url).header("Authorization", &header),
            1 => http.get(&gateway_url),
            _ => http.get(&paced_url),
        };
        let request = request.query(&[("organization_id", org.as_str()), ("per_page", "5")]);
        async move {
            let started = Instant::now();
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], 0);
            started.elapsed()
        }
    };
    // Warm every path (connections, the token, the plan read).
    for _ in 0..50 {
        for way in 0..3 {
            call(way).await;
        }
    }
    let mut times: [Vec<Duration>; 3] = Default::default();
    for i in 0..LATENCY_CALLS {
        // Rotate which goes first.
        for k in 0..3 {
            let way = (i + k) % 3;
            times[way].push(call(way).await);
        }
    }
    for t in &mut times {
        t.sort_unstable();
    }
    let p50: Vec<Duration> = times.iter().map(|t| percentile(t, 0.5)).collect();
    let p99: Vec<Duration> = times.iter().map(|t| percentile(t, 0.99)).collect();
    println!("latency, {LATENCY_CALLS} sequential GET /contacts each way (simulator limits off)");
    println!("  {:<36} {:>9} {:>9}", "", "p50 ms", "p99 ms");
    for (way, name) in [
        (0, "direct to the simulator"),
        (1, "through the gateway, limits off"),
        (2, "through the gateway, limits kept"),
    ] {
        println!("  {name:<36} {:>9.3} {:>9.3}", ms(p50[way]), ms(p99[way]));
    }
    for (way, name) in [(1, "added, limits off"), (2, "added, limits kept")] {
        println!(
            "  {name:<36} {:>9.3} {:>9.3}",
            ms(p50[way].saturating_sub(p50[0])),
            ms(p99[way].saturating_sub(p99[0]))
        );
    }
    gw.shutdown().await;
    gw_paced.shutdown().await;
    sim.shutdown().await;
}

async fn share() {
    let (sim, demo) = zbooks_testkit::start(zbooks_testkit::fast_sim()).await;
    let limits = zbooks_testkit::fast_limits();
    let client = zbooks_testkit::demo_client(&sim, &demo)
        .limits(limits)
        .build()
        .unwrap();
    // The plan read and the first token, before the clock starts.
    client
        .request(zbooks_client::Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    let gw = gateway(&sim, client, limits).await;
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (http, url) = (http.clone(), format!("{}/contacts", gw.base_url()));
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            let mut last = Instant::now();
            for i in 0..CALLS_PER_CLIENT {
                let request = if i % 6 == 0 {
                    http.post(&url)
                        .json(&json!({"contact_name": format!("Bench {c}-{i}")}))
                } else {
                    http.get(&url)
                };
                statuses.push(request.send().await.unwrap().status().as_u16());
                last = Instant::now();
            }
            (statuses, last)
        }));
    }
    let mut ok = 0;
    let mut other = 0;
    let mut finished = started;
    for task in tasks {
        let (statuses, last) = task.await.unwrap();
        finished = finished.max(last);
        for s in statuses {
            if s == 200 || s == 201 {
                ok += 1;
            } else {
                other += 1;
            }
        }
    }
    let elapsed = finished - started;
    let calls = CLIENTS * CALLS_PER_CLIENT;
    // The limit allows `per_window` calls a window, the first at once: over `elapsed`, at most
    // 1 + elapsed / (window / per_window) calls.
    let allowed =
        1.0 + elapsed.as_secs_f64() / (limits.window.as_secs_f64() / f64::from(limits.per_window));
    #[expect(clippy::cast_precision_loss, reason = "600 calls")]
    let share = calls as f64 / allowed;
    let counters = sim.counters();
    println!();
    println!(
        "share of the limit, {CLIENTS} clients x {CALLS_PER_CLIENT} calls through the gateway, \
         100 calls a {:.0} s minute",
        limits.window.as_secs_f64()
    );
    println!("  calls answered          {ok} ok, {other} other");
    println!("  elapsed                 {:.2} s", elapsed.as_secs_f64());
    println!("  share of the limit      {share:.3}");
    println!(
        "  429s from the simulator {}",
        counters.throttled.values().sum::<u64>()
    );
    gw.shutdown().await;
    sim.shutdown().await;
}
