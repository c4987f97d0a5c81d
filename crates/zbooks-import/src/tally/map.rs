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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::model::{Group, InventoryLine, Ledger, LedgerLine, Stock, Voucher};
use super::xml::Node;
use crate::gst;
use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Amounts, Entity, NaturalKey, Posting, Record};
use crate::value::{self, money, plain};

/// Options of the Tally mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TallyOptions {
    /// The API name of a unique custom field (`cf_source_id`) that holds Tally's GUID, when
    /// the organization has one: the natural key of documents and payments then lives there
    /// (and the executor may upsert through `X-Unique-Identifier-*`). Without it the GUID
    /// goes into `reference_number`.
    pub source_id_field: Option<String>,
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

/// Rates Zoho India organizations use; an effective rate within 0.05 of one snaps to it.
const SLABS: &[&str] = &[
    "0.1", "0.25", "1", "1.5", "3", "5", "6", "7.5", "12", "18", "28", "40",
];

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
}

type Out = Vec<Result<Record, Problem>>;

impl TallyMapper {
    /// A mapper for the objects of one file.
    pub fn new(file: Arc<str>, options: TallyOptions) -> Self {
        TallyMapper {
            file,
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
        }
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
        let mut current = l.parent.as_deref();
        for _ in 0..64 {
            let Some(name) = current else {
                return Class::Unknown;
            };
            match self.groups.get(name) {
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
        let at = self.location(v.line, "VOUCHER", &v.label());
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
        let mut out = Vec::new();
        // A line entered on the "wrong" side (a reducing round-off) has its flag disagree
        // with its sign; the sign wins, the disagreement is worth a look (§6.3).
        for l in &v.ledgers {
            if let Some(dp) = l.deemed_positive
                && ((dp && l.amount > Decimal::ZERO) || (!dp && l.amount < Decimal::ZERO))
            {
                out.push(Err(Problem::warning(
                    ProblemKind::Mismatch,
                    self.location(l.line, "VOUCHER", &v.label()),
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

    /// An invoice, bill, credit note or vendor credit. `sign` turns Tally's signed amounts
    /// into the document's positive line values: sales are credits, purchases debits.
    fn document(
        &mut self,
        v: &Voucher,
        entity: Entity,
        date: &str,
        at: &Location,
    ) -> Result<(Record, Vec<Problem>), Problem> {
        let sign = match entity {
            Entity::Invoice | Entity::VendorCredit => Decimal::ONE,
            _ => Decimal::NEGATIVE_ONE,
        };
        let sales_side = matches!(entity, Entity::Invoice | Entity::CreditNote);
        let mut warnings = Vec::new();
        let party = self.party(v).ok_or_else(|| {
            Problem::error(
                ProblemKind::MissingField,
                at.clone(),
                "the voucher names no party ledger",
            )
            .field("PARTYLEDGERNAME")
        })?;
        let party_amount: Decimal = v
            .ledgers
            .iter()
            .filter(|l| l.ledger == party)
            .map(|l| l.amount)
            .sum();
        let total = -sign * party_amount;

        let mut lines: Vec<LineOut> = Vec::new();
        for inv in &v.inventory {
            lines.push(self.item_line(inv, sign, sales_side, at));
        }
        let mut tax_total = Decimal::ZERO;
        let mut inter = false;
        let mut has_gst = false;
        let mut adjustment = Decimal::ZERO;
        let mut adjusted: Vec<&str> = Vec::new();
        for l in v.ledgers.iter().filter(|l| l.ledger != party) {
            if let Some(head) = self.gst_head(&l.ledger) {
                has_gst = true;
                tax_total += sign * l.amount;
                inter |= head == Head::Integrated;
                continue;
            }
            if self.is_rounding(l) || self.class(&l.ledger) == Class::Duty {
                adjustment += sign * l.amount;
                adjusted.push(&l.ledger);
                continue;
            }
            let value = sign * l.amount;
            let mut json = Map::new();
            json.insert("name".to_owned(), json!(l.ledger));
            json.insert("quantity".to_owned(), json!("1"));
            json.insert("rate".to_owned(), money(value));
            if let Some(h) = &l.hsn {
                json.insert("hsn_or_sac".to_owned(), json!(h));
            }
            let account = self.use_account(&l.ledger, at);
            lines.push(LineOut {
                json,
                value,
                rate: l.gst_rate,
                refs: vec![("account_id".to_owned(), account)],
            });
        }
        if lines.is_empty() {
            return Err(Problem::error(
                ProblemKind::MissingField,
                at.clone(),
                "the voucher has no item or account line to bill",
            )
            .field("line_items"));
        }
        if has_gst {
            let taxable: Decimal = lines.iter().map(|l| l.value).sum();
            let effective = if taxable.is_zero() {
                None
            } else {
                Some(snap(tax_total / taxable * Decimal::ONE_HUNDRED))
            };
            let mut zoho_tax = Decimal::ZERO;
            for line in &mut lines {
                let rate = line
                    .rate
                    .filter(|r| !r.is_zero())
                    .or(effective)
                    .filter(|r| *r > Decimal::ZERO);
                line.rate = rate;
                if let Some(r) = rate {
                    zoho_tax += line.value * r / Decimal::ONE_HUNDRED;
                    let key = self.tax_key(r, inter, at);
                    line.refs.push(("tax_id".to_owned(), key));
                }
            }
            if (zoho_tax - tax_total).abs() > Decimal::ONE {
                warnings.push(Problem::warning(
                    ProblemKind::Mismatch,
                    at.clone(),
                    format!(
                        "Zoho will compute GST of about {} from the line rates; Tally books {}",
                        zoho_tax.round_dp(2),
                        tax_total
                    ),
                ));
            }
        }

        let ledger = self.ledgers.get(&party);
        let gstin = v
            .party_gstin
            .clone()
            .or_else(|| ledger.and_then(|l| l.gstin.clone()));
        let registration = v
            .registration
            .clone()
            .or_else(|| ledger.and_then(|l| l.registration.clone()));
        let treatment = gst::treatment(
            registration.as_deref(),
            gstin.as_deref(),
            ledger.and_then(|l| l.country.as_deref()),
            ledger.is_some_and(|l| l.pan.is_some()),
            &party,
        );
        let party_state = v
            .place_of_supply
            .clone()
            .or_else(|| v.state.clone())
            .or_else(|| ledger.and_then(|l| l.state.clone()));

        let mut payload = Map::new();
        let (party_field, number_field) = match entity {
            Entity::Invoice => ("customer_id", "invoice_number"),
            Entity::CreditNote => ("customer_id", "creditnote_number"),
            Entity::Bill => ("vendor_id", "bill_number"),
            _ => ("vendor_id", "vendor_credit_number"),
        };
        // A bill's number is the supplier's invoice number: Tally's REFERENCE, else the
        // voucher number.
        let number = if sales_side {
            v.number.clone()
        } else {
            v.reference.clone().or_else(|| v.number.clone())
        };
        if let Some(n) = &number {
            payload.insert(number_field.to_owned(), json!(n));
        }
        payload.insert("date".to_owned(), json!(date));
        self.stamp_source(&mut payload, v.guid.as_deref());
        payload.insert("gst_treatment".to_owned(), json!(treatment));
        if treatment == "business_gst"
            && let Some(g) = &gstin
        {
            payload.insert("gst_no".to_owned(), json!(g));
        }
        if sales_side {
            if let Some(code) = gst::place(gstin.as_deref(), party_state.as_deref()) {
                payload.insert("place_of_supply".to_owned(), json!(code));
            }
        } else {
            if let Some(code) = gst::place(gstin.as_deref(), party_state.as_deref()) {
                payload.insert("source_of_supply".to_owned(), json!(code));
            }
            if let Some(code) = v.company_state.as_deref().and_then(gst::state_code) {
                payload.insert("destination_of_supply".to_owned(), json!(code));
            }
        }
        if let Some(days) = v.due_days {
            payload.insert("payment_terms".to_owned(), json!(days));
        }
        if let Some(n) = &v.narration {
            payload.insert("notes".to_owned(), json!(n));
        }
        if !adjustment.is_zero() {
            payload.insert("adjustment".to_owned(), money(adjustment));
            payload.insert(
                "adjustment_description".to_owned(),
                json!(adjusted.join(", ")),
            );
        }
        let mut refs: Vec<(String, NaturalKey)> = vec![(
            format!("/{party_field}"),
            NaturalKey::named(Entity::Contact, &party),
        )];
        let mut items = Vec::with_capacity(lines.len());
        for (i, line) in lines.into_iter().enumerate() {
            for (field, key) in line.refs {
                refs.push((format!("/line_items/{i}/{field}"), key));
            }
            items.push(Value::Object(line.json));
        }
        payload.insert("line_items".to_owned(), Value::Array(items));

        let key = self
            .voucher_key(entity, v.guid.as_deref(), number.as_deref())
            .ok_or_else(|| {
                Problem::error(
                    ProblemKind::MissingField,
                    at.clone(),
                    "the voucher has neither GUID nor number to identify it",
                )
                .field("GUID")
            })?;
        let mut record = Record::new(entity, key, Value::Object(payload), at.clone());
        for (path, key) in refs {
            record.refer(path, key);
        }
        if let Some(n) = &number {
            add_alias(&mut record, NaturalKey::named(entity, n));
        }
        // Receipts and payments name the document by its bill reference (§6.5).
        for l in v.ledgers.iter().filter(|l| l.ledger == party) {
            for b in l.bills.iter().filter(|b| b.kind == "New Ref") {
                add_alias(&mut record, NaturalKey::named(entity, &b.name));
            }
        }
        if entity == Entity::Invoice && number.is_some() {
            record.query.push((
                "ignore_auto_number_generation".to_owned(),
                "true".to_owned(),
            ));
        }
        record.amounts = Some(Amounts {
            total,
            zoho_field: "total".to_owned(),
            party: Some(party),
            postings: Self::postings(v),
        });
        Ok((record, warnings))
    }

    fn item_line(
        &mut self,
        inv: &InventoryLine,
        sign: Decimal,
        sales_side: bool,
        at: &Location,
    ) -> LineOut {
        let value = sign * inv.amount;
        let mut json = Map::new();
        json.insert("name".to_owned(), json!(inv.item));
        let (quantity, rate) = match (inv.quantity, inv.rate) {
            (Some(q), Some(r)) if !q.is_zero() && q * r == value => (q, r),
            (Some(q), _) if !q.is_zero() => (q, (value / q).round_dp(6).normalize()),
            _ => (Decimal::ONE, value),
        };
        json.insert("quantity".to_owned(), json!(plain(quantity)));
        json.insert("rate".to_owned(), money(rate));
        if let Some(u) = &inv.unit {
            json.insert("unit".to_owned(), json!(u));
        }
        if let Some(d) = &inv.description {
            json.insert("description".to_owned(), json!(d));
        }
        let hsn = inv
            .hsn
            .clone()
            .or_else(|| self.stock_chain(&inv.item, |s| s.hsn.clone()));
        if let Some(h) = &hsn {
            json.insert("hsn_or_sac".to_owned(), json!(h));
        }
        let gst_rate = inv
            .gst_rate
            .or_else(|| self.stock_chain(&inv.item, |s| s.gst_rate));
        let seen = self.seen.entry(inv.item.clone()).or_default();
        if sales_side {
            seen.sale_rate = Some(rate);
        } else {
            seen.purchase_rate = Some(rate);
        }
        if hsn.is_some() {
            seen.hsn.clone_from(&hsn);
        }
        if gst_rate.is_some() {
            seen.gst_rate = gst_rate;
        }
        let mut refs = vec![(
            "item_id".to_owned(),
            NaturalKey::named(Entity::Item, &inv.item),
        )];
        if !sales_side && let Some(a) = inv.allocations.first() {
            let key = self.use_account(&a.ledger, at);
            refs.push(("account_id".to_owned(), key));
        }
        LineOut {
            json,
            value,
            rate: gst_rate,
            refs,
        }
    }
}

/// A document line in the making.
struct LineOut {
    json: Map<String, Value>,
    value: Decimal,
    rate: Option<Decimal>,
    refs: Vec<(String, NaturalKey)>,
}

impl TallyMapper {
    /// A Receipt (customer payment) or Payment (vendor payment); a receipt or payment whose
    /// party is not a debtor or creditor (an expense paid, an income received) becomes a
    /// journal (tally-reference.md §11.1).
    fn payment(
        &mut self,
        v: &Voucher,
        receipt: bool,
        date: &str,
        at: &Location,
    ) -> Result<(Record, Vec<Problem>), Problem> {
        let wanted = if receipt {
            Class::Debtor
        } else {
            Class::Creditor
        };
        let party = self.party(v).filter(|p| {
            let c = self.class(p);
            c == wanted || (c == Class::Unknown && !self.ledgers.contains_key(p))
        });
        let Some(party) = party else {
            return self.journal(v, date, at);
        };
        let (entity, party_field, doc_entity, docs_field, doc_id, account_field) = if receipt {
            (
                Entity::CustomerPayment,
                "customer_id",
                Entity::Invoice,
                "invoices",
                "invoice_id",
                "account_id",
            )
        } else {
            (
                Entity::VendorPayment,
                "vendor_id",
                Entity::Bill,
                "bills",
                "bill_id",
                "paid_through_account_id",
            )
        };
        // A receipt credits the party (+), a payment debits it (−).
        let sign = if receipt {
            Decimal::ONE
        } else {
            Decimal::NEGATIVE_ONE
        };
        let party_lines: Vec<&LedgerLine> =
            v.ledgers.iter().filter(|l| l.ledger == party).collect();
        let amount: Decimal = party_lines.iter().map(|l| sign * l.amount).sum();
        let bank = v
            .ledgers
            .iter()
            .filter(|l| l.ledger != party && sign * l.amount < Decimal::ZERO)
            .max_by_key(|l| l.amount.abs());
        let mut payload = Map::new();
        payload.insert("date".to_owned(), json!(date));
        payload.insert("amount".to_owned(), money(amount));
        let mode = match bank {
            Some(b) => payment_mode(b.transaction.as_deref(), self.class(&b.ledger)),
            None => "cash",
        };
        payload.insert("payment_mode".to_owned(), json!(mode));
        self.stamp_source(&mut payload, v.guid.as_deref());
        let mut description: Vec<String> = Vec::new();
        if let Some(n) = &v.narration {
            description.push(n.clone());
        }
        if let Some(i) = bank.and_then(|b| b.instrument.clone()) {
            description.push(format!("instrument {i}"));
        }
        if !description.is_empty() {
            payload.insert("description".to_owned(), json!(description.join("; ")));
        }
        let mut refs = vec![(
            format!("/{party_field}"),
            NaturalKey::named(Entity::Contact, &party),
        )];
        if let Some(b) = bank {
            let key = self.use_account(&b.ledger, at);
            refs.push((format!("/{account_field}"), key));
        }
        let mut applied = Vec::new();
        for b in party_lines
            .iter()
            .flat_map(|l| l.bills.iter())
            .filter(|b| b.kind == "Agst Ref")
        {
            let i = applied.len();
            applied.push(json!({ "amount_applied": money(sign * b.amount) }));
            refs.push((
                format!("/{docs_field}/{i}/{doc_id}"),
                NaturalKey::named(doc_entity, &b.name),
            ));
        }
        payload.insert(docs_field.to_owned(), Value::Array(applied));
        let key = self
            .voucher_key(entity, v.guid.as_deref(), v.number.as_deref())
            .ok_or_else(|| {
                Problem::error(
                    ProblemKind::MissingField,
                    at.clone(),
                    "the voucher has neither GUID nor number to identify it",
                )
                .field("GUID")
            })?;
        let mut record = Record::new(entity, key, Value::Object(payload), at.clone());
        for (path, key) in refs {
            record.refer(path, key);
        }
        record.amounts = Some(Amounts {
            total: amount,
            zoho_field: "amount".to_owned(),
            party: Some(party),
            postings: Self::postings(v),
        });
        Ok((record, Vec::new()))
    }

    /// A journal: one line per posting, debit or credit by the sign. Debtor lines post to
    /// Accounts Receivable with the customer named; creditor lines to Accounts Payable.
    fn journal(
        &mut self,
        v: &Voucher,
        date: &str,
        at: &Location,
    ) -> Result<(Record, Vec<Problem>), Problem> {
        let mut payload = Map::new();
        payload.insert("journal_date".to_owned(), json!(date));
        self.stamp_source(&mut payload, v.guid.as_deref());
        let notes = match (&v.narration, &v.number) {
            (Some(n), Some(no)) => format!("{no}: {n}"),
            (Some(n), None) => n.clone(),
            (None, Some(no)) => format!("Tally voucher {no}"),
            (None, None) => String::new(),
        };
        if !notes.is_empty() {
            payload.insert("notes".to_owned(), json!(notes));
        }
        let postings = Self::postings(v);
        let mut lines = Vec::with_capacity(postings.len());
        let mut refs = Vec::new();
        let mut debits = Decimal::ZERO;
        for (i, p) in postings.iter().enumerate() {
            let class = self.class(&p.ledger);
            let side = if p.amount < Decimal::ZERO {
                "debit"
            } else {
                "credit"
            };
            if p.amount < Decimal::ZERO {
                debits -= p.amount;
            }
            lines.push(json!({
                "debit_or_credit": side,
                "amount": money(p.amount.abs()),
                "description": p.ledger,
            }));
            let account = match class {
                Class::Debtor => {
                    refs.push((
                        format!("/line_items/{i}/customer_id"),
                        NaturalKey::named(Entity::Contact, &p.ledger),
                    ));
                    NaturalKey::named(Entity::Account, "Accounts Receivable")
                }
                Class::Creditor => NaturalKey::named(Entity::Account, "Accounts Payable"),
                _ => self.use_account(&p.ledger, at),
            };
            refs.push((format!("/line_items/{i}/account_id"), account));
        }
        if lines.is_empty() {
            return Err(Problem::error(
                ProblemKind::MissingField,
                at.clone(),
                "the voucher has no ledger lines",
            )
            .field("ALLLEDGERENTRIES.LIST"));
        }
        payload.insert("line_items".to_owned(), Value::Array(lines));
        let key = self
            .voucher_key(Entity::Journal, v.guid.as_deref(), v.number.as_deref())
            .ok_or_else(|| {
                Problem::error(
                    ProblemKind::MissingField,
                    at.clone(),
                    "the voucher has neither GUID nor number to identify it",
                )
                .field("GUID")
            })?;
        let mut record = Record::new(Entity::Journal, key, Value::Object(payload), at.clone());
        for (path, key) in refs {
            record.refer(path, key);
        }
        let party = self
            .party(v)
            .filter(|p| matches!(self.class(p), Class::Debtor | Class::Creditor));
        record.amounts = Some(Amounts {
            total: debits,
            zoho_field: "total".to_owned(),
            party,
            postings,
        });
        Ok((record, Vec::new()))
    }

    /// The records that come from masters, once every master is known: taxes and tax
    /// groups for the GST rates used, accounts for the ledgers used, contacts for debtors and
    /// creditors, items for stock items.
    pub fn finish(self) -> Out {
        let mut out = Vec::new();
        let mut ledgers_with_opening = 0_u64;
        let mut opening_total = Decimal::ZERO;
        for l in self.ledgers.values() {
            if let Some(o) = l.opening.filter(|o| !o.is_zero()) {
                ledgers_with_opening += 1;
                opening_total += o.abs();
            }
        }
        let mut me = self;
        let items = me.item_records();
        out.extend(me.tax_records());
        out.extend(me.account_records());
        out.extend(me.contact_records());
        out.extend(items);
        if ledgers_with_opening > 0 {
            out.push(Err(Problem::warning(
                ProblemKind::Skipped,
                Location::new(me.file.clone(), 0),
                format!(
                    "{ledgers_with_opening} ledgers carry opening balances (together {opening_total}): \
                     opening balances are not imported; enter them in Zoho's opening-balance \
                     screen or as opening invoices and bills dated before the cut-over"
                ),
            )
            .field("OPENINGBALANCE")));
        }
        out
    }

    fn tax_records(&self) -> Out {
        let mut out = Vec::new();
        let mut taxes: BTreeMap<String, (Decimal, &'static str, Location)> = BTreeMap::new();
        let mut groups = Vec::new();
        for (rate, at) in &self.rates {
            let half = rate / Decimal::TWO;
            taxes
                .entry(format!("IGST{}", plain(*rate)))
                .or_insert((*rate, "igst", at.clone()));
            let c = format!("CGST{}", plain(half));
            let s = format!("SGST{}", plain(half));
            taxes.entry(c.clone()).or_insert((half, "cgst", at.clone()));
            taxes.entry(s.clone()).or_insert((half, "sgst", at.clone()));
            groups.push((format!("GST{}", plain(*rate)), c, s, at.clone()));
        }
        for (name, (rate, kind, at)) in taxes {
            let payload = json!({
                "tax_name": name,
                "tax_percentage": money(rate),
                "tax_type": "tax",
                "tax_specific_type": kind,
            });
            let at = Location::new(at.file.clone(), at.line).with_label(name.clone());
            out.push(Ok(Record::new(
                Entity::Tax,
                NaturalKey::named(Entity::Tax, &name),
                payload,
                at,
            )));
        }
        for (name, c, s, at) in groups {
            let payload = json!({ "tax_group_name": name, "taxes": [null, null] });
            let mut r = Record::new(
                Entity::TaxGroup,
                NaturalKey::named(Entity::TaxGroup, &name),
                payload,
                Location::new(at.file.clone(), at.line).with_label(name.clone()),
            );
            // Zoho lists groups among the taxes: a tax name may name a group.
            r.aliases.push(NaturalKey::named(Entity::Tax, &name));
            r.refer("/taxes/0", NaturalKey::named(Entity::Tax, c));
            r.refer("/taxes/1", NaturalKey::named(Entity::Tax, s));
            out.push(Ok(r));
        }
        out
    }

    fn account_records(&self) -> Out {
        let mut out = Vec::new();
        for (name, used_at) in &self.accounts {
            let Some(ledger) = self.ledgers.get(name) else {
                continue;
            };
            let Some(kind) = self.class(name).account_type() else {
                continue;
            };
            let at = self.location(ledger.line, "LEDGER", name);
            let _ = used_at;
            let payload = json!({ "account_name": name, "account_type": kind });
            out.push(Ok(Record::new(
                Entity::Account,
                NaturalKey::named(Entity::Account, name),
                payload,
                at,
            )));
        }
        out
    }

    fn contact_records(&self) -> Out {
        let mut out = Vec::new();
        for name in &self.ledger_order {
            let Some(l) = self.ledgers.get(name) else {
                continue;
            };
            let contact_type = match self.class(name) {
                Class::Debtor => "customer",
                Class::Creditor => "vendor",
                _ => continue,
            };
            let at = self.location(l.line, "LEDGER", name);
            let treatment = gst::treatment(
                l.registration.as_deref(),
                l.gstin.as_deref(),
                l.country.as_deref(),
                l.pan.is_some(),
                name,
            );
            let mut p = Map::new();
            p.insert("contact_name".to_owned(), json!(name));
            if treatment != "consumer" {
                p.insert(
                    "company_name".to_owned(),
                    json!(l.mailing_name.as_deref().unwrap_or(name)),
                );
            }
            p.insert("contact_type".to_owned(), json!(contact_type));
            p.insert("gst_treatment".to_owned(), json!(treatment));
            if treatment == "business_gst"
                && let Some(g) = &l.gstin
            {
                p.insert("gst_no".to_owned(), json!(g));
            }
            if treatment != "overseas"
                && let Some(code) = gst::place(l.gstin.as_deref(), l.state.as_deref())
            {
                p.insert("place_of_contact".to_owned(), json!(code));
            }
            let mut address = Map::new();
            if let Some(first) = l.address.first() {
                address.insert("address".to_owned(), json!(first));
            }
            if l.address.len() > 1 {
                address.insert("street2".to_owned(), json!(l.address[1..].join(", ")));
            }
            if let Some(s) = &l.state {
                address.insert("state".to_owned(), json!(s));
            }
            if let Some(z) = &l.pincode {
                address.insert("zip".to_owned(), json!(z));
            }
            if let Some(c) = &l.country {
                address.insert("country".to_owned(), json!(c));
            }
            if !address.is_empty() {
                p.insert("billing_address".to_owned(), Value::Object(address));
            }
            if let Some(d) = l.credit_days {
                p.insert("payment_terms".to_owned(), json!(d));
                p.insert("payment_terms_label".to_owned(), json!(format!("Net {d}")));
            }
            if l.email.is_some() || l.phone.is_some() || l.mobile.is_some() {
                let mut person = Map::new();
                for (k, v) in [
                    ("email", &l.email),
                    ("phone", &l.phone),
                    ("mobile", &l.mobile),
                ] {
                    if let Some(v) = v {
                        person.insert(k.to_owned(), json!(v));
                    }
                }
                person.insert("is_primary_contact".to_owned(), json!(true));
                p.insert("contact_persons".to_owned(), json!([person]));
            }
            let mut record = Record::new(
                Entity::Contact,
                NaturalKey::named(Entity::Contact, name),
                Value::Null,
                at,
            );
            if let (Some(cf), Some(g)) = (&self.options.source_id_field, &l.guid) {
                p.insert(
                    "custom_fields".to_owned(),
                    json!([{"api_name": cf, "value": g}]),
                );
                record.aliases.push(NaturalKey::new(Entity::Contact, cf, g));
            }
            record.payload = Value::Object(p);
            out.push(Ok(record));
        }
        out
    }

    fn item_records(&mut self) -> Out {
        let mut out = Vec::new();
        for name in self.item_order.clone() {
            let Some(stock) = self.items.get(&name).cloned() else {
                continue;
            };
            let seen = self.seen.get(&name).cloned().unwrap_or_default();
            let at = self.location(stock.line, "STOCKITEM", &name);
            let rate = stock
                .price
                .or(seen.sale_rate)
                .or(seen.purchase_rate)
                .unwrap_or(Decimal::ZERO);
            let mut p = Map::new();
            p.insert("name".to_owned(), json!(name));
            p.insert("rate".to_owned(), money(rate));
            if let Some(c) = stock.cost.or(seen.purchase_rate) {
                p.insert("purchase_rate".to_owned(), money(c));
            }
            if let Some(d) = &stock.description {
                p.insert("description".to_owned(), json!(d));
            }
            let service = stock
                .supply
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("services"));
            p.insert(
                "product_type".to_owned(),
                json!(if service { "service" } else { "goods" }),
            );
            p.insert("item_type".to_owned(), json!("sales_and_purchases"));
            if let Some(h) = self.stock_chain(&name, |s| s.hsn.clone()).or(seen.hsn) {
                p.insert("hsn_or_sac".to_owned(), json!(h));
            }
            // No `unit`: Zoho's create-item request does not define it (items.yml); the unit
            // goes on each invoice and bill line, where it is defined.
            let gst_rate = self
                .stock_chain(&name, |s| s.gst_rate)
                .or(seen.gst_rate)
                .filter(|r| *r > Decimal::ZERO);
            let mut refs = Vec::new();
            if let Some(r) = gst_rate {
                p.insert(
                    "item_tax_preferences".to_owned(),
                    json!([
                        {"tax_specification": "intra", "tax_id": null},
                        {"tax_specification": "inter", "tax_id": null},
                    ]),
                );
                refs.push((
                    "/item_tax_preferences/0/tax_id",
                    self.tax_key(r, false, &at),
                ));
                refs.push(("/item_tax_preferences/1/tax_id", self.tax_key(r, true, &at)));
            }
            let mut record = Record::new(
                Entity::Item,
                NaturalKey::named(Entity::Item, &name),
                Value::Null,
                at,
            );
            if let (Some(cf), Some(g)) = (&self.options.source_id_field, &stock.guid) {
                p.insert(
                    "custom_fields".to_owned(),
                    json!([{"api_name": cf, "value": g}]),
                );
                record.aliases.push(NaturalKey::new(Entity::Item, cf, g));
            }
            record.payload = Value::Object(p);
            for (path, key) in refs {
                record.refer(path, key);
            }
            out.push(Ok(record));
        }
        out
    }
}

fn add_alias(record: &mut Record, key: NaturalKey) {
    if record.key != key && !record.aliases.contains(&key) {
        record.aliases.push(key);
    }
}

/// Zoho's payment mode for Tally's bank transaction type.
fn payment_mode(transaction: Option<&str>, class: Class) -> &'static str {
    let t = transaction.unwrap_or("").to_ascii_lowercase();
    if t.contains("cheque") || t.contains("check") || t == "dd" {
        "check"
    } else if t.contains("cash") || (t.is_empty() && class == Class::Cash) {
        "cash"
    } else if t.contains("card") {
        "creditcard"
    } else {
        "banktransfer"
    }
}

/// Rounds an effective tax rate to a standard slab when it is within 0.05 of one.
fn snap(rate: Decimal) -> Decimal {
    let r = rate.round_dp(2);
    SLABS
        .iter()
        .filter_map(|s| value::decimal(s))
        .find(|s| (*s - r).abs() <= Decimal::new(5, 2))
        .unwrap_or(r)
        .normalize()
}
