//! The per-minute limit: calls bunched above 100 a minute (calendar minutes and any 60
//! seconds across a boundary), and 429/44 seen while the log itself stays under it
//! (zoho-books-reference.md §2, §1.4).

use std::collections::BTreeSet;

use zbooks_types::plan::CALLS_PER_MINUTE;

use crate::analyze::{MinuteBucket, State};
use crate::report::{Finding, FindingKind, Severity};
use crate::time::{self, MINUTE, Millis};
use crate::util::{FxMap, push_sample};

use super::common::{code_fix, finding, fmt, org_id, org_label, plural, with_span};

/// Per-organization minute figures.
#[derive(Clone, Debug, Default)]
pub(super) struct Minutes {
    pub(super) peak: u32,
    pub(super) peak_at: Option<Millis>,
    pub(super) peak_60s: u32,
    /// Calendar minutes with more than 100 calls: (minute start, calls in the minute, the
    /// 60-second peak ending in it, 44s in it).
    pub(super) over: Vec<(Millis, u32, u32, u32)>,
    /// Minutes with at most 100 calls in which 60 seconds straddling the previous minute
    /// held more than 100.
    pub(super) straddling: Vec<(Millis, u32, u32, u32)>,
}

pub(super) fn minute_figures(state: &State) -> FxMap<u32, Minutes> {
    let mut per_org: FxMap<u32, Vec<(i64, MinuteBucket)>> = FxMap::default();
    for (&(org, minute), bucket) in &state.minutes {
        per_org.entry(org).or_default().push((minute, *bucket));
    }
    let mut out = FxMap::default();
    for (org, mut list) in per_org {
        list.sort_unstable_by_key(|(m, _)| *m);
        let mut m = Minutes::default();
        let mut prev: Option<(i64, MinuteBucket)> = None;
        for &(minute, bucket) in &list {
            if bucket.calls > m.peak {
                m.peak = bucket.calls;
                m.peak_at = Some(minute * MINUTE);
            }
            let before = prev
                .filter(|(pm, _)| *pm == minute - 1)
                .map(|(_, b)| b.slots);
            let mut window_peak = 0u32;
            for k in 0..6 {
                let mut sum: u32 = bucket.slots[..=k].iter().map(|s| u32::from(*s)).sum();
                if let Some(b) = before {
                    sum += b[k + 1..].iter().map(|s| u32::from(*s)).sum::<u32>();
                }
                window_peak = window_peak.max(sum);
            }
            // Slot sums lose nothing within a minute: the calendar minute is a window too.
            window_peak = window_peak.max(bucket.calls);
            m.peak_60s = m.peak_60s.max(window_peak);
            let row = (minute * MINUTE, bucket.calls, window_peak, bucket.code_44);
            if bucket.calls > CALLS_PER_MINUTE {
                m.over.push(row);
            } else if window_peak > CALLS_PER_MINUTE {
                m.straddling.push(row);
            }
            prev = Some((minute, bucket));
        }
        out.insert(org, m);
    }
    out
}

/// bunched_calls and minute_limit.
pub(super) fn rate_rules(
    state: &State,
    minutes: &FxMap<u32, Minutes>,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
) {
    let mut orgs: Vec<_> = minutes.iter().collect();
    orgs.sort_by_key(|(o, _)| **o);
    for (&org, m) in orgs {
        let c44 = state
            .codes
            .get(&(44, org))
            .map(|c| c.stat.clone())
            .unwrap_or_default();
        if !m.over.is_empty() || !m.straddling.is_empty() {
            let over = if m.over.is_empty() {
                &m.straddling
            } else {
                &m.over
            };
            let n = over.len() as u64;
            let in_over: u64 = over.iter().map(|o| u64::from(o.3)).sum();
            let calls: u64 = over.iter().map(|o| u64::from(o.1)).sum();
            let mut f = finding(
                FindingKind::BunchedCalls,
                if c44.count > 0 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "{}: calls bunched above 100 a minute in {} (peak {} within 60 s)",
                    org_label(state, org),
                    plural(n, "minute", "minutes"),
                    m.peak_60s
                ),
                n,
            );
            f.organization = Some(org_id(state, org));
            f.counts.insert("minutes_over_limit", m.over.len() as u64);
            f.counts
                .insert("minutes_over_limit_straddling", m.straddling.len() as u64);
            f.counts.insert("peak_60s", u64::from(m.peak_60s));
            f.counts.insert("peak_per_minute", u64::from(m.peak));
            f.counts.insert("calls_in_those_minutes", calls);
            f.counts.insert("code_44", c44.count);
            f.counts.insert("code_44_in_those_minutes", in_over);
            f.first = fmt(over.first().map(|o| o.0));
            f.last = fmt(over.last().map(|o| o.0));
            f.evidence.push(format!(
                "Zoho allows 100 calls a minute per organization; this log shows more than 100 \
                 in {} and more than 100 within 60 seconds across a minute boundary in {}; up \
                 to {} within 60 s (the busiest calendar minute had {}).",
                plural(m.over.len() as u64, "calendar minute", "calendar minutes"),
                plural(m.straddling.len() as u64, "more", "more"),
                m.peak_60s,
                m.peak
            ));
            if c44.count > 0 {
                f.evidence.push(format!(
                    "Zoho answered 429 with code 44 (per-minute limit: the whole organization \
                     blocked) {}, {} of them within those minutes.",
                    plural(c44.count, "time", "times"),
                    in_over
                ));
                covered.insert(44);
            }
            let mut worst = over.clone();
            worst.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            for (start, calls, peak, c44) in worst.iter().take(5) {
                f.evidence.push(format!(
                    "{}: {} calls in the minute, {} within 60 s, {} answered 44",
                    time::format(*start),
                    calls,
                    peak,
                    c44
                ));
            }
            for s in &c44.samples {
                push_sample(&mut f.samples, || s.clone());
            }
            f.codes = if c44.count > 0 { vec![44] } else { Vec::new() };
            f.fix = format!(
                "Pace calls to this organization evenly below 100 a minute (a steady ~1.5 a \
                 second leaves headroom), with one budget shared by every worker, process and \
                 integration that calls it; on a 44 pause every call to the organization for \
                 at least 60 s instead of retrying at once. Zoho's advice: {}",
                code_fix(44)
            );
            out.push(f);
        } else if c44.count > 0 {
            let mut f = with_span(
                finding(
                    FindingKind::MinuteLimit,
                    Severity::Error,
                    format!(
                        "{}: {} while this log shows at most {} calls within 60 s",
                        org_label(state, org),
                        plural(
                            c44.count,
                            "per-minute limit (429/44)",
                            "per-minute limits (429/44)"
                        ),
                        m.peak_60s
                    ),
                    c44.count,
                ),
                &c44,
            );
            f.organization = Some(org_id(state, org));
            f.counts.insert("code_44", c44.count);
            f.counts.insert("peak_60s", u64::from(m.peak_60s));
            f.evidence.push(
                "Zoho counts every call to the organization, from every app and user, against \
                 one limit of 100 a minute: something not in these logs spends the same budget \
                 (another integration, a second process, a user's script), or these logs miss \
                 calls."
                    .to_owned(),
            );
            f.codes = vec![44];
            f.fix = format!(
                "Find every integration calling this organization and give them one shared \
                 budget below 100 a minute. {}",
                code_fix(44)
            );
            covered.insert(44);
            out.push(f);
        }
    }
}
