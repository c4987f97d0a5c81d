//! The daily quota: spent (429/45) or, at the last hour's pace, running out before the UTC
//! day ends; also each organization's quota row (zoho-books-reference.md §2).

use std::collections::BTreeSet;

use zbooks_types::Plan;

use crate::analyze::State;
use crate::options::AnalyzeOptions;
use crate::report::{Finding, FindingKind, QuotaRow, Severity};
use crate::time::{self, DAY, MINUTE, Millis};
use crate::util::FxMap;

use super::common::{code_fix, finding, fmt, org_id, org_label, plural, with_span};

/// quota_exhausted and quota_burn; also the quota row of each organization.
pub(super) fn quota_rules(
    state: &State,
    opts: &AnalyzeOptions,
    now: Option<Millis>,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
) -> FxMap<u32, QuotaRow> {
    let mut rows = FxMap::default();
    for (i, o) in state.orgs.iter().enumerate() {
        let org = u32::try_from(i).unwrap_or(u32::MAX);
        let Some(last) = o.last else { continue };
        let limit = opts
            .daily_limit
            .or(o.limit_from_45)
            .or(opts.plan.map(|p| p.limits().per_day));
        let c45 = state.codes.get(&(45, org)).map(|c| &c.stat);
        // The day to report: now's day when the organization was called that day.
        let reference = match now {
            Some(n) if state.days.contains_key(&(org, n.div_euclid(DAY))) => n,
            _ => last,
        };
        let day = reference.div_euclid(DAY);
        let used = state.days.get(&(org, day)).copied().unwrap_or(0);
        let pace: u64 = (0..60)
            .filter_map(|k| {
                state
                    .minutes
                    .get(&(org, reference.div_euclid(MINUTE) - k))
                    .map(|b| u64::from(b.calls))
            })
            .sum();
        let first45_today = c45
            .and_then(|s| s.first)
            .filter(|f| f.div_euclid(DAY) == day);
        let exhausted = first45_today.is_some()
            || c45.is_some_and(|s| s.last.is_some_and(|l| l.div_euclid(DAY) == day));
        let runs_out_at = if let Some(f) = first45_today {
            Some(f)
        } else if let Some(limit) = limit {
            let left = u64::from(limit).saturating_sub(used);
            if left == 0 {
                Some(reference)
            } else {
                (left * 60).checked_div(pace).and_then(|minutes_left| {
                    let at = reference
                        + i64::try_from(minutes_left).unwrap_or(i64::MAX / 2 / MINUTE) * MINUTE;
                    (at < (day + 1) * DAY).then_some(at)
                })
            }
        } else {
            None
        };
        rows.insert(
            org,
            QuotaRow {
                day: time::format_day(reference),
                used,
                limit,
                pace_per_hour: pace,
                runs_out_at: fmt(runs_out_at),
                exhausted,
            },
        );

        if let Some(c45) = c45 {
            let first = c45.first.unwrap_or(reference);
            let before: u64 = state
                .minutes
                .iter()
                .filter(|((o2, m), _)| {
                    *o2 == org
                        && m.div_euclid(24 * 60) == first.div_euclid(DAY)
                        && *m * MINUTE < first - first.rem_euclid(MINUTE)
                })
                .map(|(_, b)| u64::from(b.calls))
                .sum();
            let mut f = with_span(
                finding(
                    FindingKind::QuotaExhausted,
                    Severity::Critical,
                    format!(
                        "{}: daily quota spent — {} refused with 429/45, the first at {}",
                        org_label(state, org),
                        plural(c45.count, "call", "calls"),
                        time::format(first)
                    ),
                    c45.count,
                ),
                c45,
            );
            f.organization = Some(org_id(state, org));
            f.counts.insert("code_45", c45.count);
            f.counts.insert("calls_before_first_45", before);
            if let Some(l) = limit {
                f.counts.insert("daily_limit", u64::from(l));
            }
            f.evidence.push(format!(
                "Zoho first answered 45 at {} after {} that day (UTC) in these logs; every call \
                 after it until the reset is wasted.",
                time::format(first),
                plural(before, "call", "calls")
            ));
            if let Some(l) = o.limit_from_45 {
                let plan = Plan::from_daily_limit(l)
                    .map_or_else(String::new, |p| format!(" (the {p} plan's quota)"));
                f.evidence.push(format!(
                    "Zoho's message names a daily limit of {l} calls{plan}."
                ));
            }
            f.evidence.push(
                "45 is the daily quota, not the per-minute limit (that is 44): waiting a minute \
                 does not help."
                    .to_owned(),
            );
            f.codes = vec![45];
            f.fix = code_fix(45);
            covered.insert(45);
            out.push(f);
        } else if let (Some(limit), Some(at)) = (limit, runs_out_at) {
            let mut f = finding(
                FindingKind::QuotaBurn,
                Severity::Warning,
                format!(
                    "{}: at this pace the daily quota of {} runs out at {} UTC",
                    org_label(state, org),
                    limit,
                    time::format_hm(at)
                ),
                used,
            );
            f.organization = Some(org_id(state, org));
            f.counts.insert("used_today", used);
            f.counts.insert("daily_limit", u64::from(limit));
            f.counts.insert("calls_last_hour", pace);
            f.first = fmt(Some(day * DAY));
            f.last = fmt(Some(reference));
            f.evidence.push(format!(
                "{} of {} calls used on {} by {}; {} in the last hour.",
                used,
                limit,
                time::format_day(reference),
                time::format_hm(reference),
                pace
            ));
            "Spread the work over days (zbooks import --daily-budget), cut calls that are not \
             needed (list with per_page=200 instead of fetching one by one), or ask Zoho \
             support to raise the daily limit for a migration."
                .clone_into(&mut f.fix);
            out.push(f);
        }
    }
    rows
}
