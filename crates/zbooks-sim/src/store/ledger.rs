//! The general ledger behind the simulator's accounting reports (trial balance, profit and
//! loss, balance sheet): every document the organization holds posts its debits and credits
//! to accounts, computed from the stored records when a report is asked for, so a report is
//! always true to what was created.
//!
//! Postings (double entry, each document balancing to the cent):
//! - invoice (not draft, not void): Dr Accounts Receivable `total`; Cr each line's account
//!   (the line's `account_id`, else its item's, else `Sales`) its `item_total`; Cr
//!   `Output Tax` the `tax_total`; the rest (entity discount, shipping, adjustment) on
//!   `Other Charges`;
//! - bill (not draft, not void): the mirror — Dr lines (else `Cost of Goods Sold`), Dr
//!   `Input Tax`, the rest on `Other Charges`, Cr Accounts Payable `total`;
//! - customer payment: Dr its deposit account (`account_id`, else `Undeposited Funds`), Cr
//!   Accounts Receivable `amount`;
//! - vendor payment: Dr Accounts Payable, Cr `paid_through_account_id` (else `Petty Cash`);
//! - journal: each line on its `account_id`, debit or credit.
//!
//! Accounts are the chart's where a record names one; `Output Tax`, `Input Tax` and `Other
//! Charges` are the chart's accounts of those names when they exist, else stand alone in the
//! reports (types `other_current_liability`, `other_current_liability` — GST input and output
//! are netted in one liability, as Tally's Duties & Taxes group nets them — and
//! `other_income`). Opening balances (`/settings/openingbalances`) post each account's amount
//! on its side and the difference on `Opening Balance Adjustments`, dated their `date`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::money;
use crate::resources::Kind;
use crate::store::{OrgData, Record, parse_id, text};

/// One account's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AccountTotal {
    /// The chart's id, when the account is in the chart.
    pub(crate) account_id: Option<String>,
    pub(crate) account_name: String,
    pub(crate) account_type: String,
    pub(crate) debit: Decimal,
    pub(crate) credit: Decimal,
}

/// Accounts' totals, by account name (names are unique in the chart).
#[derive(Clone, Debug, Default)]
pub(crate) struct Ledger {
    pub(crate) accounts: BTreeMap<String, AccountTotal>,
}

/// The postings of one document: (account name, debit, credit).
type Postings = Vec<(Target, Decimal, Decimal)>;

/// Where a posting goes: a chart account by id, or an account by name and type.
#[derive(Clone, Debug)]
enum Target {
    Id(String),
    Named(&'static str, &'static str),
}

const AR: Target = Target::Named("Accounts Receivable", "accounts_receivable");
const AP: Target = Target::Named("Accounts Payable", "accounts_payable");
const SALES: Target = Target::Named("Sales", "income");
const COGS: Target = Target::Named("Cost of Goods Sold", "cost_of_goods_sold");
const OUTPUT_TAX: Target = Target::Named("Output Tax", "other_current_liability");
const INPUT_TAX: Target = Target::Named("Input Tax", "other_current_liability");
const OTHER_CHARGES: Target = Target::Named("Other Charges", "other_income");
const UNDEPOSITED: Target = Target::Named("Undeposited Funds", "cash");
const PETTY_CASH: Target = Target::Named("Petty Cash", "cash");

