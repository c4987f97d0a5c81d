//! The mapping from Tally to Zoho Books, India edition (tally-reference.md §11): debtors
//! become customers and creditors vendors, stock items become items, GST rates become taxes
//! and tax groups, Sales become invoices, Purchase bills, Receipt and Payment customer and
//! vendor payments, Journal and Contra journals, Credit and Debit Notes credit notes and
//! vendor credits.
//!
//! Masters are indexed compactly as they stream past (once per GUID: Day Book exports repeat
//! them before every voucher); vouchers are mapped as they arrive, and the master-derived
//! records (taxes, accounts, contacts, items) come out at the end, when every group is known.
//! Voucher types and groups are classified by walking `PARENT` to a reserved name, never by
//! their display name (§4.2, §6.2). The sign of an amount is the truth: debit negative (§13).

mod documents;
mod journals;
mod masters;
mod opening;
mod payments;

pub use opening::{ADJUSTMENTS, ITEM, on_account_name};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::model::{Group, Ledger, LedgerLine, Stock, Voucher};
use super::xml::Node;
use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Entity, NaturalKey, Posting, Record};
use crate::value::{self, plain};

/// Options of the Tally mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TallyOptions {
    /// The API name of a unique custom field (`cf_source_id`) that holds Tally's GUID, when
    /// the organization has one: the natural key of documents and payments then lives there
    /// (and the executor may upsert through `X-Unique-Identifier-*`). Without it the GUID
    /// goes into `reference_number`.
    pub source_id_field: Option<String>,
    /// The first day of the books being brought over (`YYYY-MM-DD`), when the caller knows
    /// it: the opening balances are dated the day before. A live pull knows it from `--from`
    /// (a re-run that pulls fewer months keeps the same opening). Without it, the day before
    /// the first voucher.
    pub books_from: Option<String>,
}

/// What a ledger is, from its group tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Debtor,
    Creditor,
    Sales,
    Purchase,
    Duty,
    Bank,
    Cash,
    DirectExpense,
    IndirectExpense,
    DirectIncome,
    IndirectIncome,
    Stock,
    Equity,
    LongTermLiability,
    CurrentLiability,
    CurrentAsset,
    FixedAsset,
    OtherAsset,
    Unknown,
}

fn reserved_class(name: &str) -> Option<Class> {
    Some(match name.trim() {
        "Sundry Debtors" => Class::Debtor,
        "Sundry Creditors" => Class::Creditor,
        "Sales Accounts" => Class::Sales,
        "Purchase Accounts" => Class::Purchase,
        "Duties & Taxes" => Class::Duty,
        "Bank Accounts" | "Bank OD A/c" | "Bank OCC A/c" => Class::Bank,
        "Cash-in-Hand" | "Cash-in-hand" => Class::Cash,
        "Direct Expenses" => Class::DirectExpense,
        "Indirect Expenses" | "Misc. Expenses (ASSET)" => Class::IndirectExpense,
        "Direct Incomes" => Class::DirectIncome,
        "Indirect Incomes" => Class::IndirectIncome,
        "Stock-in-Hand" | "Stock-in-hand" => Class::Stock,
        "Capital Account" | "Reserves & Surplus" => Class::Equity,
        "Loans (Liability)" | "Secured Loans" | "Unsecured Loans" => Class::LongTermLiability,
        "Current Liabilities" | "Provisions" | "Suspense A/c" | "Branch / Divisions" => {
            Class::CurrentLiability
        }
        "Current Assets" | "Deposits (Asset)" | "Loans & Advances (Asset)" => Class::CurrentAsset,
        "Fixed Assets" => Class::FixedAsset,
        "Investments" => Class::OtherAsset,
        _ => return None,
    })
}

impl Class {
    /// Zoho's `account_type` for an account ledger.
    fn account_type(self) -> Option<&'static str> {
        Some(match self {
            Class::Sales | Class::DirectIncome => "income",
            Class::IndirectIncome => "other_income",
            Class::Purchase | Class::DirectExpense => "cost_of_goods_sold",
            Class::IndirectExpense => "expense",
            Class::Duty | Class::CurrentLiability => "other_current_liability",
            Class::Bank => "bank",
            Class::Cash => "cash",
            Class::Stock => "stock",
            Class::Equity => "equity",
            Class::LongTermLiability => "long_term_liability",
            Class::CurrentAsset => "other_current_asset",
            Class::FixedAsset => "fixed_asset",
            Class::OtherAsset => "other_asset",
            Class::Debtor | Class::Creditor | Class::Unknown => return None,
        })
    }
}

