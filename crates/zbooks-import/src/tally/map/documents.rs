//! Sales and purchases: Sales, Purchase, Credit Note and Debit Note vouchers become invoices,
//! bills, credit notes and vendor credits, with their item and ledger lines and GST taxes.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::gst;
use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Amounts, Entity, NaturalKey, Record};
use crate::tally::model::{InventoryLine, Voucher};
use crate::value::{self, money, plain};

use super::{Class, Head, TallyMapper};

impl TallyMapper {
    /// An invoice, bill, credit note or vendor credit. `sign` turns Tally's signed amounts
    /// into the document's positive line values: sales are credits, purchases debits.
    pub(super) fn document(
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
        // A Sales voucher is in Tally's books: the invoice is posted, not left a draft.
        record.posted = entity == Entity::Invoice;
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

fn add_alias(record: &mut Record, key: NaturalKey) {
    if record.key != key && !record.aliases.contains(&key) {
        record.aliases.push(key);
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

/// Rates Zoho India organizations use; an effective rate within 0.05 of one snaps to it.
const SLABS: &[&str] = &[
    "0.1", "0.25", "1", "1.5", "3", "5", "6", "7.5", "12", "18", "28", "40",
];
