//! How much of Zoho's per-minute limit an import uses: 1,200 contacts into the simulator with
//! its minute shortened to one second (the limit stays 100 a minute, so 100 calls a second),
//! the client pacing to the same minute. Reports calls per window against the limit, and the
//! 429s the simulator served (there must be none: the client keeps the limit, it does not
//! discover it).
//!
//! `cargo bench -p zbooks-import --bench executor` (a whole-run figure, not a timed test).
#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    reason = "a benchmark binary"
)]

mod common;

use std::time::Duration;

use zbooks_import::ExecuteOptions;
use zbooks_sim::{Sim, SimConfig};

const RECORDS: usize = 1_200;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let minute = Duration::from_secs(1);
    let sim = Sim::start(SimConfig {
        minute,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let records = common::contacts("Bench Customer", RECORDS);
    let options = ExecuteOptions {
        read_back: false,
        settle: Duration::ZERO,
        // As `zbooks import` runs it, holding the organization's lease (the simulator is
        // the bench's own).
        exclusive: true,
        ..ExecuteOptions::default()
    };
    let common::Measured {
        result,
        elapsed,
        calls,
        served_429,
    } = common::measured_import(&sim, &tempdir(), minute, &records, options).await;
    let limit_per_s = 100.0 / minute.as_secs_f64();
    println!(
        "import of {RECORDS} records: {} created, {calls} calls in {elapsed:.2} s = {:.1} calls/s \
         against a limit of {limit_per_s:.0}/s: {:.1}% of the limit; 429 served: {served_429}",
        result.summary.created,
        calls as f64 / elapsed,
        100.0 * calls as f64 / (elapsed * limit_per_s),
    );
    // Steady state: the full windows between the first and the last call of the creates.
    let log = sim.request_log();
    let posts = log.iter().filter(|l| l.method == "POST").count();
    println!(
        "creates: {posts}; duplicates refused: {}",
        sim.counters().duplicates_refused
    );
    sim.shutdown().await;
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zbooks-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
