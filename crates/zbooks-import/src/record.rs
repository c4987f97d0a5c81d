//! What every reader produces and every later stage consumes: a [`Record`] is one Zoho
//! payload to create, with its natural key, the natural keys it depends on, where in the
//! input it came from, and the amounts the reconciliation report needs.
//!
//! A record never carries a Zoho id: it names what it depends on by natural key, and the
//! executor substitutes the ids at run time with [`Record::resolve`]. Nothing here does I/O.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::body::Body;
use crate::location::Location;

/// A kind of Zoho Books record the importer creates: the resource table's
/// ([`zbooks_types::resource`]), re-exported so `zbooks_import::Entity` stays.
pub use zbooks_types::resource::Entity;

/// How a record is found again: an entity, the Zoho field holding the key, and its value.
///
/// The field is a Zoho field name: `contact_name`, `invoice_number`, `reference_number`
/// (where Tally's GUID goes), or the API name of a unique custom field (`cf_source_id`).
/// Two keys are equal when entity, field and value are equal; matching against Zoho's data
/// ([`crate::ExistingRecords`]) ignores case and surrounding spaces.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NaturalKey {
    /// The kind of record.
    pub entity: Entity,
    /// The Zoho field that holds the value.
    pub field: String,
    /// The value.
    pub value: String,
}

impl NaturalKey {
    /// A key on any field.
    pub fn new(entity: Entity, field: impl Into<String>, value: impl Into<String>) -> Self {
        NaturalKey {
            entity,
            field: field.into(),
            value: value.into(),
        }
    }

    /// A key on the entity's name field ([`Entity::name_field`]).
    pub fn named(entity: Entity, value: impl Into<String>) -> Self {
        NaturalKey::new(entity, entity.name_field(), value)
    }

    /// The value as compared with Zoho's: trimmed, lower case.
    pub fn folded_value(&self) -> String {
        fold(&self.value)
    }
}

/// A 64-bit FNV-1a hash of a key as compared (entity, field, trimmed lower-case value).
/// Indexes keep hashes, not strings, to stay small and fast; a collision between two of a
/// million keys has a chance near 3 in 10⁸.
pub(crate) fn key_hash(key: &NaturalKey) -> u64 {
    hash_key(key.entity, &key.field, &key.value)
}

/// [`key_hash`] of the parts.
pub(crate) fn hash_key(entity: Entity, field: &str, value: &str) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    };
    for b in entity.as_str().bytes() {
        feed(b);
    }
    feed(0x1f);
    for b in field.bytes() {
        feed(b);
    }
    feed(0x1f);
    let value = value.trim();
    if value.is_ascii() {
        for b in value.bytes() {
            feed(b.to_ascii_lowercase());
        }
    } else {
        let mut buf = [0_u8; 4];
        for c in value.chars().flat_map(char::to_lowercase) {
            for b in c.encode_utf8(&mut buf).bytes() {
                feed(b);
            }
        }
    }
    h
}

/// Trims and lower-cases a key value, the way keys are compared.
pub(crate) fn fold(value: &str) -> String {
    value.trim().to_lowercase()
}

impl fmt::Display for NaturalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}={:?}]", self.entity, self.field, self.value)
    }
}

/// A place in a payload that needs the Zoho id of another record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// A JSON pointer into the payload (`/customer_id`, `/line_items/0/item_id`); the value
    /// there is `null` until [`Record::resolve`] fills it.
    pub path: String,
    /// The record whose id goes there.
    pub target: NaturalKey,
}

/// One signed posting of a voucher, Tally's way: debit negative, credit positive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The ledger (account, party or tax) posted to.
    pub ledger: String,
    /// The signed amount.
    pub amount: Decimal,
}

/// The amounts of a record that the reconciliation report compares with Zoho.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// The record's total as the source states it (an invoice's party amount, a payment's
    /// amount, a journal's debits).
    pub total: Decimal,
    /// The Zoho field the total compares with once read back (`total`, `sub_total`, `amount`).
    pub zoho_field: String,
    /// The customer or vendor, by contact name.
    pub party: Option<String>,
    /// The source's postings, when it has them (Tally vouchers, journals): they must sum to
    /// zero.
    pub postings: Vec<Posting>,
}

