//! The fast event-log reader (blocks scanned in place on other threads) against the reference
//! reader (one line at a time through serde): on every scenario of the corpus, on generated
//! logs spanning many blocks (failure-heavy and mostly successful, with every oddity a reader
//! meets: escapes, non-ASCII, whitespace, newer schemas, broken lines, blank and CRLF lines,
//! lines longer than a block), plain and gzip, through small and erroring readers, the two
//! must give the same report, byte for byte of its JSON. So the fast path cannot drift.
#![expect(
    clippy::unwrap_used,
    clippy::format_push_string,
    reason = "a test and its data generator: terse, and a panic is a test failure"
)]

use std::io::{Read, Write};

use proptest::prelude::*;
use zbooks_logs::{AnalyzeOptions, Analyzer, Report};

use crate::scenario::{all, to_jsonl};

/// Both readers on the same bytes: their reports and their errors.
fn both(name: &str, bytes: &[u8]) -> (Report, Report) {
    let mut fast = Analyzer::new(AnalyzeOptions::default());
    let mut reference = Analyzer::new(AnalyzeOptions::default()).reference_reader();
    let a = fast.feed_reader(name, bytes).map_err(|e| e.to_string());
    let b = reference
        .feed_reader(name, bytes)
        .map_err(|e| e.to_string());
    assert_eq!(a, b, "{name}: the readers end differently");
    (fast.finish(), reference.finish())
}

