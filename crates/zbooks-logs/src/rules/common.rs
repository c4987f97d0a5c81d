//! What every rule family shares: building a finding, its time span and samples, counting
//! words, the catalog's fix texts, and naming organizations. Depends on no family.

use std::collections::BTreeMap;

use zbooks_types::explain::explain;
use zbooks_types::scan::Finding as ScanFinding;

use crate::analyze::{Stat, State};
use crate::report::{Finding, FindingKind, Severity};
use crate::time::{self, Millis};
use crate::util::push_sample;

pub(super) fn fmt(ts: Option<Millis>) -> Option<String> {
    ts.map(time::format)
}

pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(super) fn code_fix(code: i64) -> String {
    explain(&ScanFinding::Code { code, status: None }).fix
}

pub(super) fn accounts_fix(error: &str) -> String {
    explain(&ScanFinding::Accounts {
        error: error.to_owned(),
        description: None,
        status: None,
    })
    .fix
}

/// A finding under construction.
pub(super) fn finding(kind: FindingKind, severity: Severity, title: String, count: u64) -> Finding {
    Finding {
        kind,
        severity,
        rank: 0,
        title,
        organization: None,
        count,
        counts: BTreeMap::new(),
        first: None,
        last: None,
        evidence: Vec::new(),
        samples: Vec::new(),
        fix: String::new(),
        codes: Vec::new(),
    }
}

pub(super) fn with_span(mut f: Finding, stat: &Stat) -> Finding {
    f.first = fmt(stat.first);
    f.last = fmt(stat.last);
    for s in &stat.samples {
        push_sample(&mut f.samples, || s.clone());
    }
    f
}

/// A code summed over organizations.
pub(super) fn code_total(state: &State, code: i64) -> Stat {
    let mut total = Stat::default();
    for ((c, _), s) in &state.codes {
        if *c == code {
            total.merge(&s.stat);
        }
    }
    total
}

pub(super) fn org_id(state: &State, org: u32) -> String {
    state.orgs[org as usize].id.clone()
}

pub(super) fn org_label(state: &State, org: u32) -> String {
    let id = &state.orgs[org as usize].id;
    if id.starts_with('(') {
        format!("calls without an organization id {id}")
    } else {
        format!("organization {id}")
    }
}
