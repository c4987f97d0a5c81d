//! Reconciliation totals from the input side — per entity, per party (customer or vendor)
//! and per record (voucher) — and their comparison with what Zoho holds once read back, so
//! that an accountant can tick every line off (docs/design.md, "One import, end to end").
//!
//! The read-back itself belongs to the executor; [`compare`] takes Zoho's records as JSON.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::location::Location;
use crate::record::{Entity, NaturalKey, Record, fold};
use crate::validate::number;

/// A count and a sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// How many records.
    pub count: u64,
    /// Their total.
    #[serde(with = "crate::output::money")]
    pub amount: Decimal,
}

impl Tally {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.amount += amount;
    }
}

/// One record's total on the input side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordTotal {
    /// The record.
    pub key: NaturalKey,
    /// The party, by contact name.
    pub party: Option<String>,
    /// Its total.
    #[serde(with = "crate::output::money")]
    pub amount: Decimal,
    /// The Zoho field it compares with.
    pub zoho_field: String,
    /// Where it came from.
    pub location: Location,
}

/// Totals of the input, per entity, per party and per record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputTotals {
    /// Per entity: records with amounts and their sum.
    pub entities: BTreeMap<Entity, Tally>,
    /// Per (entity, party).
    pub parties: BTreeMap<(Entity, String), Tally>,
    /// Per record, in input order.
    pub records: Vec<RecordTotal>,
}

impl InputTotals {
    /// Empty totals.
    pub fn new() -> Self {
        InputTotals::default()
    }

    /// Counts one record (records without amounts, such as contacts, count per entity only).
    pub fn add(&mut self, record: &Record) {
        let Some(a) = &record.amounts else {
            self.entities.entry(record.entity).or_default().count += 1;
            return;
        };
        self.entities.entry(record.entity).or_default().add(a.total);
        if let Some(p) = &a.party {
            self.parties
                .entry((record.entity, p.clone()))
                .or_default()
                .add(a.total);
        }
        self.records.push(RecordTotal {
            key: record.key.clone(),
            party: a.party.clone(),
            amount: a.total,
            zoho_field: a.zoho_field.clone(),
            location: record.location.clone(),
        });
    }

    /// Totals of records in memory.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut t = InputTotals::new();
        for r in records {
            t.add(r);
        }
        t
    }
}

/// What a line of the reconciliation compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Scope {
    /// All records of an entity.
    Entity {
        /// The entity.
        entity: Entity,
    },
    /// All records of an entity for one party.
    Party {
        /// The entity.
        entity: Entity,
        /// The party.
        party: String,
    },
    /// One record.
    Record {
        /// The record.
        key: NaturalKey,
    },
}

/// One line to tick off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconLine {
    /// What is compared.
    pub scope: Scope,
    /// The input's side.
    pub input: Tally,
    /// Zoho's side.
    pub zoho: Tally,
    /// Whether both agree (counts equal, amounts within the tolerance).
    pub agrees: bool,
}

impl ReconLine {
    /// Zoho's amount minus the input's.
    pub fn difference(&self) -> Decimal {
        self.zoho.amount - self.input.amount
    }
}

/// The comparison of input and Zoho.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Per entity, then per party, then per record.
    pub lines: Vec<ReconLine>,
}

impl Reconciliation {
    /// The lines that do not agree.
    pub fn disagreements(&self) -> impl Iterator<Item = &ReconLine> {
        self.lines.iter().filter(|l| !l.agrees)
    }
}

fn party_of(entity: Entity, record: &Value) -> Option<String> {
    let field = match entity {
        Entity::Invoice | Entity::CreditNote | Entity::CustomerPayment => "customer_name",
        Entity::Bill | Entity::VendorCredit | Entity::VendorPayment => "vendor_name",
        _ => return None,
    };
    record.get(field).and_then(Value::as_str).map(str::to_owned)
}

fn key_value(record: &Value, field: &str) -> Option<String> {
    if let Some(v) = record.get(field) {
        return match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
    }
    record
        .get("custom_fields")
        .and_then(Value::as_array)?
        .iter()
        .find(|f| f.get("api_name").and_then(Value::as_str) == Some(field))
        .and_then(|f| f.get("value"))
        .and_then(|v| v.as_str().map(str::to_owned))
}

