//! The diagnosis: turns the aggregated state into ranked findings (each with its counts,
//! time span, sample lines and fix) and into the report's tables and series.
//!
//! Each rule is a pattern no single line shows: calls bunched above 100 a minute, a token
//! used until Zoho refuses it an hour later, a create sent again after a lost answer, and so
//! on. The Zoho facts behind the thresholds are in zoho-books-reference.md: 100 calls a
//! minute per organization and the daily quota by plan (§2), 10 token requests per refresh
//! token per 10 minutes and one-hour access tokens (§3.3), 44/45/1070 all with HTTP 429
//! (§1.4). Fix texts come from the error catalog of zbooks-types, so `zbooks explain` and this
//! report give the same advice.

use std::collections::{BTreeMap, BTreeSet};

use zbooks_types::catalog;
use zbooks_types::explain::explain;
use zbooks_types::plan::CALLS_PER_MINUTE;
use zbooks_types::scan::Finding as ScanFinding;
use zbooks_types::{FailureClass, Plan};

use crate::AnalyzeOptions;
use crate::analyze::{MinuteBucket, Stat, State, location};
use crate::call;
use crate::report::{
    ClassRow, CodeRow, DailyLimit, EndpointRow, Finding, FindingKind, OrgRow, OrgSeries, QuotaRow,
    RateLimits, Report, Sample, Severity, SourceSummary, StatusRow, Timeline, TimelineBin,
    TokenSummary, Totals, Unreadable, UnreadableLine,
};
use crate::time::{self, DAY, MINUTE, Millis};
use crate::util::{FxMap, push_sample};

/// Token requests Zoho allows per refresh token in 10 minutes (reference §3.3).
const TOKENS_PER_10_MIN: u64 = 10;
/// A 57 this long after its token was issued is an expired token (tokens live an hour;
/// a few minutes of slack for clocks and caches).
const EXPIRED_AFTER: Millis = 55 * MINUTE;
/// A 57 sooner than this after a fresh token is not expiry.
const FRESH_BEFORE: Millis = 50 * MINUTE;
/// Most points of a chart series.
const SERIES_POINTS: i64 = 720;
/// Most bins of the timeline.
const TIMELINE_BINS: i64 = 60;

