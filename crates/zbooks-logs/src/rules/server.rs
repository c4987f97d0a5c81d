//! Failures on Zoho's side: 5xx, transient server codes and calls that got no answer, per
//! organization.

use std::collections::{BTreeMap, BTreeSet};

use zbooks_types::{FailureClass, catalog};

use crate::analyze::{Stat, State};
use crate::report::{Finding, FindingKind, Severity};

use super::common::{finding, org_id, org_label, plural, with_span};

pub(super) fn server_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    let mut per_org: BTreeMap<u32, (Stat, BTreeMap<String, u64>)> = BTreeMap::new();
    for ((status, org), s) in &state.failing_statuses {
        if *status >= 500 {
            let e = per_org.entry(*org).or_default();
            e.0.merge(s);
            *e.1.entry(format!("HTTP {status}")).or_default() += s.count;
        }
    }
    for ((code, org), c) in &state.codes {
        if catalog::by_code(*code).and_then(|e| e.class) == Some(FailureClass::TransientServer) {
            let e = per_org.entry(*org).or_default();
            e.0.merge(&c.stat);
            *e.1.entry(format!("code {code}")).or_default() += c.stat.count;
        }
    }
    for (org, s) in &state.unanswered {
        let e = per_org.entry(*org).or_default();
        e.0.merge(s);
        *e.1.entry("no answer (timeout or reset)".to_owned())
            .or_default() += s.count;
    }
    for (org, (stat, kinds)) in per_org {
        let mut f = with_span(
            finding(
                FindingKind::ServerErrors,
                Severity::Warning,
                format!(
                    "{}: {} failed on Zoho's side or got no answer",
                    org_label(state, org),
                    plural(stat.count, "call", "calls")
                ),
                stat.count,
            ),
            &stat,
        );
        f.organization = Some(org_id(state, org));
        for (kind, n) in &kinds {
            f.evidence.push(format!("{kind}: {n}"));
        }
        f.counts.insert("calls", stat.count);
        f.counts.insert(
            "no_answer",
            kinds
                .get("no answer (timeout or reset)")
                .copied()
                .unwrap_or(0),
        );
        f.fix = format!(
            "{} A create among them may have landed: look it up by its natural key before \
             sending it again.",
            catalog::by_status(500).map_or("", |s| s.action)
        );
        covered.insert(1000);
        out.push(f);
    }
}
