//! The money a contact is owed or owes, kept on the contact as its documents change.
//!
//! Zoho's contact carries `outstanding_receivable_amount` (what the customer owes on its
//! invoices), `unused_credits_receivable_amount` (its money not applied to invoices: excess and
//! advance payments), and the payable pair for a vendor (bills; vendor payments' unapplied
//! `balance`), each with its `_bcy` form in the base currency. Summing a contact's documents at
//! answer time would need an index by contact and would defeat the cache of rendered answers,
//! so every store of an invoice, bill or payment moves its contribution from the old record to
//! the new one on its contact (the contact's cached answer is dropped with it). choices.rs has
//! the row.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::money;
use crate::resources::Kind;
use crate::store::{OrgData, Record, parse_id, text};

/// The contact fields a document adds to, with the amount it adds (in its own currency, and
/// in the base currency): `None` when it adds nothing.
fn contribution(kind: Kind, record: &Record) -> Option<(u64, &'static str, Decimal, Decimal)> {
    let (party, field, amount_key) = match kind {
        Kind::Invoices => ("customer_id", "outstanding_receivable_amount", "balance"),
        Kind::Bills => ("vendor_id", "outstanding_payable_amount", "balance"),
        Kind::CustomerPayments => (
            "customer_id",
            "unused_credits_receivable_amount",
            "unused_amount",
        ),
        Kind::VendorPayments => ("vendor_id", "unused_credits_payable_amount", "balance"),
        _ => return None,
    };
    // A draft is not yet owed, a void document no longer is (Zoho's receivables leave both
    // out).
    if matches!(kind, Kind::Invoices | Kind::Bills)
        && matches!(text(record, "status").as_deref(), Some("draft" | "void"))
    {
        return None;
    }
    let contact = text(record, party).and_then(|t| parse_id(&t))?;
    let amount = record.get(amount_key).and_then(money::parse)?;
    let rate = record
        .get("exchange_rate")
        .and_then(money::parse)
        .filter(|r| *r > Decimal::ZERO)
        .unwrap_or(Decimal::ONE);
    Some((contact, field, amount, money::cents(amount * rate)))
}

/// Moves a document's contribution from `old` (what was stored) to `new` (what is stored now)
/// on the contacts concerned.
pub(crate) fn carry(data: &mut OrgData, kind: Kind, old: Option<&Record>, new: Option<&Record>) {
    let before = old.and_then(|r| contribution(kind, r));
    let after = new.and_then(|r| contribution(kind, r));
    if before == after {
        return;
    }
    if let Some((contact, field, amount, bcy)) = before {
        add(data, contact, field, -amount, -bcy);
    }
    if let Some((contact, field, amount, bcy)) = after {
        add(data, contact, field, amount, bcy);
    }
}

fn add(data: &mut OrgData, contact: u64, field: &str, amount: Decimal, bcy: Decimal) {
    if amount.is_zero() && bcy.is_zero() {
        return;
    }
    let Some(mut record) = data.get(Kind::Contacts, contact) else {
        return;
    };
    let bcy_field = format!("{field}_bcy");
    for (key, delta) in [(field, amount), (bcy_field.as_str(), bcy)] {
        let now = record
            .get(key)
            .and_then(money::parse)
            .unwrap_or(Decimal::ZERO)
            + delta;
        record.insert(key.to_owned(), money::to_json(money::cents(now)));
    }
    data.rewrite(Kind::Contacts, contact, &record);
}

/// The contact fields kept here (a caller's values for them are ignored).
pub(crate) const FIELDS: [&str; 8] = [
    "outstanding_receivable_amount",
    "outstanding_receivable_amount_bcy",
    "unused_credits_receivable_amount",
    "unused_credits_receivable_amount_bcy",
    "outstanding_payable_amount",
    "outstanding_payable_amount_bcy",
    "unused_credits_payable_amount",
    "unused_credits_payable_amount_bcy",
];

/// Fills a payment's `invoices[]` (or `bills[]`) with what each document shows now: its number,
/// date, due date, total (`invoice_amount`) and balance (`balance_amount`, and the `balance`
/// Zoho's clients read), as Zoho's payment answers list them.
pub(crate) fn payment_documents(data: &OrgData, kind: Kind, record: &mut Record) {
    let target = match kind {
        Kind::CustomerPayments => Kind::Invoices,
        Kind::VendorPayments => Kind::Bills,
        _ => return,
    };
    // A payment lists the documents it pays under their plural, by id and number.
    let def = target.def();
    let (list, id_key, number_key) = (def.plural, def.id_field, def.name_field);
    let Some(Value::Array(entries)) = record.get_mut(list) else {
        return;
    };
    for entry in entries.iter_mut() {
        let Value::Object(e) = entry else { continue };
        let Some(doc) = text(e, id_key)
            .and_then(|t| parse_id(&t))
            .and_then(|id| data.get(target, id))
        else {
            continue;
        };
        for key in [number_key, "date", "due_date", "total"] {
            if let Some(v) = doc.get(key) {
                e.insert(key.to_owned(), v.clone());
            }
        }
        if let Some(balance) = doc.get("balance") {
            e.insert("balance".into(), balance.clone());
        }
        if kind == Kind::CustomerPayments {
            for (from, to) in [("total", "invoice_amount"), ("balance", "balance_amount")] {
                if let Some(v) = doc.get(from) {
                    e.insert(to.to_owned(), v.clone());
                }
            }
        }
    }
}
