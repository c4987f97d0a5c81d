//! Requests refused as invalid, grouped by code and field: Zoho refuses the same request
//! every time, so each group is one thing to fix.

use std::collections::BTreeSet;

use zbooks_types::catalog;

use crate::analyze::{Stat, State};
use crate::report::{Finding, FindingKind, Severity};
use crate::util::push_sample;

use super::common::{code_fix, finding, plural, with_span};

pub(super) fn validation_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    let mut groups: Vec<(&(i64, String), &Stat)> = state
        .validation
        .iter()
        .filter(|((code, field), _)| !(*code == 2 && field == "organization_id"))
        .collect();
    if groups.is_empty() {
        return;
    }
    groups.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let total: u64 = groups.iter().map(|(_, s)| s.count).sum();
    let mut span = Stat::default();
    for (_, s) in &groups {
        span.merge(s);
    }
    span.samples.clear();
    let codes: BTreeSet<i64> = groups.iter().map(|((c, _), _)| *c).collect();
    let mut f = with_span(
        finding(
            FindingKind::ValidationErrors,
            Severity::Warning,
            format!(
                "{} refused as invalid, in {}",
                plural(total, "request", "requests"),
                plural(groups.len() as u64, "group", "groups")
            ),
            total,
        ),
        &span,
    );
    f.counts.insert("requests", total);
    f.counts.insert("groups", groups.len() as u64);
    for ((code, field), s) in groups.iter().take(8) {
        let title = catalog::by_code(*code).map_or("unknown code", |e| e.title);
        f.evidence.push(format!(
            "code {code} ({title}){}: {}",
            if field.is_empty() {
                String::new()
            } else {
                format!(" on {field}")
            },
            plural(s.count, "time", "times")
        ));
        for sample in &s.samples {
            push_sample(&mut f.samples, || sample.clone());
        }
    }
    let top = groups[0].0.0;
    f.codes = codes.iter().copied().collect();
    f.fix = format!(
        "Fix the data or the request each group names and validate it before sending: Zoho \
         refuses the same request every time. For the most frequent (code {top}): {}",
        code_fix(top)
    );
    covered.extend(codes);
    out.push(f);
}
