//! The report around the findings: notes on what the analysis could not see, the sources
//! read, the totals, and every table and series the renderings show. Kept apart from the
//! rules so a rule family never depends on how the report is laid out.

use crate::analyze::{State, location};
use crate::options::AnalyzeOptions;
use crate::report::{
    ClassRow, DailyLimit, Finding, QuotaRow, Report, SourceSummary, StatusRow, Totals, Unreadable,
    UnreadableLine,
};
use crate::time::Millis;
use crate::util::FxMap;

use super::common::{fmt, plural};
use super::rate::Minutes;
use super::series::{minute_series, timeline};
use super::tables::{code_rows, endpoint_rows, org_rows, rate_limits};
use super::token::token_summary;

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

/// The report: the ranked findings with the notes, totals, tables and series around them.
pub(super) fn assemble(
    state: &State,
    opts: &AnalyzeOptions,
    now: Option<Millis>,
    minutes: &FxMap<u32, Minutes>,
    findings: Vec<Finding>,
    quota_rows: FxMap<u32, QuotaRow>,
) -> Report {
    let mut notes = Vec::new();
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
            probes: state.probes,
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
        organizations: org_rows(state, minutes, quota_rows),
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
