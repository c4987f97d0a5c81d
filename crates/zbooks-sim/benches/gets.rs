//! Random-id GETs against large books, beside a bare hyper server (issue 20 §4).
//!
//! Seeds the demo organization with 1,000,000 invoices straight through the simulator's books
//! ([`zbooks_sim::RunningSim::create_direct`]: the checks and computed fields of
//! `POST /invoices`, without HTTP), reports the resident memory after seeding, then drives
//! `GET /books/v3/invoices/{random id}` with limits off from a load generator of its own: raw
//! HTTP/1.1 over keep-alive TCP connections, one request in flight on each, on a runtime
//! apart from the server's. The baseline is a bare hyper server answering a fixed small JSON
//! body, driven by the same generator in the same run; the two are measured in turn, twice, and
//! the best of each kept.
//!
//! Run: `cargo bench -p zbooks-sim --bench gets` (`-- --quick`: 100,000 invoices, shorter
//! rounds; `-- --invoices N`). Prints a table and `BENCH` lines for `cargo xtask bench`: GETs a
//! second (target at least 50,000) and resident memory with the invoices (at most 1,000 MB).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]
#![expect(
    clippy::cast_precision_loss,
    reason = "figures for a table, far below 2^52"
)]

/// The `zbooks` binary's allocator, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zbooks_sim::{Sim, SimConfig};

const INVOICES: usize = 1_000_000;
const INVOICES_QUICK: usize = 100_000;
const CONNECTIONS: usize = 32;
const TARGET_GETS: f64 = 50_000.0;
const TARGET_MB: f64 = 1_000.0;

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb * 1024.0 / 1e6)
}

/// A small, fast, seeded generator (xorshift64*): the ids asked for.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        usize::try_from(x % n as u64).unwrap()
    }
}

/// Reads one HTTP/1.1 response (with a `content-length`) from `stream` into `buf`, which may
/// hold bytes of it already; answers the status and leaves what follows in `buf`.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> u16 {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).unwrap();
            let status: u16 = head[9..12].parse().unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap();
            let total = end + 4 + length;
            while buf.len() < total {
                buf.reserve(16 * 1024);
                let n = stream.read_buf(buf).await.unwrap();
                assert!(n > 0, "connection closed mid-body");
            }
            buf.drain(..total);
            return status;
        }
        buf.reserve(16 * 1024);
        let n = stream.read_buf(buf).await.unwrap();
        assert!(n > 0, "connection closed before an answer");
    }
}

/// Drives `GET {prefix}{id}{suffix}` on `CONNECTIONS` keep-alive connections for `length`,
/// ids drawn at random from `ids`; answers the requests answered a second.
async fn drive(
    addr: SocketAddr,
    prefix: Arc<str>,
    suffix: Arc<str>,
    ids: Arc<Vec<u64>>,
    length: Duration,
) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for c in 0..CONNECTIONS {
        let (prefix, suffix, ids, stop, done) = (
            prefix.clone(),
            suffix.clone(),
            ids.clone(),
            stop.clone(),
            done.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (c as u64 + 1));
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut request = Vec::with_capacity(512);
            while !stop.load(Ordering::Relaxed) {
                let id = ids[rng.below(ids.len())];
                request.clear();
                request.extend_from_slice(
                    format!("GET {prefix}{id}{suffix}\r\nHost: {addr}\r\n\r\n").as_bytes(),
                );
                stream.write_all(&request).await.unwrap();
                let status = read_response(&mut stream, &mut buf).await;
                assert_eq!(status, 200, "GET {prefix}{id}");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    // A short warm-up, then the measured window.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = done.load(Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(length).await;
    let answered = done.load(Ordering::Relaxed) - before;
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    answered as f64 / seconds
}

/// The baseline: a bare hyper server answering every request with the same small JSON body.
async fn bare_hyper() -> SocketAddr {
    const BODY: &[u8] = br#"{"code":0,"message":"success","invoice":{"invoice_id":"460000000000001","total":25.0}}"#;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|_req| async {
                    let mut response = hyper::Response::new(Full::new(Bytes::from_static(BODY)));
                    response.headers_mut().insert(
                        hyper::header::CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("application/json;charset=UTF-8"),
                    );
                    Ok::<_, Infallible>(response)
                });
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

