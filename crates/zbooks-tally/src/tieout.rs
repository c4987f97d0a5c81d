//! The tie-out: Tally's trial balance, profit and loss and balance sheet beside Zoho Books'
//! for the same period, per account group and in total, every difference explained where its
//! cause is known and listed where it is not (docs/tieout.md).
//!
//! Groups are Tally's primary groups, with Zoho's account types mapped into them (the
//! import's own classification, `zbooks_import::tally::map::zoho_account_type`, turns a Tally
//! group into a Zoho account type; [`group_of_type`] puts that type in its group). Where Zoho
//! has one type for two of Tally's primary groups the two are one row (`Sales Accounts` and
//! `Direct Incomes` are both `income`).
//!
//! Amounts are signed as Tally signs them: debit negative, credit positive; a difference is
//! Tally's figure minus Zoho's.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use zbooks_import::tally::map::zoho_account_type;
use zbooks_types::reports as zoho;

use crate::company::Company;
use crate::reports::{self, Line, OPENING_DIFFERENCE, PROFIT_AND_LOSS, Report, ReportKind};

/// Money in JSON as the CLI's reference page fixes it: a decimal string with two decimals.
fn money_json<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money(*d))
}

/// The tie-out groups, in the order the table lists them.
pub const GROUPS: &[&str] = &[
    "Capital Account",
    "Loans (Liability)",
    "Current Liabilities",
    "Fixed Assets",
    "Investments",
    "Current Assets",
    "Sales Accounts & Direct Incomes",
    "Indirect Incomes",
    "Purchase Accounts & Direct Expenses",
    "Indirect Expenses",
    PROFIT_AND_LOSS,
    OPENING_DIFFERENCE,
    UNMAPPED,
];

/// The group of what has no Zoho account type.
pub const UNMAPPED: &str = "Unmapped";

/// Zoho's name of the balance sheet's profit row.
const ZOHO_EARNINGS: &str = "Current Year Earnings";

/// Zoho's account for what the opening balances' debits and credits differ by (Zoho's help
/// on opening balances; the importer books Tally's openings of parties there too, against
/// the opening invoices and bills): Tally shows the same residue as its own row,
/// `Difference in opening balances`, so the account is compared with that row.
const ZOHO_OPENING_ADJUSTMENTS: &str = "Opening Balance Adjustments";

/// The tie-out group of a Zoho account type.
pub fn group_of_type(account_type: &str) -> &'static str {
    match account_type {
        "equity" => "Capital Account",
        "long_term_liability" => "Loans (Liability)",
        "accounts_payable" | "other_current_liability" | "credit_card" | "output_tax" => {
            "Current Liabilities"
        }
        "fixed_asset" => "Fixed Assets",
        "other_asset" => "Investments",
        "accounts_receivable"
        | "bank"
        | "cash"
        | "other_current_asset"
        | "stock"
        | "payment_clearing"
        | "input_tax" => "Current Assets",
        "income" => "Sales Accounts & Direct Incomes",
        "other_income" => "Indirect Incomes",
        "cost_of_goods_sold" => "Purchase Accounts & Direct Expenses",
        "expense" | "other_expense" => "Indirect Expenses",
        _ => UNMAPPED,
    }
}

/// The group of a row of Tally's report (a primary group's name, or one of its own rows).
pub fn group_of_tally_row(name: &str) -> &'static str {
    match name {
        OPENING_DIFFERENCE => OPENING_DIFFERENCE,
        PROFIT_AND_LOSS => PROFIT_AND_LOSS,
        _ => zoho_account_type(Some(name), |_| None).map_or(UNMAPPED, group_of_type),
    }
}

/// The group of a ledger of a company (through its parent's chain).
pub fn group_of_ledger(company: &Company, ledger: &str) -> &'static str {
    let parent = company
        .ledgers
        .iter()
        .find(|l| l.name == ledger)
        .and_then(|l| l.parent.as_deref());
    if parent.is_none() {
        return UNMAPPED;
    }
    zoho_account_type(parent, |g| reports::group(company, g)).map_or(UNMAPPED, group_of_type)
}

