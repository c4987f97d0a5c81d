//! Records asked for again and again after Zoho said they do not exist (1002).

use std::collections::BTreeSet;

use crate::analyze::{Stat, State};
use crate::report::{Finding, FindingKind, Severity};
use crate::util::push_sample;

use super::common::{code_fix, finding, fmt, org_label, plural, with_span};

pub(super) fn not_found_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    let mut repeated: Vec<(&(u32, String), &Stat)> = state
        .not_found
        .iter()
        .filter(|(_, s)| s.count >= 2)
        .collect();
    if repeated.is_empty() {
        return;
    }
    repeated.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let total: u64 = repeated.iter().map(|(_, s)| s.count).sum();
    let mut span = Stat::default();
    for (_, s) in &repeated {
        span.merge(s);
    }
    span.samples.clear();
    let mut f = with_span(
        finding(
            FindingKind::RepeatedNotFound,
            Severity::Warning,
            format!(
                "{} asked for again and again after Zoho said it does not exist (1002), {} in all",
                plural(repeated.len() as u64, "record", "records"),
                plural(total, "time", "times")
            ),
            total,
        ),
        &span,
    );
    f.counts.insert("records", repeated.len() as u64);
    f.counts.insert("code_1002_on_them", total);
    f.counts.insert("most_on_one_record", repeated[0].1.count);
    for ((org, path), s) in repeated.iter().take(5) {
        f.evidence.push(format!(
            "{} ({}): {} from {} to {}",
            if path.is_empty() { "(no path)" } else { path },
            org_label(state, *org),
            plural(s.count, "time", "times"),
            fmt(s.first).unwrap_or_else(|| "?".to_owned()),
            fmt(s.last).unwrap_or_else(|| "?".to_owned())
        ));
        for sample in &s.samples {
            push_sample(&mut f.samples, || sample.clone());
        }
    }
    f.codes = vec![1002];
    f.fix = format!(
        "Stop retrying a record id after 1002: drop it from caches and queues, or look the \
         record up again by its natural key. {}",
        code_fix(1002)
    );
    covered.insert(1002);
    out.push(f);
}