impl Ledger {
    fn post(&mut self, data: &OrgData, target: &Target, debit: Decimal, credit: Decimal) {
        let (id, name, kind) = match target {
            Target::Id(id) => {
                let account = parse_id(id).and_then(|n| data.get(Kind::ChartOfAccounts, n));
                match account {
                    Some(a) => (
                        Some(id.clone()),
                        text(&a, "account_name").unwrap_or_else(|| id.clone()),
                        text(&a, "account_type").unwrap_or_default(),
                    ),
                    // A record naming an account the chart no longer has: kept by its id.
                    None => (Some(id.clone()), id.clone(), String::new()),
                }
            }
            Target::Named(name, kind) => {
                let id = data.find_unique(Kind::ChartOfAccounts, "account_name", name);
                let kind = id
                    .and_then(|n| data.get(Kind::ChartOfAccounts, n))
                    .and_then(|a| text(&a, "account_type"))
                    .unwrap_or_else(|| (*kind).to_owned());
                (id.map(|n| n.to_string()), (*name).to_owned(), kind)
            }
        };
        let entry = self
            .accounts
            .entry(name.clone())
            .or_insert_with(|| AccountTotal {
                account_id: id,
                account_name: name,
                account_type: kind,
                ..AccountTotal::default()
            });
        entry.debit += debit;
        entry.credit += credit;
    }
}

/// Where Zoho books what the opening balances' debits and credits differ by (Zoho's help on
/// opening balances: "the difference is posted to the Opening Balance Adjustments account").
const OPENING_ADJUSTMENTS: Target =
    Target::Named("Opening Balance Adjustments", "other_current_liability");

/// The opening balances' postings (rules/opening.rs stores them in Zoho's shape): each
/// account's `bcy_amount` on its `debit_or_credit` side, and the difference between the two
/// sides on Opening Balance Adjustments. With its date, or none when there is none.
fn opening_postings(data: &OrgData) -> Option<(String, Postings)> {
    let opening = data.opening_balance.as_ref()?;
    let date = text(opening, "date")?;
    let mut out: Postings = Vec::new();
    let (mut debits, mut credits) = (Decimal::ZERO, Decimal::ZERO);
    for line in opening
        .get("accounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Value::Object(line) = line else { continue };
        let (Some(id), Some(side)) = (text(line, "account_id"), text(line, "debit_or_credit"))
        else {
            continue;
        };
        let bcy = amount(line, "bcy_amount");
        if side == "debit" {
            debits += bcy;
            out.push((Target::Id(id), bcy, Decimal::ZERO));
        } else {
            credits += bcy;
            out.push((Target::Id(id), Decimal::ZERO, bcy));
        }
    }
    if debits > credits {
        out.push((OPENING_ADJUSTMENTS, Decimal::ZERO, debits - credits));
    } else if credits > debits {
        out.push((OPENING_ADJUSTMENTS, credits - debits, Decimal::ZERO));
    }
    Some((date, out))
}

fn amount(record: &Record, key: &str) -> Decimal {
    record
        .get(key)
        .and_then(money::parse)
        .unwrap_or(Decimal::ZERO)
}

fn account_of(record: &Record, key: &str) -> Option<Target> {
    text(record, key).map(Target::Id)
}

/// The account a line posts to: its own, else its item's (`account_id` on the sales side,
/// `purchase_account_id` on the purchase side), else the default.
fn line_account(data: &OrgData, line: &Record, sales: bool) -> Target {
    if let Some(t) = account_of(line, "account_id") {
        return t;
    }
    let item_key = if sales {
        "account_id"
    } else {
        "purchase_account_id"
    };
    text(line, "item_id")
        .and_then(|t| parse_id(&t))
        .and_then(|id| data.get(Kind::Items, id))
        .and_then(|item| account_of(&item, item_key))
        .unwrap_or(if sales { SALES } else { COGS })
}

