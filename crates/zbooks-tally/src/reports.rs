//! Tally's reports over a [`Company`] — the trial balance, profit and loss and balance sheet —
//! computed from opening balances and vouchers, rendered as the XML TallyPrime sends for a
//! report export request (the answer the Tally simulator gives, [`answer`]), and read back
//! from such XML ([`parse`]), whether it came from a live Tally or from an exported file.
//!
//! The model ([`Report`], [`Line`]) knows nothing of the transport. Amounts follow Tally's
//! sign: debit negative, credit positive (docs/tieout.md, "Tally's report XML").
//!
//! Rows are Tally's primary groups (`Capital Account`, `Current Assets`, `Sales Accounts`…),
//! each the sum of the ledgers under it, as Tally shows a trial balance before it is
//! exploded. A ledger reaches its primary group by walking `PARENT` through the company's
//! group masters and then Tally's predefined groups ([`PREDEFINED`]). When the opening
//! balances do not balance, Tally shows the residue as `Difference in opening balances`, and
//! so do these reports.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;
use zbooks_import::tally::model::Group;

use crate::company::Company;

/// Tally's predefined groups below the primary ones, with the primary group each sits in
/// (TallyPrime's 28 predefined groups; the 15 primary ones are [`PRIMARY`]).
pub const PREDEFINED: &[(&str, &str)] = &[
    ("Reserves & Surplus", "Capital Account"),
    ("Bank OD A/c", "Loans (Liability)"),
    ("Bank OCC A/c", "Loans (Liability)"),
    ("Secured Loans", "Loans (Liability)"),
    ("Unsecured Loans", "Loans (Liability)"),
    ("Duties & Taxes", "Current Liabilities"),
    ("Provisions", "Current Liabilities"),
    ("Sundry Creditors", "Current Liabilities"),
    ("Bank Accounts", "Current Assets"),
    ("Cash-in-Hand", "Current Assets"),
    ("Cash-in-hand", "Current Assets"),
    ("Deposits (Asset)", "Current Assets"),
    ("Loans & Advances (Asset)", "Current Assets"),
    ("Stock-in-Hand", "Current Assets"),
    ("Stock-in-hand", "Current Assets"),
    ("Sundry Debtors", "Current Assets"),
];

/// Tally's primary groups in the order its trial balance lists them, each with whether it
/// belongs to the profit and loss account.
pub const PRIMARY: &[(&str, bool)] = &[
    ("Capital Account", false),
    ("Loans (Liability)", false),
    ("Current Liabilities", false),
    ("Fixed Assets", false),
    ("Investments", false),
    ("Current Assets", false),
    ("Misc. Expenses (ASSET)", false),
    ("Suspense A/c", false),
    ("Branch / Divisions", false),
    ("Sales Accounts", true),
    ("Purchase Accounts", true),
    ("Direct Incomes", true),
    ("Direct Expenses", true),
    ("Indirect Incomes", true),
    ("Indirect Expenses", true),
];

/// The row Tally adds when opening balances do not balance.
pub const OPENING_DIFFERENCE: &str = "Difference in opening balances";

/// The balance sheet's row for the period's profit (credit) or loss (debit).
pub const PROFIT_AND_LOSS: &str = "Profit & Loss A/c";

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// `Trial Balance`: every primary group's closing balance.
    TrialBalance,
    /// `Profit and Loss`: the income and expense groups.
    ProfitAndLoss,
    /// `Balance Sheet`: the asset, liability and capital groups and the period's profit.
    BalanceSheet,
}

impl ReportKind {
    /// The three, in the order a tie-out shows them.
    pub const ALL: [ReportKind; 3] = [
        ReportKind::TrialBalance,
        ReportKind::ProfitAndLoss,
        ReportKind::BalanceSheet,
    ];