/// What a group is: walks `PARENT` from `group` to a reserved name (`lookup` finds a group
/// master by name; a name without a master is judged by itself).
fn group_class<'a>(group: Option<&'a str>, lookup: impl Fn(&str) -> Option<&'a Group>) -> Class {
    let mut current = group;
    for _ in 0..64 {
        let Some(name) = current else {
            return Class::Unknown;
        };
        match lookup(name) {
            Some(g) => {
                if let Some(c) = g.reserved.as_deref().and_then(reserved_class) {
                    return c;
                }
                if g.parent.is_none() || g.parent.as_deref() == Some(name) {
                    return reserved_class(name).unwrap_or(Class::Unknown);
                }
                current = g.parent.as_deref();
            }
            None => return reserved_class(name).unwrap_or(Class::Unknown),
        }
    }
    Class::Unknown
}

/// Zoho Books' `account_type` for the ledgers of a Tally group, by the same classification
/// the import maps ledgers with (walking `PARENT` to a reserved group name): `group` is the
/// ledger's parent (or a group's own name), `lookup` finds a group master by name. Debtors
/// and creditors (which the import turns into contacts, not accounts) are
/// `accounts_receivable` and `accounts_payable`, the accounts their documents post to; `None`
/// when the group leads to no reserved name.
pub fn zoho_account_type<'a>(
    group: Option<&'a str>,
    lookup: impl Fn(&str) -> Option<&'a Group>,
) -> Option<&'static str> {
    match group_class(group, lookup) {
        Class::Debtor => Some("accounts_receivable"),
        Class::Creditor => Some("accounts_payable"),
        other => other.account_type(),
    }
}

/// Tally's predefined voucher types that matter here.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Sales,
    Purchase,
    Receipt,
    Payment,
    Journal,
    Contra,
    CreditNote,
    DebitNote,
    /// Orders, notes, stock journals, memoranda: not accounting documents.
    Other(String),
}

fn kind_of(reserved: &str) -> Option<Kind> {
    Some(match reserved.trim() {
        "Sales" => Kind::Sales,
        "Purchase" => Kind::Purchase,
        "Receipt" => Kind::Receipt,
        "Payment" => Kind::Payment,
        "Journal" | "Reversing Journal" => Kind::Journal,
        "Contra" => Kind::Contra,
        "Credit Note" => Kind::CreditNote,
        "Debit Note" => Kind::DebitNote,
        other @ ("Sales Order" | "Purchase Order" | "Delivery Note" | "Receipt Note"
        | "Rejections In" | "Rejections Out" | "Stock Journal" | "Physical Stock"
        | "Memorandum" | "Payroll" | "Attendance" | "Job Work In Order"
        | "Job Work Out Order" | "Material In" | "Material Out") => Kind::Other(other.to_owned()),
        _ => return None,
    })
}

/// GST duty heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Head {
    Central,
    State,
    Integrated,
    Cess,
}

fn head_of(text: &str) -> Option<Head> {
    let t = text.to_ascii_uppercase();
    if t.contains("IGST") || t.contains("INTEGRATED") {
        Some(Head::Integrated)
    } else if t.contains("CGST") || t.contains("CENTRAL TAX") {
        Some(Head::Central)
    } else if t.contains("SGST") || t.contains("UTGST") || t.contains("STATE TAX") {
        Some(Head::State)
    } else if t.contains("CESS") {
        Some(Head::Cess)
    } else {
        None
    }
}

/// What voucher lines taught about an item.
#[derive(Clone, Debug, Default)]
struct Seen {
    sale_rate: Option<Decimal>,
    purchase_rate: Option<Decimal>,
    hsn: Option<String>,
    gst_rate: Option<Decimal>,
}

