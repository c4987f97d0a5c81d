//! Every Zoho code, accounts-server error and HTTP status no family above explained, each
//! with the catalog's meaning and fix. Runs last: it reads what the others covered.

use std::collections::{BTreeMap, BTreeSet};

use zbooks_types::FailureClass;
use zbooks_types::explain::explain;
use zbooks_types::scan::Finding as ScanFinding;

use crate::analyze::{Stat, State};
use crate::report::{Finding, FindingKind, Severity};

use super::common::{finding, plural, with_span};

pub(super) fn generic_rules(
    state: &State,
    out: &mut Vec<Finding>,
    covered: &BTreeSet<i64>,
    covered_accounts: &BTreeSet<String>,
) {
    let mut by_code: BTreeMap<i64, (Stat, Vec<u16>, Option<String>)> = BTreeMap::new();
    for ((code, _), c) in &state.codes {
        if covered.contains(code) {
            continue;
        }
        let e = by_code.entry(*code).or_default();
        e.0.merge(&c.stat);
        for s in &c.statuses {
            if !e.1.contains(s) {
                e.1.push(*s);
            }
        }
        if e.2.is_none() {
            e.2.clone_from(&c.message);
        }
    }
    for (code, (stat, statuses, message)) in by_code {
        let ex = explain(&ScanFinding::Body {
            code,
            message: message.clone(),
            status: statuses.first().copied(),
        });
        let severity = match ex.class {
            Some(
                FailureClass::AuthMisconfigured
                | FailureClass::BlockedOrg
                | FailureClass::AuthExpired,
            ) => Severity::Error,
            _ => Severity::Warning,
        };
        let mut f = with_span(
            finding(
                FindingKind::ZohoError,
                severity,
                format!(
                    "code {code} ({}): {}",
                    ex.title,
                    plural(stat.count, "time", "times")
                ),
                stat.count,
            ),
            &stat,
        );
        f.counts.insert("count", stat.count);
        f.evidence.push(ex.meaning.clone());
        if let Some(cause) = ex.causes.first() {
            f.evidence.push(format!("Likeliest cause: {cause}."));
        }
        f.codes = vec![code];
        f.fix = ex.fix;
        out.push(f);
    }
    let mut accounts: Vec<_> = state
        .accounts_errors
        .iter()
        .filter(|(name, _)| !covered_accounts.contains(*name))
        .collect();
    accounts.sort_by(|a, b| a.0.cmp(b.0));
    for (name, c) in accounts {
        let ex = explain(&ScanFinding::Accounts {
            error: name.clone(),
            description: None,
            status: c.statuses.first().copied(),
        });
        let mut f = with_span(
            finding(
                FindingKind::ZohoError,
                Severity::Error,
                format!(
                    "accounts server: {name} ({}): {}",
                    ex.title,
                    plural(c.stat.count, "time", "times")
                ),
                c.stat.count,
            ),
            &c.stat,
        );
        f.counts.insert("count", c.stat.count);
        f.evidence.push(ex.meaning.clone());
        f.fix = ex.fix;
        out.push(f);
    }
    let mut statuses: BTreeMap<u16, Stat> = BTreeMap::new();
    for ((status, _), s) in &state.failing_statuses {
        if *status < 500 {
            statuses.entry(*status).or_default().merge(s);
        }
    }
    for (status, stat) in statuses {
        let ex = explain(&ScanFinding::Status { status });
        let mut f = with_span(
            finding(
                FindingKind::ZohoError,
                Severity::Warning,
                format!(
                    "HTTP {status} without a Zoho code: {}",
                    plural(stat.count, "time", "times")
                ),
                stat.count,
            ),
            &stat,
        );
        f.counts.insert("count", stat.count);
        f.evidence.push(ex.meaning.clone());
        f.fix = ex.fix;
        out.push(f);
    }
}