    /// The report by the `ID` (or `REPORTNAME`) of a Tally request: `Trial Balance` (and its
    /// byte-identical twin `Group Summary`), `Profit and Loss` (also `Profit & Loss A/c`, which
    /// TallyPrime's screen shows), `Balance Sheet`; case and spaces around are ignored.
    pub fn from_id(id: &str) -> Option<ReportKind> {
        match id.trim().to_ascii_lowercase().as_str() {
            "trial balance" | "group summary" => Some(ReportKind::TrialBalance),
            "profit and loss" | "profit & loss a/c" | "profit & loss" => {
                Some(ReportKind::ProfitAndLoss)
            }
            "balance sheet" => Some(ReportKind::BalanceSheet),
            _ => None,
        }
    }

    /// Tally's report ID for a request.
    pub fn tally_id(self) -> &'static str {
        match self {
            ReportKind::TrialBalance => "Trial Balance",
            ReportKind::ProfitAndLoss => "Profit and Loss",
            ReportKind::BalanceSheet => "Balance Sheet",
        }
    }

    /// A title for people.
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::TrialBalance => "Trial balance",
            ReportKind::ProfitAndLoss => "Profit and loss",
            ReportKind::BalanceSheet => "Balance sheet",
        }
    }
}

/// One row of a report: a name and its signed amount (debit negative).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The group (or ledger) name as Tally shows it.
    pub name: String,
    /// Signed amount: debit negative, credit positive.
    pub amount: Decimal,
}

impl Line {
    /// The debit side (positive), or zero.
    pub fn debit(&self) -> Decimal {
        if self.amount < Decimal::ZERO {
            -self.amount
        } else {
            Decimal::ZERO
        }
    }

    /// The credit side (positive), or zero.
    pub fn credit(&self) -> Decimal {
        self.amount.max(Decimal::ZERO)
    }
}

/// A report: its kind and rows, in Tally's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Which report.
    pub kind: ReportKind,
    /// Its rows.
    pub lines: Vec<Line>,
}

impl Report {
    /// The debit total (positive).
    pub fn debit_total(&self) -> Decimal {
        self.lines.iter().map(Line::debit).sum()
    }

    /// The credit total (positive).
    pub fn credit_total(&self) -> Decimal {
        self.lines.iter().map(Line::credit).sum()
    }
}

/// A date as Tally writes it (`YYYYMMDD`), from that or `YYYY-MM-DD`.
fn compact(date: &str) -> String {
    date.trim().chars().filter(char::is_ascii_digit).collect()
}

/// Tally's predefined voucher types that post nothing to the books (orders, notes, stock and
/// memorandum vouchers), as the import also leaves them out.
pub const NON_ACCOUNTING: &[&str] = &[
    "Sales Order",
    "Purchase Order",
    "Delivery Note",
    "Receipt Note",
    "Rejections In",
    "Rejections Out",
    "Stock Journal",
    "Physical Stock",
    "Memorandum",
    "Attendance",
    "Job Work In Order",
    "Job Work Out Order",
    "Material In",
    "Material Out",
];

/// Whether a voucher type (by name) posts nothing to the books.
pub fn non_accounting(type_name: &str) -> bool {
    NON_ACCOUNTING.contains(&type_name.trim())
}

/// A company's ledgers' balances, by ledger.
#[derive(Clone, Debug, Default)]
pub struct Balances {
    /// Each ledger's balance at the end of the period (opening + vouchers up to `to`),
    /// signed (debit negative), in the company's ledger order then first use.
    pub closing: BTreeMap<String, Decimal>,
    /// Each ledger's opening balance (signed).
    pub opening: BTreeMap<String, Decimal>,
    /// Each ledger's movement within `from..=to` (signed).
    pub period: BTreeMap<String, Decimal>,
}