/// Turns Tally objects into records.
#[derive(Debug)]
pub struct TallyMapper {
    file: Arc<str>,
    /// Where the vouchers being pushed come from, when not from `file` (a live pull reads
    /// masters and each month's vouchers from separate answers).
    vouchers_file: Option<Arc<str>>,
    options: TallyOptions,
    ledgers: HashMap<String, Ledger>,
    ledger_order: Vec<String>,
    groups: HashMap<String, Group>,
    vtypes: HashMap<String, Group>,
    items: HashMap<String, Stock>,
    item_order: Vec<String>,
    stock_groups: HashMap<String, Stock>,
    guids: HashSet<String>,
    rates: BTreeMap<Decimal, Location>,
    accounts: BTreeMap<String, Location>,
    seen: HashMap<String, Seen>,
    vouchers: u64,
    /// The earliest voucher date (`YYYY-MM-DD`): the opening is the day before.
    first_date: Option<String>,
    /// The bills each party has, as (party, bill name), folded: opening bills and the
    /// `New Ref`s and numbers of its documents. A receipt's or payment's `Agst Ref` is
    /// applied only to one of these.
    known_bills: HashSet<(String, String)>,
    /// Receipts and payments that name a bill not seen yet: mapped at the end, when every
    /// document is known.
    deferred: Vec<Voucher>,
    /// Whether the deferred vouchers are being mapped (an unknown bill is then dropped).
    finishing: bool,
    /// The labels (numbers) of vouchers the reader lost, folded: a bill of that name is in
    /// Tally, so a payment against it waits for it (held back) rather than going unapplied.
    lost_bills: HashSet<String>,
}

type Out = Vec<Result<Record, Problem>>;

/// A party's bill as [`TallyMapper`] remembers it: (party, bill name), trimmed and folded.
fn bill_key(party: &str, bill: &str) -> (String, String) {
    (
        crate::record::NaturalKey::named(Entity::Invoice, party).folded_value(),
        crate::record::NaturalKey::named(Entity::Invoice, bill).folded_value(),
    )
}

impl TallyMapper {
    /// A mapper for the objects of one file.
    pub fn new(file: Arc<str>, options: TallyOptions) -> Self {
        TallyMapper {
            file,
            vouchers_file: None,
            options,
            ledgers: HashMap::new(),
            ledger_order: Vec::new(),
            groups: HashMap::new(),
            vtypes: HashMap::new(),
            items: HashMap::new(),
            item_order: Vec::new(),
            stock_groups: HashMap::new(),
            guids: HashSet::new(),
            rates: BTreeMap::new(),
            accounts: BTreeMap::new(),
            seen: HashMap::new(),
            vouchers: 0,
            first_date: None,
            known_bills: HashSet::new(),
            deferred: Vec::new(),
            finishing: false,
            lost_bills: HashSet::new(),
        }
    }

    /// Names the input the objects pushed from now on come from, in the locations of the
    /// vouchers (masters keep the file the mapper was made for: their records are made at
    /// the end). A live pull calls it once per answer.
    pub fn set_file(&mut self, file: Arc<str>) {
        self.vouchers_file = Some(file);
    }

    /// The number of vouchers seen.
    pub fn vouchers(&self) -> u64 {
        self.vouchers
    }

    /// Whether a master with this GUID was seen before (Day Book exports repeat masters).
    fn repeated(&mut self, guid: Option<&String>) -> bool {
        match guid {
            Some(g) => !self.guids.insert(g.clone()),
            None => false,
        }
    }

    /// Takes one object; returns the records (and problems) it yields now.
    pub fn push(&mut self, node: &Node) -> Out {
        match &*node.name {
            "LEDGER" => {
                if let Some(l) = Ledger::read(node)
                    && !self.repeated(l.guid.as_ref())
                    && !self.ledgers.contains_key(&l.name)
                {
                    for b in &l.opening_bills {
                        self.known_bills.insert(bill_key(&l.name, &b.name));
                    }
                    self.ledger_order.push(l.name.clone());
                    self.ledgers.insert(l.name.clone(), l);
                }
                Vec::new()
            }
            "GROUP" | "VOUCHERTYPE" => {
                if let Some(g) = Group::read(node)
                    && !self.repeated(g.guid.as_ref())
                {
                    let map = if &*node.name == "GROUP" {
                        &mut self.groups
                    } else {
                        &mut self.vtypes
                    };
                    map.entry(g.name.clone()).or_insert(g);
                }
                Vec::new()
            }
            "STOCKITEM" => {
                if let Some(s) = Stock::read(node)
                    && !self.repeated(s.guid.as_ref())
                    && !self.items.contains_key(&s.name)
                {
                    self.item_order.push(s.name.clone());
                    self.items.insert(s.name.clone(), s);
                }
                Vec::new()
            }
            "STOCKGROUP" => {
                if let Some(s) = Stock::read(node)
                    && !self.repeated(s.guid.as_ref())
                {
                    self.stock_groups.entry(s.name.clone()).or_insert(s);
                }
                Vec::new()
            }
            "VOUCHER" => {
                self.vouchers += 1;
                let v = Voucher::read(node);
                self.voucher(&v)
            }
            _ => Vec::new(),
        }
    }

