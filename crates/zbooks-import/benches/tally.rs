//! Tally XML throughput and memory on a large generated export (issue 20, target 2): the
//! fixture's Day Book repeated with fresh voucher GUIDs up to 2 GiB, read three ways in the
//! same run —
//!
//! - `baseline`: a bare quick-xml pass (`quick_xml::Reader` over a buffered file, every
//!   event read and dropped), the floor any XML reader pays;
//! - `parse`: [`XmlObjects`], every Tally object out as an element tree;
//! - `full`: [`TallyReader`], every record out (parse and map).
//!
//! The readers run as in the `zbooks` binary: objects read ahead in the decoding thread
//! (`XmlObjects`' `run_ahead`), under the binary's allocator (mimalloc).
//!
//! Each figure is the median of three runs in MiB/s, with the phase's peak resident memory
//! (the kernel's VmHWM, reset between phases through `/proc/self/clear_refs`). It prints a
//! table and `BENCH` lines for `cargo xtask bench`.
//!
//! Run: `cargo bench -p zbooks-import --bench tally` (`-- --quick` for a 256 MiB input,
//! `-- --mib N` for another size, `-- --runs N`, `-- --only parse|full|baseline` for one
//! reader alone under a profiler). The input is written to a temporary
//! directory and removed afterwards.
#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]
#![expect(
    clippy::cast_precision_loss,
    reason = "figures for a table, far below 2^52"
)]

/// The `zbooks` binary's allocator, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use zbooks_import::tally::{XmlItem, XmlObjects};
use zbooks_import::{TallyOptions, TallyReader};

/// Parse throughput the issue asks for, MiB/s.
const TARGET_MIBS: f64 = 300.0;
/// Peak memory of a parse that does not grow with the input, MiB.
const TARGET_PEAK_MIB: f64 = 64.0;

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

/// Writes the fixture's Day Book with its `REQUESTDATA` repeated to `size` bytes: vouchers
/// get fresh GUIDs and numbers, masters keep theirs. Returns the size and the vouchers.
fn generate(path: &Path, size: u64) -> (u64, u64) {
    let fixture = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tally/real-daybook-tallyprime.xml"
    ));
    let text = std::fs::read_to_string(&fixture).unwrap();
    let start = text.find("<REQUESTDATA>").unwrap() + "<REQUESTDATA>".len();
    let end = text.find("</REQUESTDATA>").unwrap();
    let (head, body, tail) = (&text[..start], &text[start..end], &text[end..]);
    let vouchers_per_copy = body.matches("<VOUCHER ").count() as u64;
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    w.write_all(head.as_bytes()).unwrap();
    let mut written = head.len() as u64;
    let mut copies = 0u64;
    while written < size {
        let copy = body
            .replace("-00002d", &format!("-{copies:07}2d"))
            .replace("<VOUCHERNUMBER>", &format!("<VOUCHERNUMBER>{copies}/"))
            .replace("<REFERENCE>", &format!("<REFERENCE>{copies}/"));
        w.write_all(copy.as_bytes()).unwrap();
        written += copy.len() as u64;
        copies += 1;
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.flush().unwrap();
    (
        std::fs::metadata(path).unwrap().len(),
        copies * vouchers_per_copy,
    )
}

/// One measured pass: seconds, what it counted, peak RSS in MiB.
struct Pass {
    seconds: f64,
    count: u64,
    peak: f64,
}

fn measure(f: impl FnOnce() -> u64) -> Pass {
    reset_peak();
    let started = Instant::now();
    let count = f();
    let seconds = started.elapsed().as_secs_f64();
    Pass {
        seconds,
        count,
        peak: status("VmHWM:") as f64 / 1024.0,
    }
}

fn baseline(path: &Path) -> u64 {
    let file = BufReader::with_capacity(1 << 16, File::open(path).unwrap());
    let mut reader = quick_xml::Reader::from_reader(file);
    let mut buf = Vec::with_capacity(1 << 12);
    let mut events = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => events += 1,
            Err(e) => panic!("{e}"),
        }
    }
    events
}

