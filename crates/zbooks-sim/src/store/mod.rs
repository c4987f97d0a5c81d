//! What the simulator keeps: each organization's books (this file, with `balances` and
//! `packed`), what Zoho's accounts server knows (`auth`), and the world a simulator starts with
//! (`seed`). Below `rules` and `http`, which read and change it; it never reaches up to them.
//!
//! One organization's books: its records by kind, the indexes that make uniqueness checks and
//! natural-key lookups cheap, its number sequences, and its rate-limit windows.
//!
//! Each organization has its own locks (data and limits apart), held only for the sync part of
//! a request and never across an await, so organizations never wait on each other and a slow
//! (delayed, stalled) request never blocks another.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::SystemTime;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zbooks_types::{DataCenter, Plan};

use crate::resources::{KIND_COUNT, Kind};

pub(crate) mod auth;
pub(crate) mod balances;
pub(crate) mod ledger;
pub(crate) mod packed;
pub(crate) mod seed;

use packed::Stored;

/// A record being worked on: only the fields a caller sent or the simulator computed (shape.rs
/// widens it to Zoho's documented key set on the way out). Stored records are packed
/// ([`Stored`]) and decoded into this only when a rule or an answer needs them.
pub(crate) type Record = Map<String, Value>;

/// What the simulator knows about an organization besides its books.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct OrgMeta {
    pub(crate) organization_id: String,
    pub(crate) name: String,
    pub(crate) plan: Plan,
    pub(crate) dc: DataCenter,
    pub(crate) trial_expired: bool,
    pub(crate) members: Vec<String>,
    pub(crate) currency_code: String,
    pub(crate) unique_custom_fields: Vec<String>,
    pub(crate) created: SystemTime,
}

/// The records of one kind, by numeric id (ids grow, so this is creation order).
#[derive(Debug, Default)]
pub(crate) struct Table {
    records: BTreeMap<u64, Stored>,
    /// The same records by id in a hash table: a GET looks up one record among many (a
    /// million invoices), where the tree's walk costs a cache miss a level.
    by_id: HashMap<u64, Stored, rustc_hash::FxBuildHasher>,
}

impl Table {
    /// The records, in id order.
    pub(crate) fn records(&self) -> &BTreeMap<u64, Stored> {
        &self.records
    }

    /// The record with this id.
    pub(crate) fn get(&self, id: u64) -> Option<&Stored> {
        self.by_id.get(&id)
    }

    fn insert(&mut self, id: u64, stored: Stored) {
        self.by_id.insert(id, stored.clone());
        self.records.insert(id, stored);
    }

    fn remove(&mut self, id: u64) -> Option<Stored> {
        self.by_id.remove(&id);
        self.records.remove(&id)
    }
}

/// A unique field's lower-cased values → the id holding each.
type UniqueValues = HashMap<Box<str>, u64>;

/// How many rendered GET answers an organization keeps (cleared when full).
const RENDERED_CAPACITY: usize = 1024;

/// How many recently rendered records an organization remembers (cleared when full).
const ASKED_CAPACITY: usize = 4096;

/// An organization's books.
#[derive(Debug)]
pub(crate) struct OrgData {
    tables: Vec<Table>,
    pub(crate) sequences: BTreeMap<String, u64>,
    /// Per kind (by index): each unique field with its lower-cased values.
    unique: Vec<Vec<(Box<str>, UniqueValues)>>,
    /// The bodies of recent GET-by-id answers, dropped when their record changes.
    /// Each with the day it was rendered on (a document's status can change with the day).
    rendered: HashMap<(Kind, u64), (Bytes, i64), rustc_hash::FxBuildHasher>,
    /// The records whose GET answer was rendered recently: an answer is kept only when its
    /// record is asked for again, so GETs spread over many records (a million invoices) do not
    /// keep answers that are never asked for again (each a few kilobytes held, then freed).
    asked: std::collections::HashSet<(Kind, u64), rustc_hash::FxBuildHasher>,
    /// The opening balances (`/settings/openingbalances`): one object or none, in Zoho's
    /// documented shape (rules/opening.rs).
    pub(crate) opening_balance: Option<Record>,
}

impl Default for OrgData {
    fn default() -> Self {
        OrgData {
            tables: (0..KIND_COUNT).map(|_| Table::default()).collect(),
            sequences: BTreeMap::new(),
            unique: vec![Vec::new(); KIND_COUNT],
            rendered: HashMap::default(),
            asked: std::collections::HashSet::default(),
            opening_balance: None,
        }
    }
}