    fn class(&self, ledger: &str) -> Class {
        let Some(l) = self.ledgers.get(ledger) else {
            return Class::Unknown;
        };
        group_class(l.parent.as_deref(), |name| self.groups.get(name))
    }

    fn kind(&self, type_name: &str) -> Option<Kind> {
        let mut current = type_name.to_owned();
        for _ in 0..32 {
            match self.vtypes.get(&current) {
                Some(t) => {
                    if let Some(k) = t.reserved.as_deref().and_then(kind_of) {
                        return Some(k);
                    }
                    match &t.parent {
                        Some(p) if *p != current => current.clone_from(p),
                        _ => return kind_of(&current),
                    }
                }
                None => return kind_of(&current),
            }
        }
        None
    }

    fn gst_head(&self, ledger: &str) -> Option<Head> {
        match self.ledgers.get(ledger) {
            Some(l) => {
                if let Some(h) = l.duty_head.as_deref().and_then(head_of) {
                    return Some(h);
                }
                let gst_ledger = l.tax_type.as_deref() == Some("GST");
                let duty = self.class(ledger) == Class::Duty;
                if gst_ledger || (duty && l.tax_type.is_none()) {
                    head_of(ledger)
                } else {
                    None
                }
            }
            None => head_of(ledger),
        }
    }

    fn is_rounding(&self, line: &LedgerLine) -> bool {
        line.rounding
            || self.ledgers.get(&line.ledger).is_some_and(|l| l.rounding)
            || line.ledger.to_lowercase().contains("round")
    }

    fn stock_chain<T>(&self, item: &str, get: impl Fn(&Stock) -> Option<T>) -> Option<T> {
        let stock = self.items.get(item)?;
        if let Some(v) = get(stock) {
            return Some(v);
        }
        let mut current = stock.parent.clone();
        for _ in 0..32 {
            let g = self.stock_groups.get(current.as_deref()?)?;
            if let Some(v) = get(g) {
                return Some(v);
            }
            current = g.parent.clone();
        }
        None
    }

    fn location(&self, line: u64, element: &str, label: &str) -> Location {
        Location::new(self.file.clone(), line)
            .with_element(element)
            .with_label(label)
    }

    fn voucher_location(&self, line: u64, label: &str) -> Location {
        let file = self.vouchers_file.as_ref().unwrap_or(&self.file);
        Location::new(file.clone(), line)
            .with_element("VOUCHER")
            .with_label(label)
    }

    /// The natural key of a voucher-born record: the GUID in the source-id field, else the
    /// document's own number.
    fn voucher_key(
        &self,
        entity: Entity,
        guid: Option<&str>,
        number: Option<&str>,
    ) -> Option<NaturalKey> {
        let field = self
            .options
            .source_id_field
            .clone()
            .unwrap_or_else(|| "reference_number".to_owned());
        match (guid, number) {
            (Some(g), _) => Some(NaturalKey::new(entity, field, g)),
            (None, Some(n)) => Some(NaturalKey::named(entity, n)),
            (None, None) => None,
        }
    }

    /// Writes the GUID into the payload where the natural key says.
    fn stamp_source(&self, payload: &mut Map<String, Value>, guid: Option<&str>) {
        let Some(g) = guid else { return };
        match &self.options.source_id_field {
            Some(cf) => {
                payload.insert(
                    "custom_fields".to_owned(),
                    json!([{"api_name": cf, "value": g}]),
                );
            }
            None => {
                payload.insert("reference_number".to_owned(), json!(g));
            }
        }
    }

    fn use_account(&mut self, ledger: &str, at: &Location) -> NaturalKey {
        self.accounts
            .entry(ledger.to_owned())
            .or_insert_with(|| at.clone());
        NaturalKey::named(Entity::Account, ledger)
    }

    fn tax_key(&mut self, rate: Decimal, inter: bool, at: &Location) -> NaturalKey {
        self.rates.entry(rate).or_insert_with(|| at.clone());
        if inter {
            NaturalKey::named(Entity::Tax, format!("IGST{}", plain(rate)))
        } else {
            NaturalKey::named(Entity::TaxGroup, format!("GST{}", plain(rate)))
        }
    }

