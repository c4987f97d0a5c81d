//! Whole-run figures for `zbooks logs analyze`, side by side: throughput on zbooks JSON Lines
//! event logs, on free-text application logs and on HAR, the peak memory of each run (a run
//! on a larger input shows that memory stays flat), and `jq` computing only the count by
//! code over the same JSON Lines file.
//!
//! Not part of `cargo test`. Run:
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-logs cargo bench -p zbooks-logs --bench analyze -- [--size-mb 256] [--big-mb 2048] [--no-jq] [--keep]
//! ```
//!
//! Each measurement runs in a child process (this binary again, with `--child`), so its peak
//! resident memory (`VmHWM`) is its own. Inputs are generated deterministically into the
//! target directory and removed afterwards.
//!
//! `--report [--quick]` (what `cargo xtask bench` runs) measures the whole CLI process instead:
//! `$ZBOOKS_BIN logs analyze FILE --format json` on a failure-heavy zbooks event log (one line
//! in five a failure: codes 44, 57, 1002, 1000, 3062) and on a mostly successful one, 300 MB
//! each (30 MB with `--quick`), each file on disk before it is read; median of 3 runs after
//! one untimed, with its peak RSS, and as the baseline `jq -r .code FILE | sort | uniq -c` on
//! the same file in the same run. It prints `BENCH` lines (see `xtask/src/bench.rs`).
#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]
#![expect(
    clippy::many_single_char_names,
    reason = "generators: t, i, w and friends read best short"
)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use zbooks_logs::{AnalyzeOptions, Analyzer};
use zbooks_types::event::{CallEvent, EVENT_SCHEMA_VERSION, EventKind, Purpose, Wait, WaitReason};
use zbooks_types::{FailureClass, Sent};

const ORGS: [&str; 3] = ["10234695", "20000001", "30000003"];
const PATHS: [&str; 6] = [
    "/books/v3/invoices",
    "/books/v3/contacts",
    "/books/v3/items",
    "/books/v3/invoices/4815000000044031",
    "/books/v3/customerpayments",
    "/books/v3/bills",
];

/// 2026-11-25T00:00:00Z.
const START: i64 = 1_795_564_800_000;

fn ts(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        (rem % 3_600_000) / 60_000,
        (rem % 60_000) / 1000,
        rem % 1000
    )
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> usize {
        usize::try_from(self.next() % n).unwrap_or(0)
    }
}

/// One call: (org, method, path, status, code, message, natural key).
fn call(
    rng: &mut Rng,
    i: u64,
) -> (
    &'static str,
    &'static str,
    &'static str,
    u16,
    i64,
    &'static str,
    Option<String>,
) {
    let org = ORGS[rng.below(3)];
    let path = PATHS[rng.below(6)];
    let method = if path.ends_with('s') && rng.below(4) == 0 {
        "POST"
    } else {
        "GET"
    };
    let key = (method == "POST").then(|| format!("invoice_number=INV-{i}"));
    let (status, code, message) = match rng.below(100) {
        0 => (
            429,
            44,
            "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.",
        ),
        1 => (401, 57, "You are not authorized to perform this operation"),
        2 => (404, 1002, "Invoice does not exist."),
        3 => (400, 2, "Invalid value passed for date"),
        _ if method == "POST" => (201, 0, "The invoice has been created."),
        _ => (200, 0, "success"),
    };
    (org, method, path, status, code, message, key)
}

