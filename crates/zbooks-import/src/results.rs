//! What a run leaves for people: the summary (created, adopted after reconciliation, already
//! present, failed, left to do) of the journal overall and of one run alone
//! ([`Summary::between`]: a re-run that sends nothing says "created 0"), and the failed records in a form that can be corrected and
//! imported again — JSON Lines in the reader's own envelope (references back as `$ref`s,
//! Zoho's code, the explanation and the fix alongside), or CSV for a spreadsheet.
//!
//! Both are built from the journal alone, so `zbooks import failed` needs neither the input
//! nor Zoho.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value, json};
use zbooks_store::{JournalEntry, Outcome, RecordState};

use crate::record::{Record, set_pointer};

/// The version of the JSON forms below (`import status`, `import failed --format json`).
pub const RESULTS_SCHEMA_VERSION: u32 = 1;

/// Counts of records by where they stand: of a whole journal ([`Summary::of`]) or of what
/// one run moved ([`Summary::between`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Records counted: the input's, or (for one run) those not settled when it began.
    pub total: u64,
    /// Created by the import.
    pub created: u64,
    /// Adopted: a create that may have landed was found in Zoho by its key, and not sent again.
    pub adopted: u64,
    /// In Zoho before the import reached them.
    pub present: u64,
    /// Failed or held back (see the failed report).
    pub failed: u64,
    /// Still to do (pending, deferred, in doubt): the same command resumes them.
    pub left: u64,
    /// Of `left`, those waiting after a server failure (deferred).
    pub deferred: u64,
}

impl Summary {
    /// Counts journal entries.
    pub fn of(entries: &[JournalEntry]) -> Summary {
        let mut s = Summary {
            total: entries.len() as u64,
            ..Summary::default()
        };
        for e in entries {
            match (e.state, e.outcome) {
                (RecordState::Done, Some(Outcome::Created)) => s.created += 1,
                (RecordState::Done, Some(Outcome::Adopted)) => s.adopted += 1,
                (RecordState::Done, _) => s.present += 1,
                (RecordState::Failed, _) => s.failed += 1,
                (state, _) => {
                    s.left += 1;
                    if state == RecordState::Deferred {
                        s.deferred += 1;
                    }
                }
            }
        }
        s
    }

    /// What one run did: the entries of the journal `before` it began (none for a first
    /// run) against those `after` it. A record settled before is not counted; one settled
    /// by this run counts by its outcome; one still unsettled counts as left (and deferred).
    pub fn between(before: &[JournalEntry], after: &[JournalEntry]) -> Summary {
        let settled = |e: &JournalEntry| matches!(e.state, RecordState::Done | RecordState::Failed);
        let was: std::collections::HashMap<u64, &JournalEntry> =
            before.iter().map(|e| (e.index, e)).collect();
        let fresh: Vec<JournalEntry> = after
            .iter()
            .filter(|e| !was.get(&e.index).is_some_and(|b| settled(b)))
            .cloned()
            .collect();
        Summary::of(&fresh)
    }

    /// Whether every record is settled (done or failed).
    pub fn is_complete(&self) -> bool {
        self.left == 0
    }
}

/// One failed record, as exported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FailedRecord {
    /// The entity.
    pub entity: String,
    /// The natural key's field.
    pub key_field: String,
    /// The natural key's value.
    pub key_value: String,
    /// Where in the input it came from.
    pub location: String,
    /// Zoho's code, when Zoho refused it.
    pub code: Option<i64>,
    /// The failure class.
    pub class: Option<String>,
    /// What went wrong.
    pub message: Option<String>,
    /// How to fix it.
    pub fix: Option<String>,
    /// The payload, references back as `{"$ref": "entity:field=value"}`.
    pub payload: Option<Value>,
    /// Query parameters of the create.
    pub query: Option<Value>,
}

/// The payload of a journaled record with every reference written back as a `$ref`, so that
/// the JSON Lines reader reads it as it was.
fn payload_with_refs(record: &Record) -> Value {
    let mut payload = record.payload.clone();
    for r in &record.references {
        let target = format!("{}:{}={}", r.target.entity, r.target.field, r.target.value);
        set_pointer(&mut payload, &r.path, json!({ "$ref": target }));
    }
    payload
}

/// The failed records of a journal, in input order.
pub fn failed_records(entries: &[JournalEntry]) -> Vec<FailedRecord> {
    entries
        .iter()
        .filter(|e| e.state == RecordState::Failed)
        .map(|e| {
            let record: Option<Record> = e
                .record
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok());
            let query = record.as_ref().filter(|r| !r.query.is_empty()).map(|r| {
                Value::Object(
                    r.query
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect::<Map<String, Value>>(),
                )
            });
            FailedRecord {
                entity: e.entity.clone(),
                key_field: e.key_field.clone(),
                key_value: e.key_value.clone(),
                location: e.location.clone(),
                code: e.code,
                class: e.class.clone(),
                message: e.message.clone(),
                fix: e.fix.clone(),
                payload: record.as_ref().map(payload_with_refs),
                query,
            }
        })
        .collect()
}

/// The failed records as JSON Lines in the reader's envelope (`entity`, `key`, `payload`,
/// `query`), with an `error` object the reader ignores: correct the payloads and import the
/// file again (`zbooks import failed.jsonl`).
pub fn failed_jsonl(failed: &[FailedRecord]) -> String {
    let mut out = String::new();
    for f in failed {
        let mut line = Map::new();
        line.insert("entity".into(), json!(f.entity));
        line.insert(
            "key".into(),
            json!({"field": f.key_field, "value": f.key_value}),
        );
        line.insert(
            "payload".into(),
            f.payload.clone().unwrap_or_else(|| json!({})),
        );
        if let Some(q) = &f.query {
            line.insert("query".into(), q.clone());
        }
        line.insert(
            "error".into(),
            json!({
                "schema": RESULTS_SCHEMA_VERSION,
                "location": f.location,
                "code": f.code,
                "class": f.class,
                "message": f.message,
                "fix": f.fix,
            }),
        );
        let _ = writeln!(out, "{}", Value::Object(line));
    }
    out
}