/// The state file's form of an organization's books (records as JSON objects).
#[derive(Serialize)]
struct OrgDataOut<'a> {
    tables: Vec<TableOut<'a>>,
    sequences: &'a BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opening_balance: Option<&'a Record>,
}

#[derive(Serialize)]
struct TableOut<'a> {
    records: RecordsOut<'a>,
}

/// A table's records as JSON objects by id, decoded one at a time as they are written.
struct RecordsOut<'a>(&'a BTreeMap<u64, Stored>);

impl Serialize for RecordsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(id, stored)| (id, stored.decode())))
    }
}

#[derive(Deserialize)]
struct OrgDataIn {
    tables: Vec<TableIn>,
    sequences: BTreeMap<String, u64>,
    #[serde(default)]
    opening_balance: Option<Record>,
}

#[derive(Deserialize)]
struct TableIn {
    records: BTreeMap<u64, Record>,
}

impl Serialize for OrgData {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tables: Vec<TableOut<'_>> = self
            .tables
            .iter()
            .map(|table| TableOut {
                records: RecordsOut(table.records()),
            })
            .collect();
        OrgDataOut {
            tables,
            sequences: &self.sequences,
            opening_balance: self.opening_balance.as_ref(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for OrgData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let input = OrgDataIn::deserialize(deserializer)?;
        let mut data = OrgData {
            sequences: input.sequences,
            opening_balance: input.opening_balance,
            ..OrgData::default()
        };
        for (kind, table) in Kind::ALL.into_iter().zip(input.tables) {
            for (id, record) in table.records {
                data.tables[kind as usize].insert(id, Stored::encode(kind, &record));
            }
        }
        Ok(data)
    }
}

/// The per-minute, per-day and in-flight counts of an organization.
#[derive(Debug, Default)]
pub(crate) struct LimitState {
    pub(crate) minute_start: Option<SystemTime>,
    pub(crate) minute_count: u32,
    pub(crate) blocked: bool,
    pub(crate) day_start: Option<SystemTime>,
    pub(crate) day_count: u32,
    pub(crate) in_flight: u32,
}

/// An organization: its description, books and limits, each behind its own lock.
#[derive(Debug)]
pub(crate) struct OrgCell {
    pub(crate) meta: OrgMeta,
    pub(crate) data: Mutex<OrgData>,
    pub(crate) limits: Mutex<LimitState>,
    /// The computed fields of recent GET answers (http/books.rs).
    pub(crate) computed: Mutex<ComputedFields>,
}

/// How many sets of computed fields an organization keeps (cleared when full).
const COMPUTED_CAPACITY: usize = 256;

/// Computed fields in key order, each with its name's place in the packed records' dictionary
/// (`packed::place_of`).
pub(crate) type Fields = Vec<(String, Value, Option<usize>)>;

/// The fields GET answers compute for a record (`rules::complete::render`,
/// `rules::observed::fill_in`), by what they are computed from (http/books.rs writes the key:
/// the kind, the day, whether the record has lines, and the packed bytes of the record's
/// fields they read). The organization is fixed (the cache is its own) and nothing else goes
/// in, so a key always gives the same fields; many records share them (a day's invoices of one
/// customer and amount).
#[derive(Debug, Default)]
pub(crate) struct ComputedFields {
    kept: HashMap<Box<[u8]>, std::sync::Arc<Fields>, rustc_hash::FxBuildHasher>,
}

impl ComputedFields {
    /// The fields kept for this key.
    pub(crate) fn get(&self, key: &[u8]) -> Option<std::sync::Arc<Fields>> {
        self.kept.get(key).cloned()
    }

    /// Keeps the fields computed from this key.
    pub(crate) fn keep(&mut self, key: &[u8], fields: std::sync::Arc<Fields>) {
        if self.kept.len() >= COMPUTED_CAPACITY {
            self.kept.clear();
        }
        self.kept.insert(key.into(), fields);
    }
}

/// Locks a mutex, carrying on after a panic elsewhere (the simulator must keep answering).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The fields that must be unique for a kind (besides unique custom fields).
pub(crate) fn unique_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Contacts => &["contact_name"],
        Kind::Items => &["name"],
        Kind::Invoices => &["invoice_number"],
        Kind::Taxes => &["tax_name"],
        Kind::ChartOfAccounts => &["account_name"],
        _ => &[],
    }
}

