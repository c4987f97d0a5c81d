//! Journals: Journal and Contra vouchers become Zoho journals, one line per posting, debtor
//! and creditor lines posted to receivables and payables with the contact named.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::location::Location;
use crate::problem::{Problem, ProblemKind};
use crate::record::{Amounts, Entity, NaturalKey, Record};
use crate::tally::model::Voucher;
use crate::value::money;

use super::{Class, TallyMapper};

impl TallyMapper {
    /// A journal: one line per posting, debit or credit by the sign. Debtor lines post to
    /// Accounts Receivable with the customer named; creditor lines to Accounts Payable.
    pub(super) fn journal(
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
}
