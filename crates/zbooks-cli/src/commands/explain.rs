//! `zbooks explain`: any code, status, accounts error, error body or log line → what happened,
//! whether a retry helps, the likely causes and the fix.

use std::fmt::Write as _;
use std::io::Read as _;

use clap::Args;
use serde::Serialize;
use zbooks_types::catalog::{self, ENTRIES, STATUSES};
use zbooks_types::explain::{Explanation, explain};
use zbooks_types::scan::{self, Found, MAX_INPUT, ScanError};

use crate::error::CliError;
use crate::printer::{OutputFormat, Printer, wrap};
use crate::{CommandResult, exit};

/// `zbooks explain`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  zbooks explain 57
  zbooks explain 429
  zbooks explain invalid_client
  zbooks explain '{\"code\":45,\"message\":\"...maximum call rate limit of 1,000.\"}'
  tail -n 200 app.log | zbooks explain -
  zbooks explain --list")]
pub struct ExplainArgs {
    /// A code (57), a status (429), an accounts error (invalid_client), a Zoho JSON body, or a
    /// log line; several words are read as one line; `-` reads standard input.
    #[arg(value_name = "INPUT", required_unless_present = "list")]
    pub input: Vec<String>,
    /// Print the whole catalog as a table.
    #[arg(long, conflicts_with = "input")]
    pub list: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    findings: Vec<ReportFinding<'a>>,
}

#[derive(Serialize)]
struct ReportFinding<'a> {
    lines: &'a [usize],
    #[serde(flatten)]
    explanation: Explanation,
}

/// Runs `zbooks explain`.
pub fn run(args: &ExplainArgs, printer: Printer) -> CommandResult {
    if args.list {
        list(printer);
        return Ok(exit::OK);
    }
    let input = read_input(&args.input)?;
    let found = scan::scan(&input).map_err(|err| {
        let hint = match err {
            ScanError::NothingFound | ScanError::Empty => {
                "try a code (zbooks explain 57), a status (429), an accounts error \
                 (invalid_client), or paste the whole error body or log line; \
                 `zbooks explain --list` shows every known code"
            }
            ScanError::TooLarge { .. } => "pass the lines around the error, or the error body",
        };
        CliError::usage(format!("cannot explain this input: {err}")).with_hint(hint)
    })?;
    match printer.format {
        OutputFormat::Json => {
            let report = Report {
                findings: found
                    .iter()
                    .map(|f| ReportFinding {
                        lines: &f.lines,
                        explanation: explain(&f.finding),
                    })
                    .collect(),
            };
            printer.json(&report);
        }
        OutputFormat::Text => {
            let many_lines = input.trim().lines().count() > 1;
            let mut out = String::new();
            for (i, f) in found.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                render(&mut out, f, many_lines, printer);
            }
            printer.out(&out);
        }
    }
    Ok(exit::OK)
}

/// The input: the words given, joined, or standard input for `-`.
fn read_input(words: &[String]) -> Result<String, CliError> {
    if words.len() == 1 && words[0] == "-" {
        let mut buf = Vec::new();
        // Read one byte past the limit so "too large" is told from "exactly at the limit".
        let limit = u64::try_from(MAX_INPUT).unwrap_or(u64::MAX) + 1;
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io("cannot read standard input", &e))?;
        if buf.len() > MAX_INPUT {
            return Err(CliError::usage(format!(
                "cannot explain this input: standard input is larger than the {MAX_INPUT} bytes \
                 explain reads"
            ))
            .with_hint(
                "pass the lines around the error; analyze whole logs with `zbooks logs analyze`",
            ));
        }
        return Ok(String::from_utf8_lossy(&buf).into_owned());
    }
    Ok(words.join(" "))
}