fn gen_jsonl(path: &Path, bytes: u64) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut written = 0u64;
    let mut i = 0u64;
    while written < bytes {
        let t = START + i64::try_from(i).unwrap_or(0) * 50;
        let line = if i.is_multiple_of(3000) {
            format!(
                r#"{{"schema":1,"ts":"{}","kind":"token","method":"POST","path":"/oauth/v2/token","status":200,"sent":"answered","attempt":1,"duration_ms":180}}"#,
                ts(t)
            )
        } else {
            let (org, method, p, status, code, message, key) = call(&mut rng, i);
            let class = match code {
                44 => r#","class":"rate_limited_minute""#,
                57 => r#","class":"auth_expired""#,
                1002 => r#","class":"not_found""#,
                2 => r#","class":"validation""#,
                _ => "",
            };
            let key = key.map_or_else(String::new, |k| format!(r#","natural_key":"{k}""#));
            format!(
                r#"{{"schema":1,"ts":"{}","kind":"attempt","organization_id":"{org}","method":"{method}","path":"{p}","status":{status},"code":{code},"message":"{message}"{class},"sent":"answered","attempt":1,"waited":[{{"reason":"pacing","ms":{}}}],"duration_ms":{}{key}}}"#,
                ts(t),
                rng.below(600),
                40 + rng.below(400)
            )
        };
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        i += 1;
    }
    w.flush()?;
    Ok(written)
}

fn gen_text(path: &Path, bytes: u64) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut written = 0u64;
    let mut i = 0u64;
    while written < bytes {
        let t = START + i64::try_from(i).unwrap_or(0) * 50;
        let when = ts(t).replace('T', " ").replace('Z', "");
        let line = match i % 4 {
            // Half the lines of a real application log have nothing to do with Zoho.
            0 => format!(
                "{when} INFO  [worker-{}] processed batch {} of order sync in {} ms, queue depth {}",
                rng.below(8),
                i,
                rng.below(900),
                rng.below(50)
            ),
            1 => format!(
                "{when} DEBUG [cache] hit ratio 0.{} for key customer:{} (evictions {})",
                rng.below(99),
                rng.below(100_000),
                rng.below(10)
            ),
            2 => {
                let (org, method, p, status, code, message, key) = call(&mut rng, i);
                format!(
                    "{when} {} [zoho] {method} https://www.zohoapis.com{p}?organization_id={org} {} -> HTTP {status} {{\"code\":{code},\"message\":\"{message}\"}} ({} ms)",
                    if code == 0 { "INFO " } else { "ERROR" },
                    key.unwrap_or_default(),
                    40 + rng.below(400)
                )
            }
            _ => {
                let (org, method, p, status, code, message, _) = call(&mut rng, i);
                format!(
                    r#"{{"time":"{}","level":"{}","msg":"zoho call","method":"{method}","url":"https://www.zohoapis.com{p}?organization_id={org}","status":{status},"response":"{{\"code\":{code},\"message\":\"{message}\"}}"}}"#,
                    ts(t),
                    if code == 0 { "info" } else { "error" }
                )
            }
        };
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        i += 1;
    }
    w.flush()?;
    Ok(written)
}

fn gen_har(path: &Path, bytes: u64) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    w.write_all(
        br#"{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":["#,
    )?;
    let mut written = 0u64;
    let mut i = 0u64;
    while written < bytes {
        let t = START + i64::try_from(i).unwrap_or(0) * 50;
        let (org, method, p, status, code, message, key) = call(&mut rng, i);
        let post = key.map_or_else(String::new, |k| {
            let (f, v) = k.split_once('=').unwrap_or(("k", "v"));
            format!(r#","postData":{{"mimeType":"application/json","text":"{{\"{f}\":\"{v}\",\"customer_id\":\"1\"}}"}}"#)
        });
        let entry = format!(
            r#"{}{{"startedDateTime":"{}","time":{},"request":{{"method":"{method}","url":"https://www.zohoapis.com{p}?organization_id={org}","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1{post}}},"response":{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{{"size":0,"mimeType":"application/json","text":"{{\"code\":{code},\"message\":\"{message}\"}}"}},"redirectURL":"","headersSize":-1,"bodySize":-1}},"cache":{{}},"timings":{{"send":0,"wait":100,"receive":0}}}}"#,
            if i == 0 { "" } else { "," },
            ts(t),
            40 + rng.below(400)
        );
        w.write_all(entry.as_bytes())?;
        written += entry.len() as u64;
        i += 1;
    }
    w.write_all(b"]}}\n")?;
    w.flush()?;
    Ok(written)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// In the child: analyze one file, print seconds, peak RSS and what was found.
fn child(path: &Path) {
    let start = Instant::now();
    let mut a = Analyzer::new(AnalyzeOptions::default());
    if let Err(e) = a.feed_path(path) {
        println!("error {e}");
        return;
    }
    let report = a.finish();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{secs} {} {} {}",
        peak_rss_kb(),
        report.totals.api_calls + report.totals.token_requests,
        report.findings.len()
    );
}

