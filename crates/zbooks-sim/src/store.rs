//! One organization's books: its records by kind, the indexes that make uniqueness checks and
//! natural-key lookups cheap, its number sequences, and its rate-limit windows.
//!
//! Each organization has its own locks (data and limits apart), held only for the sync part of
//! a request and never across an await, so organizations never wait on each other and a slow
//! (delayed, stalled) request never blocks another.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zbooks_types::{DataCenter, Plan};

use crate::resources::{KIND_COUNT, Kind};

/// A stored record: only the fields a caller sent or the simulator computed (shape.rs widens
/// it to Zoho's documented key set on the way out).
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
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Table {
    pub(crate) records: BTreeMap<u64, Record>,
}

/// An organization's books.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct OrgData {
    pub(crate) tables: Vec<Table>,
    pub(crate) sequences: BTreeMap<String, u64>,
    /// `kind \0 field \0 lower-cased value` → id, for the fields that must be unique.
    #[serde(skip)]
    pub(crate) unique: HashMap<String, u64>,
}

impl Default for OrgData {
    fn default() -> Self {
        OrgData {
            tables: (0..KIND_COUNT).map(|_| Table::default()).collect(),
            sequences: BTreeMap::new(),
            unique: HashMap::new(),
        }
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

fn unique_key(kind: Kind, field: &str, value: &str) -> String {
    format!("{}\0{field}\0{}", kind as u8, value.to_lowercase())
}

impl OrgData {
    pub(crate) fn table(&self, kind: Kind) -> &Table {
        &self.tables[kind as usize]
    }

    pub(crate) fn table_mut(&mut self, kind: Kind) -> &mut Table {
        &mut self.tables[kind as usize]
    }

    pub(crate) fn get(&self, kind: Kind, id: u64) -> Option<&Record> {
        self.table(kind).records.get(&id)
    }

    /// The id holding `value` in a unique field, if any.
    pub(crate) fn find_unique(&self, kind: Kind, field: &str, value: &str) -> Option<u64> {
        self.unique.get(&unique_key(kind, field, value)).copied()
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

    /// Stores a record and indexes it.
    pub(crate) fn insert(&mut self, kind: Kind, id: u64, record: Record, custom: &[String]) {
        for (field, value) in Self::unique_pairs(kind, &record, custom) {
            self.unique.insert(unique_key(kind, &field, &value), id);
        }
        self.table_mut(kind).records.insert(id, record);
    }

    /// Removes a record and its index entries.
    pub(crate) fn remove(&mut self, kind: Kind, id: u64, custom: &[String]) -> Option<Record> {
        let record = self.table_mut(kind).records.remove(&id)?;
        for (field, value) in Self::unique_pairs(kind, &record, custom) {
            let key = unique_key(kind, &field, &value);
            if self.unique.get(&key) == Some(&id) {
                self.unique.remove(&key);
            }
        }
        Some(record)
    }

    /// Rebuilds every index (after loading from a file).
    pub(crate) fn reindex(&mut self, custom: &[String]) {
        self.unique.clear();
        for kind in Kind::ALL {
            let pairs: Vec<(u64, String, String)> = self
                .table(kind)
                .records
                .iter()
                .flat_map(|(id, r)| {
                    Self::unique_pairs(kind, r, custom)
                        .into_iter()
                        .map(move |(f, v)| (*id, f, v))
                })
                .collect();
            for (id, f, v) in pairs {
                self.unique.insert(unique_key(kind, &f, &v), id);
            }
        }
    }

    /// The next number of a sequence (1, 2, ...).
    pub(crate) fn next_in_sequence(&mut self, name: &str) -> u64 {
        let n = self.sequences.entry(name.to_owned()).or_insert(0);
        *n += 1;
        *n
    }
}