/// An invoice's (sales) or bill's postings, as debit-positive signed amounts on the sales
/// side turned around for bills.
fn document(data: &OrgData, record: &Record, sales: bool) -> Postings {
    let total = amount(record, "total");
    let tax = amount(record, "tax_total");
    let mut lines: Vec<(Target, Decimal)> = Vec::new();
    if let Some(Value::Array(items)) = record.get("line_items") {
        for l in items.iter().filter_map(Value::as_object) {
            lines.push((line_account(data, l, sales), amount(l, "item_total")));
        }
    }
    let lines_total: Decimal = lines.iter().map(|(_, a)| *a).sum();
    let rest = total - lines_total - tax;
    // Sales credit their lines, tax and the rest and debit receivables; bills the mirror.
    let side = |a: Decimal| -> (Decimal, Decimal) {
        let a = if sales { a } else { -a };
        if a >= Decimal::ZERO {
            (Decimal::ZERO, a)
        } else {
            (-a, Decimal::ZERO)
        }
    };
    let mut out: Postings = Vec::new();
    let (dr, cr) = side(-total);
    out.push((if sales { AR } else { AP }, dr, cr));
    for (target, a) in lines {
        let (dr, cr) = side(a);
        out.push((target, dr, cr));
    }
    if !tax.is_zero() {
        let (dr, cr) = side(tax);
        out.push((if sales { OUTPUT_TAX } else { INPUT_TAX }, dr, cr));
    }
    if !rest.is_zero() {
        let (dr, cr) = side(rest);
        out.push((OTHER_CHARGES, dr, cr));
    }
    out
}

/// A record's postings and its date, or `None` when it posts nothing (a draft or void
/// document).
fn postings(data: &OrgData, kind: Kind, record: &Record) -> Option<(String, Postings)> {
    let date_key = if kind == Kind::Journals {
        "journal_date"
    } else {
        "date"
    };
    let date = text(record, date_key).unwrap_or_default();
    let posted = match kind {
        Kind::Invoices | Kind::Bills => {
            if matches!(text(record, "status").as_deref(), Some("draft" | "void")) {
                return None;
            }
            document(data, record, kind == Kind::Invoices)
        }
        Kind::CustomerPayments => {
            let a = amount(record, "amount");
            let bank = account_of(record, "account_id").unwrap_or(UNDEPOSITED);
            vec![(bank, a, Decimal::ZERO), (AR, Decimal::ZERO, a)]
        }
        Kind::VendorPayments => {
            let a = amount(record, "amount");
            let bank = account_of(record, "paid_through_account_id").unwrap_or(PETTY_CASH);
            vec![(AP, a, Decimal::ZERO), (bank, Decimal::ZERO, a)]
        }
        Kind::Journals => {
            let mut out = Vec::new();
            if let Some(Value::Array(items)) = record.get("line_items") {
                for l in items.iter().filter_map(Value::as_object) {
                    let Some(target) = account_of(l, "account_id") else {
                        continue;
                    };
                    let a = amount(l, "amount");
                    if text(l, "debit_or_credit").as_deref() == Some("debit") {
                        out.push((target, a, Decimal::ZERO));
                    } else {
                        out.push((target, Decimal::ZERO, a));
                    }
                }
            }
            out
        }
        _ => return None,
    };
    Some((date, posted))
}

/// The ledger of the organization's postings dated in `from..=to` (`YYYY-MM-DD`; none means
/// unbounded), with the opening balances when `from` is none (they stand before every date).
pub(crate) fn ledger(data: &OrgData, from: Option<&str>, to: Option<&str>) -> Ledger {
    let mut ledger = Ledger::default();
    // The opening balances stand on their date, before every document: in a report from no
    // date or from a date on or before theirs, up to `to`.
    if let Some((date, posted)) = opening_postings(data)
        && from.is_none_or(|f| date.as_str() >= f)
        && to.is_none_or(|t| date.as_str() <= t)
    {
        for (target, dr, cr) in posted {
            ledger.post(data, &target, dr, cr);
        }
    }
    for kind in [
        Kind::Invoices,
        Kind::Bills,
        Kind::CustomerPayments,
        Kind::VendorPayments,
        Kind::Journals,
    ] {
        for stored in data.table(kind).records().values() {
            let record = stored.decode();
            let Some((date, posted)) = postings(data, kind, &record) else {
                continue;
            };
            if from.is_some_and(|f| date.as_str() < f) || to.is_some_and(|t| date.as_str() > t) {
                continue;
            }
            for (target, dr, cr) in posted {
                ledger.post(data, &target, dr, cr);
            }
        }
    }
    ledger
}