/// Every ledger's opening, period and closing balance: openings from the masters, then the
/// vouchers dated up to `to` (`YYYYMMDD` or `YYYY-MM-DD`; none means all) that are not
/// cancelled, optional or deleted, nor of a type that posts nothing ([`NON_ACCOUNTING`]). Vouchers before `from` move the closing balance but not
/// the period's.
pub fn balances(company: &Company, from: Option<&str>, to: Option<&str>) -> Balances {
    let from = from.map(compact);
    let to = to.map(compact);
    let mut b = Balances::default();
    for l in &company.ledgers {
        let o = l.opening.unwrap_or(Decimal::ZERO);
        *b.opening.entry(l.name.clone()).or_default() += o;
        *b.closing.entry(l.name.clone()).or_default() += o;
    }
    for v in &company.vouchers {
        if v.void.is_some() || v.type_name.as_deref().is_some_and(non_accounting) {
            continue;
        }
        let date = v.date_raw.as_deref().map(compact).unwrap_or_default();
        if to.as_ref().is_some_and(|t| date > *t) {
            continue;
        }
        let in_period = from.as_ref().is_none_or(|f| date >= *f);
        for (ledger, amount) in v.postings() {
            // An inventory line without allocations names a stock item, not a ledger.
            if company.stock_items.iter().any(|s| s.name == ledger)
                && !company.ledgers.iter().any(|l| l.name == ledger)
            {
                continue;
            }
            *b.closing.entry(ledger.to_owned()).or_default() += amount;
            if in_period {
                *b.period.entry(ledger.to_owned()).or_default() += amount;
            }
        }
    }
    b
}

/// The primary group a ledger's parent leads to (walking the company's groups, then Tally's
/// predefined ones), or `None` when the chain ends in a name Tally does not predefine.
pub fn primary_group<'a>(company: &'a Company, parent: Option<&'a str>) -> Option<&'a str> {
    let mut current = parent?;
    for _ in 0..64 {
        if let Some((name, _)) = PRIMARY.iter().find(|(p, _)| *p == current) {
            return Some(name);
        }
        if let Some((_, up)) = PREDEFINED.iter().find(|(g, _)| *g == current) {
            current = up;
            continue;
        }
        let group = company.groups.iter().find(|g| g.name == current)?;
        match group.parent.as_deref() {
            Some(p) if p != current => current = p,
            // A custom primary group: its reserved name, else itself.
            _ => return group.reserved.as_deref().or(Some(current)),
        }
    }
    None
}

/// A company group master by name (for the import's classification).
pub fn group<'a>(company: &'a Company, name: &str) -> Option<&'a Group> {
    company.groups.iter().find(|g| g.name == name)
}

/// Computes report `kind` over the company for `from..=to`.
pub fn compute(
    company: &Company,
    kind: ReportKind,
    from: Option<&str>,
    to: Option<&str>,
) -> Report {
    let b = balances(company, from, to);
    let parent_of = |ledger: &str| {
        company
            .ledgers
            .iter()
            .find(|l| l.name == ledger)
            .and_then(|l| l.parent.as_deref())
    };
    let mut by_group: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut opening_total = Decimal::ZERO;
    let is_pl = |name: &str| PRIMARY.iter().any(|(p, pl)| *p == name && *pl);
    for (ledger, amount) in &b.closing {
        let group = primary_group(company, parent_of(ledger)).unwrap_or("Suspense A/c");
        // The profit and loss account covers the period's movements only.
        let amount = if kind == ReportKind::ProfitAndLoss && is_pl(group) {
            b.period.get(ledger).copied().unwrap_or_default()
        } else {
            *amount
        };
        *by_group.entry(group.to_owned()).or_default() += amount;
    }
    for amount in b.opening.values() {
        opening_total += amount;
    }
    let order = |name: &str| PRIMARY.iter().position(|(p, _)| *p == name);
    let mut groups: Vec<(String, Decimal)> =
        by_group.into_iter().filter(|(_, a)| !a.is_zero()).collect();
    groups.sort_by_key(|(name, _)| (order(name).unwrap_or(usize::MAX), name.clone()));
    let line = |name: &str, amount: Decimal| Line {
        name: name.to_owned(),
        amount,
    };
    let difference = -opening_total;
    let profit: Decimal = groups
        .iter()
        .filter(|(n, _)| is_pl(n))
        .map(|(_, a)| *a)
        .sum();
    let mut lines: Vec<Line> = match kind {
        ReportKind::TrialBalance => groups.iter().map(|(n, a)| line(n, *a)).collect(),
        ReportKind::ProfitAndLoss => groups
            .iter()
            .filter(|(n, _)| is_pl(n))
            .map(|(n, a)| line(n, *a))
            .collect(),
        ReportKind::BalanceSheet => {
            let mut l: Vec<Line> = groups
                .iter()
                .filter(|(n, _)| !is_pl(n))
                .map(|(n, a)| line(n, *a))
                .collect();
            if !profit.is_zero() {
                l.push(line(PROFIT_AND_LOSS, profit));
            }
            l
        }
    };
    if kind != ReportKind::ProfitAndLoss && !difference.is_zero() {
        lines.push(line(OPENING_DIFFERENCE, difference));
    }
    Report { kind, lines }
}