struct Row {
    what: String,
    mb: f64,
    secs: f64,
    rss_mb: f64,
    note: String,
}

#[expect(clippy::cast_precision_loss, reason = "sizes in MB for a table")]
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn run_child(what: &str, path: &Path, bytes: u64) -> Row {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("analyze"));
    let out = Command::new(exe).arg("--child").arg(path).output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = text.split_whitespace().collect();
    let secs: f64 = parts
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let rss: f64 = parts
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    Row {
        what: what.to_owned(),
        mb: mb(bytes),
        secs,
        rss_mb: rss / 1024.0,
        note: format!(
            "{} calls, {} findings",
            parts.get(2).unwrap_or(&"?"),
            parts.get(3).unwrap_or(&"?")
        ),
    }
}

fn run_jq(path: &Path, bytes: u64) -> Option<Row> {
    let start = Instant::now();
    let out = Command::new("/usr/bin/jq")
        .args([
            "-n",
            "-c",
            "reduce (inputs | .code) as $c ({}; .[($c | tostring)] += 1)",
        ])
        .arg(path)
        .output()
        .ok()?;
    let secs = start.elapsed().as_secs_f64();
    Some(Row {
        what: "jq: count by code only".to_owned(),
        mb: mb(bytes),
        secs,
        rss_mb: f64::NAN,
        note: String::from_utf8_lossy(&out.stdout)
            .trim()
            .chars()
            .take(60)
            .collect(),
    })
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--report") {
        return report(&args);
    }
    if let Some(i) = args.iter().position(|a| a == "--child") {
        if let Some(p) = args.get(i + 1) {
            child(Path::new(p));
        }
        return Ok(());
    }
    let arg = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let size = arg("--size-mb", 256) * 1_000_000;
    let big = arg("--big-mb", 0) * 1_000_000;
    let jq = !args.iter().any(|a| a == "--no-jq");
    // Keeps the generated inputs (for profiling the `--child` runs).
    let keep = args.iter().any(|a| a == "--keep");
    let remove = |p: &Path| {
        if keep {
            Ok(())
        } else {
            std::fs::remove_file(p)
        }
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("zbooks-logs-bench");
    std::fs::create_dir_all(&dir)?;

    let mut rows = Vec::new();
    let jsonl = dir.join("events.jsonl");
    let n = gen_jsonl(&jsonl, size)?;
    rows.push(run_child("zbooks event log (JSON Lines)", &jsonl, n));
    if jq && Path::new("/usr/bin/jq").exists() {
        rows.extend(run_jq(&jsonl, n));
    }
    remove(&jsonl)?;
    let text = dir.join("app.log");
    let n = gen_text(&text, size)?;
    rows.push(run_child("free text (half Zoho lines)", &text, n));
    remove(&text)?;
    let har = dir.join("calls.har");
    let n = gen_har(&har, size / 4)?;
    rows.push(run_child("HAR", &har, n));
    remove(&har)?;
    if big > 0 {
        let path = dir.join("big.jsonl");
        let n = gen_jsonl(&path, big)?;
        rows.push(run_child("zbooks event log, large", &path, n));
        remove(&path)?;
        let path = dir.join("big.log");
        let n = gen_text(&path, big)?;
        rows.push(run_child("free text, large", &path, n));
        remove(&path)?;
    }

    println!(
        "{:<32} {:>9} {:>9} {:>10} {:>12}  notes",
        "input", "MB", "seconds", "MB/s", "peak RSS MB"
    );
    for r in rows {
        println!(
            "{:<32} {:>9.0} {:>9.2} {:>10.0} {:>12.1}  {}",
            r.what,
            r.mb,
            r.secs,
            r.mb / r.secs,
            r.rss_mb,
            r.note
        );
    }
    Ok(())
}