/// The failed records as CSV for a spreadsheet: one row each with where it came from, Zoho's
/// code, the explanation, the fix and the payload (JSON, with `$ref`s) to correct. Saved as
/// JSON Lines (`--format json`) it imports again as is. Every cell goes through
/// [`zbooks_types::csv::cell`]: a name or message opening like a formula is neutralised.
pub fn failed_csv(failed: &[FailedRecord]) -> String {
    let mut out =
        String::from("entity,key_field,key_value,location,code,class,message,fix,payload\n");
    for f in failed {
        let cells = [
            f.entity.clone(),
            f.key_field.clone(),
            f.key_value.clone(),
            f.location.clone(),
            f.code.map(|c| c.to_string()).unwrap_or_default(),
            f.class.clone().unwrap_or_default(),
            f.message.clone().unwrap_or_default(),
            f.fix.clone().unwrap_or_default(),
            f.payload.as_ref().map(Value::to_string).unwrap_or_default(),
        ];
        let row: Vec<_> = cells.iter().map(|c| zbooks_types::csv::cell(c)).collect();
        let _ = writeln!(out, "{}", row.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonl::{JsonlOptions, parse_line};
    use crate::location::Location;
    use crate::record::{Entity, NaturalKey};

    fn failed_entry() -> JournalEntry {
        let mut r = Record::new(
            Entity::Invoice,
            NaturalKey::named(Entity::Invoice, "INV-1"),
            json!({"invoice_number": "INV-1", "line_items": [{"rate": "5", "quantity": "1"}]}),
            Location::new("in.jsonl", 3),
        );
        r.refer("/customer_id", NaturalKey::named(Entity::Contact, "Acme"));
        r.query
            .push(("ignore_auto_number_generation".into(), "true".into()));
        JournalEntry {
            index: 2,
            entity: "invoice".into(),
            key_field: "invoice_number".into(),
            key_value: "INV-1".into(),
            location: "in.jsonl:3".into(),
            state: RecordState::Failed,
            outcome: None,
            zoho_id: None,
            attempts: 1,
            interrupted: 0,
            code: Some(2),
            class: Some("validation".into()),
            message: Some("Invalid value passed for date".into()),
            fix: Some("correct the field".into()),
            deferred_until_ms: None,
            record: serde_json::to_string(&r).ok(),
        }
    }

    #[test]
    fn exported_failed_records_read_back_as_the_same_record() {
        let failed = failed_records(&[failed_entry()]);
        let text = failed_jsonl(&failed);
        let line = text.lines().next().unwrap();
        let back = parse_line(line, Location::new("f.jsonl", 1), &JsonlOptions::default())
            .expect("the export is valid input");
        assert_eq!(back.key, NaturalKey::named(Entity::Invoice, "INV-1"));
        assert_eq!(
            back.depends_on(),
            [&NaturalKey::named(Entity::Contact, "Acme")]
        );
        assert_eq!(back.query.len(), 1);
        let csv = failed_csv(&failed);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("invoice,invoice_number,INV-1,in.jsonl:3,2,validation"),
            "{csv}"
        );
    }

    #[test]
    fn failed_csv_neutralises_formula_cells() {
        let mut entry = failed_entry();
        entry.key_value = "=HYPERLINK(\"http://x.invalid\",\"pay\")".into();
        entry.location = "@evil.csv:2".into();
        entry.message = Some("-2+3 is not a date".into());
        entry.fix = Some("\t=1".into());
        let csv = failed_csv(&failed_records(&[entry]));
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with(
                "invoice,invoice_number,\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"pay\"\")\",\
                 '@evil.csv:2,2,validation,'-2+3 is not a date,'\t=1,"
            ),
            "{row}"
        );
    }

    #[test]
    fn summary_counts_outcomes() {
        let mut done = failed_entry();
        done.state = RecordState::Done;
        done.outcome = Some(Outcome::Adopted);
        let s = Summary::of(&[failed_entry(), done]);
        assert_eq!((s.total, s.failed, s.adopted, s.left), (2, 1, 1, 0));
        assert!(s.is_complete());
    }

    #[test]
    fn a_run_counts_only_what_it_settled() {
        let mut created = failed_entry();
        created.index = 0;
        created.state = RecordState::Done;
        created.outcome = Some(Outcome::Created);
        let mut deferred = failed_entry();
        deferred.index = 1;
        deferred.state = RecordState::Deferred;
        let mut adopted = deferred.clone();
        adopted.state = RecordState::Done;
        adopted.outcome = Some(Outcome::Adopted);
        // A first run: everything it holds at the end is its own work.
        let first = Summary::between(&[], &[created.clone(), deferred.clone()]);
        assert_eq!(
            (first.total, first.created, first.left, first.deferred),
            (2, 1, 1, 1)
        );
        // The re-run adopts the deferred record: the earlier create is not counted again.
        let again = Summary::between(
            &[created.clone(), deferred],
            &[created.clone(), adopted.clone()],
        );
        assert_eq!(
            (again.total, again.created, again.adopted, again.left),
            (1, 0, 1, 0)
        );
        // A third run has nothing to do.
        let idle = Summary::between(&[created.clone(), adopted.clone()], &[created, adopted]);
        assert_eq!(idle, Summary::default());
    }
}