/// One account row of a Zoho report, signed as Tally signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZohoLine {
    /// The account's name.
    pub name: String,
    /// Its Zoho account type.
    pub account_type: String,
    /// Signed amount: debit negative.
    #[serde(serialize_with = "money_json")]
    pub amount: Decimal,
}

fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.replace(',', "").trim().parse().ok(),
        _ => None,
    }
}

/// Reads the account rows of a Zoho report answer (the object under its envelope key, as
/// `zbooks_client`'s `report` returns it), at any depth of `rows`: a row with an
/// `account_type` is an account. A trial balance row nets `net_credit_total −
/// net_debit_total`; another report's `total` is on the account's natural side
/// ([`zoho::debit_natural`]).
///
/// # Errors
/// The name of a row whose figures are missing or not numbers.
pub fn zoho_lines(report: &Value) -> Result<Vec<ZohoLine>, String> {
    fn walk(v: &Value, out: &mut Vec<ZohoLine>) -> Result<(), String> {
        for row in v
            .get("rows")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(kind) = row.get("account_type").and_then(Value::as_str) {
                let name = row
                    .get("account_name")
                    .or_else(|| row.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let amount = if row.get("net_debit_total").is_some() {
                    let dr = row.get("net_debit_total").and_then(number);
                    let cr = row.get("net_credit_total").and_then(number);
                    match (dr, cr) {
                        (Some(d), Some(c)) => c - d,
                        _ => return Err(format!("{name}: net_debit_total/net_credit_total")),
                    }
                } else {
                    let total = row
                        .get("total")
                        .and_then(number)
                        .ok_or_else(|| format!("{name}: total"))?;
                    if zoho::debit_natural(kind) {
                        -total
                    } else {
                        total
                    }
                };
                out.push(ZohoLine {
                    name,
                    account_type: kind.to_owned(),
                    amount,
                });
            }
            walk(row, out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(report, &mut out)?;
    Ok(out)
}

/// Why a difference is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Rounding: Tally rounds GST per voucher, Zoho per line.
    Rounding,
    /// The same amount under another group: Tally's round-off ledger becomes the document's
    /// adjustment, which Zoho posts to `Other Charges`. The books agree; the amount sits
    /// elsewhere, so it never fails the tie-out.
    Reclassified,
    /// Opening balances not brought over to Zoho.
    OpeningBalances,
    /// A ledger (or group) that maps to no Zoho account type.
    UnmappedLedger,
    /// A voucher whose type the import does not bring over.
    VoucherTypeNotImported,
    /// A record the import tried and Zoho refused (or the import gave up on).
    FailedRecord,
    /// A document created in Zoho as a draft: drafts post nothing to Zoho's ledger.
    DraftInZoho,
}

impl Cause {
    /// A phrase for the table.
    pub fn phrase(self) -> &'static str {
        match self {
            Cause::Rounding => "rounding",
            Cause::Reclassified => "reclassified (Tally's round-off is Zoho's Other Charges)",
            Cause::OpeningBalances => "opening balances not brought over",
            Cause::UnmappedLedger => "unmapped ledger",
            Cause::VoucherTypeNotImported => "voucher type not imported",
            Cause::FailedRecord => "failed record",
            Cause::DraftInZoho => "invoices left as drafts in Zoho (drafts post nothing)",
        }
    }
}

/// A voucher of Tally's books that is not in Zoho's, with why and what it posts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// Its number (or GUID).
    pub label: String,
    /// Its date, `YYYYMMDD`.
    pub date: String,
    /// Why it is not there.
    pub cause: Cause,
    /// The details (Zoho's message, the import's problem).
    pub reason: String,
    /// Its postings: (ledger, signed amount).
    pub postings: Vec<(String, Decimal)>,
}

/// What the tie-out knows about the import besides the two sets of reports.
#[derive(Clone, Debug, Default)]
pub struct Evidence<'a> {
    /// The company the Tally side comes from, when known (ledger-level explanations).
    pub company: Option<&'a Company>,
    /// Whether the opening balances are in Zoho.
    pub openings_in_zoho: bool,
    /// Vouchers not in Zoho's books.
    pub missing: Vec<Missing>,
}

