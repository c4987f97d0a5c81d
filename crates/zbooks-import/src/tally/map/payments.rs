//! Receipts and payments: Receipt and Payment vouchers become customer and vendor payments
//! applied to the bills and invoices they settle (or journals when the party is no contact).

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Amounts, Entity, NaturalKey, Record};
use crate::tally::model::{LedgerLine, Voucher};
use crate::value::money;

use super::{Class, TallyMapper};

impl TallyMapper {
    /// A Receipt (customer payment) or Payment (vendor payment); a receipt or payment whose
    /// party is not a debtor or creditor (an expense paid, an income received) becomes a
    /// journal (tally-reference.md §11.1).
    pub(super) fn payment(
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
        let mut warnings = Vec::new();
        for b in party_lines
            .iter()
            .flat_map(|l| l.bills.iter())
            .filter(|b| b.kind == "Agst Ref")
        {
            // Tally only settles a bill it has: one it does not know here was raised in a
            // period or company not exported. The payment still lands in full (the party's
            // balance stays right); the part for that bill stays unapplied.
            if !self.knows_bill(&party, &b.name) || sign * b.amount <= Decimal::ZERO {
                warnings.push(
                    Problem::warning(
                        ProblemKind::Mismatch,
                        self.location(b.line.max(v.line), "VOUCHER", &v.label()),
                        if sign * b.amount <= Decimal::ZERO {
                            format!(
                                "Agst Ref {:?} of {} goes the other way from the payment: \
                                 left unapplied",
                                b.name, b.amount
                            )
                        } else {
                            format!(
                                "Agst Ref {:?} ({}) names no bill of {party:?} in this export \
                                 (no opening bill, no New Ref): the amount is left unapplied \
                                 in Zoho; apply it by hand once the bill is there",
                                b.name,
                                sign * b.amount
                            )
                        },
                    )
                    .field("BILLALLOCATIONS.LIST"),
                );
                continue;
            }
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
        Ok((record, warnings))
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
