//! `zbooks deluge check FILE…|DIR`: reads Deluge scripts (custom functions, workflow and
//! scheduled functions, incoming webhooks) and reports, with file:line:column, the rule and the
//! fix, what will break their calls to Zoho Books. The parser and the rules are in
//! `zbooks-deluge`; this module finds the files, prints and picks the exit code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;
use zbooks_deluge::{Level, Pos, rules};

use crate::error::CliError;
use crate::printer::{OutputFormat, Printer, wrap};
use crate::{CommandResult, exit};

/// The extensions a directory's scripts are picked by (files named on the command line are read
/// whatever their name).
const EXTENSIONS: &[&str] = &["dg", "ds", "deluge"];

/// The exit code when a finding at error level exists: the same 1 as "some records failed",
/// the command's records being the scripts.
const ERRORS_FOUND: u8 = exit::RECORDS_FAILED;

/// `zbooks deluge`.
#[derive(Debug, Subcommand)]
pub enum DelugeCommand {
    /// Check Deluge scripts for calls to Zoho Books that will break: answers never tested, the
    /// organization missing, misspelt or written in, API calls in loops, secrets, failures
    /// reported with nothing about what failed.
    Check(DelugeCheckArgs),
}

/// `zbooks deluge check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  zbooks deluge check invoice_function.dg
  zbooks deluge check scripts/                 # every .dg, .ds and .deluge file below it
  zbooks deluge check scripts/ --format json

Exit codes: 0 no finding at error level (warnings may remain), 1 findings at error level or a
script that does not parse, 2 no script found, 6 a file could not be read.
The rules and their sources: docs/deluge-checker.md")]
pub struct DelugeCheckArgs {
    /// Scripts to check, or directories to search for .dg, .ds and .deluge files.
    #[arg(value_name = "FILE|DIR", required = true)]
    pub paths: Vec<PathBuf>,
}

/// One finding as `--format json` writes it.
#[derive(Debug, Serialize)]
struct ReportFinding {
    file: String,
    #[serde(flatten)]
    pos: Pos,
    rule: &'static str,
    level: Level,
    message: String,
    fix: &'static str,
}

/// `--format json`'s data.
#[derive(Debug, Serialize)]
struct Report {
    files: usize,
    errors: usize,
    warnings: usize,
    findings: Vec<ReportFinding>,
}

/// Runs `zbooks deluge`.
pub fn run(cmd: &DelugeCommand, printer: Printer) -> CommandResult {
    match cmd {
        DelugeCommand::Check(args) => check(args, printer),
    }
}

fn check(args: &DelugeCheckArgs, printer: Printer) -> CommandResult {
    let mut files = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            let before = files.len();
            collect(path, &mut files)?;
            if files.len() == before {
                return Err(
                    CliError::usage(format!("no Deluge script in {}", path.display()))
                        .with_hint("name the files, or keep them as .dg, .ds or .deluge"),
                );
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut findings = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file)
            .map_err(|e| CliError::io(format!("cannot read {}", file.display()), &e))?;
        let text = String::from_utf8_lossy(&bytes);
        let shown = file.display().to_string();
        match zbooks_deluge::check_source(&text) {
            Ok(found) => findings.extend(found.into_iter().map(|f| ReportFinding {
                file: shown.clone(),
                pos: f.pos,
                rule: f.rule,
                level: f.level,
                message: f.message,
                fix: f.fix,
            })),
            Err(e) => findings.push(ReportFinding {
                file: shown,
                pos: e.pos,
                rule: rules::PARSE_ERROR.id,
                level: rules::PARSE_ERROR.level,
                message: e.message,
                fix: rules::PARSE_ERROR.fix,
            }),
        }
    }
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    let report = Report {
        files: files.len(),
        errors,
        warnings: findings.len() - errors,
        findings,
    };
    match printer.format {
        OutputFormat::Json => printer.json(&report),
        OutputFormat::Text => printer.out(&text(&report, printer)),
    }
    Ok(if errors > 0 { ERRORS_FOUND } else { exit::OK })
}

/// The files below `dir` with a Deluge extension, sorted, added to `out`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::io(format!("cannot read the directory {}", dir.display()), &e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The report for people: one block per finding, then the counts.
fn text(report: &Report, p: Printer) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let level = match f.level {
            Level::Error => p.colored("red", "error"),
            Level::Warning => p.colored("yellow", "warning"),
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {level}[{}]",
            f.file, f.pos.line, f.pos.column, f.rule
        );
        let _ = writeln!(out, "    {}", wrap(&f.message, p.width, 4));
        let _ = writeln!(out, "    fix: {}", wrap(f.fix, p.width, 9));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{} checked: {}, {}",
        plural(report.files, "script"),
        plural(report.errors, "error"),
        plural(report.warnings, "warning")
    );
    out
}