/// Finds the vouchers of `company` that are not in Zoho's books: those at the `failed` lines
/// of the file (the import's failed records and the vouchers it did not map: (line, cause,
/// reason)), and the invoices left as drafts in Zoho (`drafts`: their numbers).
pub fn missing_vouchers(
    company: &Company,
    failed: &[(u64, Cause, String)],
    drafts: &[String],
) -> Vec<Missing> {
    let mut out = Vec::new();
    for v in company.vouchers.iter().filter(|v| v.void.is_none()) {
        let found = failed
            .iter()
            .find(|(line, _, _)| *line == v.line)
            .map(|(_, c, r)| (*c, r.clone()))
            .or_else(|| {
                v.number
                    .as_ref()
                    .filter(|n| drafts.contains(n))
                    .map(|_| (Cause::DraftInZoho, "a draft in Zoho".to_owned()))
            });
        let Some((mut cause, reason)) = found else {
            continue;
        };
        let postings: Vec<(String, Decimal)> =
            v.postings().map(|(l, a)| (l.to_owned(), a)).collect();
        if cause == Cause::FailedRecord
            && postings
                .iter()
                .any(|(l, _)| group_of_ledger(company, l) == UNMAPPED)
        {
            cause = Cause::UnmappedLedger;
        }
        out.push(Missing {
            label: v.label(),
            date: v.date_raw.clone().unwrap_or_default(),
            cause,
            reason,
            postings,
        });
    }
    // The opening documents of parties (docs/opening-balances.md): each open bill an
    // invoice or bill against Opening Balance Adjustments (the bill's line), what the bills
    // leave of the opening one more (the ledger's line). Not in Zoho: the party's opening
    // and the adjustments' both lack it.
    for l in &company.ledgers {
        if l.opening_bills.is_empty() {
            continue;
        }
        let mut rest = l.opening.unwrap_or_default();
        for b in &l.opening_bills {
            rest -= b.amount;
            if let Some((_, c, r)) = failed.iter().find(|(line, _, _)| *line == b.line) {
                out.push(opening_document(
                    format!("opening bill {} of {}", b.name, l.name),
                    &l.name,
                    b.amount,
                    *c,
                    r,
                ));
            }
        }
        if let Some((_, c, r)) = failed.iter().find(|(line, _, _)| *line == l.line)
            && !rest.is_zero()
        {
            out.push(opening_document(
                format!("opening on account of {}", l.name),
                &l.name,
                rest,
                *c,
                r,
            ));
        }
    }
    out
}

/// An opening document not in Zoho: the party's `amount` and its other side on the
/// opening difference.
fn opening_document(
    label: String,
    party: &str,
    amount: Decimal,
    cause: Cause,
    reason: &str,
) -> Missing {
    Missing {
        label,
        date: String::new(),
        cause,
        reason: reason.to_owned(),
        postings: vec![
            (party.to_owned(), amount),
            (OPENING_DIFFERENCE.to_owned(), -amount),
        ],
    }
}

/// One explained part of a difference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The cause.
    pub cause: Cause,
    /// The part of the difference it explains (signed like the difference).
    #[serde(serialize_with = "money_json")]
    pub amount: Decimal,
    /// What, in words: the vouchers or ledgers it comes from (the first few, then how many
    /// more).
    pub detail: String,
    /// Every voucher or ledger it comes from.
    pub items: Vec<String>,
}

/// How many items an explanation names in its detail.
const NAMED: usize = 3;

impl Explanation {
    fn new(cause: Cause, amount: Decimal, item: String) -> Explanation {
        let mut e = Explanation {
            cause,
            amount,
            detail: String::new(),
            items: vec![item],
        };
        e.describe();
        e
    }

    fn describe(&mut self) {
        let mut d = self
            .items
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if self.items.len() > NAMED {
            let _ = std::fmt::Write::write_fmt(
                &mut d,
                format_args!(" and {} more", self.items.len() - NAMED),
            );
        }
        self.detail = d;
    }
}

