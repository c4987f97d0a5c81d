//! `zbooks tally-sim`: the Tally simulator as a standalone server, answering TallyPrime's XML
//! export requests from Tally export files, for trying `zbooks import tally://...` without a
//! TallyPrime (docs/tally-live.md).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use zbooks_sim::parse_duration;
use zbooks_tally::sim::{Book, Schedule, SimConfig, TallySim};

use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::{CommandResult, exit};

/// `zbooks tally-sim`.
#[derive(Debug, Args)]
#[command(after_help = "\
Like TallyPrime it answers one request at a time: the company list, the masters (List of
Accounts), each month's vouchers, reports (Trial Balance, Profit and Loss, Balance Sheet) and
GET / (\"TallyPrime Server is Running\"). On start it prints its tally:// URL and the companies
it serves (with --format json, one JSON object on the first line of stdout).

Examples:
  zbooks tally-sim --company-file books.xml --port 9000
  zbooks tally-sim --company-file a.xml --company-file b.xml --utf16 --delay 2s --slow-every 5
  zbooks tally-sim --company-file books.xml --drop-every 3
  zbooks import tally://127.0.0.1:9000 --company \"NAME\" --from 2024-04-01 --to 2025-03-31")]
pub struct TallySimArgs {
    /// A Tally XML export to serve as an open company (its SVCURRENTCOMPANY names it);
    /// repeat for several.
    #[arg(long, value_name = "FILE", required = true)]
    pub company_file: Vec<PathBuf>,
    /// The port to listen on (on 127.0.0.1); 0 picks a free one.
    #[arg(long, default_value_t = 9000)]
    pub port: u16,
    /// Answer in UTF-16LE with a byte-order mark.
    #[arg(long)]
    pub utf16: bool,
    /// Put Tally's &#4; system marks into more values (and a raw control character).
    #[arg(long)]
    pub marks: bool,
    /// Answer slowly: wait this long before answering (every request, or those --slow-nth
    /// / --slow-every pick).
    #[arg(long, value_name = "DURATION")]
    pub delay: Option<String>,
    /// With --delay: only the Nth data request is slow.
    #[arg(long, value_name = "N", conflicts_with = "slow_every")]
    pub slow_nth: Option<u64>,
    /// With --delay: every Nth data request is slow.
    #[arg(long, value_name = "N")]
    pub slow_every: Option<u64>,
    /// Drop the connection, unanswered, of the Nth data request.
    #[arg(long, value_name = "N", conflicts_with = "drop_every")]
    pub drop_nth: Option<u64>,
    /// Drop the connection, unanswered, of every Nth data request.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub drop_every: Option<u64>,
    /// Act as a TallyPrime with no company open.
    #[arg(long)]
    pub closed: bool,
}

/// Runs `zbooks tally-sim` until the process is stopped.
pub fn run(args: &TallySimArgs, p: Printer) -> CommandResult {
    let mut books = Vec::new();
    for path in &args.company_file {
        let book = Book::read(path)
            .map_err(|e| CliError::io(format!("cannot serve {}", path.display()), &e))?;
        books.push(book);
    }
    let delay = args
        .delay
        .as_deref()
        .map(|d| parse_duration(d).map_err(|e| CliError::usage(format!("--delay: {e}"))))
        .transpose()?
        .unwrap_or_default();
    let slow = match (args.slow_nth, args.slow_every) {
        (Some(n), _) => Schedule::Nth(n),
        (None, Some(n)) => Schedule::Every(n),
        (None, None) if !delay.is_zero() => Schedule::Every(1),
        (None, None) => Schedule::Never,
    };
    let drop = match (args.drop_nth, args.drop_every) {
        (Some(n), _) => Schedule::Nth(n),
        (None, Some(n)) => Schedule::Every(n),
        (None, None) => Schedule::Never,
    };
    let config = SimConfig {
        utf16: args.utf16,
        control_marks: args.marks,
        delay,
        slow,
        drop,
        closed: args.closed,
    };
    let names: Vec<String> = books.iter().map(|b| b.name().to_owned()).collect();
    let sim = TallySim::start(books, config, args.port)
        .map_err(|e| CliError::io(format!("cannot listen on port {}", args.port), &e))?;
    if p.format == OutputFormat::Json {
        crate::envelope::write_line(
            "tally-sim",
            &json!({ "url": sim.url(), "companies": names }),
        );
    } else {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} on {}",
            p.bold("zbooks tally-sim listening"),
            sim.url()
        );
        for name in &names {
            let _ = writeln!(out, "  company  {name}");
        }
        let _ = writeln!(
            out,
            "\nPull from it with (the dates of the books to pull):\n  zbooks import {} --company \
             {:?} --from 2024-04-01 --to 2025-03-31\n\nCtrl-C stops it.",
            sim.url(),
            names.first().map_or("NAME", String::as_str)
        );
        p.out(&out);
    }
    sim.wait();
    Ok(exit::OK)
}
