//! `zbooks tieout`: Tally's trial balance, profit and loss and balance sheet beside Zoho
//! Books' for one period, per account group and in total, every difference explained where
//! its cause is known (`zbooks_tally::tieout`). Tally's side comes from a running Tally
//! (`--tally tally://HOST:PORT --company NAME`), from report XML exported from Tally
//! (`--tally-report FILE`, repeatable), or from a company export (`--tally-export FILE`, the
//! reports computed by `zbooks_tally::reports`); Zoho's from its reports API. The end of
//! `zbooks import` and `zbooks demo` run it too ([`after_import`]).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};
use zbooks_client::{Client, Decimal, Method};
use zbooks_import::{Problem, Severity};
use zbooks_store::{JournalEntry, RecordState};
use zbooks_tally::Company;
use zbooks_tally::live::{Day, LiveOptions, Tally};
use zbooks_tally::reports::{self, Report, ReportKind};
use zbooks_tally::tieout::{self, Cause, Evidence, TieOut, ZohoLine, money, side as cells};
use zbooks_types::reports::ZohoReport;

use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings};
use crate::{CommandResult, exit, render};

/// `zbooks tieout`.
#[derive(Debug, Args)]
#[command(after_help = "\
Groups are Tally's primary groups with Zoho's account types mapped into them (docs/tieout.md).
Every difference is explained where its cause is known (opening balances not brought over, a
failed record, an unmapped ledger, a voucher type not imported, a draft in Zoho, rounding) and
listed as UNEXPLAINED where not. Exit 1 when a group differs by more than --tolerance;
explained differences count too, unless --accept-explained.

Examples:
  zbooks tieout --tally-export daybook.xml
  zbooks tieout --tally tally://localhost:9000 --company \"Sample Traders\" --from 2024-04-01 --to 2025-03-31
  zbooks tieout --tally-report tb.xml --tally-report pl.xml --tally-report bs.xml --to 2025-03-31
  zbooks tieout --tally-export daybook.xml --tolerance 1.00 --accept-explained
  zbooks tieout --tally-export daybook.xml --format json
  zbooks tieout --tally-export daybook.xml --html tieout.html")]
pub struct TieoutArgs {
    /// A running TallyPrime's XML server, `tally://HOST:PORT` (needs --company).
    #[arg(long, value_name = "URL", conflicts_with_all = ["tally_report", "tally_export"])]
    pub tally: Option<String>,
    /// The company open in Tally (with --tally).
    #[arg(long, value_name = "NAME", requires = "tally")]
    pub company: Option<String>,
    /// A report exported from Tally as XML (Trial Balance, Profit and Loss or Balance Sheet;
    /// repeat for more).
    #[arg(
        long = "tally-report",
        value_name = "FILE",
        conflicts_with = "tally_export"
    )]
    pub tally_report: Vec<PathBuf>,
    /// A Tally company export (the file `zbooks import` reads): the reports are computed
    /// from its opening balances and vouchers, and differences explained voucher by voucher.
    #[arg(long = "tally-export", value_name = "FILE")]
    pub tally_export: Option<PathBuf>,
    /// The period's first day, YYYY-MM-DD (with --tally-export: the first voucher's date).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The period's last day, YYYY-MM-DD (with --tally-export: the last voucher's date).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The largest difference per group that still ties out.
    #[arg(long, value_name = "AMOUNT", default_value = "0.00")]
    pub tolerance: String,
    /// Let explained differences pass: only unexplained ones beyond the tolerance fail.
    #[arg(long)]
    pub accept_explained: bool,
    /// The opening balances are in Zoho already: do not explain differences with them
    /// (zbooks also finds them there itself, in `/settings/openingbalances`).
    #[arg(long)]
    pub openings_in_zoho: bool,
    /// Also write the tie-out as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Tally's three reports of `company` for `from..=to` (`YYYY-MM-DD`), asked of the running