/// One group's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The group.
    pub group: String,
    /// Tally's figure (signed).
    #[serde(serialize_with = "money_json")]
    pub tally: Decimal,
    /// Zoho's figure (signed).
    #[serde(serialize_with = "money_json")]
    pub zoho: Decimal,
    /// Tally − Zoho.
    #[serde(serialize_with = "money_json")]
    pub difference: Decimal,
    /// The explained parts.
    pub explained: Vec<Explanation>,
    /// What no explanation covers.
    #[serde(serialize_with = "money_json")]
    pub unexplained: Decimal,
}

/// One report side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Which report.
    pub kind: ReportKind,
    /// Per group.
    pub rows: Vec<Row>,
    /// Tally's debit total (positive).
    #[serde(serialize_with = "money_json")]
    pub tally_debit: Decimal,
    /// Tally's credit total.
    #[serde(serialize_with = "money_json")]
    pub tally_credit: Decimal,
    /// Zoho's debit total.
    #[serde(serialize_with = "money_json")]
    pub zoho_debit: Decimal,
    /// Zoho's credit total.
    #[serde(serialize_with = "money_json")]
    pub zoho_credit: Decimal,
}

/// The whole tie-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TieOut {
    /// The period's first day (`YYYY-MM-DD`), when given.
    pub from: Option<String>,
    /// The period's last day.
    pub to: Option<String>,
    /// The tolerance per group.
    #[serde(serialize_with = "money_json")]
    pub tolerance: Decimal,
    /// Whether explained differences are accepted (they then do not fail the tie-out).
    pub accept_explained: bool,
    /// The three reports.
    pub sections: Vec<Section>,
}

impl TieOut {
    /// The rows that fail: a difference beyond the tolerance, less what is only reclassified
    /// (its unexplained part only, when explained differences are accepted).
    pub fn failing(&self) -> impl Iterator<Item = (&Section, &Row)> {
        self.sections.iter().flat_map(move |s| {
            s.rows
                .iter()
                .filter(move |r| {
                    let d = if self.accept_explained {
                        r.unexplained
                    } else {
                        r.difference
                            - r.explained
                                .iter()
                                .filter(|e| e.cause == Cause::Reclassified)
                                .map(|e| e.amount)
                                .sum::<Decimal>()
                    };
                    d.abs() > self.tolerance
                })
                .map(move |r| (s, r))
        })
    }

    /// Whether the books tie out: no failing row.
    pub fn ties(&self) -> bool {
        self.failing().next().is_none()
    }
}

fn in_period(date: &str, kind: ReportKind, from: Option<&str>, to: Option<&str>) -> bool {
    let d: String = date.chars().filter(char::is_ascii_digit).collect();
    let f = from.map(|f| f.chars().filter(char::is_ascii_digit).collect::<String>());
    let t = to.map(|t| t.chars().filter(char::is_ascii_digit).collect::<String>());
    if t.is_some_and(|t| d > t) {
        return false;
    }
    kind != ReportKind::ProfitAndLoss || f.is_none_or(|f| d >= f)
}

fn is_pl_group(group: &str) -> bool {
    matches!(
        group,
        "Sales Accounts & Direct Incomes"
            | "Indirect Incomes"
            | "Purchase Accounts & Direct Expenses"
            | "Indirect Expenses"
    )
}

