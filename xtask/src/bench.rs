//! `cargo xtask bench [--quick] [NAME...]`: builds the release binaries, runs every registered
//! benchmark and prints one table of what each measured, its target, whether the target is
//! met, and its baseline measured in the same run.
//!
//! A benchmark is any cargo command (usually `cargo bench -p CRATE --bench NAME -- ARGS`) that
//! prints, among anything else, lines of the form
//!
//! ```text
//! BENCH <name> value=<number> unit=<unit> target=<op><number> baseline=<number|NA> baseline_name=<text>
//! ```
//!
//! where `<op>` is `>=` (more is better) or `<=` (less is better). Everything else a benchmark
//! prints is passed through as it runs. `--quick` passes `--quick` on, for smaller inputs.
//! Every benchmark finds the release `zbooks` binary in the `ZBOOKS_BIN` variable this task
//! sets. Benchmarks are never part of `cargo test`: they time things, and the machine they run
//! on decides the figures.
//!
//! To add a benchmark, add one line to [`BENCHES`].

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// One registered benchmark: a cargo command run from the workspace root.
#[derive(Debug)]
pub(crate) struct Bench {
    /// Short name, to run only some (`cargo xtask bench logs`).
    pub(crate) name: &'static str,
    /// The cargo arguments, up to and including `--` when the command takes arguments of its
    /// own; `--quick` is appended for a quick run.
    pub(crate) cargo: &'static [&'static str],
}

/// Every benchmark `cargo xtask bench` runs, in order. One line each, so branches that add one
/// merge cleanly.
pub(crate) const BENCHES: &[Bench] = &[
    // zbooks logs analyze (the whole CLI process) against `jq -r .code | sort | uniq -c`.
    Bench {
        name: "logs",
        cargo: &[
            "bench",
            "-p",
            "zbooks-logs",
            "--bench",
            "analyze",
            "--",
            "--report",
        ],
    },
    // Tally XML: XmlObjects and the whole TallyReader on a 2 GiB export, against a bare
    // quick-xml pass over the same bytes; peak memory.
    Bench {
        name: "tally",
        cargo: &["bench", "-p", "zbooks-import", "--bench", "tally", "--"],
    },
    // CSV validation of a 1,000,000-row invoices file (read, map, validate, plan, total)
    // against the csv crate's own read of the same file; peak memory of validation.
    Bench {
        name: "csv",
        cargo: &[
            "bench",
            "-p",
            "zbooks-import",
            "--bench",
            "csv_validate",
            "--",
        ],
    },
    // Simulator: random-id GETs over 1,000,000 invoices seeded through its books, limits off,
    // against a bare hyper server on the same load generator; resident memory after seeding.
    Bench {
        name: "sim",
        cargo: &["bench", "-p", "zbooks-sim", "--bench", "gets", "--"],
    },
];

/// One `BENCH` line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) value: Option<f64>,
    pub(crate) unit: String,
    /// `>=` or `<=`, and the figure.
    pub(crate) target: Option<(String, f64)>,
    pub(crate) baseline: Option<f64>,
    pub(crate) baseline_name: String,
}

impl Row {
    /// Whether the target is met; `None` without a figure or a target.
    pub(crate) fn met(&self) -> Option<bool> {
        let value = self.value?;
        let (op, target) = self.target.as_ref()?;
        match op.as_str() {
            ">=" => Some(value >= *target),
            "<=" => Some(value <= *target),
            ">" => Some(value > *target),
            "<" => Some(value < *target),
            _ => None,
        }
    }
}

/// Reads a `BENCH` line; anything else is `None`.
pub(crate) fn parse_line(line: &str) -> Option<Row> {
    let rest = line.trim().strip_prefix("BENCH ")?;
    let mut words = rest.split_whitespace();
    let name = words.next()?.to_owned();
    let mut row = Row {
        name,
        value: None,
        unit: String::new(),
        target: None,
        baseline: None,
        baseline_name: String::new(),
    };
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            continue;
        };
        match key {
            "value" => row.value = value.parse().ok(),
            "unit" => value.clone_into(&mut row.unit),
            "target" => {
                let split = value
                    .find(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
                    .unwrap_or(value.len());
                let (op, number) = value.split_at(split);
                row.target = number.parse().ok().map(|n| (op.to_owned(), n));
            }
            "baseline" => row.baseline = value.parse().ok(),
            "baseline_name" => value.clone_into(&mut row.baseline_name),
            _ => {}
        }
    }
    Some(row)
}