/// The XML answer to an export request for report `id` over `company` for the period
/// `from..=to` (dates as Tally writes them, `YYYYMMDD`), or `None` when the report is not one
/// zbooks knows (the simulator then answers `Could not find Report '<id>'!`).
pub fn answer(company: &Company, id: &str, from: Option<&str>, to: Option<&str>) -> Option<String> {
    let kind = ReportKind::from_id(id)?;
    Some(render(&compute(company, kind, from, to)))
}

/// Tally's way of writing an amount in a report: two decimals, debit negative.
fn amount_text(a: Decimal) -> String {
    format!("{:.2}", a.round_dp(2))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders a report as TallyPrime's report XML: a bare `ENVELOPE` of name/amount sibling
/// pairs, linked only by order (tally-live reference §5, summarized in docs/tieout.md). Trial
/// balance: `DSPACCNAME/DSPDISPNAME` then `DSPACCINFO` with `DSPCLDRAMT/DSPCLDRAMTA` (debit,
/// negative) and `DSPCLCRAMT/DSPCLCRAMTA` (credit), the unused side empty. Profit and loss:
/// `DSPACCNAME` then `PLAMT` with `PLSUBAMT` (empty) and `BSMAINAMT`. Balance sheet: `BSNAME`
/// around `DSPACCNAME`, then `BSAMT` with `BSSUBAMT` (empty) and `BSMAINAMT`.
pub fn render(report: &Report) -> String {
    let mut out = String::from("<ENVELOPE>\r\n");
    for l in &report.lines {
        let name = escape(&l.name);
        let _ = match report.kind {
            ReportKind::TrialBalance => {
                let (dr, cr) = if l.amount < Decimal::ZERO {
                    (amount_text(l.amount), String::new())
                } else {
                    (String::new(), amount_text(l.amount))
                };
                write!(
                    out,
                    " <DSPACCNAME>\r\n  <DSPDISPNAME>{name}</DSPDISPNAME>\r\n </DSPACCNAME>\r\n \
                     <DSPACCINFO>\r\n  <DSPCLDRAMT>\r\n   <DSPCLDRAMTA>{dr}</DSPCLDRAMTA>\r\n  \
                     </DSPCLDRAMT>\r\n  <DSPCLCRAMT>\r\n   <DSPCLCRAMTA>{cr}</DSPCLCRAMTA>\r\n  \
                     </DSPCLCRAMT>\r\n </DSPACCINFO>\r\n"
                )
            }
            ReportKind::ProfitAndLoss => write!(
                out,
                " <DSPACCNAME>\r\n  <DSPDISPNAME>{name}</DSPDISPNAME>\r\n </DSPACCNAME>\r\n \
                 <PLAMT>\r\n  <PLSUBAMT></PLSUBAMT>\r\n  <BSMAINAMT>{}</BSMAINAMT>\r\n </PLAMT>\r\n",
                amount_text(l.amount)
            ),
            ReportKind::BalanceSheet => write!(
                out,
                " <BSNAME>\r\n  <DSPACCNAME>\r\n   <DSPDISPNAME>{name}</DSPDISPNAME>\r\n  \
                 </DSPACCNAME>\r\n </BSNAME>\r\n <BSAMT>\r\n  <BSSUBAMT></BSSUBAMT>\r\n  \
                 <BSMAINAMT>{}</BSMAINAMT>\r\n </BSAMT>\r\n",
                amount_text(l.amount)
            ),
        };
    }
    out.push_str("</ENVELOPE>\r\n");
    out
}

/// Why a report XML could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    /// Tally answered with an error line instead of a report.
    #[error("Tally answered with an error: {0}")]
    Tally(String),
    /// An amount that is not a number.
    #[error("line {line}: {field} {text:?} is not an amount")]
    Amount {
        /// The line of the amount.
        line: usize,
        /// Its element.
        field: String,
        /// Its text.
        text: String,
    },
    /// An amount before any name, or the body is no Tally report.
    #[error("line {line}: {what}")]
    Shape {
        /// The line.
        line: usize,
        /// What is wrong.
        what: String,
    },
}