    fn voucher(&mut self, v: &Voucher) -> Out {
        let at = self.voucher_location(v.line, &v.label());
        if let Some(why) = v.void {
            return vec![Err(Problem::warning(
                ProblemKind::Skipped,
                at,
                format!("the voucher is {why}: not imported"),
            ))];
        }
        let Some(type_name) = v.type_name.as_deref() else {
            return vec![Err(Problem::error(
                ProblemKind::MissingField,
                at,
                "the voucher has no type",
            )
            .field("VOUCHERTYPENAME"))];
        };
        let Some(kind) = self.kind(type_name) else {
            return vec![Err(Problem::error(
                ProblemKind::BadValue,
                at,
                format!(
                    "voucher type {type_name:?} does not lead to a predefined Tally type; \
                     include its VOUCHERTYPE master in the export"
                ),
            )
            .field("VOUCHERTYPENAME"))];
        };
        let Some(date) = v.date_raw.as_deref().and_then(value::tally_date) else {
            return vec![Err(Problem::error(
                ProblemKind::BadValue,
                at,
                format!(
                    "{:?} is not a date (Tally writes YYYYMMDD)",
                    v.date_raw.as_deref().unwrap_or("")
                ),
            )
            .field("DATE"))];
        };
        if self.first_date.as_ref().is_none_or(|d| date < *d) {
            self.first_date = Some(date.clone());
        }
        if matches!(
            kind,
            Kind::Sales | Kind::Purchase | Kind::CreditNote | Kind::DebitNote
        ) {
            self.note_bills(v);
        }
        if matches!(kind, Kind::Receipt | Kind::Payment)
            && !self.finishing
            && self.names_unknown_bill(v)
        {
            self.deferred.push(v.clone());
            return Vec::new();
        }
        let mut out = Vec::new();
        // A line entered on the "wrong" side (a reducing round-off) has its flag disagree
        // with its sign; the sign wins, the disagreement is worth a look (§6.3).
        for l in &v.ledgers {
            if let Some(dp) = l.deemed_positive
                && ((dp && l.amount > Decimal::ZERO) || (!dp && l.amount < Decimal::ZERO))
            {
                out.push(Err(Problem::warning(
                    ProblemKind::Mismatch,
                    self.voucher_location(l.line, &v.label()),
                    format!(
                        "ledger {:?}: ISDEEMEDPOSITIVE is {} but the amount is {}; the sign \
                             of the amount is used",
                        l.ledger,
                        if dp { "Yes" } else { "No" },
                        l.amount
                    ),
                )
                .field("ISDEEMEDPOSITIVE")));
            }
        }
        let mapped = match kind {
            Kind::Sales => self.document(v, Entity::Invoice, &date, &at),
            Kind::Purchase => self.document(v, Entity::Bill, &date, &at),
            Kind::CreditNote => self.document(v, Entity::CreditNote, &date, &at),
            Kind::DebitNote => self.document(v, Entity::VendorCredit, &date, &at),
            Kind::Receipt | Kind::Payment => self.payment(v, kind == Kind::Receipt, &date, &at),
            Kind::Journal | Kind::Contra => self.journal(v, &date, &at),
            Kind::Other(name) => Err(Problem::warning(
                ProblemKind::Skipped,
                at,
                format!("a {name} voucher is not an accounting document: not imported"),
            )),
        };
        match mapped {
            Ok((record, warnings)) => {
                out.extend(warnings.into_iter().map(Err));
                out.push(Ok(record));
            }
            Err(p) => out.push(Err(p)),
        }
        out
    }

    fn postings(v: &Voucher) -> Vec<Posting> {
        v.postings()
            .map(|(ledger, amount)| Posting {
                ledger: ledger.to_owned(),
                amount,
            })
            .collect()
    }

    fn party(&self, v: &Voucher) -> Option<String> {
        if let Some(p) = &v.party
            && v.ledgers.iter().any(|l| &l.ledger == p)
        {
            return Some(p.clone());
        }
        v.ledgers
            .iter()
            .find(|l| l.is_party == Some(true))
            .or_else(|| {
                v.ledgers
                    .iter()
                    .find(|l| matches!(self.class(&l.ledger), Class::Debtor | Class::Creditor))
            })
            .map(|l| l.ledger.clone())
            .or_else(|| v.party.clone())
    }
}