fn number(n: f64) -> String {
    if n.abs() >= 100.0 {
        format!("{n:.0}")
    } else if n.abs() >= 10.0 {
        format!("{n:.1}")
    } else {
        format!("{n:.2}")
    }
}

/// The table of every row, as printed at the end of a run.
pub(crate) fn table(rows: &[Row]) -> String {
    let heads = ["benchmark", "figure", "target", "met", "baseline", "ratio"];
    let mut cells: Vec<[String; 6]> = Vec::new();
    for r in rows {
        let figure = r
            .value
            .map_or_else(|| "NA".to_owned(), |v| format!("{} {}", number(v), r.unit));
        let target = r
            .target
            .as_ref()
            .map_or_else(|| "-".to_owned(), |(op, t)| format!("{op}{}", number(*t)));
        let met = match r.met() {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        let baseline = match r.baseline {
            Some(b) if r.baseline_name.is_empty() => number(b),
            Some(b) => format!("{} ({})", number(b), r.baseline_name),
            None if r.baseline_name.is_empty() => "NA".to_owned(),
            None => format!("NA ({})", r.baseline_name),
        };
        let ratio = match (r.value, r.baseline) {
            (Some(v), Some(b)) if b != 0.0 => format!("{v:.2}x", v = v / b),
            _ => "-".to_owned(),
        };
        cells.push([
            r.name.clone(),
            figure,
            target,
            met.to_owned(),
            baseline,
            ratio,
        ]);
    }
    let mut widths = heads.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cols: &[String]| {
        let parts: Vec<String> = cols
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&heads.map(str::to_owned));
    line(&widths.map(|w| "-".repeat(w)));
    for row in &cells {
        line(row);
    }
    out
}

/// Runs the benchmarks (all, or those named), then prints the table. Fails when a benchmark
/// could not run; a target not met is shown in the table, not a failure.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let names: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    for name in &names {
        if !BENCHES.iter().any(|b| b.name == *name) {
            let known: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
            return Err(format!(
                "no benchmark named {name}; known: {}",
                known.join(", ")
            ));
        }
    }
    // The cargo that runs this task (cargo sets CARGO for what it runs), so the benchmarks are
    // built by the same toolchain.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the release binaries (cargo build --release -p zbooks-cli)");
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "zbooks-cli", "--bin", "zbooks"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("run cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), std::path::PathBuf::from);
    let zbooks = target.join("release").join("zbooks");

    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for bench in BENCHES
        .iter()
        .filter(|b| names.is_empty() || names.contains(&b.name))
    {
        eprintln!("== {}: cargo {}", bench.name, bench.cargo.join(" "));
        let mut command = Command::new(&cargo);
        command
            .args(bench.cargo)
            .current_dir(root)
            .env("ZBOOKS_BIN", &zbooks)
            .stdout(Stdio::piped());
        if quick {
            command.arg("--quick");
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("run the {} benchmark: {e}", bench.name))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                println!("{line}");
                rows.extend(parse_line(&line));
            }
        }
        let ok = child.wait().is_ok_and(|s| s.success());
        if !ok {
            failed.push(bench.name);
        }
    }
    println!();
    print!("{}", table(&rows));
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("benchmark(s) failed: {}", failed.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bench_lines_and_judges_targets() {
        let row = parse_line(
            "BENCH logs_failures value=512.5 unit=MB/s target=>=500 baseline=54.1 baseline_name=jq",
        )
        .expect("a BENCH line");
        assert_eq!(row.name, "logs_failures");
        assert_eq!(row.value, Some(512.5));
        assert_eq!(row.unit, "MB/s");
        assert_eq!(row.target, Some((">=".to_owned(), 500.0)));
        assert_eq!(row.baseline, Some(54.1));
        assert_eq!(row.met(), Some(true));
        let rss =
            parse_line("BENCH rss value=70 unit=MiB target=<=64 baseline=NA baseline_name=none")
                .expect("a BENCH line");
        assert_eq!(rss.met(), Some(false));
        assert_eq!(rss.baseline, None);
        assert_eq!(parse_line("bench logs value=1"), None);
        let text = table(&[row, rss]);
        assert!(text.contains("logs_failures"), "{text}");
        assert!(text.contains("9.47x"), "{text}");
        assert!(text.contains("NO"), "{text}");
    }
}
