//! A rough throughput and memory check (not a statistical benchmark): with limits off, how many
//! GET-by-id and creates a second the simulator serves, and how much memory 100,000 invoices
//! take. The client runs in the same process, so the figures are a lower bound.
//! Run: `cargo bench -p zbooks-sim --bench throughput` (`INVOICES=20000` for a quicker run).
#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(clippy::unwrap_used, reason = "a benchmark that fails may panic")]

use std::time::{Duration, Instant};

use serde_json::json;
use zbooks_sim::{Sim, SimConfig};

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn token(http: &reqwest::Client, sim: &zbooks_sim::RunningSim) -> String {
    let d = sim.demo();
    let body: serde_json::Value = http
        .post(format!("{}/oauth/v2/token", sim.accounts_url()))
        .query(&[
            ("grant_type", "refresh_token"),
            ("client_id", d.client_id.as_str()),
            ("client_secret", d.client_secret.as_str()),
            ("refresh_token", d.refresh_token.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// Runs `per_worker` requests on each of `workers` tasks; answers requests per second.
async fn run<F, Fut>(workers: usize, per_worker: usize, call: F) -> f64
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_worker {
                call(w * per_worker + i).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    #[expect(clippy::cast_precision_loss, reason = "request counts are small")]
    let n = (workers * per_worker) as f64;
    n / start.elapsed().as_secs_f64()
}

fn main() {
    let invoices: usize = std::env::var_os("INVOICES")
        .and_then(|v| v.to_str().and_then(|s| s.parse().ok()))
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let before = rss_mb();
        let sim = Sim::start(SimConfig {
            limits_enabled: false,
            request_log_capacity: 1_000,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let token = token(&http, &sim).await;
        let auth = format!("Zoho-oauthtoken {token}");
        let org = sim.demo().organization_id;
        let api = sim.api_url();
        let customer: serde_json::Value = http
            .post(format!("{api}/contacts?organization_id={org}"))
            .header("Authorization", &auth)
            .json(&json!({"contact_name": "Bench Customer"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let customer = customer["contact"]["contact_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let workers = 16;
        let create = {
            let (http, auth, api, org, customer) = (
                http.clone(),
                auth.clone(),
                api.clone(),
                org.clone(),
                customer.clone(),
            );
            move |i: usize| {
                let req = http
                    .post(format!("{api}/invoices?organization_id={org}"))
                    .header("Authorization", auth.clone())
                    .json(
                        &json!({"customer_id": customer, "reference_number": format!("R-{i}"),
                        "line_items": [{"name": "Service", "rate": 12.5, "quantity": 2}]}),
                    );
                async move {
                    let res = req.send().await.unwrap();
                    assert_eq!(res.status().as_u16(), 201);
                    let _ = res.bytes().await;
                }
            }
        };
        let creates = run(workers, invoices / workers, create).await;
        let after = rss_mb();
        println!("creates: {creates:.0}/s over {invoices} invoices");
        println!("memory: {after:.0} MB resident after {invoices} invoices (from {before:.0} MB)");
        let first: serde_json::Value = http
            .get(format!("{api}/invoices?organization_id={org}&per_page=1"))
            .header("Authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = first["invoices"][0]["invoice_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let get = {
            let (http, auth, api, org) = (http.clone(), auth.clone(), api.clone(), org.clone());
            move |_| {
                let req = http
                    .get(format!("{api}/invoices/{id}?organization_id={org}"))
                    .header("Authorization", auth.clone());
                async move {
                    let res = req.send().await.unwrap();
                    assert_eq!(res.status().as_u16(), 200);
                    let _ = res.bytes().await;
                }
            }
        };
        let gets = run(workers, 40_000 / workers, get).await;
        println!("get by id: {gets:.0}/s");
        sim.shutdown().await;
    });
}