/// The failures of the failure-heavy log, in turn: (status, code, class, message).
const FAILURES: [(u16, i64, FailureClass, &str); 5] = [
    (
        429,
        44,
        FailureClass::RateLimitedMinute,
        "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.",
    ),
    (
        401,
        57,
        FailureClass::AuthExpired,
        "You are not authorized to perform this operation",
    ),
    (404, 1002, FailureClass::NotFound, "Invoice does not exist."),
    (500, 1000, FailureClass::TransientServer, "Internal error"),
    (
        400,
        3062,
        FailureClass::Duplicate,
        "The customer \"Acme Trading 17\" already exists. Please specify a different name.",
    ),
];

/// A zbooks event log as the client writes it (`serde_json::to_string` of each
/// [`CallEvent`], one per line): one line in `failure_every` a failure (the codes of
/// [`FAILURES`] in turn), a token request every 3000 lines, creates with their natural key,
/// the lookups that settle a 1000 on a create, pacing waits.
fn gen_events(path: &Path, bytes: u64, failure_every: u64) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut written = 0u64;
    let mut i = 0u64;
    let mut failures = 0usize;
    let mut retry_of: Option<(String, u32)> = None;
    while written < bytes {
        let t = START + i64::try_from(i).unwrap_or(0) * 50;
        let at = ts(t);
        let mut event = CallEvent {
            schema: EVENT_SCHEMA_VERSION,
            ts: at,
            kind: EventKind::Attempt,
            organization_id: Some(ORGS[rng.below(3)].to_owned()),
            method: "GET".to_owned(),
            path: PATHS[rng.below(6)].to_owned(),
            status: Some(200),
            code: None,
            message: None,
            class: None,
            sent: Sent::Answered,
            attempt: 1,
            waited: Vec::new(),
            duration_ms: 40 + rng.below(400) as u64,
            natural_key: None,
            purpose: None,
        };
        if rng.below(3) == 0 {
            event.waited.push(Wait {
                reason: WaitReason::Pacing,
                ms: rng.below(600) as u64,
            });
        }
        if i.is_multiple_of(3000) {
            event.kind = EventKind::Token;
            event.organization_id = None;
            "POST".clone_into(&mut event.method);
            "/oauth/v2/token".clone_into(&mut event.path);
            event.duration_ms = 180;
        } else if let Some((key, attempt)) = retry_of.take() {
            // After a create in doubt: the lookup by its key, then the create again.
            if attempt == 0 {
                event.purpose = Some(Purpose::Lookup);
                event.natural_key = Some(key.clone());
                retry_of = Some((key, 2));
            } else {
                "POST".clone_into(&mut event.method);
                "/books/v3/invoices".clone_into(&mut event.path);
                event.status = Some(201);
                event.attempt = attempt;
                event.natural_key = Some(key);
            }
        } else {
            if event.path.ends_with('s') && rng.below(8) == 0 {
                "POST".clone_into(&mut event.method);
                event.status = Some(201);
                event.natural_key = Some(format!("invoice_number=INV-{i}"));
            }
            if (i % failure_every) == failure_every - 1 {
                let (status, code, class, message) = FAILURES[failures % FAILURES.len()];
                failures += 1;
                event.status = Some(status);
                event.code = Some(code);
                event.class = Some(class);
                event.message = Some(message.to_owned());
                if code == 1000 && event.method == "POST" {
                    retry_of = event.natural_key.clone().map(|k| (k, 0));
                }
            }
        }
        let line = serde_json::to_string(&event).map_err(std::io::Error::other)?;
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        i += 1;
    }
    // On disk before anything is timed: the kernel writing the fresh file back while the
    // first runs read it would be timed with them.
    w.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    Ok(written)
}

/// The median of some figures.
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs a command under `/usr/bin/time` (when there is one) for its peak RSS: seconds, peak
/// RSS in MiB, and its standard output.
fn timed(program: &Path, args: &[&std::ffi::OsStr], rss_file: &Path) -> (f64, f64, Vec<u8>) {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    command.args(args);
    let start = Instant::now();
    let out = command.output();
    let secs = start.elapsed().as_secs_f64();
    let Ok(out) = out else {
        return (f64::NAN, f64::NAN, Vec::new());
    };
    if !out.status.success() {
        println!(
            "note: {} exited with {}: {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return (f64::NAN, f64::NAN, out.stdout);
    }
    let rss = std::fs::read_to_string(rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0);
    (secs, rss, out.stdout)
}

fn figure(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "NA".to_owned()
    }
}