fn parse(path: &Path) -> u64 {
    let objects = XmlObjects::new(File::open(path).unwrap(), Arc::from("daybook.xml")).unwrap();
    let mut count = 0;
    for item in objects {
        match item {
            XmlItem::Object(_) => count += 1,
            XmlItem::Problem(p) => panic!("{p}"),
        }
    }
    count
}

fn full(path: &Path) -> u64 {
    let reader = TallyReader::new(
        File::open(path).unwrap(),
        "daybook.xml",
        TallyOptions::default(),
    );
    let mut records = 0;
    for item in reader {
        if item.is_ok() {
            records += 1;
        }
    }
    records
}

/// The median pass by time.
fn median(mut passes: Vec<Pass>) -> Pass {
    passes.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let peak = passes.iter().map(|p| p.peak).fold(0.0, f64::max);
    let mut mid = passes.swap_remove(passes.len() / 2);
    mid.peak = peak;
    mid
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let quick = args.iter().any(|a| a == "--quick");
    let mib = value("--mib").unwrap_or(if quick { 256 } else { 2048 });
    let runs = value("--runs").unwrap_or(3).max(1);
    let dir = std::env::temp_dir().join(format!("zbooks-tally-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("daybook.xml");
    let (bytes, vouchers) = generate(&path, mib << 20);
    let size = bytes as f64 / 1_048_576.0;

    if let Some(i) = args.iter().position(|a| a == "--only") {
        // One reader alone, for a profiler.
        let pass = match args.get(i + 1).map(String::as_str) {
            Some("baseline") => measure(|| baseline(&path)),
            Some("parse") => measure(|| parse(&path)),
            _ => measure(|| full(&path)),
        };
        let _ = std::fs::remove_dir_all(&dir);
        println!(
            "{} out in {:.2} s, {:.1} MiB/s",
            pass.count,
            pass.seconds,
            size / pass.seconds
        );
        return;
    }
    let mut base = Vec::new();
    let mut objects = Vec::new();
    let mut records = Vec::new();
    for _ in 0..runs {
        // Interleaved, so that a burst of load elsewhere falls on every reader alike.
        base.push(measure(|| baseline(&path)));
        objects.push(measure(|| parse(&path)));
        records.push(measure(|| full(&path)));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (base, objects, records) = (median(base), median(objects), median(records));
    assert!(objects.count >= vouchers, "{} < {vouchers}", objects.count);
    assert!(records.count >= vouchers, "{} < {vouchers}", records.count);

    let rate = |p: &Pass| size / p.seconds;
    println!();
    println!("Tally export: {size:.0} MiB, {vouchers} vouchers, median of {runs} runs");
    println!("| reader | out | time | throughput | peak RSS |");
    println!("|---|---:|---:|---:|---:|");
    for (name, what, p) in [
        ("quick-xml bare pass (baseline)", "events", &base),
        ("XmlObjects (parse)", "objects", &objects),
        ("TallyReader (parse+map)", "records", &records),
    ] {
        println!(
            "| {name} | {} {what} | {:.2} s | {:.1} MiB/s | {:.1} MiB |",
            p.count,
            p.seconds,
            rate(p),
            p.peak
        );
    }
    let baseline_name = "quick-xml_bare_pass";
    println!(
        "BENCH tally_parse value={:.1} unit=MiB/s target=>={TARGET_MIBS} baseline={:.1} \
         baseline_name={baseline_name}",
        rate(&objects),
        rate(&base)
    );
    println!(
        "BENCH tally_parse_map value={:.1} unit=MiB/s target=>={TARGET_MIBS} baseline={:.1} \
         baseline_name={baseline_name}",
        rate(&records),
        rate(&base)
    );
    println!(
        "BENCH tally_parse_peak value={:.1} unit=MiB target=<={TARGET_PEAK_MIB} baseline={:.1} \
         baseline_name={baseline_name}",
        objects.peak, base.peak
    );
    println!(
        "BENCH tally_parse_map_peak value={:.1} unit=MiB target=<={TARGET_PEAK_MIB} \
         baseline={:.1} baseline_name={baseline_name}",
        records.peak, base.peak
    );
}
