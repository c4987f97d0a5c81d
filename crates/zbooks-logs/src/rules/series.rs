//! The report's time series: the timeline of calls and failures, and each busy
//! organization's per-minute peaks, binned to fit a chart.

use zbooks_types::FailureClass;

use crate::analyze::State;
use crate::report::{OrgSeries, Timeline, TimelineBin};
use crate::time::{self, MINUTE};
use crate::util::FxMap;

/// Most points of a chart series.
const SERIES_POINTS: i64 = 720;
/// Most bins of the timeline.
const TIMELINE_BINS: i64 = 60;

/// A bin size in minutes that fits `span` into at most `bins` bins, from a list of round
/// sizes.
pub(super) fn bin_minutes(span_minutes: i64, bins: i64) -> i64 {
    const SIZES: [i64; 12] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
    for size in SIZES {
        if span_minutes / size < bins {
            return size;
        }
    }
    let days = span_minutes / (1440 * bins) + 1;
    days * 1440
}

pub(super) fn timeline(state: &State) -> Timeline {
    let (Some(first), Some(last)) = (state.first, state.last) else {
        return Timeline::default();
    };
    let start_min = first.div_euclid(MINUTE);
    let span = last.div_euclid(MINUTE) - start_min + 1;
    let bin = bin_minutes(span, TIMELINE_BINS);
    let start = start_min - start_min.rem_euclid(bin);
    let n = usize::try_from((last.div_euclid(MINUTE) - start) / bin + 1).unwrap_or(1);
    let mut calls = vec![0u64; n];
    let mut failed = vec![0u64; n];
    let mut classes = vec![[0u64; FailureClass::ALL.len()]; n];
    let index = |minute: i64| {
        usize::try_from((minute - start) / bin)
            .ok()
            .filter(|i| *i < n)
    };
    for (&(_, minute), b) in &state.minutes {
        if let Some(i) = index(minute) {
            calls[i] += u64::from(b.calls);
        }
    }
    for (&minute, counts) in &state.error_minutes {
        if let Some(i) = index(minute) {
            for (k, c) in counts.iter().enumerate() {
                classes[i][k] += u64::from(*c);
                failed[i] += u64::from(*c);
            }
        }
    }
    Timeline {
        bin_minutes: bin,
        bins: (0..n)
            .map(|i| TimelineBin {
                start: time::format((start + i64::try_from(i).unwrap_or(0) * bin) * MINUTE),
                calls: calls[i],
                failed: failed[i],
                by_class: FailureClass::ALL
                    .iter()
                    .zip(classes[i])
                    .filter(|(_, c)| *c > 0)
                    .map(|(class, c)| (class.as_str(), c))
                    .collect(),
            })
            .collect(),
    }
}

pub(super) fn minute_series(state: &State) -> Vec<OrgSeries> {
    let mut orgs: Vec<(usize, u64)> = state
        .orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.calls > 0)
        .map(|(i, o)| (i, o.calls))
        .collect();
    orgs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    orgs.truncate(6);
    let (Some(first), Some(last)) = (state.first, state.last) else {
        return Vec::new();
    };
    let start_min = first.div_euclid(MINUTE);
    let end_min = last.div_euclid(MINUTE);
    let bin = bin_minutes(end_min - start_min + 1, SERIES_POINTS);
    let start = start_min - start_min.rem_euclid(bin);
    let n = usize::try_from((end_min - start) / bin + 1).unwrap_or(1);
    let mut per_org: FxMap<u32, Vec<u32>> = FxMap::default();
    for &(i, _) in &orgs {
        per_org.insert(u32::try_from(i).unwrap_or(u32::MAX), vec![0; n]);
    }
    for (&(org, minute), b) in &state.minutes {
        if let Some(points) = per_org.get_mut(&org)
            && let Ok(i) = usize::try_from((minute - start) / bin)
            && i < n
        {
            points[i] = points[i].max(b.calls);
        }
    }
    orgs.iter()
        .map(|&(i, _)| OrgSeries {
            organization: state.orgs[i].id.clone(),
            bin_minutes: bin,
            start: time::format(start * MINUTE),
            peaks: per_org
                .remove(&u32::try_from(i).unwrap_or(u32::MAX))
                .unwrap_or_default(),
        })
        .collect()
}
