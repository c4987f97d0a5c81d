//! The report's tables: codes, rate limits, endpoints and organizations.

use std::collections::{BTreeMap, BTreeSet};

use zbooks_types::catalog;

use crate::analyze::{Stat, State};
use crate::report::{CodeRow, EndpointRow, OrgRow, QuotaRow, RateLimits};
use crate::util::FxMap;

use super::common::fmt;
use super::rate::Minutes;

pub(super) fn code_rows(state: &State) -> Vec<CodeRow> {
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

pub(super) fn rate_limits(state: &State) -> RateLimits {
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

pub(super) fn endpoint_rows(state: &State) -> Vec<EndpointRow> {
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

pub(super) fn org_rows(
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