/// `--report`: the whole CLI process against jq, as `BENCH` lines.
fn report(args: &[String]) -> std::io::Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    let keep = args.iter().any(|a| a == "--keep");
    let size: u64 = if quick { 30_000_000 } else { 300_000_000 };
    let runs = 3;
    let zbooks = args
        .iter()
        .position(|a| a == "--zbooks")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("ZBOOKS_BIN").map(PathBuf::from));
    let Some(zbooks) = zbooks.filter(|p| p.exists()) else {
        println!(
            "note: no zbooks binary: set ZBOOKS_BIN or pass --zbooks (cargo xtask bench does)"
        );
        return Err(std::io::Error::other("no zbooks binary"));
    };
    let jq = Path::new("/usr/bin/jq");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("zbooks-logs-bench");
    std::fs::create_dir_all(&dir)?;
    let rss_file = dir.join("rss.txt");
    let cases = [
        ("failures", "failure-heavy (1 in 5 failed)", 5, 500.0),
        (
            "successes",
            "mostly successful (1 in 100 failed)",
            100,
            1000.0,
        ),
    ];
    for (name, what, failure_every, target) in cases {
        let path = dir.join(format!("{name}.jsonl"));
        let bytes = gen_events(&path, size, failure_every)?;
        let megabytes = mb(bytes);
        let file = path.as_os_str();
        let mut secs = Vec::new();
        let mut rss = Vec::new();
        // One run first, untimed, as jq's runs come after these: each is timed on a file
        // already read once.
        for run in 0..=runs {
            let (s, r, out) = timed(
                &zbooks,
                &[
                    "logs".as_ref(),
                    "analyze".as_ref(),
                    file,
                    "--format".as_ref(),
                    "json".as_ref(),
                ],
                &rss_file,
            );
            if run == 0 {
                continue;
            }
            if serde_json::from_slice::<serde_json::Value>(&out).is_err() {
                println!("note: zbooks logs analyze did not print a JSON report");
                secs.push(f64::NAN);
            } else {
                secs.push(s);
            }
            rss.push(r);
        }
        let ours = megabytes / median(secs);
        let peak = rss.iter().copied().fold(f64::NAN, f64::max);
        let (base, base_rss, note) = if jq.exists() {
            let mut secs = Vec::new();
            let mut rss = Vec::new();
            for _ in 0..runs {
                let start = Instant::now();
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(
                        r#"/usr/bin/time -f %M -o "$2" /usr/bin/jq -r .code "$1" | sort | uniq -c"#,
                    )
                    .arg("sh")
                    .arg(&path)
                    .arg(&rss_file)
                    .output();
                let s = start.elapsed().as_secs_f64();
                secs.push(if out.is_ok_and(|o| o.status.success()) {
                    s
                } else {
                    f64::NAN
                });
                rss.push(
                    std::fs::read_to_string(&rss_file)
                        .ok()
                        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse::<f64>().ok()))
                        .map_or(f64::NAN, |kb| kb / 1024.0),
                );
            }
            (
                megabytes / median(secs),
                rss.iter().copied().fold(f64::NAN, f64::max),
                "jq -r .code | sort | uniq -c",
            )
        } else {
            (f64::NAN, f64::NAN, "no /usr/bin/jq: baseline=NA")
        };
        println!(
            "logs analyze, {what}: {megabytes:.0} MB, {} MB/s, peak {} MiB (median of {runs}); {note}: {} MB/s, peak {} MiB",
            figure(ours),
            figure(peak),
            figure(base),
            figure(base_rss),
        );
        println!(
            "BENCH logs_analyze_{name} value={} unit=MB/s target=>={target} baseline={} baseline_name=jq_code_count",
            figure(ours),
            figure(base),
        );
        println!(
            "BENCH logs_analyze_{name}_rss value={} unit=MiB target=<=64 baseline={} baseline_name=jq_peak_rss",
            figure(peak),
            figure(base_rss),
        );
        if !keep {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
