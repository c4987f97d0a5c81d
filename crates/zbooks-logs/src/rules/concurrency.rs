//! Calls in flight at once: 429/1070, or more in flight than the plan allows
//! (zoho-books-reference.md §2).

use std::collections::BTreeSet;

use crate::analyze::State;
use crate::options::AnalyzeOptions;
use crate::report::{Finding, FindingKind, Severity};
use crate::time;

use super::common::{code_fix, finding, fmt, org_label, plural, with_span};

pub(super) fn concurrency_rule(
    state: &State,
    opts: &AnalyzeOptions,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
) {
    let limit = opts.plan.map(|p| p.limits().in_flight);
    for (i, o) in state.orgs.iter().enumerate() {
        let org = u32::try_from(i).unwrap_or(u32::MAX);
        let peak = state.in_flight.get(i).map_or(0, |t| t.peak);
        let peak_at = state.in_flight.get(i).and_then(|t| t.peak_at);
        let c1070 = state.codes.get(&(1070, org)).map(|c| &c.stat);
        let over = limit.is_some_and(|l| peak > l);
        if c1070.is_none() && !over {
            continue;
        }
        let count = c1070.map_or(0, |s| s.count);
        let mut f = finding(
            FindingKind::ConcurrencyLimit,
            if count > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            if count > 0 {
                format!(
                    "{}: {} with too many calls in flight (429/1070); up to {} at once",
                    org_label(state, org),
                    plural(count, "call refused", "calls refused"),
                    peak
                )
            } else {
                format!(
                    "{}: up to {} calls in flight at once, above the plan's {}",
                    org_label(state, org),
                    peak,
                    limit.unwrap_or(10)
                )
            },
            count,
        );
        if let Some(s) = c1070 {
            f = with_span(f, s);
        } else {
            f.first = fmt(peak_at);
            f.last = fmt(peak_at);
        }
        f.organization = Some(o.id.clone());
        f.counts.insert("code_1070", count);
        f.counts.insert("peak_in_flight", u64::from(peak));
        f.evidence.push(format!(
            "Zoho allows {} calls in flight at once per organization (5 on Free, 10 on paid \
             plans, a soft limit); the most seen here at once was {}{}.",
            limit.map_or_else(|| "a few".to_owned(), |l| l.to_string()),
            peak,
            peak_at.map_or_else(String::new, |t| format!(" at {}", time::format(t)))
        ));
        if peak == 0 {
            f.evidence.push(
                "These logs carry no durations, so calls in flight could not be counted."
                    .to_owned(),
            );
        }
        f.codes = if count > 0 { vec![1070] } else { Vec::new() };
        f.fix = code_fix(1070);
        covered.insert(1070);
        out.push(f);
    }
}
