//! How a record is held: one shared allocation with the text of its indexed fields (those the
//! list filters, searches, sorts and counters read), then the sparse record as compact JSON.
//!
//! A `serde_json` map costs about 3.7 KB per invoice (a node per key, a heap string per key and
//! value); packed, an invoice takes well under 1 KB, so 100,000 of them fit in a few hundred
//! megabytes with the request log. Lists filter on the indexed text without decoding the JSON;
//! only the records a page answers, and the records a rule reads, are decoded.
//!
//! Layout: `varint(index length)`, then one entry per indexed field of the kind (in
//! [`indexed_fields`] order): a tag byte (`0` absent or blank, `1` text, `2` true, `3` false),
//! and for text a varint length and the UTF-8 bytes; then the JSON.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::resources::{KIND_COUNT, Kind};
use crate::store::Record;

const ABSENT: u8 = 0;
const TEXT: u8 = 1;
const TRUE: u8 = 2;
const FALSE: u8 = 3;

/// A stored record (cheap to clone: the bytes are shared).
#[derive(Clone, Debug)]
pub(crate) struct Stored(Arc<[u8]>);

/// One indexed field of a stored record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field<'a> {
    /// Absent, null, blank, an array or an object.
    Absent,
    /// A string (trimmed) or a number (as JSON writes it).
    Text(&'a str),
    /// A boolean.
    Bool(bool),
}

impl<'a> Field<'a> {
    /// The text, as [`crate::store::text`] reads it.
    pub(crate) fn text(self) -> Option<&'a str> {
        match self {
            Field::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// The fields of a kind that are kept as text beside the JSON, in a fixed order.
pub(crate) fn indexed_fields(kind: Kind) -> &'static [&'static str] {
    static FIELDS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let all = FIELDS.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|kind| {
                let def = kind.def();
                let mut fields: Vec<&'static str> = Vec::new();
                let extra = [
                    "status",
                    "is_active",
                    "account_type",
                    "created_time",
                    "last_modified_time",
                ];
                for f in def
                    .filters
                    .iter()
                    .chain(def.search)
                    .chain(def.key_fields)
                    .chain(def.numbers.iter().map(|(_, f)| f))
                    .chain(def.dates.iter().map(|(_, f)| f))
                    .chain(extra.iter())
                {
                    if !fields.contains(f) {
                        fields.push(f);
                    }
                }
                fields
            })
            .collect()
    });
    debug_assert_eq!(all.len(), KIND_COUNT);
    all.get(kind as usize).map_or(&[], Vec::as_slice)
}

/// The position of `field` among the kind's indexed fields.
pub(crate) fn position(kind: Kind, field: &str) -> Option<usize> {
    indexed_fields(kind).iter().position(|f| *f == field)
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        #[expect(clippy::cast_possible_truncation, reason = "masked to 7 bits")]
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A varint at `*at`, moving `*at` past it.
fn get_varint(bytes: &[u8], at: &mut usize) -> usize {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < usize::BITS {
            n |= usize::from(b & 0x7f) << shift;
        }
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    n
}

fn put_field(out: &mut Vec<u8>, value: Option<&Value>) {
    let text: Cow<'_, str> = match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Cow::Borrowed(s.trim()),
        Some(Value::Number(n)) => Cow::Owned(n.to_string()),
        Some(Value::Bool(true)) => return out.push(TRUE),
        Some(Value::Bool(false)) => return out.push(FALSE),
        _ => return out.push(ABSENT),
    };
    out.push(TEXT);
    put_varint(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

impl Stored {
    /// Packs a record of `kind`.
    pub(crate) fn encode(kind: Kind, record: &Record) -> Stored {
        let mut index = Vec::with_capacity(160);
        for field in indexed_fields(kind) {
            put_field(&mut index, record.get(*field));
        }
        let mut out = Vec::with_capacity(index.len() + 600);
        put_varint(&mut out, index.len());
        out.extend_from_slice(&index);
        // A map of JSON values always serializes.
        let _ = serde_json::to_writer(&mut out, record);
        Stored(out.into())
    }

    fn split(&self) -> (&[u8], &[u8]) {
        let mut at = 0;
        let len = get_varint(&self.0, &mut at);
        let end = at.saturating_add(len).min(self.0.len());
        (&self.0[at..end], &self.0[end..])
    }

    /// The record's compact JSON.
    pub(crate) fn json(&self) -> &[u8] {
        self.split().1
    }

    /// The record, decoded.
    pub(crate) fn decode(&self) -> Record {
        serde_json::from_slice(self.json()).unwrap_or_default()
    }

    /// The indexed field at `pos` (see [`position`]).
    pub(crate) fn field(&self, pos: usize) -> Field<'_> {
        let (index, _) = self.split();
        let mut at = 0;
        let mut i = 0;
        while at < index.len() {
            let tag = index[at];
            at += 1;
            let value = match tag {
                TEXT => {
                    let len = get_varint(index, &mut at);
                    let end = at.saturating_add(len).min(index.len());
                    let text = std::str::from_utf8(&index[at..end]).unwrap_or("");
                    at = end;
                    Field::Text(text)
                }
                TRUE => Field::Bool(true),
                FALSE => Field::Bool(false),
                _ => Field::Absent,
            };
            if i == pos {
                return value;
            }
            i += 1;
        }
        Field::Absent
    }

    /// The text of any field: from the index when it is indexed, else from the JSON.
    pub(crate) fn text(&self, kind: Kind, field: &str) -> Option<Cow<'_, str>> {
        match position(kind, field) {
            Some(pos) => self.field(pos).text().map(Cow::Borrowed),
            None => crate::store::text(&self.decode(), field).map(Cow::Owned),
        }
    }

    /// Whether two handles share one allocation (the record did not change in between).
    pub(crate) fn same(&self, other: &Stored) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Bytes held, for tests.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn packs_and_reads_back() {
        let Value::Object(record) = json!({
            "invoice_number": "  INV-000001 ",
            "customer_id": 460_000_000_000_028_u64,
            "total": 25.5,
            "status": "",
            "line_items": [{"name": "Widget", "rate": 12.5}],
            "notes": "x\u{e9}\"y",
        }) else {
            unreachable!()
        };
        let stored = Stored::encode(Kind::Invoices, &record);
        assert_eq!(stored.decode(), record);
        let at = |f| position(Kind::Invoices, f).unwrap();
        assert_eq!(
            stored.field(at("invoice_number")),
            Field::Text("INV-000001")
        );
        assert_eq!(
            stored.field(at("customer_id")),
            Field::Text("460000000000028")
        );
        assert_eq!(stored.field(at("total")), Field::Text("25.5"));
        assert_eq!(stored.field(at("status")), Field::Absent);
        assert_eq!(stored.field(at("reference_number")), Field::Absent);
        assert_eq!(
            stored.text(Kind::Invoices, "notes").as_deref(),
            Some("x\u{e9}\"y")
        );
        assert!(stored.len() < 400);
        let Value::Object(account) = json!({"is_active": false}) else {
            unreachable!()
        };
        let stored = Stored::encode(Kind::ChartOfAccounts, &account);
        let pos = position(Kind::ChartOfAccounts, "is_active").unwrap();
        assert_eq!(stored.field(pos), Field::Bool(false));
    }

    #[test]
    fn varints_round_trip() {
        for n in [0, 1, 127, 128, 300, 65_535, 4 * 1024 * 1024] {
            let mut out = Vec::new();
            put_varint(&mut out, n);
            let mut at = 0;
            assert_eq!(get_varint(&out, &mut at), n);
            assert_eq!(at, out.len());
        }
    }
}
