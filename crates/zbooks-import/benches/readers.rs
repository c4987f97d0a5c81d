//! Whole-run figures of the readers: validation of a generated 1,000,000-row invoices CSV
//! (read, map, validate, plan, total) and parsing of a generated ~200 MB Tally export (read
//! and map), each with its throughput and the peak resident memory of the phase.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-import cargo bench -p zbooks-import --bench readers`
//! (add `-- csv` or `-- tally` for one phase; the sizes are fixed so that figures compare
//! from run to run). Inputs are generated into a temporary directory and
//! removed afterwards. Peak memory is the kernel's VmHWM, reset between phases through
//! `/proc/self/clear_refs`.
#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]
#![expect(
    clippy::cast_precision_loss,
    reason = "figures for a table, far below 2^52"
)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;
use zbooks_import::{
    CsvOptions, CsvReader, Entity, ExistingRecords, InputTotals, PlanOptions, Planner,
    TallyOptions, TallyReader, ValidateOptions, Validator,
};
use zbooks_types::Plan;

const CSV_ROWS: usize = 1_000_000;
const LINES_PER_INVOICE: usize = 4;
const TALLY_BYTES: usize = 200 * 1024 * 1024;

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

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn generate_csv(path: &Path) -> u64 {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    writeln!(
        w,
        "Invoice Number,Invoice Date,Customer Name,Place of Supply,Item Name,Item Desc,Quantity,Item Price,Item Tax,HSN/SAC"
    )
    .unwrap();
    for row in 0..CSV_ROWS {
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

fn generate_tally(path: &Path) -> (u64, usize) {
    let fixture = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tally/real-daybook-tallyprime.xml"
    ));
    let text = std::fs::read_to_string(&fixture).unwrap();
    let start = text.find("<REQUESTDATA>").unwrap() + "<REQUESTDATA>".len();
    let end = text.find("</REQUESTDATA>").unwrap();
    let (head, body, tail) = (&text[..start], &text[start..end], &text[end..]);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    w.write_all(head.as_bytes()).unwrap();
    let mut written = head.len();
    let mut copies = 0;
    while written < TALLY_BYTES {
        // Vouchers get fresh GUIDs and numbers; masters keep theirs and are read once.
        let copy = body
            .replace("-00002d", &format!("-{copies:05}2d"))
            .replace("<VOUCHERNUMBER>", &format!("<VOUCHERNUMBER>{copies}/"))
            .replace("<REFERENCE>", &format!("<REFERENCE>{copies}/"));
        w.write_all(copy.as_bytes()).unwrap();
        written += copy.len();
        copies += 1;
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.flush().unwrap();
    (std::fs::metadata(path).unwrap().len(), copies * 4)
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

struct Row {
    phase: &'static str,
    input: String,
    records: usize,
    problems: usize,
    seconds: f64,
    throughput: String,
    peak: f64,
}

fn csv_phase(dir: &Path) -> Row {
    let path = dir.join("invoices.csv");
    let bytes = generate_csv(&path);
    let ex = existing();
    reset_peak();
    let started = Instant::now();
    let reader = CsvReader::new(
        File::open(&path).unwrap(),
        "invoices.csv",
        CsvOptions::default(),
    );
    let mut validator = Validator::new(&ex, ValidateOptions::default());
    let mut planner = Planner::new();
    let mut totals = InputTotals::new();
    let mut records = 0;
    for item in reader {
        match item {
            Ok(r) => {
                let ok = validator.check(&r);
                planner.add(records, &r, ok, &ex);
                totals.add(&r);
                records += 1;
            }
            Err(p) => validator.note(p),
        }
    }
    let validation = validator.finish();
    let plan = planner.finish(
        &ex,
        &PlanOptions {
            limits: Plan::Premium.limits(),
            daily_budget: None,
        },
    );
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(records, CSV_ROWS / LINES_PER_INVOICE);
    assert_eq!(validation.valid(), records, "{}", validation.report);
    assert!(plan.calls > 0 && totals.records.len() == records);
    Row {
        phase: "CSV validate",
        input: format!("{CSV_ROWS} rows, {:.0} MiB", bytes as f64 / 1_048_576.0),
        records,
        problems: validation.report.problems.len(),
        seconds,
        throughput: format!("{:.0} rows/s", CSV_ROWS as f64 / seconds),
        peak: mib(status("VmHWM:")),
    }
}

fn tally_phase(dir: &Path) -> (Row, Vec<f64>) {
    let path = dir.join("daybook.xml");
    let (bytes, vouchers) = generate_tally(&path);
    reset_peak();
    let started = Instant::now();
    let reader = TallyReader::new(
        File::open(&path).unwrap(),
        "daybook.xml",
        TallyOptions::default(),
    );
    let mut records = 0;
    let mut problems = 0;
    let mut samples = Vec::new();
    for item in reader {
        match item {
            Ok(_) => records += 1,
            Err(_) => problems += 1,
        }
        if records % 500 == 0 {
            samples.push(mib(status("VmRSS:")));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    assert!(records >= vouchers);
    let row = Row {
        phase: "Tally parse+map",
        input: format!("{vouchers} vouchers, {:.0} MiB", bytes as f64 / 1_048_576.0),
        records,
        problems,
        seconds,
        throughput: format!("{:.1} MiB/s", bytes as f64 / 1_048_576.0 / seconds),
        peak: mib(status("VmHWM:")),
    };
    (row, samples)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let want = |p: &str| args.is_empty() || args.iter().any(|a| a == p);
    let dir = std::env::temp_dir().join(format!("zbooks-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rows = Vec::new();
    let mut rss = Vec::new();
    if want("tally") {
        let (row, samples) = tally_phase(&dir);
        rows.push(row);
        rss = samples;
    }
    if want("csv") {
        rows.push(csv_phase(&dir));
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!();
    println!("| phase | input | records | problems | time | throughput | peak RSS |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.2} s | {} | {:.1} MiB |",
            r.phase, r.input, r.records, r.problems, r.seconds, r.throughput, r.peak
        );
    }
    if !rss.is_empty() {
        let min = rss.iter().copied().fold(f64::MAX, f64::min);
        let max = rss.iter().copied().fold(0.0, f64::max);
        println!(
            "\nTally RSS while parsing: {min:.1}–{max:.1} MiB over {} samples",
            rss.len()
        );
    }
}
