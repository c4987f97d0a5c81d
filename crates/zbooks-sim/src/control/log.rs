//! The request log and the counters: what Zoho would have seen, for tests to assert on.
//!
//! The log keeps, per request, the method, the path (never the query string, which may carry a
//! token), the organization, the status, Zoho's code and the natural keys of what was created.
//! It holds no time, so the same scenario and seed give the same log. Counters are kept apart
//! and never dropped, however long the log grows.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

/// One request as the simulator saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// Position in arrival order (1-based, counted from the last reset).
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The `organization_id` the request named, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The HTTP status answered (0 when the connection was reset or stalled).
    pub status: u16,
    /// Zoho's `code` in the answer, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// Natural keys of the records created (`invoices:invoice_number=INV-000001`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub created: Vec<String>,
    /// The fault that fired, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// The route was unknown (404) or the method wrong (405).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unmatched: bool,
}

/// Totals since the last reset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Requests answered (control API excluded).
    pub requests: u64,
    /// Answers by HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// 429 answers by Zoho code (44, 45, 1070).
    pub throttled: BTreeMap<i64, u64>,
    /// Creates refused as duplicates (3062, and code 4 for numbers, item names and unique custom
    /// field values: choices.rs).
    pub duplicates_refused: u64,
    /// Requests to unknown routes or with the wrong method.
    pub unmatched_routes: u64,
    /// The first unmatched requests (`GET /books/v3/nope`), for the failure message.
    pub unmatched: Vec<String>,
    /// Faults fired.
    pub faults_fired: u64,
    /// Token-endpoint requests answered.
    pub token_requests: u64,
    /// Token-endpoint requests refused with "Access Denied".
    pub token_throttled: u64,
    /// Live records per natural key (`<org>:invoices:invoice_number=INV-000001` → 1); more
    /// than one means a duplicate slipped through.
    pub records_per_natural_key: BTreeMap<String, u64>,
}

/// One request as it is logged, borrowed from the request being answered.
#[derive(Debug, Default)]
pub(crate) struct LogLine<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) organization_id: Option<&'a str>,
    pub(crate) status: u16,
    pub(crate) code: Option<i64>,
    pub(crate) created: Vec<String>,
    pub(crate) fault: Option<&'a str>,
    pub(crate) unmatched: bool,
}

/// A logged request, packed in one allocation: its texts, each a little-endian `u32` length
/// then the UTF-8 bytes (method, path, organization, fault, then the created keys), so a full
/// log of 100,000 requests stays a few megabytes. `seq` is not kept: entries are consecutive.
#[derive(Debug)]
struct Packed {
    texts: Box<[u8]>,
    code: i64,
    status: u16,
    flags: u8,
}

const HAS_ORG: u8 = 1;
const HAS_FAULT: u8 = 2;
const HAS_CODE: u8 = 4;
const UNMATCHED: u8 = 8;

fn put(out: &mut Vec<u8>, text: &str) {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&text.as_bytes()[..len as usize]);
}

impl Packed {
    fn new(line: &LogLine<'_>) -> Packed {
        let mut texts = Vec::with_capacity(
            24 + line.method.len()
                + line.path.len()
                + line.organization_id.map_or(0, str::len)
                + line.created.iter().map(String::len).sum::<usize>(),
        );
        let mut flags = 0;
        put(&mut texts, line.method);
        put(&mut texts, line.path);
        if let Some(org) = line.organization_id {
            flags |= HAS_ORG;
            put(&mut texts, org);
        }
        if let Some(fault) = line.fault {
            flags |= HAS_FAULT;
            put(&mut texts, fault);
        }
        for key in &line.created {
            put(&mut texts, key);
        }
        if line.code.is_some() {
            flags |= HAS_CODE;
        }
        if line.unmatched {
            flags |= UNMATCHED;
        }
        Packed {
            texts: texts.into_boxed_slice(),
            code: line.code.unwrap_or(0),
            status: line.status,
            flags,
        }
    }

    fn unpack(&self, seq: u64) -> LoggedRequest {
        let mut texts = Vec::new();
        let mut at = 0;
        while let Some(len) = self.texts.get(at..at + 4) {
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            let end = (at + 4 + len).min(self.texts.len());
            texts.push(String::from_utf8_lossy(&self.texts[at + 4..end]).into_owned());
            at = end;
        }
        let mut texts = texts.into_iter();
        let method = texts.next().unwrap_or_default();
        let path = texts.next().unwrap_or_default();
        let organization_id = (self.flags & HAS_ORG != 0).then(|| texts.next().unwrap_or_default());
        let fault = (self.flags & HAS_FAULT != 0).then(|| texts.next().unwrap_or_default());
        LoggedRequest {
            seq,
            method,
            path,
            organization_id,
            status: self.status,
            code: (self.flags & HAS_CODE != 0).then_some(self.code),
            created: texts.collect(),
            fault,
            unmatched: self.flags & UNMATCHED != 0,
        }
    }
}

/// The log with its cap, and the counters.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: VecDeque<Packed>,
    next_seq: u64,
    pub(crate) counters: Counters,
}

impl Journal {
    /// Records one answered request.
    pub(crate) fn record(&mut self, line: &LogLine<'_>, capacity: usize) {
        self.next_seq += 1;
        let c = &mut self.counters;
        c.requests += 1;
        *c.by_status.entry(line.status).or_default() += 1;
        if line.status == 429 {
            *c.throttled.entry(line.code.unwrap_or(0)).or_default() += 1;
        }
        if line.unmatched {
            c.unmatched_routes += 1;
            if c.unmatched.len() < 50 {
                c.unmatched.push(format!("{} {}", line.method, line.path));
            }
        }
        if line.fault.is_some() {
            c.faults_fired += 1;
        }
        if capacity == 0 {
            return;
        }
        while self.entries.len() >= capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(Packed::new(line));
    }

    /// The entries kept, oldest first.
    pub(crate) fn entries(&self) -> Vec<LoggedRequest> {
        let first = self.next_seq + 1 - self.entries.len() as u64;
        self.entries
            .iter()
            .zip(first..)
            .map(|(p, seq)| p.unpack(seq))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_entries_and_numbers_them() {
        let mut journal = Journal::default();
        let line = LogLine {
            method: "POST",
            path: "/books/v3/invoices",
            organization_id: Some("60000000001"),
            status: 201,
            code: Some(0),
            created: vec!["invoices:invoice_number=INV-000001".into()],
            fault: None,
            unmatched: false,
        };
        for _ in 0..3 {
            journal.record(&line, 2);
        }
        journal.record(
            &LogLine {
                method: "GET",
                path: "/nope",
                status: 404,
                fault: Some("reset_after"),
                unmatched: true,
                ..LogLine::default()
            },
            2,
        );
        let entries = journal.entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].seq, 3);
        assert_eq!(entries[0].created, line.created);
        assert_eq!(entries[0].code, Some(0));
        assert_eq!(entries[0].organization_id.as_deref(), Some("60000000001"));
        assert_eq!(entries[1].seq, 4);
        assert_eq!(entries[1].fault.as_deref(), Some("reset_after"));
        assert_eq!(entries[1].organization_id, None);
        assert_eq!(entries[1].code, None);
        assert!(entries[1].unmatched);
        assert_eq!(journal.counters.requests, 4);
    }
}
