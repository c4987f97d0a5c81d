//! CSV validation against its floor: a generated 1,000,000-row invoices CSV (four rows an
//! invoice) read, mapped, validated, planned and totalled as `zbooks import` does before any
//! call, beside the csv crate's own read of the same file (`csv::Reader::records()`, counting
//! rows), measured in the same run. Both run three times, interleaved, and the best of each is
//! kept (the machine may be shared). Peak memory is the kernel's VmHWM of each pass, reset
//! before it through `/proc/self/clear_refs` (the process holds the existing-records index
//! throughout).
//!
//! Run: `cargo bench -p zbooks-import --bench csv_validate` (`-- --quick`: 200,000 rows, once;
//! `-- --rows N` for another size). Prints a table and `BENCH` lines for `cargo xtask bench`:
//! rows a second (target at least 500,000, issue 20) and peak memory (at most 150 MB).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]
#![expect(
    clippy::cast_precision_loss,
    reason = "figures for a table, far below 2^52"
)]

/// The `zbooks` binary's allocator, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use serde_json::json;
use zbooks_import::{
    CsvOptions, CsvReader, Entity, ExistingRecords, InputTotals, PlanOptions, Planner,
    ValidateOptions, Validator,
};
use zbooks_types::Plan;

const ROWS: usize = 1_000_000;
const ROWS_QUICK: usize = 200_000;
const LINES_PER_INVOICE: usize = 4;
const TARGET_ROWS_PER_S: f64 = 500_000.0;
const TARGET_PEAK_MB: f64 = 150.0;

fn status(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn reset_peak() {
    // "5" resets VmHWM to the current RSS (Linux 4.0+).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The same file the readers bench generates: Zoho's invoice template columns, a quoted
/// description with a comma in every row.
fn generate(path: &Path, rows: usize) -> u64 {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    writeln!(
        w,
        "Invoice Number,Invoice Date,Customer Name,Place of Supply,Item Name,Item Desc,Quantity,Item Price,Item Tax,HSN/SAC"
    )
    .unwrap();
    for row in 0..rows {
        let inv = row / LINES_PER_INVOICE;
        let day = inv % 28 + 1;
        writeln!(
            w,
            "INV-{inv:07},2024-04-{day:02},Customer {:04},Maharashtra,Item {:03},\"Line {row}, as ordered\",{},{}.{:02},GST18,85365090",
            inv % 1000,
            row % 200,
            row % 50 + 1,
            row % 900 + 10,
            row % 100
        )
        .unwrap();
    }
    w.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn existing() -> ExistingRecords {
    let mut ex = ExistingRecords::new();
    for i in 0..1000 {
        ex.add(
            Entity::Contact,
            &json!({"contact_id": format!("c{i}"), "contact_name": format!("Customer {i:04}")}),
        );
    }
    for i in 0..200 {
        ex.add(
            Entity::Item,
            &json!({"item_id": format!("i{i}"), "name": format!("Item {i:03}")}),
        );
    }
    ex.add(
        Entity::Tax,
        &json!({"tax_id": "t1", "tax_name": "GST18", "tax_type": "tax_group"}),
    );
    ex
}

/// One validation pass: seconds, records, problems.
fn validate(path: &Path, rows: usize, ex: &ExistingRecords) -> (f64, usize, usize) {
    let started = Instant::now();
    let reader = CsvReader::new(
        File::open(path).unwrap(),
        "invoices.csv",
        CsvOptions::default(),
    );
    let mut validator = Validator::new(ex, ValidateOptions::default());
    let mut planner = Planner::new();
    let mut totals = InputTotals::new();
    let mut records = 0;
    for item in reader {
        match item {
            Ok(r) => {
                let ok = validator.check(&r);
                planner.add(records, &r, ok, ex);
                totals.add(&r);
                records += 1;
            }
            Err(p) => validator.note(p),
        }
    }
    let validation = validator.finish();
    let plan = planner.finish(
        ex,
        &PlanOptions {
            limits: Plan::Premium.limits(),
            daily_budget: None,
        },
    );
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(records, rows / LINES_PER_INVOICE);
    assert_eq!(validation.valid(), records, "{}", validation.report);
    assert!(plan.calls > 0 && totals.records.len() == records);
    (seconds, records, validation.report.problems.len())
}

/// The baseline: the csv crate reading the same file, counting rows.
fn raw(path: &Path, rows: usize) -> f64 {
    let started = Instant::now();
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut count = 0;
    for row in reader.records() {
        row.unwrap();
        count += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(count, rows);
    seconds
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let rows = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if quick { ROWS_QUICK } else { ROWS });
    let runs = if quick { 1 } else { 3 };
    let dir = std::env::temp_dir().join(format!("zbooks-csv-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("invoices.csv");
    let bytes = generate(&path, rows);
    let ex = existing();
    let (mut best, mut best_raw, mut peak_kib, mut raw_peak_kib) = (f64::MAX, f64::MAX, 0, 0);
    let (mut records, mut problems) = (0, 0);
    for run in 0..runs {
        reset_peak();
        best_raw = best_raw.min(raw(&path, rows));
        if run == 0 {
            // Later runs start from what validation left mapped (the allocator keeps it).
            raw_peak_kib = status("VmHWM:");
        }
        reset_peak();
        let (seconds, r, p) = validate(&path, rows, &ex);
        peak_kib = peak_kib.max(status("VmHWM:"));
        best = best.min(seconds);
        (records, problems) = (r, p);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let rate = rows as f64 / best;
    let raw_rate = rows as f64 / best_raw;
    let peak_mb = peak_kib as f64 * 1024.0 / 1e6;
    let raw_peak_mb = raw_peak_kib as f64 * 1024.0 / 1e6;
    println!();
    println!("| phase | input | records | problems | best time | throughput | peak RSS |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    println!(
        "| CSV validate | {rows} rows, {:.0} MiB | {records} | {problems} | {best:.2} s | {rate:.0} rows/s | {peak_mb:.0} MB |",
        bytes as f64 / 1_048_576.0
    );
    println!(
        "| csv crate read (baseline) | same file | {rows} | | {best_raw:.2} s | {raw_rate:.0} rows/s | {raw_peak_mb:.0} MB |"
    );
    println!();
    println!(
        "BENCH csv_validate value={rate:.0} unit=rows/s target=>={TARGET_ROWS_PER_S:.0} baseline={raw_rate:.0} baseline_name=csv-crate-records"
    );
    println!(
        "BENCH csv_validate_peak value={peak_mb:.0} unit=MB target=<={TARGET_PEAK_MB:.0} baseline={raw_peak_mb:.0} baseline_name=csv-crate-records"
    );
}
