//! What one input gave: its records and the problems met reading it, and the losses among
//! them. Its own module, below every reader, so the readers can collect into it and the door
//! that picks a reader (`read`) can name them all without a cycle.

use std::collections::HashMap;

use crate::problem::{Problem, Report};
use crate::record::Record;

/// Everything read from one input: the records, and the problems met on the way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// The records, in input order.
    pub records: Vec<Record>,
    /// The problems, in input order.
    pub report: Report,
}

impl Parsed {
    /// What the readers could not turn into a record: one error per lost record (or lost
    /// rest of the file), its messages joined, in input order. An error about a record that
    /// was read anyway (same natural key) is left out: that record is journaled on its own.
    pub fn unread(&self) -> Vec<Problem> {
        let read: std::collections::HashSet<&crate::record::NaturalKey> =
            self.records.iter().map(|r| &r.key).collect();
        let mut out: Vec<Problem> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for p in self.report.problems.iter().filter(|p| p.is_error()) {
            if p.record.as_deref().is_some_and(|k| read.contains(k)) {
                continue;
            }
            // One loss per record: a CSV document's rows share its label, a Tally object's
            // problems share its element, label and line.
            let l = &p.location;
            let id = match (&p.record, &l.label) {
                (Some(k), _) => format!("key\u{0}{}\u{0}{}\u{0}{}", k.entity, k.field, k.value),
                (None, Some(label)) => format!(
                    "label\u{0}{}\u{0}{:?}\u{0}{label}\u{0}{}",
                    l.file,
                    l.element,
                    if l.element.is_some() { l.line } else { 0 }
                ),
                (None, None) => format!("at\u{0}{l}\u{0}{}", p.message),
            };
            let message = match &p.field {
                Some(f) => format!("field {f}: {}", p.message),
                None => p.message.clone(),
            };
            if let Some(&i) = seen.get(&id) {
                let first = &mut out[i];
                first.message = format!("{}; {message}", first.message);
            } else {
                seen.insert(id, out.len());
                let mut lost = p.clone();
                lost.field = None;
                lost.message = message;
                out.push(lost);
            }
        }
        out
    }

    /// Drains a reader.
    pub fn collect(reader: impl Iterator<Item = Result<Record, Problem>>) -> Parsed {
        let mut parsed = Parsed::default();
        for item in reader {
            match item {
                Ok(r) => parsed.records.push(r),
                Err(p) => parsed.report.push(p),
            }
        }
        parsed
    }
}