fn fmt(ts: Option<Millis>) -> Option<String> {
    ts.map(time::format)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn code_fix(code: i64) -> String {
    explain(&ScanFinding::Code { code, status: None }).fix
}

fn accounts_fix(error: &str) -> String {
    explain(&ScanFinding::Accounts {
        error: error.to_owned(),
        description: None,
        status: None,
    })
    .fix
}

/// A finding under construction.
fn finding(kind: FindingKind, severity: Severity, title: String, count: u64) -> Finding {
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

fn with_span(mut f: Finding, stat: &Stat) -> Finding {
    f.first = fmt(stat.first);
    f.last = fmt(stat.last);
    for s in &stat.samples {
        push_sample(&mut f.samples, || s.clone());
    }
    f
}

/// Per-organization minute figures.
#[derive(Clone, Debug, Default)]
struct Minutes {
    peak: u32,
    peak_at: Option<Millis>,
    peak_60s: u32,
    /// Calendar minutes with more than 100 calls: (minute start, calls in the minute, the
    /// 60-second peak ending in it, 44s in it).
    over: Vec<(Millis, u32, u32, u32)>,
    /// Minutes with at most 100 calls in which 60 seconds straddling the previous minute
    /// held more than 100.
    straddling: Vec<(Millis, u32, u32, u32)>,
}

fn minute_figures(state: &State) -> FxMap<u32, Minutes> {
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

/// A code summed over organizations.
fn code_total(state: &State, code: i64) -> Stat {
    let mut total = Stat::default();
    for ((c, _), s) in &state.codes {
        if *c == code {
            total.merge(&s.stat);
        }
    }
    total
}

fn daily_limit(opts: &AnalyzeOptions) -> Option<DailyLimit> {
    if let Some(calls) = opts.daily_limit {
        return Some(DailyLimit {
            calls,
            from: "option",
        });
    }
    opts.plan.map(|p| DailyLimit {
        calls: p.limits().per_day,
        from: "plan",
    })
}

/// Builds the report.
pub(crate) fn report(state: &State, opts: &AnalyzeOptions) -> Report {
    let now = opts.now.map(time::from_system).or(state.last);
    let minutes = minute_figures(state);
    let mut findings = Vec::new();
    let mut covered: BTreeSet<i64> = BTreeSet::new();
    let mut covered_accounts: BTreeSet<String> = BTreeSet::new();
    let mut notes = Vec::new();

    rate_rules(state, &minutes, &mut findings, &mut covered);
    let quota_rows = quota_rules(state, opts, now, &mut findings, &mut covered);
    concurrency_rule(state, opts, &mut findings, &mut covered);
    token_rules(state, &mut findings, &mut covered, &mut covered_accounts);
    org_rule(state, &mut findings, &mut covered);
    not_found_rule(state, &mut findings, &mut covered);
    validation_rule(state, &mut findings, &mut covered);
    duplicate_rule(state, &mut findings, &mut covered);
    server_rule(state, &mut findings, &mut covered);
    generic_rules(state, &mut findings, &covered, &covered_accounts);
    unreadable_rule(state, &mut findings);
    long_lines_rule(state, &mut findings);

    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.count.cmp(&a.count))
            .then(a.kind.cmp(&b.kind))
            .then(a.organization.cmp(&b.organization))
    });
    for (i, f) in findings.iter_mut().enumerate() {
        f.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }

    if !state.capped.is_empty() {
        notes.push(format!(
            "Some tracking reached its memory cap and counts beyond it are approximate: {}.",
            state.capped.join(", ")
        ));
    }
    if state.without_time > 0 {
        notes.push(format!(
            "{} had no timestamp: they are counted, but left out of the per-minute, token and \
             quota rules.",
            plural(state.without_time, "call", "calls")
        ));
    }
    if !quota_rows.is_empty() {
        notes.push(
            "Daily quota figures use UTC days: Zoho does not publish when its daily quota resets."
                .to_owned(),
        );
    }

    let sources = state
        .sources
        .iter()
        .map(|s| SourceSummary {
            name: s.name.clone(),
            format: s.format,
            gzip: s.gzip,
            lines: s.lines,
            records: s.records,
            unreadable: s.unreadable,
            newer_schema: s.newer_schema,
            long_lines: s.long_lines,
            error: s.error.clone(),
        })
        .collect::<Vec<_>>();
    for s in &sources {
        if s.newer_schema > 0 {
            notes.push(format!(
                "{}: {} of a newer event schema than this build reads were skipped; update \
                 zbooks to read them.",
                s.name,
                plural(s.newer_schema, "line", "lines")
            ));
        }
    }

    Report {
        schema: crate::report::REPORT_SCHEMA_VERSION,
        now: fmt(now),
        daily_limit: daily_limit(opts),
        totals: Totals {
            lines: state.sources.iter().map(|s| s.lines).sum(),
            api_calls: state.api_calls,
            token_requests: state.token_requests,
            succeeded: state.succeeded,
            failed: state.failed,
            retries: state.retries,
            without_time: state.without_time,
            first: fmt(state.first),
            last: fmt(state.last),
        },
        sources,
        findings,
        codes: code_rows(state),
        statuses: {
            let mut rows: Vec<StatusRow> = state
                .statuses
                .iter()
                .map(|(s, c)| StatusRow {
                    status: *s,
                    count: *c,
                })
                .collect();
            rows.sort_by_key(|r| r.status);
            rows
        },
        classes: {
            let mut rows: Vec<ClassRow> = state
                .classes
                .iter()
                .map(|(c, s)| ClassRow {
                    class: *c,
                    count: s.count,
                    first: fmt(s.first),
                    last: fmt(s.last),
                })
                .collect();
            rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.class.cmp(&b.class)));
            rows
        },
        rate_limits: rate_limits(state),
        endpoints: endpoint_rows(state),
        organizations: org_rows(state, &minutes, quota_rows),
        tokens: token_summary(state),
        timeline: timeline(state),
        minute_series: minute_series(state),
        unreadable: Unreadable {
            total: state.sources.iter().map(|s| s.unreadable).sum(),
            lines: state
                .unreadable
                .iter()
                .map(|(loc, reason, text)| UnreadableLine {
                    location: location(&state.sources, *loc),
                    reason: reason.clone(),
                    text: text.clone(),
                })
                .collect(),
        },
        notes,
    }
}

fn org_id(state: &State, org: u32) -> String {
    state.orgs[org as usize].id.clone()
}

fn org_label(state: &State, org: u32) -> String {
    let id = &state.orgs[org as usize].id;
    if id.starts_with('(') {
        format!("calls without an organization id {id}")
    } else {
        format!("organization {id}")
    }
}