/// Tally at `url` with the live client: one request at a time, with its timeouts, retries and
/// explained errors (docs/tally-live.md).
///
/// # Errors
/// Tally cannot be asked, refuses, or answers what cannot be read.
pub fn live_reports(
    url: &str,
    company: &str,
    from: Option<&str>,
    to: Option<&str>,
    options: LiveOptions,
) -> Result<Vec<Report>, CliError> {
    let day = |flag: &str, d: Option<&str>| {
        d.map(|d| Day::parse(d).map_err(|e| CliError::usage(format!("{flag} {d}: {e}"))))
            .transpose()
    };
    let (from, to) = (day("--from", from)?, day("--to", to)?);
    let tally = Tally::new(url, options).map_err(|e| CliError::tally(url, &e))?;
    let company = tally
        .check_company(company)
        .map_err(|e| CliError::tally(url, &e))?;
    let mut out = Vec::new();
    for k in ReportKind::ALL {
        let text = tally
            .report(&company, k.tally_id(), from, to)
            .map_err(|e| CliError::tally(url, &e))?;
        let report = reports::parse(k, text.as_bytes()).map_err(|e| {
            CliError::usage(format!("Tally's {} cannot be read: {e}", k.tally_id()))
        })?;
        // A company's trial balance is never empty: an empty one is how some Tally
        // releases say the company is not the one asked for.
        if k == ReportKind::TrialBalance && report.lines.is_empty() {
            return Err(
                CliError::usage(format!("Tally's Trial Balance of {company:?} is empty"))
                    .with_hint(
                        "check the company's name (--company) and that it is open in Tally \
                         (Gateway of Tally > Select Company)",
                    ),
            );
        }
        out.push(report);
    }
    Ok(out)
}

/// `YYYY-MM-DD` → Tally's `YYYYMMDD`.
fn tally_date(d: &str) -> String {
    d.chars().filter(char::is_ascii_digit).collect()
}

/// Tally's `YYYYMMDD` → `YYYY-MM-DD`.
fn iso_date(d: &str) -> Option<String> {
    let d: String = d.chars().filter(char::is_ascii_digit).collect();
    (d.len() == 8).then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
}

fn check_date(flag: &str, d: Option<&String>) -> Result<(), CliError> {
    if let Some(d) = d
        && !zbooks_import::value::is_zoho_date(d)
    {
        return Err(CliError::usage(format!("{flag} {d:?} is not a date"))
            .with_hint("write dates as YYYY-MM-DD"));
    }
    Ok(())
}

/// The period of a company's vouchers (`YYYY-MM-DD`), when it has dated ones.
pub fn voucher_period(company: &Company) -> (Option<String>, Option<String>) {
    let dates: Vec<&str> = company
        .vouchers
        .iter()
        .filter_map(|v| v.date_raw.as_deref())
        .collect();
    (
        dates.iter().min().and_then(|d| iso_date(d)),
        dates.iter().max().and_then(|d| iso_date(d)),
    )
}

