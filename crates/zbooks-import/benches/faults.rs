//! How much of Zoho's per-minute limit an import uses while Zoho misbehaves (issue 14 §5):
//! contacts into the simulator with its minute shortened to 3 s (the limit stays 100 a
//! minute), every 25th create's answer lost after the record is made (`reset_after`) and
//! every 40th create answered 500 with code 1000. The client paces to the same minute, and
//! the executor's waits after a server failure are scaled by it too.
//!
//! Reports, per N: the fraction of the limit used (calls over the run's time at the limit),
//! records lost, records doubled and the 429s served — for two policies side by side in the
//! same run, each on a simulator of its own:
//!
//! - `baseline`: the policy before issue 14, every 5xx deferring its record for the whole
//!   deferral (five minutes, scaled) and no burst detection (`server_retries: 0`), which the
//!   issue measured at 37% of the limit for N = 500;
//! - `zbooks`: today's defaults, a first 5xx retried shortly while the run goes on.
//!
//! `cargo bench -p zbooks-import --bench faults` (N = 500 and 2,000; `-- 500` for one). A
//! whole-run figure, not a timed test.
#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    reason = "a benchmark binary"
)]

mod common;

use std::time::Duration;

use zbooks_import::ExecuteOptions;
use zbooks_sim::{FaultAction, FaultRule, Sim, SimConfig};

/// A Zoho minute, scaled.
const MINUTE: Duration = Duration::from_secs(3);

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Sizes named on the command line (after `--`); cargo's own `--bench` flag is not one.
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![500, 2_000];
    }
    for n in sizes {
        for policy in [Policy::Baseline, Policy::Zbooks] {
            rt.block_on(run(n, policy));
        }
    }
}

/// Which executor policy a run measures.
#[derive(Clone, Copy, Debug)]
enum Policy {
    /// Every 5xx defers its record for the whole deferral; no burst pause.
    Baseline,
    /// Today's defaults.
    Zbooks,
}

impl Policy {
    fn name(self) -> &'static str {
        match self {
            Policy::Baseline => "baseline",
            Policy::Zbooks => "zbooks  ",
        }
    }

    fn options(self) -> ExecuteOptions {
        let scaled = ExecuteOptions {
            read_back: false,
            settle: Duration::ZERO,
            exclusive: true,
            ..ExecuteOptions::default().scaled_to(MINUTE)
        };
        match self {
            Policy::Baseline => ExecuteOptions {
                server_retries: 0,
                burst: usize::MAX,
                ..scaled
            },
            Policy::Zbooks => scaled,
        }
    }
}

async fn run(n: usize, policy: Policy) {
    let sim = Sim::start(SimConfig {
        minute: MINUTE,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.set_faults(vec![
        FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).every(25),
        FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::zoho(500, 1000, "Internal Error"),
        )
        .every(40),
    ]);
    let records = common::contacts("Fault Customer", n);
    let common::Measured {
        result,
        elapsed,
        calls,
        served_429,
    } = common::measured_import(
        &sim,
        &tempdir(n, policy),
        MINUTE,
        &records,
        policy.options(),
    )
    .await;
    let counters = sim.counters();
    let limit_per_s = 100.0 / MINUTE.as_secs_f64();
    let mine: Vec<u64> = counters
        .records_per_natural_key
        .iter()
        .filter(|(k, _)| k.contains("Fault Customer"))
        .map(|(_, c)| *c)
        .collect();
    let lost = n - mine.iter().filter(|c| **c > 0).count();
    let doubled: u64 = mine.iter().map(|c| c.saturating_sub(1)).sum();
    let s = &result.summary;
    println!(
        "{} N = {n}: {calls} calls in {elapsed:.1} s at a limit of {limit_per_s:.1}/s: {:.3} of the \
         limit; lost {lost}, doubled {doubled}, 429 served {served_429}; created {}, adopted {}, \
         failed {}, left {}; faults fired {}",
        policy.name(),
        calls as f64 / (elapsed * limit_per_s),
        s.created,
        s.adopted,
        s.failed,
        s.left,
        counters.faults_fired,
    );
    sim.shutdown().await;
}

fn tempdir(n: usize, policy: Policy) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "zbooks-faults-{}-{n}-{policy:?}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