/// bunched_calls and minute_limit.
fn rate_rules(
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

/// quota_exhausted and quota_burn; also the quota row of each organization.
fn quota_rules(
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

fn concurrency_rule(
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

/// refresh_storm, token_never_refreshed, missing_scope, dc_mismatch.
fn token_rules(
    state: &State,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
    covered_accounts: &mut BTreeSet<String>,
) {
    // Token requests per 10 minutes.
    let summary = token_summary(state);
    let mut windows_over = 0u64;
    let mut first_over = None;
    let mut last_over = None;
    let mut minutes: Vec<_> = state.token_minutes.iter().map(|(m, c)| (*m, *c)).collect();
    minutes.sort_unstable();
    for &(m, _) in &minutes {
        let sum: u64 = (0..10)
            .filter_map(|k| state.token_minutes.get(&(m - k)))
            .map(|c| u64::from(*c))
            .sum();
        if sum > TOKENS_PER_10_MIN {
            windows_over += 1;
            first_over.get_or_insert(m * MINUTE);
            last_over = Some(m * MINUTE);
        }
    }
    let throttled = &state.token_throttled;
    if windows_over > 0 || throttled.count > 0 {
        let mut f = finding(
            FindingKind::RefreshStorm,
            Severity::Error,
            format!(
                "{} to the accounts server, up to {} within 10 minutes (Zoho allows 10)",
                plural(state.token_requests, "token request", "token requests"),
                summary.peak_10min
            ),
            state.token_requests,
        );
        f.counts.insert("token_requests", state.token_requests);
        f.counts.insert("peak_10min", summary.peak_10min);
        f.counts.insert("minutes_over_limit", windows_over);
        f.counts.insert("access_denied", throttled.count);
        f.counts.insert("api_calls", state.api_calls);
        f.first = fmt(first_over.or(throttled.first));
        f.last = fmt(last_over.or(throttled.last));
        f.evidence.push(format!(
            "Zoho mints at most 10 access tokens per refresh token in 10 minutes; these logs \
             exceed that in {}.",
            plural(windows_over, "minute", "minutes")
        ));
        if state.token_requests > 0 {
            f.evidence.push(format!(
                "One token request for every {} API calls: an access token lives an hour and \
                 serves every call in it.",
                state.api_calls / state.token_requests.max(1)
            ));
        }
        if throttled.count > 0 {
            f.evidence.push(format!(
                "The accounts server refused {} with \"Access Denied\" (it answers this with \
                 HTTP 200: not a success).",
                plural(throttled.count, "token request", "token requests")
            ));
            covered_accounts.insert("Access Denied".to_owned());
        }
        for s in throttled.samples.iter().chain(&state.token_samples) {
            push_sample(&mut f.samples, || s.clone());
        }
        f.fix = accounts_fix("Access Denied");
        out.push(f);
    }

    // 57s against the age of the token they used: the tokens of the same log file (one
    // process), or of every file when that file has none.
    let mut tokens: FxMap<u32, Vec<Millis>> = FxMap::default();
    let mut all_tokens: Vec<Millis> = Vec::with_capacity(state.token_ok.len());
    for &(source, t) in &state.token_ok {
        tokens.entry(source).or_default().push(t);
        all_tokens.push(t);
    }
    for list in tokens.values_mut() {
        list.sort_unstable();
    }
    all_tokens.sort_unstable();
    let mut auth = state.auth57.clone();
    auth.sort_unstable_by_key(|a| a.ts);
    let mut expired = Stat::default();
    let mut cycles: BTreeMap<Millis, Millis> = BTreeMap::new();
    let mut fresh: Vec<&crate::analyze::Auth57> = Vec::new();
    let mut proxy_used = false;
    for a in &auth {
        let list = tokens.get(&a.source).unwrap_or(&all_tokens);
        let idx = list.partition_point(|t| *t <= a.ts);
        let issued = if idx > 0 {
            Some(list[idx - 1])
        } else {
            proxy_used = true;
            state.orgs[a.org as usize]
                .first_success
                .or(state.first)
                .filter(|f| *f < a.ts)
        };
        match issued.map(|i| (i, a.ts - i)) {
            Some((i, age)) if age >= EXPIRED_AFTER => {
                expired.add(Some(a.ts), || Sample {
                    location: String::new(),
                    text: String::new(),
                });
                cycles.entry(i).or_insert(age);
            }
            Some((_, age)) if age < FRESH_BEFORE => fresh.push(a),
            _ => {}
        }
    }
    expired.samples.clear();
    let all57 = code_total(state, 57);
    if expired.count > 0 {
        let mut ages: Vec<Millis> = cycles.values().copied().collect();
        ages.sort_unstable();
        let median = ages[ages.len() / 2] / MINUTE;
        let mut f = finding(
            FindingKind::TokenNeverRefreshed,
            Severity::Error,
            format!(
                "{} with 401/57 about an hour after the token was issued, in {}",
                plural(expired.count, "call failed", "calls failed"),
                plural(cycles.len() as u64, "token lifetime", "token lifetimes")
            ),
            expired.count,
        );
        f.first = fmt(expired.first);
        f.last = fmt(expired.last);
        f.counts.insert("code_57_after_expiry", expired.count);
        f.counts.insert("tokens", cycles.len() as u64);
        f.counts.insert(
            "median_minutes_to_first_57",
            u64::try_from(median).unwrap_or(0),
        );
        f.counts.insert("code_57", all57.count);
        f.evidence.push(format!(
            "Access tokens live one hour. The first 57 came a median {median} minutes after \
             the token was issued{}: the token is used until Zoho refuses it instead of being \
             refreshed shortly before it expires.",
            if proxy_used && all_tokens.is_empty() {
                " (no token request is in these logs; timed from the first successful call)"
            } else {
                ""
            }
        ));
        for s in &all57.samples {
            push_sample(&mut f.samples, || s.clone());
        }
        f.codes = vec![57];
        f.fix = format!(
            "Refresh the access token before it expires (for example after 55 minutes) and \
             cache it across processes, one refresher at a time; on a 57 refresh once and \
             replay once. {}",
            code_fix(57)
        );
        covered.insert(57);
        out.push(f);
    }

    // 57 with a fresh token: by endpoint.
    let mut fresh_by_endpoint: BTreeMap<u32, u64> = BTreeMap::new();
    for a in &fresh {
        if let Some(e) = a.endpoint {
            *fresh_by_endpoint.entry(e).or_default() += 1;
        }
    }
    let any_success = state.succeeded > 0;
    let denied: Vec<(u32, u64)> = fresh_by_endpoint
        .iter()
        .filter(|(e, _)| state.endpoints[**e as usize].succeeded == 0)
        .map(|(e, n)| (*e, *n))
        .collect();
    if any_success && !denied.is_empty() {
        let count: u64 = denied.iter().map(|(_, n)| n).sum();
        let mut f = finding(
            FindingKind::MissingScope,
            Severity::Error,
            format!(
                "{} with 401/57 on {} that never succeeded, while other calls with the same \
                 token did",
                plural(count, "call failed", "calls failed"),
                plural(denied.len() as u64, "endpoint", "endpoints")
            ),
            count,
        );
        f.counts.insert("code_57_fresh_token", count);
        f.counts.insert("endpoints", denied.len() as u64);
        let mut scopes = BTreeSet::new();
        for (e, n) in &denied {
            let label = &state.endpoints[*e as usize].label;
            let scope = scope_for(label);
            f.evidence.push(format!(
                "{label}: {n} × 57 with a token under 50 minutes old (needs {scope})"
            ));
            scopes.insert(scope);
        }
        for s in &all57.samples {
            push_sample(&mut f.samples, || s.clone());
        }
        f.first = fmt(fresh.first().map(|a| a.ts));
        f.last = fmt(fresh.last().map(|a| a.ts));
        f.codes = vec![57];
        f.fix = format!(
            "Authorize again with the missing scopes ({}), or ZohoBooks.fullaccess.all; \
             refreshing will not add a scope. {}",
            scopes.into_iter().collect::<Vec<_>>().join(", "),
            code_fix(57)
        );
        covered.insert(57);
        out.push(f);
    }

    // Data-center mismatch.
    let mut accounts_dcs = BTreeSet::new();
    let mut api_dcs = BTreeSet::new();
    let mut host_lines = Vec::new();
    let mut hosts: Vec<_> = state.hosts.iter().collect();
    hosts.sort_by(|a, b| a.0.cmp(b.0));
    for (host, h) in hosts {
        if let Some(dc) = h.dc {
            if h.accounts {
                accounts_dcs.insert(dc);
            } else {
                api_dcs.insert(dc);
            }
            host_lines.push(format!(
                "{host} ({} data center, {} as {})",
                dc.name(),
                plural(h.count, "call", "calls"),
                if h.accounts {
                    "accounts server"
                } else {
                    "API host"
                }
            ));
        }
    }
    let host_mismatch =
        !accounts_dcs.is_empty() && !api_dcs.is_empty() && accounts_dcs.is_disjoint(&api_dcs);
    let invalid_client = state
        .accounts_errors
        .get("invalid_client")
        .map(|c| c.stat.clone())
        .unwrap_or_default();
    let all_fail_fresh =
        !any_success && !fresh.is_empty() && state.token_ok_count > 0 && state.api_calls > 0;
    if host_mismatch || invalid_client.count > 0 || all_fail_fresh {
        let count = invalid_client.count
            + if all_fail_fresh {
                fresh.len() as u64
            } else {
                0
            };
        let mut f = with_span(
            finding(
                FindingKind::DcMismatch,
                Severity::Error,
                if host_mismatch {
                    "token requests and API calls go to different Zoho data centers".to_owned()
                } else if invalid_client.count > 0 {
                    format!(
                        "the accounts server refused the client {} (invalid_client): likely \
                         the wrong data center",
                        plural(invalid_client.count, "time", "times")
                    )
                } else {
                    "every API call fails with 401/57 right after a successful token request"
                        .to_owned()
                },
                count.max(1),
            ),
            &invalid_client,
        );
        f.counts.insert("invalid_client", invalid_client.count);
        f.counts.insert(
            "code_57_fresh_token",
            if all_fail_fresh {
                fresh.len() as u64
            } else {
                0
            },
        );
        if host_mismatch {
            f.evidence.push(
                "A token minted by one data center's accounts server is refused by every other \
                 data center's API."
                    .to_owned(),
            );
        }
        f.evidence.extend(host_lines);
        if all_fail_fresh {
            f.evidence.push(format!(
                "{} failed with 57 within minutes of a successful token request, and no API \
                 call succeeded: the token is valid somewhere else (another data center), or \
                 lacks every scope these calls need.",
                plural(fresh.len() as u64, "call", "calls")
            ));
            f.first = fmt(fresh.first().map(|a| a.ts)).or(f.first);
            f.last = fmt(fresh.last().map(|a| a.ts)).or(f.last);
            for s in &all57.samples {
                push_sample(&mut f.samples, || s.clone());
            }
            covered.insert(57);
        }
        if invalid_client.count > 0 {
            covered_accounts.insert("invalid_client".to_owned());
        }
        f.fix = format!(
            "Call the API host the token response names in api_domain, and the accounts server \
             of the data center where the Zoho account lives (zbooks doctor finds it). {}",
            accounts_fix("invalid_client")
        );
        out.push(f);
    }
}

/// The scope an endpoint needs (reference §3.5).
fn scope_for(label: &str) -> String {
    let path = label.split_once(' ').map_or(label, |(_, p)| p);
    let resource = call::resource_of(path);
    let family = match resource {
        "items" | "itemdetails" | "settings" | "organizations" | "taxes" => "settings",
        "journals" | "chartofaccounts" => "accountants",
        "" => "fullaccess",
        other => other,
    };
    let op = match label.split_once(' ').map(|(m, _)| m) {
        Some("GET") => "READ",
        Some("POST") => "CREATE",
        Some("PUT" | "PATCH") => "UPDATE",
        Some("DELETE") => "DELETE",
        _ => "ALL",
    };
    format!("ZohoBooks.{family}.{op}")
}

fn org_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    for (i, o) in state.orgs.iter().enumerate() {
        let org = u32::try_from(i).unwrap_or(u32::MAX);
        let c6041 = state.codes.get(&(6041, org));
        if c6041.is_none() && o.org_param.count == 0 {
            continue;
        }
        let mut stat = o.org_param.clone();
        if let Some(c) = c6041 {
            stat.merge(&c.stat);
        }
        let n6041 = c6041.map_or(0, |c| c.stat.count);
        let missing = o.id.starts_with('(');
        let mut f = with_span(
            finding(
                FindingKind::WrongOrganization,
                Severity::Critical,
                if missing {
                    format!(
                        "{} without a usable organization_id refused",
                        plural(stat.count, "call", "calls")
                    )
                } else if n6041 > 0 {
                    format!(
                        "organization {}: {} refused — this user is not in that organization \
                         (6041)",
                        o.id,
                        plural(stat.count, "call", "calls")
                    )
                } else {
                    format!(
                        "organization {}: {} refused — invalid organization_id",
                        o.id,
                        plural(stat.count, "call", "calls")
                    )
                },
                stat.count,
            ),
            &stat,
        );
        f.organization = Some(o.id.clone());
        f.counts.insert("code_6041", n6041);
        f.counts
            .insert("invalid_organization_id", o.org_param.count);
        f.counts.insert("succeeded", o.succeeded);
        f.evidence.push(format!(
            "{} of {} calls naming this organization failed this way; {} succeeded.",
            stat.count, o.calls, o.succeeded
        ));
        if let Some(m) = c6041.and_then(|c| c.message.as_deref()) {
            f.evidence.push(format!("Zoho: \"{m}\""));
        }
        if o.succeeded > 0 {
            f.evidence.push(
                "Other calls on the same organization id succeeded: the id is right for some \
                 token or user and wrong for another (two configurations mixed)."
                    .to_owned(),
            );
        }
        if n6041 > 0 {
            f.codes.push(6041);
            covered.insert(6041);
        }
        if o.org_param.count > 0 {
            f.codes.push(2);
        }
        f.fix = code_fix(if n6041 > 0 { 6041 } else { 2 });
        out.push(f);
    }
}

fn not_found_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
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

fn validation_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
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

fn duplicate_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    let mut after_no_answer = 0u64;
    let mut after_server_error = 0u64;
    let mut created_twice = 0u64;
    let mut refused = 0u64;
    let mut reconciled = 0u64;
    let mut possible = 0u64;
    let mut at_risk: Vec<(u64, &crate::analyze::CreateKey)> = Vec::new();
    for (key, k) in &state.creates {
        let doubts = u32::from(k.unanswered) + u32::from(k.server_error);
        let retried = doubts > 0 && k.attempts >= 2;
        let blind = retried && k.lookups_after_doubt == 0;
        if retried && !blind {
            reconciled += 1;
        }
        if blind {
            if k.unanswered > 0 {
                after_no_answer += 1;
            } else {
                after_server_error += 1;
            }
            if k.succeeded >= 1 {
                possible += 1;
            }
            if k.refused_duplicate > 0 {
                refused += 1;
            }
        }
        if k.succeeded >= 2 {
            created_twice += 1;
        }
        if blind || k.succeeded >= 2 {
            at_risk.push((*key, k));
        }
    }
    if at_risk.is_empty() {
        return;
    }
    at_risk.sort_by_key(|(key, k)| (k.first_doubt.or(k.last_attempt), *key));
    let n = at_risk.len() as u64;
    let mut f = finding(
        FindingKind::PossibleDuplicateCreate,
        Severity::Critical,
        format!(
            "{} sent again after a timeout or a server error, or created twice",
            plural(n, "create", "creates")
        ),
        n,
    );
    f.counts.insert("keys_at_risk", n);
    f.counts.insert("retried_after_no_answer", after_no_answer);
    f.counts
        .insert("retried_after_server_error", after_server_error);
    f.counts.insert("retried_and_created", possible);
    f.counts.insert("created_twice", created_twice);
    f.counts.insert("refused_as_duplicate", refused);
    f.counts.insert("reconciled_first", reconciled);
    let times: Vec<Millis> = at_risk
        .iter()
        .filter_map(|(_, k)| k.first_doubt.or(k.last_attempt))
        .filter(|t| *t != Millis::MIN)
        .collect();
    f.first = fmt(times.iter().min().copied());
    f.last = fmt(at_risk.iter().filter_map(|(_, k)| k.last_attempt).max());
    f.evidence.push(
        "A create that timed out or got a 5xx may have landed: sending it again without first \
         looking it up by its natural key can create the record twice."
            .to_owned(),
    );
    for (key, k) in at_risk.iter().take(8) {
        let detail = state.create_details.get(key);
        let what = if k.succeeded >= 2 && k.unanswered + k.server_error == 0 {
            format!("created {} times", k.succeeded)
        } else {
            format!(
                "{} then sent again ({} attempts, {} created{})",
                if k.unanswered > 0 {
                    "no answer"
                } else {
                    "server error"
                },
                k.attempts,
                k.succeeded,
                if k.refused_duplicate > 0 {
                    ", then refused as a duplicate: the first one landed"
                } else {
                    ""
                }
            )
        };
        match detail {
            Some(d) => {
                f.evidence.push(format!(
                    "{} on {} ({}): {what}",
                    d.key,
                    d.endpoint,
                    if d.organization.starts_with('(') {
                        "no organization id".to_owned()
                    } else {
                        format!("organization {}", d.organization)
                    }
                ));
                for s in &d.samples {
                    push_sample(&mut f.samples, || s.clone());
                }
            }
            None => f.evidence.push(format!("a create: {what}")),
        }
    }
    if refused > 0 {
        f.codes.push(3062);
        covered.insert(3062);
    }
    "Check each record listed in Zoho and void or delete the extra copy. Then never re-send a \
     create after a timeout or a 5xx before looking it up by its natural key (invoice_number, \
     contact_name, reference_number), or create through Zoho's upsert (PUT with \
     X-Unique-Identifier-Key/Value and X-Upsert: true) so a repeat updates instead of \
     duplicating."
        .clone_into(&mut f.fix);
    out.push(f);
}

fn server_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
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

fn generic_rules(
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

fn unreadable_rule(state: &State, out: &mut Vec<Finding>) {
    let total: u64 = state.sources.iter().map(|s| s.unreadable).sum();
    if total == 0 {
        return;
    }
    let mut f = finding(
        FindingKind::UnreadableLines,
        Severity::Info,
        format!("{} could not be read", plural(total, "line", "lines")),
        total,
    );
    f.counts.insert("lines", total);
    for s in state.sources.iter().filter(|s| s.unreadable > 0) {
        f.evidence.push(format!(
            "{}: {}",
            s.name,
            plural(s.unreadable, "line", "lines")
        ));
    }
    for (loc, reason, text) in state.unreadable.iter().take(3) {
        f.samples.push(Sample {
            location: location(&state.sources, *loc),
            text: format!("{text}   [{reason}]"),
        });
    }
    "Nothing to fix in Zoho. If these lines should hold calls, check that the log is complete \
     (not cut mid-line) and in one of the formats read: zbooks event logs, HAR, or text with \
     Zoho's answers in it."
        .clone_into(&mut f.fix);
    out.push(f);
}

fn long_lines_rule(state: &State, out: &mut Vec<Finding>) {
    let total: u64 = state.sources.iter().map(|s| s.long_lines).sum();
    if total == 0 {
        return;
    }
    let limit = crate::report::MAX_LINE_BYTES as u64;
    let mut f = finding(
        FindingKind::LongLines,
        Severity::Warning,
        format!(
            "{} longer than {} skipped unread",
            plural(total, "line", "lines"),
            human_bytes(limit)
        ),
        total,
    );
    f.counts.insert("lines", total);
    f.counts.insert("longest_bytes", state.longest_line);
    f.counts.insert("limit_bytes", limit);
    for (loc, bytes, text) in &state.long_lines {
        let at = location(&state.sources, *loc);
        f.evidence.push(format!(
            "{at}: {bytes} bytes ({}), not analysed",
            human_bytes(*bytes)
        ));
        push_sample(&mut f.samples, || Sample {
            location: at.clone(),
            text: format!("{text}   [{bytes} bytes, skipped]"),
        });
    }
    let listed = state.long_lines.len() as u64;
    if total > listed {
        f.evidence.push(format!(
            "and {} more",
            plural(total - listed, "line", "lines")
        ));
    }
    f.fix = format!(
        "Calls on these lines are missing from the analysis. A line this long is usually a \
         whole response or file dumped into the log, or a file that is not a log at all: log \
         one request and its answer per line with bodies cut short, or remove the dump, and \
         analyse again (lines up to {} are read).",
        human_bytes(limit)
    );
    out.push(f);
}

/// `1.0 MiB`, `4.0 GiB`, `512 bytes`.
fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return plural(n, "byte", "bytes");
    }
    #[expect(clippy::cast_precision_loss, reason = "a size shown with one decimal")]
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn code_rows(state: &State) -> Vec<CodeRow> {
    let mut by_code: BTreeMap<i64, (Stat, BTreeSet<u16>, u64)> = BTreeMap::new();
    for ((code, _), c) in &state.codes {
        let e = by_code.entry(*code).or_default();
        e.0.merge(&c.stat);
        e.1.extend(c.statuses.iter().copied());
        e.2 += 1;
    }
    let mut rows: Vec<CodeRow> = by_code
        .into_iter()
        .map(|(code, (stat, statuses, orgs))| {
            let entry = catalog::by_code(code);
            CodeRow {
                code: Some(code),
                accounts_error: None,
                title: entry.map_or_else(|| "unknown code".to_owned(), |e| e.title.to_owned()),
                class: entry.and_then(|e| e.class),
                count: stat.count,
                statuses: statuses.into_iter().collect(),
                organizations: orgs,
                first: fmt(stat.first),
                last: fmt(stat.last),
            }
        })
        .collect();
    for (name, c) in &state.accounts_errors {
        let entry = catalog::by_accounts_error(name);
        rows.push(CodeRow {
            code: None,
            accounts_error: Some(name.clone()),
            title: entry.map_or_else(|| "token request failed".to_owned(), |e| e.title.to_owned()),
            class: entry.and_then(|e| e.class),
            count: c.stat.count,
            statuses: c.statuses.clone(),
            organizations: 0,
            first: fmt(c.stat.first),
            last: fmt(c.stat.last),
        });
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    rows
}

fn rate_limits(state: &State) -> RateLimits {
    let sum = |code: i64| -> u64 {
        state
            .codes
            .iter()
            .filter(|((c, _), _)| *c == code)
            .map(|(_, s)| s.stat.count)
            .sum()
    };
    let http_429 = state.statuses.get(&429).copied().unwrap_or(0);
    let (c44, c45, c1070) = (sum(44), sum(45), sum(1070));
    RateLimits {
        http_429,
        code_44: c44,
        code_45: c45,
        code_1070: c1070,
        other: http_429.saturating_sub(c44 + c45 + c1070),
    }
}

fn endpoint_rows(state: &State) -> Vec<EndpointRow> {
    let mut rows: Vec<EndpointRow> = state
        .endpoints
        .iter()
        .map(|e| {
            let mut codes: Vec<(i64, u64)> = e.codes.iter().map(|(c, n)| (*c, *n)).collect();
            codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            codes.truncate(3);
            EndpointRow {
                endpoint: e.label.clone(),
                calls: e.calls,
                failed: e.failed,
                codes,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.endpoint.cmp(&b.endpoint)));
    rows.truncate(20);
    rows
}

fn org_rows(
    state: &State,
    minutes: &FxMap<u32, Minutes>,
    mut quota: FxMap<u32, QuotaRow>,
) -> Vec<OrgRow> {
    let mut per_org_codes: FxMap<u32, Vec<(i64, u64)>> = FxMap::default();
    for ((code, org), c) in &state.codes {
        per_org_codes
            .entry(*org)
            .or_default()
            .push((*code, c.stat.count));
    }
    let mut rows: Vec<OrgRow> = state
        .orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.calls > 0)
        .map(|(i, o)| {
            let org = u32::try_from(i).unwrap_or(u32::MAX);
            let m = minutes.get(&org).cloned().unwrap_or_default();
            let mut codes = per_org_codes.remove(&org).unwrap_or_default();
            codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            codes.truncate(5);
            let peak = state.in_flight.get(i).map_or(0, |t| t.peak);
            OrgRow {
                organization: o.id.clone(),
                calls: o.calls,
                succeeded: o.succeeded,
                failed: o.failed,
                peak_per_minute: m.peak,
                peak_minute: fmt(m.peak_at),
                peak_60s: m.peak_60s,
                minutes_over_limit: m.over.len() as u64,
                minutes_over_limit_straddling: m.straddling.len() as u64,
                peak_in_flight: (peak > 0).then_some(peak),
                codes,
                quota: quota.remove(&org),
                first: fmt(o.first),
                last: fmt(o.last),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.calls
            .cmp(&a.calls)
            .then(a.organization.cmp(&b.organization))
    });
    rows
}

fn token_summary(state: &State) -> TokenSummary {
    let mut peak = 0u64;
    let mut peak_at = None;
    let mut minutes: Vec<i64> = state.token_minutes.keys().copied().collect();
    minutes.sort_unstable();
    for m in minutes {
        let sum: u64 = (0..10)
            .filter_map(|k| state.token_minutes.get(&(m - k)))
            .map(|c| u64::from(*c))
            .sum();
        if sum > peak {
            peak = sum;
            peak_at = Some(m * MINUTE + MINUTE);
        }
    }
    TokenSummary {
        requests: state.token_requests,
        succeeded: state.token_ok_count,
        throttled: state.token_throttled.count,
        refused: state.token_refused,
        peak_10min: peak,
        peak_at: fmt(peak_at),
    }
}

/// A bin size in minutes that fits `span` into at most `bins` bins, from a list of round
/// sizes.
fn bin_minutes(span_minutes: i64, bins: i64) -> i64 {
    const SIZES: [i64; 12] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
    for size in SIZES {
        if span_minutes / size < bins {
            return size;
        }
    }
    let days = span_minutes / (1440 * bins) + 1;
    days * 1440
}

fn timeline(state: &State) -> Timeline {
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

fn minute_series(state: &State) -> Vec<OrgSeries> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_fit_the_span() {
        assert_eq!(bin_minutes(30, 60), 1);
        assert_eq!(bin_minutes(600, 60), 15);
        assert_eq!(bin_minutes(1440 * 3, 60), 120);
        assert!(bin_minutes(1440 * 400, 60) >= 1440);
        assert_eq!(
            scope_for("GET /books/v3/items/{id}"),
            "ZohoBooks.settings.READ"
        );
        assert_eq!(
            scope_for("POST /books/v3/invoices"),
            "ZohoBooks.invoices.CREATE"
        );
    }
}