/// Compares the input's totals with Zoho's records read back (`(entity, record JSON)`),
/// record by record (matched by natural key), per party and per entity. Amounts agree within
/// `tolerance` (Zoho recomputes tax per line, which can move paise).
pub fn compare(
    input: &InputTotals,
    zoho: &[(Entity, Value)],
    tolerance: Decimal,
) -> Reconciliation {
    // Fields each entity's input keys use, to look Zoho's records up by.
    let mut fields: BTreeMap<Entity, Vec<String>> = BTreeMap::new();
    let mut index: HashMap<(Entity, String, String), usize> = HashMap::new();
    for (i, r) in input.records.iter().enumerate() {
        let f = fields.entry(r.key.entity).or_default();
        if !f.contains(&r.key.field) {
            f.push(r.key.field.clone());
        }
        index.insert((r.key.entity, r.key.field.clone(), fold(&r.key.value)), i);
    }
    let mut matched: Vec<Option<Decimal>> = vec![None; input.records.len()];
    let mut zoho_entities: BTreeMap<Entity, Tally> = BTreeMap::new();
    let mut zoho_parties: BTreeMap<(Entity, String), Tally> = BTreeMap::new();
    for (entity, record) in zoho {
        let mut found = None;
        for field in fields.get(entity).into_iter().flatten() {
            if let Some(v) = key_value(record, field)
                && let Some(i) = index.get(&(*entity, field.clone(), fold(&v)))
            {
                found = Some(*i);
                break;
            }
        }
        let zoho_field = found.map_or_else(
            || default_amount_field(*entity).to_owned(),
            |i| input.records[i].zoho_field.clone(),
        );
        let amount = record.get(&zoho_field).and_then(number).unwrap_or_default();
        if let Some(i) = found {
            matched[i] = Some(amount);
        }
        zoho_entities.entry(*entity).or_default().add(amount);
        if let Some(p) = party_of(*entity, record) {
            zoho_parties.entry((*entity, p)).or_default().add(amount);
        }
    }
    let within = |a: Decimal, b: Decimal| (a - b).abs() <= tolerance;
    let mut lines = Vec::new();
    for (entity, t) in &input.entities {
        if !input.records.iter().any(|r| r.key.entity == *entity) {
            continue;
        }
        let z = zoho_entities.get(entity).copied().unwrap_or_default();
        lines.push(ReconLine {
            scope: Scope::Entity { entity: *entity },
            input: *t,
            zoho: z,
            agrees: t.count == z.count && within(t.amount, z.amount),
        });
    }
    for ((entity, party), t) in &input.parties {
        let z = zoho_parties
            .iter()
            .find(|((e, p), _)| e == entity && fold(p) == fold(party))
            .map(|(_, z)| *z)
            .unwrap_or_default();
        lines.push(ReconLine {
            scope: Scope::Party {
                entity: *entity,
                party: party.clone(),
            },
            input: *t,
            zoho: z,
            agrees: t.count == z.count && within(t.amount, z.amount),
        });
    }
    for (r, z) in input.records.iter().zip(matched) {
        let zoho = z.map_or_else(Tally::default, |amount| Tally { count: 1, amount });
        lines.push(ReconLine {
            scope: Scope::Record { key: r.key.clone() },
            input: Tally {
                count: 1,
                amount: r.amount,
            },
            agrees: z.is_some_and(|a| within(a, r.amount)),
            zoho,
        });
    }
    Reconciliation { lines }
}

fn default_amount_field(entity: Entity) -> &'static str {
    match entity {
        Entity::CustomerPayment | Entity::VendorPayment => "amount",
        _ => "total",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Amounts;
    use serde_json::json;

    fn invoice(no: &str, party: &str, total: i64) -> Record {
        let mut r = Record::new(
            Entity::Invoice,
            NaturalKey::named(Entity::Invoice, no),
            json!({}),
            Location::new("x", 1),
        );
        r.amounts = Some(Amounts {
            total: Decimal::from(total),
            zoho_field: "total".into(),
            party: Some(party.into()),
            postings: Vec::new(),
        });
        r
    }

    #[test]
    fn ticks_off_records_parties_and_entities() {
        let records = [
            invoice("A", "Acme", 100),
            invoice("B", "Acme", 50),
            invoice("C", "Bolt", 7),
        ];
        let input = InputTotals::of(&records);
        assert_eq!(input.entities[&Entity::Invoice].amount, Decimal::from(157));
        let zoho = vec![
            (
                Entity::Invoice,
                json!({"invoice_number": "a", "customer_name": "Acme", "total": 100.0}),
            ),
            (
                Entity::Invoice,
                json!({"invoice_number": "B", "customer_name": "Acme", "total": "50.00"}),
            ),
            (
                Entity::Invoice,
                json!({"invoice_number": "C", "customer_name": "Bolt", "total": 7.01}),
            ),
        ];
        let strict = compare(&input, &zoho, Decimal::ZERO);
        let bad: Vec<_> = strict.disagreements().collect();
        // C differs by 0.01: its record, its party and the entity total disagree.
        assert_eq!(bad.len(), 3, "{bad:?}");
        let lenient = compare(&input, &zoho, Decimal::new(1, 2));
        assert_eq!(lenient.disagreements().count(), 0);
    }
}