/// Decodes Tally's bytes: UTF-16 (with a BOM, or BOM-less little-endian, found by its zero
/// bytes) or UTF-8 (a BOM dropped); other bytes are replaced.
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |b: &[u8], le: bool| {
        let units = b.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [_, 0, ..] => utf16(bytes, true),
        [0, _, ..] => utf16(bytes, false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        if let Some(c) = c {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Reads a Tally report answer (live or exported, UTF-8 or UTF-16) as report `kind`: each
/// `DSPDISPNAME` opens a row, and the amounts that follow it before the next name fill it
/// (`DSPCLDRAMTA`/`DSPCLCRAMTA` on a trial balance, `BSMAINAMT` on the others; a row with
/// only a `PLSUBAMT`/`BSSUBAMT` takes that). A row without amounts is a heading and is
/// dropped; empty amount elements mean "nothing reported", not zero. A `LINEERROR` is Tally's
/// error.
///
/// # Errors
/// [`ParseError`] for Tally's error answer, an amount that is no number, or text that is no
/// Tally report.
pub fn parse(kind: ReportKind, bytes: &[u8]) -> Result<Report, ParseError> {
    let text = decode(bytes);
    let mut lines: Vec<Line> = Vec::new();
    // The row being read: name, main amount, sub amount, whether it had any.
    let mut current: Option<(String, Option<Decimal>, Option<Decimal>)> = None;
    let mut saw_envelope = false;
    let flush = |current: &mut Option<(String, Option<Decimal>, Option<Decimal>)>,
                 lines: &mut Vec<Line>| {
        if let Some((name, main, sub)) = current.take()
            && let Some(amount) = main.or(sub)
        {
            lines.push(Line { name, amount });
        }
    };
    let mut rest = text.as_str();
    let mut offset = 0_usize;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let tag = &after[..close];
        let body_start = open + 1 + close + 1;
        let line_no = text[..offset + open].matches('\n').count() + 1;
        if tag.eq_ignore_ascii_case("ENVELOPE") {
            saw_envelope = true;
        }
        let simple = !tag.starts_with('/') && !tag.ends_with('/') && !tag.contains(' ');
        let mut consumed = body_start;
        if simple {
            let end_tag = format!("</{tag}>");
            let body = &rest[body_start..];
            if let Some(end) = body.find(&end_tag)
                && !body[..end].contains('<')
            {
                let value = unescape(body[..end].trim());
                consumed = body_start + end + end_tag.len();
                match tag {
                    "LINEERROR" => return Err(ParseError::Tally(value)),
                    "DSPDISPNAME" => {
                        flush(&mut current, &mut lines);
                        current = Some((value, None, None));
                    }
                    "DSPCLDRAMTA" | "DSPCLCRAMTA" | "BSMAINAMT" | "PLSUBAMT" | "BSSUBAMT"
                        if !value.is_empty() =>
                    {
                        let cleaned: String = value.chars().filter(|c| *c != ',').collect();
                        let a: Decimal = cleaned.parse().map_err(|_| ParseError::Amount {
                            line: line_no,
                            field: tag.to_owned(),
                            text: value.clone(),
                        })?;
                        let Some(row) = current.as_mut() else {
                            return Err(ParseError::Shape {
                                line: line_no,
                                what: format!("{tag} {value} comes before any DSPDISPNAME"),
                            });
                        };
                        let main = matches!(tag, "DSPCLDRAMTA" | "DSPCLCRAMTA" | "BSMAINAMT");
                        let slot = if main { &mut row.1 } else { &mut row.2 };
                        // A trial balance's debit column is already negative; a credit
                        // positive; both present (never seen) net.
                        *slot = Some(slot.unwrap_or(Decimal::ZERO) + a);
                    }
                    _ => {}
                }
            }
        }
        offset += consumed;
        rest = &rest[consumed..];
    }
    flush(&mut current, &mut lines);
    if !saw_envelope {
        return Err(ParseError::Shape {
            line: 1,
            what: "no <ENVELOPE>: this is not a Tally report answer".to_owned(),
        });
    }
    Ok(Report { kind, lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Company {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../zbooks-import/fixtures/tally/sample-company.xml"
        );
        let file = std::fs::File::open(path).expect("the sample company fixture");
        let (company, problems) = Company::read("Sample", file, "sample-company.xml");
        assert!(problems.is_empty(), "{problems:?}");
        company
    }

    fn amount(report: &Report, name: &str) -> Decimal {
        report
            .lines
            .iter()
            .find(|l| l.name == name)
            .map_or(Decimal::ZERO, |l| l.amount)
    }

    #[test]
    fn the_sample_trial_balance_balances_and_carries_the_known_balances() {
        let company = sample();
        let tb = compute(&company, ReportKind::TrialBalance, None, None);
        assert_eq!(tb.debit_total(), tb.credit_total(), "{tb:?}");
        assert!(tb.debit_total() > Decimal::ZERO);
        // Opening balances of the fixture: HDFC −250000 (Dr), Arihant −12500 (Dr), Deccan
        // +45000 and Ganga +18250 (Cr): Tally shows the residue 199250 on the credit side.
        assert_eq!(amount(&tb, OPENING_DIFFERENCE), Decimal::from(199_250));
        // Every ledger's closing is opening + postings; the groups sum them.
        let b = balances(&company, None, None);
        let hdfc = b
            .closing
            .iter()
            .find(|(n, _)| n.starts_with("HDFC"))
            .map(|(_, a)| *a)
            .expect("the bank ledger");
        assert!(
            hdfc < Decimal::from(-250_000),
            "a receipt raises the bank: {hdfc}"
        );
        let sales: Decimal = b
            .closing
            .iter()
            .filter(|(n, _)| n.starts_with("Sales - GST"))
            .map(|(_, a)| *a)
            .sum();
        assert_eq!(amount(&tb, "Sales Accounts"), sales);
        assert!(sales > Decimal::ZERO, "sales are credits");
        // The creditors' openings, less the 25,000 paid to Deccan against its opening bill.
        let creditors = Decimal::from(45_000 + 18_250 - 25_000);
        let taxes: Decimal = b
            .closing
            .iter()
            .filter(|(n, _)| n.starts_with("Output"))
            .map(|(_, a)| *a)
            .sum();
        assert_eq!(amount(&tb, "Current Liabilities"), creditors + taxes);
    }

    #[test]
    fn profit_and_loss_and_balance_sheet_agree_with_the_trial_balance() {
        let company = sample();
        let tb = compute(&company, ReportKind::TrialBalance, None, None);
        let pl = compute(&company, ReportKind::ProfitAndLoss, None, None);
        let bs = compute(&company, ReportKind::BalanceSheet, None, None);
        let profit: Decimal = pl.lines.iter().map(|l| l.amount).sum();
        assert_eq!(amount(&bs, PROFIT_AND_LOSS), profit);
        let bs_sum: Decimal = bs.lines.iter().map(|l| l.amount).sum();
        assert_eq!(bs_sum, Decimal::ZERO, "a balance sheet balances: {bs:?}");
        let tb_sum: Decimal = tb.lines.iter().map(|l| l.amount).sum();
        assert_eq!(tb_sum, Decimal::ZERO);
    }

    #[test]
    fn a_period_before_every_voucher_leaves_only_the_openings() {
        let company = sample();
        let tb = compute(&company, ReportKind::TrialBalance, None, Some("19990331"));
        assert!(amount(&tb, "Sales Accounts").is_zero());
        assert_eq!(amount(&tb, "Current Liabilities"), Decimal::from(63_250));
    }

    #[test]
    fn render_then_parse_round_trips_every_report() {
        let company = sample();
        for kind in ReportKind::ALL {
            let report = compute(&company, kind, None, None);
            assert!(!report.lines.is_empty());
            let xml = render(&report);
            assert_eq!(parse(kind, xml.as_bytes()), Ok(report.clone()), "{xml}");
            // And as TallyPrime sends it over the wire: UTF-16LE without a BOM.
            let utf16: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
            assert_eq!(parse(kind, &utf16), Ok(report));
        }
    }

    #[test]
    fn answer_knows_tallys_report_ids_only() {
        let company = sample();
        for id in [
            "Trial Balance",
            "Profit and Loss",
            "Profit & Loss A/c",
            "Balance Sheet",
        ] {
            assert!(answer(&company, id, None, None).is_some(), "{id}");
        }
        assert_eq!(answer(&company, "Day Book", None, None), None);
    }

    #[test]
    fn parse_reads_tallys_error_and_headings_and_refuses_garbage() {
        let err =
            "<ENVELOPE><LINEERROR>Could not set 'SVCurrentCompany' to 'X'</LINEERROR></ENVELOPE>";
        assert!(matches!(
            parse(ReportKind::TrialBalance, err.as_bytes()),
            Err(ParseError::Tally(m)) if m.contains("SVCurrentCompany")
        ));
        let xml = "<ENVELOPE><DSPACCNAME><DSPDISPNAME>Heading</DSPDISPNAME></DSPACCNAME>\
                   <DSPACCNAME><DSPDISPNAME>Capital Account</DSPDISPNAME></DSPACCNAME>\
                   <DSPACCINFO><DSPCLDRAMT><DSPCLDRAMTA></DSPCLDRAMTA></DSPCLDRAMT>\
                   <DSPCLCRAMT><DSPCLCRAMTA>1,000.50</DSPCLCRAMTA></DSPCLCRAMT></DSPACCINFO>\
                   <DSPACCNAME><DSPDISPNAME>Sundry &amp; Co</DSPDISPNAME></DSPACCNAME>\
                   <DSPACCINFO><DSPCLDRAMT><DSPCLDRAMTA>-5.25</DSPCLDRAMTA></DSPCLDRAMT>\
                   <DSPCLCRAMT><DSPCLCRAMTA></DSPCLCRAMTA></DSPCLCRAMT></DSPACCINFO></ENVELOPE>";
        let r = parse(ReportKind::TrialBalance, xml.as_bytes()).expect("a report");
        assert_eq!(r.lines.len(), 2);
        assert_eq!(r.lines[0].credit(), Decimal::new(100_050, 2));
        assert_eq!(r.lines[1].name, "Sundry & Co");
        assert_eq!(r.lines[1].debit(), Decimal::new(525, 2));
        let bad = "<ENVELOPE><DSPDISPNAME>A</DSPDISPNAME><DSPCLDRAMTA>x1</DSPCLDRAMTA></ENVELOPE>";
        assert!(matches!(
            parse(ReportKind::TrialBalance, bad.as_bytes()),
            Err(ParseError::Amount { .. })
        ));
        assert!(parse(ReportKind::TrialBalance, b"{\"not\": \"xml\"}").is_err());
    }
}