async fn token(sim: &zbooks_sim::RunningSim) -> String {
    let d = sim.demo();
    let body: serde_json::Value = reqwest::Client::new()
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let invoices = args
        .iter()
        .position(|a| a == "--invoices")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if quick { INVOICES_QUICK } else { INVOICES });
    let (rounds, length) = if quick {
        (1, Duration::from_secs(2))
    } else {
        (2, Duration::from_secs(5))
    };
    // The server's runtime (two workers, as the simulator runs) and the generator's, apart.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let empty = rss_mb();
    let sim = server
        .block_on(Sim::start(SimConfig {
            limits_enabled: false,
            request_log_capacity: 1_000,
            ..SimConfig::default()
        }))
        .unwrap();
    let bare = server.block_on(bare_hyper());
    let started_mb = rss_mb();
    let org = sim.demo().organization_id;
    let customer: u64 = sim
        .create_direct(&org, "contacts", json!({"contact_name": "Bench Customer"}))
        .unwrap()
        .parse()
        .unwrap();
    let seeding = Instant::now();
    let mut ids = Vec::with_capacity(invoices);
    for i in 0..invoices {
        let id = sim
            .create_direct(
                &org,
                "invoices",
                json!({"customer_id": customer.to_string(), "reference_number": format!("R-{i}"),
                    "line_items": [{"name": "Service", "rate": 12.5, "quantity": 2}]}),
            )
            .unwrap();
        ids.push(id.parse::<u64>().unwrap());
    }
    let seed_seconds = seeding.elapsed().as_secs_f64();
    let seeded_mb = rss_mb();
    let ids = Arc::new(ids);
    let token = client.block_on(token(&sim));
    let sim_addr = sim.addr();
    let sim_prefix: Arc<str> = Arc::from("/books/v3/invoices/");
    let sim_suffix: Arc<str> = Arc::from(
        format!("?organization_id={org} HTTP/1.1\r\nAuthorization: Zoho-oauthtoken {token}")
            .as_str(),
    );
    let bare_prefix: Arc<str> = Arc::from("/invoices/");
    let bare_suffix: Arc<str> = Arc::from(" HTTP/1.1");
    let (mut gets, mut base) = (0.0_f64, 0.0_f64);
    for _ in 0..rounds {
        base = base.max(client.block_on(drive(
            bare,
            bare_prefix.clone(),
            bare_suffix.clone(),
            ids.clone(),
            length,
        )));
        gets = gets.max(client.block_on(drive(
            sim_addr,
            sim_prefix.clone(),
            sim_suffix.clone(),
            ids.clone(),
            length,
        )));
    }
    let after_mb = rss_mb();
    server.block_on(sim.shutdown());
    println!();
    println!("| figure | simulator | bare hyper (baseline) |");
    println!("|---|---:|---:|");
    println!(
        "| random-id GETs, {CONNECTIONS} connections, limits off | {gets:.0}/s | {base:.0}/s |"
    );
    println!(
        "| resident memory with {invoices} invoices | {seeded_mb:.0} MB (after the GETs: {after_mb:.0} MB) | {started_mb:.0} MB (simulator started, empty; process alone {empty:.0} MB) |"
    );
    println!(
        "| seeding through the books | {:.0} invoices/s | |",
        invoices as f64 / seed_seconds
    );
    println!();
    println!(
        "BENCH sim_get_random value={gets:.0} unit=req/s target=>={TARGET_GETS:.0} baseline={base:.0} baseline_name=bare-hyper-fixed-json"
    );
    println!(
        "BENCH sim_memory_invoices value={seeded_mb:.0} unit=MB target=<={TARGET_MB:.0} baseline={started_mb:.0} baseline_name=sim-started-empty"
    );
}