/// Where a Tally posting to a group shows in report `kind`: P&L groups on the balance sheet
/// are its profit row; balance-sheet groups are not on the P&L.
fn shown_in(kind: ReportKind, group: &'static str) -> Option<&'static str> {
    match kind {
        ReportKind::ProfitAndLoss => is_pl_group(group).then_some(group),
        ReportKind::BalanceSheet if is_pl_group(group) => Some(PROFIT_AND_LOSS),
        ReportKind::TrialBalance | ReportKind::BalanceSheet => Some(group),
    }
}

fn is_rounding_ledger(company: &Company, ledger: &str) -> bool {
    ledger.to_lowercase().contains("round")
        || company
            .ledgers
            .iter()
            .any(|l| l.name == ledger && l.rounding)
}

/// The explanations of report `kind`, per group.
fn explanations(
    kind: ReportKind,
    tally: &Report,
    evidence: &Evidence<'_>,
    from: Option<&str>,
    to: Option<&str>,
) -> BTreeMap<&'static str, Vec<Explanation>> {
    let mut out: BTreeMap<&'static str, Vec<Explanation>> = BTreeMap::new();
    let mut add = |group: &'static str, cause: Cause, amount: Decimal, item: String| {
        if amount.is_zero() {
            return;
        }
        let list = out.entry(group).or_default();
        match list.iter_mut().find(|e| e.cause == cause) {
            Some(e) => {
                e.amount += amount;
                if !e.items.contains(&item) {
                    e.items.push(item);
                    e.describe();
                }
            }
            None => list.push(Explanation::new(cause, amount, item)),
        }
    };
    // Opening balances: Tally's whole residue row, and each ledger's opening.
    if !evidence.openings_in_zoho && kind != ReportKind::ProfitAndLoss {
        if let Some(l) = tally.lines.iter().find(|l| l.name == OPENING_DIFFERENCE) {
            add(
                OPENING_DIFFERENCE,
                Cause::OpeningBalances,
                l.amount,
                "Tally's difference in opening balances".to_owned(),
            );
        }
        if let Some(company) = evidence.company {
            for l in &company.ledgers {
                let Some(o) = l.opening.filter(|o| !o.is_zero()) else {
                    continue;
                };
                if let Some(g) = shown_in(kind, group_of_ledger(company, &l.name)) {
                    add(g, Cause::OpeningBalances, o, l.name.clone());
                }
            }
        }
    }
    if let Some(company) = evidence.company {
        // Vouchers not in Zoho.
        for m in &evidence.missing {
            if !in_period(&m.date, kind, from, to) {
                continue;
            }
            let mut per_group: BTreeMap<&'static str, Decimal> = BTreeMap::new();
            for (ledger, amount) in &m.postings {
                let group = if ledger == OPENING_DIFFERENCE {
                    OPENING_DIFFERENCE
                } else {
                    group_of_ledger(company, ledger)
                };
                if let Some(g) = shown_in(kind, group) {
                    *per_group.entry(g).or_default() += amount;
                }
            }
            for (g, a) in per_group {
                let item = if m.cause == Cause::DraftInZoho {
                    m.label.clone()
                } else {
                    format!("{} ({})", m.label, m.reason)
                };
                add(g, m.cause, a, item);
            }
        }
        // Round-off lines of documents: Tally's round-off ledger, Zoho's `Other Charges`.
        for v in company.vouchers.iter().filter(|v| v.void.is_none()) {
            let date = v.date_raw.as_deref().unwrap_or("");
            if !in_period(date, kind, from, to)
                || evidence
                    .missing
                    .iter()
                    .any(|m| m.label == v.label() && m.date == date)
                || v.inventory.is_empty() && v.party.is_none()
            {
                continue;
            }
            for l in v
                .ledgers
                .iter()
                .filter(|l| is_rounding_ledger(company, &l.ledger))
            {
                let tally_group = group_of_ledger(company, &l.ledger);
                let zoho_group = group_of_type("other_income");
                if tally_group == zoho_group {
                    continue;
                }
                if let Some(g) = shown_in(kind, tally_group) {
                    add(
                        g,
                        Cause::Reclassified,
                        l.amount,
                        format!("{} in {}", l.ledger, v.label()),
                    );
                }
                if let Some(g) = shown_in(kind, zoho_group) {
                    add(
                        g,
                        Cause::Reclassified,
                        -l.amount,
                        format!("{} in {} (Zoho: Other Charges)", l.ledger, v.label()),
                    );
                }
            }
        }
    }
    out
}

/// How many documents (vouchers) a rounding residue may come from: a cent each.
fn documents(evidence: &Evidence<'_>) -> u64 {
    evidence.company.map_or(0, |c| {
        c.vouchers.iter().filter(|v| v.void.is_none()).count() as u64
    })
}