/// One Zoho record to create.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// What kind of record.
    pub entity: Entity,
    /// The natural key the executor looks it up by before (re)creating it.
    pub key: NaturalKey,
    /// Other keys the input uses to refer to it (an invoice found by its GUID is also named
    /// by its number in a receipt's bill allocation).
    pub aliases: Vec<NaturalKey>,
    /// The request body, with `null` wherever a [`Reference`] points.
    pub payload: Value,
    /// Ids to fill in before sending.
    pub references: Vec<Reference>,
    /// Query parameters the create needs (`ignore_auto_number_generation=true`).
    pub query: Vec<(String, String)>,
    /// Where it came from.
    pub location: Location,
    /// Amounts for validation and reconciliation.
    pub amounts: Option<Amounts>,
    /// The document is in the books at its source (a Tally voucher: Tally has no drafts),
    /// while Zoho creates an invoice as a draft, which posts nothing to its books: after the
    /// run, each such invoice still a draft is marked sent (`POST
    /// /invoices/{id}/status/sent`), so Zoho's reports carry it as Tally's do.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub posted: bool,
}

/// Ids that [`Record::resolve`] could not find.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no Zoho id for {}", .missing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
pub struct Unresolved {
    /// The keys without an id.
    pub missing: Vec<NaturalKey>,
}

impl Record {
    /// Whether Zoho itself refuses a second record with this record's key, so that a
    /// create racing another run's is answered with a duplicate refusal (then looked up and
    /// adopted) instead of making a second record: contact names (3062), item names and
    /// invoice numbers of one's own (`ignore_auto_number_generation`), zoho-books-reference.md
    /// §5.2. Taxes, tax groups, accounts, bills, notes, payments and journals have no such
    /// rule: a create of one must be preceded by a lookup unless nobody else can be creating.
    pub fn is_refused_twice_by_zoho(&self) -> bool {
        match self.entity {
            Entity::Contact => self.key.field == "contact_name",
            Entity::Item => self.key.field == "name",
            Entity::Invoice => {
                self.key.field == "invoice_number"
                    && self.query.iter().any(|(k, v)| {
                        k == "ignore_auto_number_generation" && v.eq_ignore_ascii_case("true")
                    })
            }
            _ => false,
        }
    }

    /// A record with no references, query, aliases or amounts yet.
    pub fn new(entity: Entity, key: NaturalKey, payload: Value, location: Location) -> Self {
        Record {
            entity,
            key,
            aliases: Vec::new(),
            payload,
            references: Vec::new(),
            query: Vec::new(),
            location,
            amounts: None,
            posted: false,
        }
    }

    /// The natural keys this record needs ids for, each once, in payload order.
    pub fn depends_on(&self) -> Vec<&NaturalKey> {
        let mut out: Vec<&NaturalKey> = Vec::with_capacity(self.references.len());
        for r in &self.references {
            if !out.contains(&&r.target) {
                out.push(&r.target);
            }
        }
        out
    }

    /// Adds a reference at `path`, setting the payload there to `null`.
    pub fn refer(&mut self, path: impl Into<String>, target: NaturalKey) {
        let path = path.into();
        set_pointer(&mut self.payload, &path, Value::Null);
        self.references.push(Reference { path, target });
    }

    /// Every key this record answers to: its key, then its aliases.
    pub fn keys(&self) -> impl Iterator<Item = &NaturalKey> {
        std::iter::once(&self.key).chain(self.aliases.iter())
    }