/// Zoho's three reports for `from..=to`, as account rows.
///
/// # Errors
/// The client's failure, or an answer without readable rows.
pub async fn zoho_side(
    client: &Client,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<(ReportKind, Vec<ZohoLine>)>, CliError> {
    let mut out = Vec::new();
    for (zoho, kind) in [
        (ZohoReport::TrialBalance, ReportKind::TrialBalance),
        (ZohoReport::ProfitAndLoss, ReportKind::ProfitAndLoss),
        (ZohoReport::BalanceSheet, ReportKind::BalanceSheet),
    ] {
        let body = client.report(zoho, from, to).await.map_err(|e| {
            render::client_error(format!("cannot read Zoho's {}", zoho.title()), &e)
        })?;
        let lines = tieout::zoho_lines(&body).map_err(|what| {
            CliError::usage(format!(
                "Zoho's {} has a row without figures: {what}",
                zoho.title()
            ))
        })?;
        out.push((kind, lines));
    }
    Ok(out)
}

/// The numbers of Zoho's draft invoices (drafts post nothing to Zoho's books).
///
/// # Errors
/// The client's failure.
pub async fn zoho_drafts(client: &Client) -> Result<Vec<String>, CliError> {
    let mut out = Vec::new();
    for page in 1..=500_u32 {
        let body = client
            .request(Method::GET, "/invoices")
            .query("filter_by", "Status.Draft")
            .query("page", page.to_string())
            .query("per_page", "200")
            .send_json()
            .await
            .map_err(|e| render::client_error("cannot list Zoho's draft invoices", &e))?;
        for inv in body["invoices"].as_array().into_iter().flatten() {
            if let Some(n) = inv["invoice_number"].as_str() {
                out.push(n.to_owned());
            }
        }
        if body["page_context"]["has_more_page"].as_bool() != Some(true) {
            break;
        }
    }
    Ok(out)
}

/// The vouchers the import did not bring over, by their line in the file: its mapping
/// errors (a voucher type it cannot classify is [`Cause::VoucherTypeNotImported`]) and the
/// journal's failed records.
pub fn not_imported(problems: &[Problem], entries: &[JournalEntry]) -> Vec<(u64, Cause, String)> {
    let mut out = Vec::new();
    for p in problems.iter().filter(|p| {
        p.severity == Severity::Error && p.location.element.as_deref() == Some("VOUCHER")
    }) {
        let cause = if p.message.contains("voucher type") {
            Cause::VoucherTypeNotImported
        } else {
            Cause::FailedRecord
        };
        out.push((p.location.line, cause, p.message.clone()));
    }
    for e in entries.iter().filter(|e| e.state == RecordState::Failed) {
        let line = e
            .record
            .as_deref()
            .and_then(|t| serde_json::from_str::<zbooks_import::Record>(t).ok())
            .map(|r| r.location.line);
        if let Some(line) = line {
            let reason = e
                .message
                .clone()
                .unwrap_or_else(|| "Zoho refused it".to_owned());
            out.push((line, Cause::FailedRecord, reason));
        }
    }
    out
}

/// Prints the tie-out (text or JSON) and writes the HTML page when asked; answers the exit
/// code: 1 when it does not tie out.
///
/// # Errors
/// The HTML file cannot be written.
pub fn show(t: &TieOut, p: Printer, html: Option<&Path>) -> Result<u8, CliError> {
    if let Some(path) = html {
        std::fs::write(path, to_html(t))
            .map_err(|e| CliError::io(format!("cannot write {}", path.display()), &e))?;
    }
    if p.format == OutputFormat::Json {
        p.json(&json!({ "tieout": t, "ties": t.ties() }));
    } else {
        p.out(&tieout::render_text(t));
    }
    Ok(if t.ties() {
        exit::OK
    } else {
        exit::RECORDS_FAILED
    })
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The tie-out as one self-contained HTML page, in the look of `zbooks logs analyze --html`
/// (no script, nothing loaded from the network).
pub fn to_html(t: &TieOut) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>zbooks tieout</title><style>\
         body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}\
         main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}\
         table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0001}\
         th,td{padding:6px 10px;border-bottom:1px solid #e3e6eb;text-align:left}\
         td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.why td{color:#5a6270;font-size:13px}\
         tr.bad td{background:#fdecec}tr.total td{font-weight:600}.ok{color:#11793b}.fail{color:#b3261e}\
         </style></head><body><main>",
    );
    let period = format!(
        "{} to {}",
        t.from.as_deref().unwrap_or("the beginning"),
        t.to.as_deref().unwrap_or("today")
    );
    let _ = write!(
        out,
        "<h1>Tie-out: Tally against Zoho Books</h1><p>{} · tolerance {}{}</p>",
        esc(&period),
        money(t.tolerance),
        if t.accept_explained {
            " · explained differences accepted"
        } else {
            ""
        }
    );
    let verdict = if t.ties() {
        "<p class=\"ok\"><strong>Ties out.</strong></p>".to_owned()
    } else {
        format!(
            "<p class=\"fail\"><strong>Does not tie out:</strong> {} group row(s) beyond the tolerance.</p>",
            t.failing().count()
        )
    };
    out.push_str(&verdict);
    for s in &t.sections {
        let _ = write!(
            out,
            "<h2>{}</h2><table><thead><tr><th>Group</th><th class=\"n\">Tally Dr</th><th class=\"n\">Tally Cr</th>\
             <th class=\"n\">Zoho Dr</th><th class=\"n\">Zoho Cr</th><th class=\"n\">Difference</th></tr></thead><tbody>",
            s.kind.title()
        );
        let failing: Vec<&str> = t
            .failing()
            .filter(|(fs, _)| fs.kind == s.kind)
            .map(|(_, r)| r.group.as_str())
            .collect();
        for r in &s.rows {
            let (td, tc) = cells(r.tally);
            let (zd, zc) = cells(r.zoho);
            let class = if failing.contains(&r.group.as_str()) {
                " class=\"bad\""
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr{class}><td>{}</td><td class=\"n\">{td}</td><td class=\"n\">{tc}</td><td class=\"n\">{zd}</td>\
                 <td class=\"n\">{zc}</td><td class=\"n\">{}</td></tr>",
                esc(&r.group),
                money(r.difference)
            );
            for e in &r.explained {
                let _ = write!(
                    out,
                    "<tr class=\"why\"><td colspan=\"5\">explained: {} — {}</td><td class=\"n\">{}</td></tr>",
                    esc(e.cause.phrase()),
                    esc(&e.detail),
                    money(e.amount)
                );
            }
            if !r.unexplained.is_zero() {
                let _ = write!(
                    out,
                    "<tr class=\"why\"><td colspan=\"5\"><strong>unexplained</strong></td><td class=\"n\">{}</td></tr>",
                    money(r.unexplained)
                );
            }
        }
        let _ = write!(
            out,
            "<tr class=\"total\"><td>Total</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td></td></tr></tbody></table>",
            money(s.tally_debit),
            money(s.tally_credit),
            money(s.zoho_debit),
            money(s.zoho_credit)
        );
    }
    out.push_str("</main></body></html>\n");
    out
}

/// Reads a company export.
fn read_company(name: &str, bytes: Vec<u8>) -> Result<Company, CliError> {
    let (company, problems) = Company::read(name, std::io::Cursor::new(bytes), name);
    if let Some(p) = problems.iter().find(|p| p.severity == Severity::Error) {
        return Err(CliError::usage(format!("cannot read {name}: {p}")));
    }
    Ok(company)
}

/// Whether Zoho holds the organization's opening balances (`GET /settings/openingbalances`).
///
/// # Errors
/// Zoho cannot be asked.
pub async fn openings_in_zoho(client: &Client) -> Result<bool, CliError> {
    zbooks_import::reconcile::opening_balance(client, None)
        .await
        .map(|o| o.is_some())
        .map_err(|e| CliError::usage(format!("cannot read Zoho's opening balances: {e}")))
}

/// The tie-out at the end of an import of a Tally export: Tally's side computed from the
/// imported file for the period of its vouchers, Zoho's from its reports API, differences
/// explained with the import's own problems and failed records.
///
/// # Errors
/// Zoho's reports cannot be read.
pub async fn after_import(
    client: &Client,
    name: &str,
    bytes: &[u8],
    problems: &[Problem],
    entries: &[JournalEntry],
) -> Result<TieOut, CliError> {
    let company = read_company(name, bytes.to_vec())?;
    let (from, to) = voucher_period(&company);
    let zoho = zoho_side(client, from.as_deref(), to.as_deref()).await?;
    let drafts = zoho_drafts(client).await?;
    let failed = not_imported(problems, entries);
    let evidence = Evidence {
        company: Some(&company),
        openings_in_zoho: openings_in_zoho(client).await?,
        missing: tieout::missing_vouchers(&company, &failed, &drafts),
    };
    let tally: Vec<Report> = ReportKind::ALL
        .into_iter()
        .map(|k| {
            reports::compute(
                &company,
                k,
                from.as_deref().map(tally_date).as_deref(),
                to.as_deref().map(tally_date).as_deref(),
            )
        })
        .collect();
    Ok(tieout::tie_out(
        &tally,
        &zoho,
        &evidence,
        from.as_deref(),
        to.as_deref(),
        Decimal::ZERO,
        false,
    ))
}

/// The tie-out at the end of a live import: Tally's side asked of the running Tally at `url`
/// for `from..=to` (`YYYY-MM-DD`), Zoho's from its reports API. For the explanations the
/// company (masters, then the vouchers month by month) is asked for once more and held in
/// memory while the tie-out runs: the import itself keeps only a month at a time.
///
/// # Errors
/// Tally's or Zoho's reports cannot be read.
pub async fn after_live_import(
    client: &Client,
    url: String,
    company: String,
    from: Option<String>,
    to: Option<String>,
    problems: &[Problem],
    entries: &[JournalEntry],
) -> Result<TieOut, CliError> {
    let (f, t) = (from.clone(), to.clone());
    let (tally, books) = tokio::task::spawn_blocking(move || {
        let reports = live_reports(
            &url,
            &company,
            f.as_deref(),
            t.as_deref(),
            LiveOptions::default(),
        )?;
        let books = live_company(&url, &company, f.as_deref(), t.as_deref())?;
        Ok::<_, CliError>((reports, books))
    })
    .await
    .map_err(|e| CliError::usage(format!("the tie-out's Tally requests stopped: {e}")))??;
    let zoho = zoho_side(client, from.as_deref(), to.as_deref()).await?;
    let drafts = zoho_drafts(client).await?;
    // The pulled vouchers' lines are their answers', not a file's: a failed record is
    // matched by nothing here, so what it leaves out shows as unexplained.
    let failed = not_imported(problems, entries);
    let evidence = Evidence {
        company: Some(&books),
        openings_in_zoho: openings_in_zoho(client).await?,
        missing: tieout::missing_vouchers(&books, &[], &drafts),
    };
    if !failed.is_empty() {
        tracing::debug!(
            records = failed.len(),
            "records not imported by the live pull"
        );
    }
    Ok(tieout::tie_out(
        &tally,
        &zoho,
        &evidence,
        from.as_deref(),
        to.as_deref(),
        Decimal::ZERO,
        false,
    ))
}

/// The company at `url` for `from..=to`: its masters, then its vouchers a month per request.
fn live_company(
    url: &str,
    company: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Company, CliError> {
    let tally = Tally::new(url, LiveOptions::default()).map_err(|e| CliError::tally(url, &e))?;
    let name = tally
        .check_company(company)
        .map_err(|e| CliError::tally(url, &e))?;
    let masters = tally.masters(&name).map_err(|e| CliError::tally(url, &e))?;
    let (mut books, _) = Company::read(
        &name,
        std::io::Cursor::new(masters.into_bytes()),
        &format!("{url} masters"),
    );
    let day = |d: Option<&str>| d.and_then(|d| Day::parse(d).ok());
    if let (Some(from), Some(to)) = (day(from), day(to)) {
        for w in zbooks_tally::live::windows(from, to) {
            let answer = tally
                .vouchers(&name, &w)
                .map_err(|e| CliError::tally(url, &e))?;
            let (month, _) = Company::read(
                &name,
                std::io::Cursor::new(answer.into_bytes()),
                &format!("{url} vouchers {}", w.month()),
            );
            books.vouchers.extend(month.vouchers);
        }
    }
    Ok(books)
}

/// What the import of `path` into organization `org` left out, when the store journals
/// one: the vouchers its reader could not map (read again from the file) and its failed
/// records. Nothing when the file was not imported here.
async fn import_evidence(ctx: &Context, path: &Path, org: &str) -> Vec<(u64, Cause, String)> {
    let file = path.display().to_string();
    let Ok(runs) = ctx.store.journal_runs().await else {
        return Vec::new();
    };
    let Some(run) = runs
        .iter()
        .find(|r| r.file == file && r.organization_id == org)
    else {
        return Vec::new();
    };
    let entries = match ctx.store.journal(&run.fingerprint).await {
        Ok(journal) => journal.entries().await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let read = zbooks_import::ReadOptions {
        format: Some(zbooks_import::Format::Tally),
        ..zbooks_import::ReadOptions::default()
    };
    let problems = zbooks_import::open(path, &read)
        .map(|records| zbooks_import::Parsed::collect(records).report.problems)
        .unwrap_or_default();
    not_imported(&problems, &entries)
}

/// The kind of an exported report file, by the elements only it has.
fn kind_of_file(text: &str) -> Option<ReportKind> {
    if text.contains("DSPCLDRAMT") || text.contains("DSPCLCRAMT") {
        Some(ReportKind::TrialBalance)
    } else if text.contains("<BSNAME>") {
        Some(ReportKind::BalanceSheet)
    } else if text.contains("<PLAMT>") {
        Some(ReportKind::ProfitAndLoss)
    } else {
        None
    }
}

/// Runs `zbooks tieout`.
pub fn run(
    args: &TieoutArgs,
    settings: &Settings,
    global: &GlobalArgs,
    p: Printer,
) -> CommandResult {
    let tolerance: Decimal = args
        .tolerance
        .trim()
        .parse()
        .ok()
        .filter(|t: &Decimal| *t >= Decimal::ZERO)
        .ok_or_else(|| {
            CliError::usage(format!("--tolerance {:?} is not an amount", args.tolerance))
                .with_hint("write --tolerance 0.00 or --tolerance 1.50")
        })?;
    check_date("--from", args.from.as_ref())?;
    check_date("--to", args.to.as_ref())?;
    if args.tally.is_none() && args.tally_report.is_empty() && args.tally_export.is_none() {
        return Err(CliError::usage("no Tally side given").with_hint(
            "name one: --tally tally://HOST:PORT --company NAME, --tally-report FILE or \
             --tally-export FILE",
        ));
    }
    if args.tally.is_some() && args.company.is_none() {
        return Err(CliError::usage("--tally needs --company")
            .with_hint("name the company open in Tally: --company \"Sample Traders\""));
    }
    let mut company = None;
    if let Some(path) = &args.tally_export {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::io(format!("cannot read {}", path.display()), &e))?;
        company = Some(read_company(&path.display().to_string(), bytes)?);
    }
    let (mut from, mut to) = (args.from.clone(), args.to.clone());
    if let Some(c) = &company {
        let (f, t) = voucher_period(c);
        from = from.or(f);
        to = to.or(t);
    }
    let tfrom = from.as_deref().map(tally_date);
    let tto = to.as_deref().map(tally_date);
    let live = match (&args.tally, &args.company) {
        (Some(url), Some(name)) => live_reports(
            url,
            name,
            from.as_deref(),
            to.as_deref(),
            LiveOptions::default(),
        )?,
        _ => Vec::new(),
    };
    // For the explanations (round-off lines, openings, ledgers' groups) when no export names
    // the company: the company asked of the running Tally.
    let live_books = match (&args.tally, &args.company, &company) {
        (Some(url), Some(name), None) => {
            Some(live_company(url, name, from.as_deref(), to.as_deref())?)
        }
        _ => None,
    };
    context::runtime()?.block_on(async {
        let mut tally: Vec<Report> = live;
        if let Some(c) = &company {
            for k in ReportKind::ALL {
                tally.push(reports::compute(c, k, tfrom.as_deref(), tto.as_deref()));
            }
        }
        for path in &args.tally_report {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::io(format!("cannot read {}", path.display()), &e))?;
            let text = reports::decode(&bytes);
            let kind = kind_of_file(&text).ok_or_else(|| {
                CliError::usage(format!(
                    "{} is not a Tally Trial Balance, Profit and Loss or Balance Sheet export",
                    path.display()
                ))
            })?;
            let report = reports::parse(kind, &bytes)
                .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
            tally.push(report);
        }
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        let client = ctx.client()?;
        let zoho = zoho_side(&client, from.as_deref(), to.as_deref()).await?;
        let mut missing = Vec::new();
        if let (Some(c), Some(path)) = (&company, &args.tally_export) {
            let drafts = zoho_drafts(&client).await?;
            let org = ctx.organization_id()?.value.clone();
            let failed = import_evidence(&ctx, path, &org).await;
            missing = tieout::missing_vouchers(c, &failed, &drafts);
        }
        let evidence = Evidence {
            company: company.as_ref().or(live_books.as_ref()),
            openings_in_zoho: args.openings_in_zoho || openings_in_zoho(&client).await?,
            missing,
        };
        let t = tieout::tie_out(
            &tally,
            &zoho,
            &evidence,
            from.as_deref(),
            to.as_deref(),
            tolerance,
            args.accept_explained,
        );
        show(&t, p, args.html.as_deref())
    })
}

/// A summary line of a tie-out for logs and JSON: the rows that fail.
pub fn failing_json(t: &TieOut) -> Value {
    Value::Array(
        t.failing()
            .map(|(s, r)| json!({"report": s.kind, "group": r.group, "difference": r.difference}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_files_are_told_apart_by_their_elements() {
        assert_eq!(
            kind_of_file("<ENVELOPE><DSPCLDRAMT>"),
            Some(ReportKind::TrialBalance)
        );
        assert_eq!(kind_of_file("<BSNAME>"), Some(ReportKind::BalanceSheet));
        assert_eq!(kind_of_file("<PLAMT>"), Some(ReportKind::ProfitAndLoss));
        assert_eq!(kind_of_file("<X/>"), None);
    }
}