fn render(out: &mut String, found: &Found, many_lines: bool, p: Printer) {
    let ex = explain(&found.finding);
    let w = p.width;
    let label = |name: &str| p.dim(&format!("  {name:<10}"));
    let indent = 12;

    let head = match (ex.code, &ex.accounts_error) {
        (Some(code), _) => format!("code {code}"),
        (None, Some(err)) => format!("accounts error \"{err}\""),
        (None, None) => ex.status.map_or_else(String::new, |s| format!("HTTP {s}")),
    };
    let status = match (ex.status, ex.input) {
        (Some(s), input) if input != "status" => format!("  [HTTP {s}]"),
        _ => String::new(),
    };
    let known = if ex.known {
        ""
    } else {
        "  (not documented by Zoho)"
    };
    let title = if ex.input == "status" {
        ex.title.clone()
    } else {
        format!("{head}: {}", ex.title)
    };
    let _ = writeln!(out, "{}{status}{known}", p.bold(&title));
    if let Some(message) = &ex.message {
        let _ = writeln!(out, "{}\"{}\"", label("message"), wrap(message, w, indent));
    }
    let _ = writeln!(out, "{}{}", label("meaning"), wrap(&ex.meaning, w, indent));
    let class = ex.class.map_or_else(
        || p.colored("green", "success"),
        |c| {
            let color = if ex.retry.is_retryable() {
                "yellow"
            } else {
                "red"
            };
            format!("{} ({})", p.colored(color, c.as_str()), c.describe())
        },
    );
    let _ = writeln!(out, "{}{}", label("class"), class);
    if ex.class.is_some() {
        let _ = writeln!(out, "{}{}", label("retry"), wrap(ex.retry_text, w, indent));
    }
    for (i, cause) in ex.causes.iter().enumerate() {
        let name = if i == 0 { "causes" } else { "" };
        let _ = writeln!(out, "{}- {}", label(name), wrap(cause, w, indent + 2));
    }
    let _ = writeln!(out, "{}{}", label("fix"), wrap(&ex.fix, w, indent));
    if let Some(folklore) = &ex.folklore {
        let text = format!(
            "Often described as {}. Not so: {}",
            folklore.claim, folklore.likely_instead
        );
        let _ = writeln!(
            out,
            "{}{}",
            label("folklore"),
            p.colored("cyan", &wrap(&text, w, indent))
        );
    }
    for note in &ex.notes {
        let _ = writeln!(out, "{}{}", label("note"), wrap(note, w, indent));
    }
    // In words: the reference's tags (`[O]`) and sections mean nothing to a user; Zoho's own
    // pages are what they can read.
    let evidence = format!("{}: {}", ex.evidence.describe(), ex.source);
    let _ = writeln!(
        out,
        "{}{}",
        label("evidence"),
        p.dim(&wrap(&evidence, w, indent))
    );
    for (i, page) in ex.pages.iter().enumerate() {
        let name = if i == 0 { "docs" } else { "" };
        let _ = writeln!(out, "{}{}", label(name), p.dim(page));
    }
    if many_lines {
        let lines: Vec<String> = found.lines.iter().map(ToString::to_string).collect();
        let shown = if lines.len() > 12 {
            format!("{} … ({} lines)", lines[..12].join(", "), lines.len())
        } else {
            lines.join(", ")
        };
        let _ = writeln!(out, "{}{}", label("lines"), shown);
    }
}

#[derive(Serialize)]
struct CatalogJson {
    codes: &'static [catalog::CatalogEntry],
    statuses: &'static [catalog::StatusEntry],
}

fn list(p: Printer) {
    if p.format == OutputFormat::Json {
        p.json(&CatalogJson {
            codes: ENTRIES,
            statuses: STATUSES,
        });
        return;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "{:<26} {:<34} {:<7} {:<20} {:<20} {}",
            "CODE / ERROR", "MEANING", "STATUS", "CLASS", "RETRY", "EVIDENCE"
        ))
    );
    for e in ENTRIES {
        let key = match e.key {
            catalog::ErrorKey::Code(c) => c.to_string(),
            catalog::ErrorKey::Accounts(a) => format!("\"{a}\""),
        };
        let status = e.status.map_or_else(|| "?".to_owned(), |s| s.to_string());
        let class = e.class.map_or("success", |c| c.as_str());
        let _ = writeln!(
            out,
            "{key:<26} {:<34} {status:<7} {class:<20} {:<20} {}",
            e.title,
            e.retry.as_str(),
            e.evidence.label()
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "{:<26} {:<34} {:<7} {:<20} {:<20} {}",
            "HTTP STATUS", "NAME", "", "CLASS", "RETRY", "EVIDENCE"
        ))
    );
    for s in STATUSES {
        let class = s.class.map_or("success", |c| c.as_str());
        let _ = writeln!(
            out,
            "{:<26} {:<34} {:<7} {class:<20} {:<20} {}",
            s.status,
            s.name,
            "",
            s.retry.as_str(),
            s.evidence.label()
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        p.dim("`zbooks explain <code>` for the causes, the fix and Zoho's own pages on it.")
    );
    p.out(&out);
}
