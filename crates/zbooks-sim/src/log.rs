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
    /// Creates refused as duplicates (3062, 1001).
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

/// The log with its cap, and the counters.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    pub(crate) entries: VecDeque<LoggedRequest>,
    pub(crate) next_seq: u64,
    pub(crate) counters: Counters,
}

impl Journal {
    /// Records one answered request.
    pub(crate) fn record(&mut self, mut entry: LoggedRequest, capacity: usize) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        let c = &mut self.counters;
        c.requests += 1;
        *c.by_status.entry(entry.status).or_default() += 1;
        if entry.status == 429 {
            *c.throttled.entry(entry.code.unwrap_or(0)).or_default() += 1;
        }
        if entry.unmatched {
            c.unmatched_routes += 1;
            if c.unmatched.len() < 50 {
                c.unmatched.push(format!("{} {}", entry.method, entry.path));
            }
        }
        if entry.fault.is_some() {
            c.faults_fired += 1;
        }
        if capacity == 0 {
            return;
        }
        while self.entries.len() >= capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }
}