/// The text of a field: a string, or a number written as text (Zoho's examples send ids as
/// numbers); `None` when absent or blank.
pub(crate) fn text(record: &Record, key: &str) -> Option<String> {
    match record.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The value of the custom field `api_name` in a record.
pub(crate) fn custom_field(record: &Record, api_name: &str) -> Option<String> {
    record
        .get("custom_fields")?
        .as_array()?
        .iter()
        .find(|cf| cf.get("api_name").and_then(Value::as_str) == Some(api_name))
        .and_then(|cf| match cf.get("value")? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

impl OrgData {
    pub(crate) fn table(&self, kind: Kind) -> &Table {
        &self.tables[kind as usize]
    }

    /// The record, decoded.
    pub(crate) fn get(&self, kind: Kind, id: u64) -> Option<Record> {
        self.stored(kind, id).map(Stored::decode)
    }

    /// The record, packed.
    pub(crate) fn stored(&self, kind: Kind, id: u64) -> Option<&Stored> {
        self.table(kind).get(id)
    }

    /// The id holding `value` in a unique field, if any.
    pub(crate) fn find_unique(&self, kind: Kind, field: &str, value: &str) -> Option<u64> {
        self.unique[kind as usize]
            .iter()
            .find(|(f, _)| &**f == field)?
            .1
            .get(value.to_lowercase().as_str())
            .copied()
    }

    /// The unique (field, value) pairs of a record.
    fn unique_pairs(kind: Kind, record: &Record, custom: &[String]) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = unique_fields(kind)
            .iter()
            .filter_map(|f| text(record, f).map(|v| ((*f).to_owned(), v)))
            .collect();
        for cf in custom {
            if let Some(v) = custom_field(record, cf) {
                pairs.push((cf.clone(), v));
            }
        }
        pairs
    }

    fn index(&mut self, kind: Kind, id: u64, record: &Record, custom: &[String]) {
        for (field, value) in Self::unique_pairs(kind, record, custom) {
            let fields = &mut self.unique[kind as usize];
            let at = if let Some(at) = fields.iter().position(|(f, _)| **f == *field) {
                at
            } else {
                fields.push((field.into_boxed_str(), HashMap::new()));
                fields.len() - 1
            };
            fields[at]
                .1
                .insert(value.to_lowercase().into_boxed_str(), id);
        }
    }

    fn unindex(&mut self, kind: Kind, id: u64, record: &Record, custom: &[String]) {
        for (field, value) in Self::unique_pairs(kind, record, custom) {
            if let Some((_, values)) = self.unique[kind as usize]
                .iter_mut()
                .find(|(f, _)| **f == *field)
            {
                let value = value.to_lowercase();
                if values.get(value.as_str()) == Some(&id) {
                    values.remove(value.as_str());
                }
            }
        }
    }

    /// Stores a record (replacing one with the same id) and indexes it; its contact's balances
    /// follow (balances.rs).
    pub(crate) fn insert(&mut self, kind: Kind, id: u64, record: &Record, custom: &[String]) {
        let old = self.take(kind, id, custom);
        self.index(kind, id, record, custom);
        self.tables[kind as usize].insert(id, Stored::encode(kind, record));
        balances::carry(self, kind, old.as_ref(), Some(record));
    }

    /// Replaces a stored record whose indexed fields are unchanged (no index work).
    pub(crate) fn rewrite(&mut self, kind: Kind, id: u64, record: &Record) {
        self.rendered.remove(&(kind, id));
        self.tables[kind as usize].insert(id, Stored::encode(kind, record));
    }

    /// Removes a record and its index entries; its contact's balances follow (balances.rs).
    pub(crate) fn remove(&mut self, kind: Kind, id: u64, custom: &[String]) -> Option<Record> {
        let old = self.take(kind, id, custom)?;
        balances::carry(self, kind, Some(&old), None);
        Some(old)
    }

    fn take(&mut self, kind: Kind, id: u64, custom: &[String]) -> Option<Record> {
        self.rendered.remove(&(kind, id));
        let stored = self.tables[kind as usize].remove(id)?;
        let record = stored.decode();
        self.unindex(kind, id, &record, custom);
        Some(record)
    }

    /// Rebuilds every index (after loading from a file).
    pub(crate) fn reindex(&mut self, custom: &[String]) {
        self.unique = vec![Vec::new(); KIND_COUNT];
        self.rendered.clear();
        for kind in Kind::ALL {
            let records: Vec<(u64, Record)> = self
                .table(kind)
                .records
                .iter()
                .map(|(id, s)| (*id, s.decode()))
                .collect();
            for (id, record) in records {
                self.index(kind, id, &record, custom);
            }
        }
    }

    /// The rendered GET answer of a record, if kept.
    pub(crate) fn rendered(&self, kind: Kind, id: u64, today: i64) -> Option<Bytes> {
        self.rendered
            .get(&(kind, id))
            .filter(|(_, day)| *day == today)
            .map(|(body, _)| body.clone())
    }

    /// Keeps the rendered GET answer of a record, when it was rendered recently already
    /// (the second time it is asked for) and unless the record changed since `from` was read.
    pub(crate) fn keep_rendered(
        &mut self,
        kind: Kind,
        id: u64,
        from: &Stored,
        body: Bytes,
        today: i64,
    ) {
        if self.asked.len() >= ASKED_CAPACITY {
            self.asked.clear();
        }
        if self.asked.insert((kind, id)) {
            return;
        }
        if self.stored(kind, id).is_some_and(|s| s.same(from)) {
            if self.rendered.len() >= RENDERED_CAPACITY {
                self.rendered.clear();
            }
            self.rendered.insert((kind, id), (body, today));
        }
    }

    /// The next number of a sequence (1, 2, ...).
    pub(crate) fn next_in_sequence(&mut self, name: &str) -> u64 {
        let n = self.sequences.entry(name.to_owned()).or_insert(0);
        *n += 1;
        *n
    }
}

/// A numeric id from text; `None` when it is not digits.
pub(crate) fn parse_id(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Record {
        match value {
            Value::Object(map) => map,
            _ => Record::new(),
        }
    }

    #[test]
    fn the_hash_index_follows_the_tree() {
        let mut data = OrgData::default();
        let kind = Kind::Invoices;
        for id in 1..=50_u64 {
            data.insert(
                kind,
                id,
                &record(json!({"invoice_number": format!("INV-{id}"), "total": id})),
                &[],
            );
        }
        data.rewrite(
            kind,
            7,
            &record(json!({"invoice_number": "INV-7", "total": 70})),
        );
        data.insert(
            kind,
            9,
            &record(json!({"invoice_number": "INV-9", "total": 90})),
            &[],
        );
        for id in (2..=50).step_by(3) {
            assert!(data.remove(kind, id, &[]).is_some());
        }
        assert!(data.remove(kind, 2, &[]).is_none());
        let table = data.table(kind);
        assert_eq!(table.records().len(), table.by_id.len());
        for (id, stored) in table.records() {
            assert!(table.get(*id).is_some_and(|s| s.same(stored)));
        }
        assert!(table.get(2).is_none());
        assert_eq!(data.get(kind, 7).unwrap()["total"], json!(70));
        assert_eq!(data.get(kind, 9).unwrap()["total"], json!(90));
    }

    #[test]
    fn an_answer_is_kept_when_its_record_is_asked_for_again() {
        let mut data = OrgData::default();
        let kind = Kind::Invoices;
        data.insert(kind, 1, &record(json!({"invoice_number": "INV-1"})), &[]);
        let stored = data.stored(kind, 1).unwrap().clone();
        let body = Bytes::from_static(b"{}");
        data.keep_rendered(kind, 1, &stored, body.clone(), 10);
        assert!(data.rendered(kind, 1, 10).is_none());
        data.keep_rendered(kind, 1, &stored, body.clone(), 10);
        assert_eq!(data.rendered(kind, 1, 10), Some(body.clone()));
        assert!(data.rendered(kind, 1, 11).is_none());
        // A change drops it; the record, changed, is asked for again: kept again.
        data.rewrite(
            kind,
            1,
            &record(json!({"invoice_number": "INV-1", "notes": "x"})),
        );
        assert!(data.rendered(kind, 1, 10).is_none());
        let changed = data.stored(kind, 1).unwrap().clone();
        data.keep_rendered(kind, 1, &stored, body.clone(), 10);
        assert!(
            data.rendered(kind, 1, 10).is_none(),
            "rendered from the old record"
        );
        data.keep_rendered(kind, 1, &changed, body.clone(), 10);
        assert_eq!(data.rendered(kind, 1, 10), Some(body));
    }

    #[test]
    fn kept_computed_fields_are_found_by_their_key_until_cleared() {
        let mut kept = ComputedFields::default();
        let fields = std::sync::Arc::new(vec![("status".to_owned(), json!("sent"), None)]);
        kept.keep(b"key", fields.clone());
        assert_eq!(kept.get(b"key").as_deref(), Some(&*fields));
        assert!(kept.get(b"other").is_none());
        for n in 0..COMPUTED_CAPACITY {
            kept.keep(n.to_string().as_bytes(), fields.clone());
        }
        assert!(kept.kept.len() <= COMPUTED_CAPACITY);
    }
}