    /// The payload with every reference replaced by the id `id_of` returns for it: the body
    /// to send. A tax group's `taxes` list becomes the comma-separated string Zoho expects.
    pub fn resolve(
        &self,
        mut id_of: impl FnMut(&NaturalKey) -> Option<String>,
    ) -> Result<Value, Unresolved> {
        let mut payload = self.payload.clone();
        let mut missing = Vec::new();
        for r in &self.references {
            match id_of(&r.target) {
                Some(id) => set_pointer(&mut payload, &r.path, Value::String(id)),
                None => {
                    if !missing.contains(&r.target) {
                        missing.push(r.target.clone());
                    }
                }
            }
        }
        if !missing.is_empty() {
            return Err(Unresolved { missing });
        }
        if self.entity == Entity::TaxGroup
            && let Some(Value::Array(ids)) = payload.get("taxes")
        {
            let joined = ids
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",");
            payload["taxes"] = Value::String(joined);
        }
        Ok(payload)
    }

    /// The body to send: [`Record::resolve`]'s payload, written as Zoho's request schemas
    /// type it (money and quantities as JSON numbers).
    pub fn body(
        &self,
        id_of: impl FnMut(&NaturalKey) -> Option<String>,
    ) -> Result<Body, Unresolved> {
        self.resolve(id_of).map(Body::new)
    }
}

/// Sets the value at a JSON pointer, creating objects (and extending arrays with `null`) on
/// the way.
pub(crate) fn set_pointer(root: &mut Value, pointer: &str, value: Value) {
    let mut cur = root;
    let parts: Vec<std::borrow::Cow<'_, str>> = pointer
        .split('/')
        .skip(1)
        .map(|p| {
            if p.contains('~') {
                std::borrow::Cow::Owned(p.replace("~1", "/").replace("~0", "~"))
            } else {
                std::borrow::Cow::Borrowed(p)
            }
        })
        .collect();
    let Some((last, init)) = parts.split_last() else {
        *cur = value;
        return;
    };
    for part in init {
        cur = step(cur, part);
    }
    match cur {
        Value::Array(items) => {
            if let Ok(i) = last.parse::<usize>() {
                if items.len() <= i {
                    items.resize(i + 1, Value::Null);
                }
                items[i] = value;
            }
        }
        other => {
            if !other.is_object() {
                *other = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(map) = other {
                map.insert(last.to_string(), value);
            }
        }
    }
}

fn step<'v>(cur: &'v mut Value, part: &str) -> &'v mut Value {
    let index = part.parse::<usize>().ok();
    match (cur, index) {
        (Value::Array(items), Some(i)) => {
            if items.len() <= i {
                items.resize(i + 1, Value::Null);
            }
            if items[i].is_null() {
                items[i] = Value::Object(serde_json::Map::new());
            }
            &mut items[i]
        }
        (cur, _) => {
            if !cur.is_object() {
                *cur = Value::Object(serde_json::Map::new());
            }
            match cur {
                Value::Object(map) => map
                    .entry(part.to_owned())
                    .or_insert_with(|| Value::Object(serde_json::Map::new())),
                other => other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolve_fills_references_and_joins_tax_group_ids() {
        let mut r = Record::new(
            Entity::TaxGroup,
            NaturalKey::named(Entity::TaxGroup, "GST18"),
            json!({"tax_group_name": "GST18", "taxes": [null, null]}),
            Location::new("x", 1),
        );
        r.refer("/taxes/0", NaturalKey::named(Entity::Tax, "CGST9"));
        r.refer("/taxes/1", NaturalKey::named(Entity::Tax, "SGST9"));
        let body = r
            .resolve(|k| Some(if k.value == "CGST9" { "1" } else { "2" }.to_owned()))
            .unwrap();
        assert_eq!(body["taxes"], json!("1,2"));
        let err = r.resolve(|_| None).unwrap_err();
        assert_eq!(err.missing.len(), 2);
    }

    #[test]
    fn refer_nulls_the_slot_and_depends_on_lists_each_target_once() {
        let mut r = Record::new(
            Entity::Invoice,
            NaturalKey::named(Entity::Invoice, "INV-1"),
            json!({"line_items": [{"rate": "1"}, {"rate": "2"}]}),
            Location::new("x", 1),
        );
        r.refer("/customer_id", NaturalKey::named(Entity::Contact, "Acme"));
        r.refer(
            "/line_items/1/item_id",
            NaturalKey::named(Entity::Item, "Bolt"),
        );
        r.refer(
            "/line_items/0/item_id",
            NaturalKey::named(Entity::Item, "Bolt"),
        );
        assert_eq!(r.payload["customer_id"], Value::Null);
        assert_eq!(r.payload["line_items"][1]["rate"], json!("2"));
        assert_eq!(r.depends_on().len(), 2);
    }
}