/// Ties Tally's reports (`tally`, any of the three) out against Zoho's (`zoho`, each report's
/// account rows) for `from..=to`, explaining what `evidence` can.
pub fn tie_out(
    tally: &[Report],
    zoho: &[(ReportKind, Vec<ZohoLine>)],
    evidence: &Evidence<'_>,
    from: Option<&str>,
    to: Option<&str>,
    tolerance: Decimal,
    accept_explained: bool,
) -> TieOut {
    let mut sections = Vec::new();
    for report in tally {
        let kind = report.kind;
        let Some((_, zoho_lines)) = zoho.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let mut tally_groups: BTreeMap<&'static str, Decimal> = BTreeMap::new();
        for l in &report.lines {
            *tally_groups.entry(group_of_tally_row(&l.name)).or_default() += l.amount;
        }
        let mut zoho_groups: BTreeMap<&'static str, Decimal> = BTreeMap::new();
        for l in zoho_lines {
            let g = if kind == ReportKind::BalanceSheet && l.name == ZOHO_EARNINGS {
                PROFIT_AND_LOSS
            } else if l.name == ZOHO_OPENING_ADJUSTMENTS {
                OPENING_DIFFERENCE
            } else {
                group_of_type(&l.account_type)
            };
            *zoho_groups.entry(g).or_default() += l.amount;
        }
        let mut explained = explanations(kind, report, evidence, from, to);
        let cent = Decimal::new(1, 2);
        let allowance = cent * Decimal::from(documents(evidence).max(1));
        let mut rows = Vec::new();
        for group in GROUPS {
            let t = tally_groups.get(group).copied().unwrap_or_default();
            let z = zoho_groups.get(group).copied().unwrap_or_default();
            let difference = t - z;
            let mut parts = explained.remove(group).unwrap_or_default();
            if t.is_zero() && z.is_zero() && parts.is_empty() {
                continue;
            }
            let mut unexplained = difference - parts.iter().map(|e| e.amount).sum::<Decimal>();
            // GST rounded per voucher in Tally and per line in Zoho: a cent a document.
            if !unexplained.is_zero()
                && unexplained.abs() <= allowance
                && evidence.company.is_some()
            {
                parts.push(Explanation::new(
                    Cause::Rounding,
                    unexplained,
                    "GST rounded per line in Zoho, per voucher in Tally".to_owned(),
                ));
                unexplained = Decimal::ZERO;
            }
            rows.push(Row {
                group: (*group).to_owned(),
                tally: t,
                zoho: z,
                difference,
                explained: parts,
                unexplained,
            });
        }
        let sum = |f: fn(&Line) -> Decimal| report.lines.iter().map(f).sum::<Decimal>();
        let zoho_dr: Decimal = zoho_lines
            .iter()
            .map(|l| (-l.amount).max(Decimal::ZERO))
            .sum();
        let zoho_cr: Decimal = zoho_lines.iter().map(|l| l.amount.max(Decimal::ZERO)).sum();
        sections.push(Section {
            kind,
            rows,
            tally_debit: sum(Line::debit),
            tally_credit: sum(Line::credit),
            zoho_debit: zoho_dr,
            zoho_credit: zoho_cr,
        });
    }
    TieOut {
        from: from.map(str::to_owned),
        to: to.map(str::to_owned),
        tolerance,
        accept_explained,
        sections,
    }
}

/// An amount as the table writes it: two decimals.
pub fn money(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// A signed amount as a (debit, credit) pair of table cells, the other one empty.
pub fn side(d: Decimal) -> (String, String) {
    match d.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Less => (money(-d), String::new()),
        std::cmp::Ordering::Greater => (String::new(), money(d)),
        std::cmp::Ordering::Equal => (String::new(), String::new()),
    }
}