fn same(name: &str, bytes: &[u8]) -> Report {
    let (fast, reference) = both(name, bytes);
    let (a, b) = (fast.to_json(), reference.to_json());
    if a != b {
        let a = serde_json::to_string_pretty(&a).unwrap();
        let b = serde_json::to_string_pretty(&b).unwrap();
        let at = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        panic!(
            "{name}: the fast reader's report differs from the reference's at line {at}:\nfast:      {}\nreference: {}",
            a.lines().nth(at).unwrap_or(""),
            b.lines().nth(at).unwrap_or("")
        );
    }
    assert_eq!(fast.to_text(false), reference.to_text(false), "{name}");
    fast
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn every_scenario_reads_the_same_both_ways() {
    for s in all() {
        let jsonl = to_jsonl(&s.events);
        let r = same(&format!("{}.jsonl", s.name), jsonl.as_bytes());
        assert_eq!(r.sources[0].format, "zbooks_events");
        assert!(r.totals.api_calls > 0, "{}", s.name);
        same(&format!("{}.jsonl.gz", s.name), &gzip(jsonl.as_bytes()));
    }
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

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MESSAGES: [(u16, i64, &str, &str); 7] = [
    (
        429,
        44,
        "rate_limited_minute",
        "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.",
    ),
    (
        401,
        57,
        "auth_expired",
        "You are not authorized to perform this operation",
    ),
    (404, 1002, "not_found", "Invoice does not exist."),
    (500, 1000, "transient_server", "Internal error"),
    (
        400,
        3062,
        "duplicate",
        r#"The customer \"Acme \u00e9 17\" already exists. Please specify a different name."#,
    ),
    (
        400,
        2,
        "validation",
        "Invalid value passed for organization_id",
    ),
    (
        429,
        45,
        "quota_exhausted_day",
        "You have reached the maximum API calls per day (1000) — cüstömer\\tlimit",
    ),
];

/// One event line, with an oddity now and then.
fn line(rng: &mut Rng, i: u64, failure_every: u64) -> String {
    let t = 1_795_564_800_000 + i64::try_from(i).unwrap() * 37;
    let secs = t / 1000;
    let ts = format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        25 + (secs / 86_400) % 3,
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
        t % 1000
    );
    let org = ["10234695", "20000001", "30000003", ""][usize::try_from(rng.below(4)).unwrap()];
    let path = [
        "/books/v3/invoices",
        "/books/v3/contacts",
        "/books/v3/invoices/4815000000044031",
        "/books/v3/items/",
        "/oauth/v2/token",
    ][usize::try_from(rng.below(5)).unwrap()];
    let post = rng.below(3) == 0;
    let mut s = format!(
        r#"{{"schema":1,"ts":"{ts}","kind":"{}","organization_id":"{org}","method":"{}","path":"{path}""#,
        if path.contains("oauth") {
            "token"
        } else {
            "attempt"
        },
        if post { "POST" } else { "GET" }
    );
    if i % failure_every == failure_every - 1 {
        let (status, code, class, message) =
            MESSAGES[usize::try_from(rng.below(MESSAGES.len() as u64)).unwrap()];
        s.push_str(&format!(
            r#","status":{status},"code":{code},"message":"{message}","class":"{class}""#
        ));
    } else if rng.below(50) == 0 {
        s.push_str(r#","sent":"maybe_sent","class":"transient_server""#);
    } else {
        s.push_str(r#","status":200"#);
    }
    if !s.contains("\"sent\"") {
        s.push_str(r#","sent":"answered""#);
    }
    s.push_str(&format!(r#","attempt":{}"#, 1 + rng.below(3)));
    if rng.below(3) == 0 {
        s.push_str(r#","waited":[{"reason":"pacing","ms":600},{"reason":"backoff","ms":12}]"#);
    }
    s.push_str(&format!(r#","duration_ms":{}"#, rng.below(900)));
    if post || rng.below(20) == 0 {
        s.push_str(&format!(r#","natural_key":"invoice_number=INV-{}""#, i / 3));
    }
    if rng.below(25) == 0 {
        s.push_str(r#","purpose":"lookup""#);
    }
    s.push('}');
    // Oddities, each something one of the two readers could read differently (never on the
    // first line, which decides the format).
    match if i == 0 { 400 } else { rng.below(400) } {
        0 => s = s.replacen(':', ": ", 3),
        1 => s = s.replacen(r#""schema":1"#, r#""schema":2"#, 1),
        // Cut in half, at a character's start (a message may hold non-ASCII text).
        2 => {
            let mut half = s.len() / 2;
            while !s.is_char_boundary(half) {
                half -= 1;
            }
            s.truncate(half);
        }
        3 => s.push('\r'),
        4 => s = String::new(),
        5 => s = s.replacen(r#""status":200"#, r#""status":200.0"#, 1),
        6 => s = s.replacen(r#""attempt":"#, r#""attempt":null,"attempt":"#, 1),
        7 => s = s.replacen(r#""kind":"attempt""#, r#""kind":"retry""#, 1),
        8 => s = s.replacen('}', r#","future":{"a":[1,-2,true,null,"x"]}}"#, 1),
        9 => s = s.replacen(r#""purpose":"lookup""#, r#""purpose":"warm_up""#, 1),
        10 => s = s.replacen(r#""duration_ms":"#, r#""duration_ms":0"#, 1),
        11 => s = s.replacen(r#""organization_id":"#, r#""organization_id":null,"x":"#, 1),
        12 => s = s.replacen(r#""code":"#, r#""code":-"#, 1),
        13 => s = format!(" {s}"),
        14 => s = s.replacen("/books", r"\/books", 1),
        15 => s = s.replacen(r#""sent""#, r#""se\u006et""#, 1),
        16 => "not json at all".clone_into(&mut s),
        // Fields out of the writer's order, twice, or unknown; raw control characters,
        // DEL and non-ASCII text in keys and values.
        17 => {
            s = s
                .replacen(r#""schema":1,"ts""#, r#""ts""#, 1)
                .replacen('}', r#","schema":1}"#, 1);
        }
        18 => s = s.replacen(r#","sent":"#, r#","path":"/x","sent":"#, 1),
        19 => s = s.replacen(r#""method":""#, "\"method\":\"G\t", 1),
        20 => s = s.replacen(r#""kind":"#, "\"k\u{7f}nd\":\"x\",\"kind\":", 1),
        21 => s = s.replacen(r#""path":"/books"#, r#""path":"/bööks"#, 1),
        22 => s = s.replacen('}', r#","naïve":"ü","sent":"answered"}"#, 1),
        // A lookup of a path that names no resource.
        24 => {
            s = s
                .replacen(r#""path":"/books/v3/invoices""#, r#""path":"/""#, 1)
                .replacen('}', r#","purpose":"lookup"}"#, 1);
        }
        // A natural key that is not as it reads in the line.
        23 => {
            s = s.replacen(
                r#""natural_key":"invoice"#,
                r#""natural_key":"\/invoice"#,
                1,
            );
        }
        _ => {}
    }
    s
}

fn generated(lines: u64, failure_every: u64, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for i in 0..lines {
        out.extend_from_slice(line(&mut rng, i, failure_every).as_bytes());
        out.push(b'\n');
    }
    out
}

#[test]
fn generated_logs_over_many_blocks_read_the_same_both_ways() {
    // About 6 MB each: several blocks, lines straddling every block boundary.
    for (failure_every, seed) in [(5, 0x9E37_79B9_7F4A_7C15), (100, 0x2545_F491_4F6C_DD1D)] {
        let log = generated(26_000, failure_every, seed);
        assert!(log.len() > 5_000_000, "{}", log.len());
        let r = same("gen.jsonl", &log);
        assert!(
            r.sources[0].unreadable > 0,
            "the oddities include broken lines"
        );
        assert!(r.sources[0].newer_schema > 0, "and newer schemas");
        assert!(!r.findings.is_empty());
        same("gen.jsonl.gz", &gzip(&log));
        // No line ending at the end; a line longer than a block, and one longer than the
        // longest line held but shorter than a block, at either end and between blocks.
        let mut odd = log.clone();
        odd.truncate(odd.len() - 1);
        same("no-final-newline.jsonl", &odd);
        for long in [(1 << 20) + 5, (5 << 20) + 3, 1 << 20] {
            let mut huge = log[..log.len() / 3].to_vec();
            huge.extend(std::iter::repeat_n(b'{', long));
            huge.push(b'\n');
            huge.extend_from_slice(&log[log.len() / 3..]);
            huge.extend(std::iter::repeat_n(b' ', long));
            same("long.jsonl", &huge);
        }
    }
}

/// A reader handing out a few bytes at a time, then (optionally) an error.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
    fail_at: Option<usize>,
    at: usize,
    calls: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_at.is_some_and(|f| self.at >= f) {
            return Err(std::io::Error::other("the disk went away"));
        }
        self.calls += 1;
        if self.calls.is_multiple_of(3) {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let n = self.step.min(buf.len()).min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn small_reads_and_read_errors_end_the_same_both_ways() {
    let log = generated(3_000, 5, 7);
    for (step, fail_at) in [
        (7, None),
        (4096, None),
        (65_536, Some(300_000)),
        (13, Some(5_000)),
    ] {
        let run = |reference: bool| {
            let mut a = Analyzer::new(AnalyzeOptions::default());
            if reference {
                a = a.reference_reader();
            }
            let result = a
                .feed_reader(
                    "trickle.jsonl",
                    Trickle {
                        data: &log,
                        step,
                        fail_at,
                        at: 0,
                        calls: 0,
                    },
                )
                .map_err(|e| e.to_string());
            (result, a.finish().to_json())
        };
        let (fast, reference) = (run(false), run(true));
        assert_eq!(fast.0, reference.0, "step {step}");
        assert_eq!(fast.0.is_err(), fail_at.is_some());
        assert_eq!(fast.1, reference.1, "step {step}, fail at {fail_at:?}");
    }
    // A gzip stream cut short.
    let packed = gzip(&log);
    let (fast, reference) = both("cut.jsonl.gz", &packed[..packed.len() / 2]);
    assert_eq!(fast.to_json(), reference.to_json());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any splice of event-line pieces (control characters included, which the fast reader
    /// must leave to serde wherever they are): both readers agree on every line.
    #[test]
    fn any_line_reads_the_same_both_ways(seed in any::<u64>(), cut in 0usize..400, junk in "[ -~\\\\é\"{}:,0-9\\[\\]\\t\\x00\\x01\\x1f\\x7f]{0,12}") {
        let mut rng = Rng(seed | 1);
        let mut log = Vec::new();
        for i in 0..40 {
            let mut l = line(&mut rng, i, 3);
            let at = cut.min(l.len());
            if i % 2 == 1 && l.is_char_boundary(at) {
                l.insert_str(at, &junk);
            }
            log.extend_from_slice(l.as_bytes());
            log.push(b'\n');
        }
        same("prop.jsonl", &log);
    }
}

/// A lookup of a path naming no resource (`/`) is folded, not a crash.
#[test]
fn a_lookup_of_a_path_without_a_resource_reads_the_same_both_ways() {
    let line = r#"{"schema":1,"ts":"2026-11-25T10:00:00.000Z","kind":"attempt","organization_id":"1","method":"GET","path":"/","status":200,"sent":"answered","attempt":1,"duration_ms":10,"natural_key":"k1","purpose":"lookup"}"#;
    let r = same("root.jsonl", format!("{line}\n{line}\n").as_bytes());
    assert_eq!(r.totals.api_calls, 2);
}