/// The tie-out as a text table: per report, per group Tally's debit and credit, Zoho's, the
/// difference, then each explanation and what is unexplained; then the verdict.
pub fn render_text(t: &TieOut) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let period = match (&t.from, &t.to) {
        (Some(f), Some(to)) => format!("{f} to {to}"),
        (None, Some(to)) => format!("up to {to}"),
        (Some(f), None) => format!("from {f}"),
        (None, None) => "all dates".to_owned(),
    };
    let _ = writeln!(out, "Books tie-out: Tally against Zoho Books ({period})");
    for s in &t.sections {
        let _ = writeln!(out, "\n{}", s.kind.title());
        let _ = writeln!(
            out,
            "  {:<36} {:>14} {:>14} {:>14} {:>14} {:>14}",
            "Group", "Tally Dr", "Tally Cr", "Zoho Dr", "Zoho Cr", "Difference"
        );
        for r in &s.rows {
            let (td, tc) = side(r.tally);
            let (zd, zc) = side(r.zoho);
            let _ = writeln!(
                out,
                "  {:<36} {td:>14} {tc:>14} {zd:>14} {zc:>14} {:>14}",
                r.group,
                money(r.difference)
            );
            for e in &r.explained {
                let _ = writeln!(
                    out,
                    "      explained {:>12}  {}: {}",
                    money(e.amount),
                    e.cause.phrase(),
                    e.detail
                );
            }
            if !r.unexplained.is_zero() {
                let _ = writeln!(out, "      UNEXPLAINED {:>10}", money(r.unexplained));
            }
        }
        let _ = writeln!(
            out,
            "  {:<36} {:>14} {:>14} {:>14} {:>14} {:>14}",
            "Total",
            money(s.tally_debit),
            money(s.tally_credit),
            money(s.zoho_debit),
            money(s.zoho_credit),
            money((s.tally_credit - s.tally_debit) - (s.zoho_credit - s.zoho_debit))
        );
    }
    let failing = t.failing().count();
    if failing == 0 {
        let _ = writeln!(
            out,
            "\nTies out: every group within {} of Zoho.",
            money(t.tolerance)
        );
    } else {
        let _ = writeln!(
            out,
            "\nDoes NOT tie out: {failing} group row(s) differ by more than {}{}.",
            money(t.tolerance),
            if t.accept_explained {
                " beyond their explanations"
            } else {
                " (explained differences count; --accept-explained lets them pass)"
            }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, amount: i64) -> Line {
        Line {
            name: name.to_owned(),
            amount: Decimal::from(amount),
        }
    }

    fn zl(name: &str, kind: &str, amount: i64) -> ZohoLine {
        ZohoLine {
            name: name.to_owned(),
            account_type: kind.to_owned(),
            amount: Decimal::from(amount),
        }
    }

    #[test]
    fn equal_books_tie_out_and_a_difference_beyond_the_tolerance_does_not() {
        let tally = Report {
            kind: ReportKind::TrialBalance,
            lines: vec![line("Current Assets", -100), line("Sales Accounts", 100)],
        };
        let zoho = vec![(
            ReportKind::TrialBalance,
            vec![
                zl("Accounts Receivable", "accounts_receivable", -60),
                zl("Bank", "bank", -40),
                zl("Sales", "income", 100),
            ],
        )];
        let e = Evidence::default();
        let t = tie_out(
            std::slice::from_ref(&tally),
            &zoho,
            &e,
            None,
            None,
            Decimal::ZERO,
            false,
        );
        assert!(t.ties(), "{}", render_text(&t));
        let zoho = vec![(
            ReportKind::TrialBalance,
            vec![
                zl("AR", "accounts_receivable", -99),
                zl("Sales", "income", 99),
            ],
        )];
        let strict = tie_out(
            std::slice::from_ref(&tally),
            &zoho,
            &e,
            None,
            None,
            Decimal::ZERO,
            false,
        );
        assert!(!strict.ties());
        assert_eq!(strict.failing().count(), 2);
        let loose = tie_out(&[tally], &zoho, &e, None, None, Decimal::ONE, false);
        assert!(
            loose.ties(),
            "a tolerance of 1.00 covers a difference of 1.00"
        );
    }

    #[test]
    fn zoho_rows_read_at_any_depth_with_their_signs() {
        let tb = serde_json::json!({"rows": [{"name": "Assets", "rows": [
            {"account_name": "AR", "account_type": "accounts_receivable",
             "net_debit_total": 10.5, "net_credit_total": 0},
            {"name": "Group", "rows": [{"account_name": "Tax", "account_type":
             "other_current_liability", "net_debit_total": "0", "net_credit_total": "2.25"}]}
        ]}]});
        let lines = zoho_lines(&tb).expect("rows");
        assert_eq!(lines[0].amount, Decimal::new(-1050, 2));
        assert_eq!(lines[1].amount, Decimal::new(225, 2));
        let pl = serde_json::json!({"rows": [{"rows": [
            {"account_name": "Rent", "account_type": "expense", "total": 5},
            {"account_name": "Sales", "account_type": "income", "total": 7}]}]});
        let lines = zoho_lines(&pl).expect("rows");
        assert_eq!(lines[0].amount, Decimal::from(-5));
        assert_eq!(lines[1].amount, Decimal::from(7));
        let bad = serde_json::json!({"rows": [{"account_name": "X", "account_type": "bank"}]});
        assert!(zoho_lines(&bad).is_err());
    }

    fn sample() -> Company {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../zbooks-import/fixtures/tally/sample-company.xml"
        );
        Company::read(
            "Sample",
            std::fs::File::open(path).expect("fixture"),
            "sample",
        )
        .0
    }

    #[test]
    fn round_off_lines_and_a_cent_of_gst_are_explained_as_rounding() {
        let company = sample();
        let tb = reports::compute(&company, ReportKind::TrialBalance, None, None);
        // Zoho's books as the import makes them with every voucher in: the same groups, but
        // the round-off (0.80 Dr in Tally's Indirect Expenses) in `Other Charges`, and GST a
        // cent lower from rounding per line.
        let mut zoho: Vec<ZohoLine> = Vec::new();
        for l in &tb.lines {
            let kind = match group_of_tally_row(&l.name) {
                "Current Liabilities" => "other_current_liability",
                "Current Assets" => "bank",
                "Sales Accounts & Direct Incomes" => "income",
                // The round-off's group: Zoho has nothing there.
                _ => continue,
            };
            let mut amount = l.amount;
            if kind == "other_current_liability" {
                amount -= Decimal::new(1, 2);
            }
            zoho.push(ZohoLine {
                name: l.name.clone(),
                account_type: kind.to_owned(),
                amount,
            });
        }
        zoho.push(ZohoLine {
            name: "Other Charges".to_owned(),
            account_type: "other_income".to_owned(),
            amount: Decimal::new(-80, 2),
        });
        let evidence = Evidence {
            company: Some(&company),
            openings_in_zoho: true,
            missing: Vec::new(),
        };
        let t = tie_out(
            &[tb],
            &[(ReportKind::TrialBalance, zoho)],
            &evidence,
            None,
            None,
            Decimal::ZERO,
            true,
        );
        let row = |g: &str| {
            t.sections[0]
                .rows
                .iter()
                .find(|r| r.group == g)
                .unwrap_or_else(|| panic!("{g}: {}", render_text(&t)))
        };
        for g in [
            "Indirect Expenses",
            "Indirect Incomes",
            "Current Liabilities",
        ] {
            let r = row(g);
            assert!(!r.difference.is_zero(), "{g}");
            assert!(r.unexplained.is_zero(), "{g}: {}", render_text(&t));
            assert!(
                r.explained
                    .iter()
                    .all(|e| matches!(e.cause, Cause::Rounding | Cause::Reclassified)),
                "{g}"
            );
        }
        assert_eq!(row("Indirect Expenses").difference, Decimal::new(-80, 2));
        assert_eq!(row("Indirect Incomes").difference, Decimal::new(80, 2));
        assert!(
            row("Indirect Expenses").explained[0]
                .detail
                .contains("Round Off")
        );
    }

    #[test]
    fn group_mapping_follows_the_import_classification() {
        assert_eq!(group_of_tally_row("Sundry Debtors"), "Current Assets");
        assert_eq!(group_of_tally_row("Duties & Taxes"), "Current Liabilities");
        assert_eq!(
            group_of_tally_row("Direct Incomes"),
            "Sales Accounts & Direct Incomes"
        );
        assert_eq!(group_of_tally_row("My Own Primary"), UNMAPPED);
        assert_eq!(group_of_type("accounts_payable"), "Current Liabilities");
    }
}
