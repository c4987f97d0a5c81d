//! Tokens: refresh storms, tokens used until they expire, scopes missing, and token
//! requests and API calls sent to different data centers (zoho-books-reference.md §3).

use std::collections::{BTreeMap, BTreeSet};

use crate::analyze::{Auth57, Stat, State};
use crate::call;
use crate::report::{Finding, FindingKind, Sample, Severity, TokenSummary};
use crate::time::{MINUTE, Millis};
use crate::util::{FxMap, push_sample};

use super::common::{accounts_fix, code_fix, code_total, finding, fmt, plural, with_span};

/// Token requests Zoho allows per refresh token in 10 minutes (reference §3.3).
const TOKENS_PER_10_MIN: u64 = 10;
/// A 57 this long after its token was issued is an expired token (tokens live an hour;
/// a few minutes of slack for clocks and caches).
const EXPIRED_AFTER: Millis = 55 * MINUTE;
/// A 57 sooner than this after a fresh token is not expiry.
const FRESH_BEFORE: Millis = 50 * MINUTE;

/// refresh_storm, token_never_refreshed, missing_scope, dc_mismatch.
pub(super) fn token_rules(
    state: &State,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
    covered_accounts: &mut BTreeSet<String>,
) {
    refresh_storm(state, out, covered_accounts);
    let mut auth = state.auth57.clone();
    auth.sort_unstable_by_key(|a| a.ts);
    let ages = token_ages(state, &auth);
    let all57 = code_total(state, 57);
    never_refreshed(&ages, &all57, out, covered);
    missing_scope(state, &ages.fresh, &all57, out, covered);
    dc_mismatch(state, &ages.fresh, &all57, out, covered, covered_accounts);
}

/// refresh_storm: token requests per 10 minutes above Zoho's 10, or refused as throttled.
fn refresh_storm(state: &State, out: &mut Vec<Finding>, covered_accounts: &mut BTreeSet<String>) {
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
}

/// The 57s (sorted by time) told apart by the age of the token they used.
struct TokenAges<'a> {
    /// 57s on a token old enough to have expired.
    expired: Stat,
    /// The tokens those 57s used: when each was issued, and its age at its first 57.
    cycles: BTreeMap<Millis, Millis>,
    /// 57s on a token too young to have expired.
    fresh: Vec<&'a Auth57>,
    /// Some token's issue time was taken from the first successful call.
    proxy_used: bool,
    /// These logs hold no successful token request.
    no_token_requests: bool,
}

/// 57s against the age of the token they used: the tokens of the same log file (one
/// process), or of every file when that file has none.
fn token_ages<'a>(state: &State, auth: &'a [Auth57]) -> TokenAges<'a> {
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
    let mut expired = Stat::default();
    let mut cycles: BTreeMap<Millis, Millis> = BTreeMap::new();
    let mut fresh: Vec<&Auth57> = Vec::new();
    let mut proxy_used = false;
    for a in auth {
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
    TokenAges {
        expired,
        cycles,
        fresh,
        proxy_used,
        no_token_requests: all_tokens.is_empty(),
    }
}

/// token_never_refreshed: 57s about an hour after the token was issued.
fn never_refreshed(
    tokens: &TokenAges<'_>,
    all57: &Stat,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
) {
    if tokens.expired.count > 0 {
        let mut ages: Vec<Millis> = tokens.cycles.values().copied().collect();
        ages.sort_unstable();
        let median = ages[ages.len() / 2] / MINUTE;
        let mut f = finding(
            FindingKind::TokenNeverRefreshed,
            Severity::Error,
            format!(
                "{} with 401/57 about an hour after the token was issued, in {}",
                plural(tokens.expired.count, "call failed", "calls failed"),
                plural(
                    tokens.cycles.len() as u64,
                    "token lifetime",
                    "token lifetimes"
                )
            ),
            tokens.expired.count,
        );
        f.first = fmt(tokens.expired.first);
        f.last = fmt(tokens.expired.last);
        f.counts
            .insert("code_57_after_expiry", tokens.expired.count);
        f.counts.insert("tokens", tokens.cycles.len() as u64);
        f.counts.insert(
            "median_minutes_to_first_57",
            u64::try_from(median).unwrap_or(0),
        );
        f.counts.insert("code_57", all57.count);
        f.evidence.push(format!(
            "Access tokens live one hour. The first 57 came a median {median} minutes after \
             the token was issued{}: the token is used until Zoho refuses it instead of being \
             refreshed shortly before it expires.",
            if tokens.proxy_used && tokens.no_token_requests {
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
}

/// missing_scope: 57 with a fresh token, on endpoints that never succeeded while others did.
fn missing_scope(
    state: &State,
    fresh: &[&Auth57],
    all57: &Stat,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
) {
    let mut fresh_by_endpoint: BTreeMap<u32, u64> = BTreeMap::new();
    for a in fresh {
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
}

/// dc_mismatch: token requests and API calls on different data centers, an accounts server
/// that does not know the client, or every call refused right after a good token request.
fn dc_mismatch(
    state: &State,
    fresh: &[&Auth57],
    all57: &Stat,
    out: &mut Vec<Finding>,
    covered: &mut BTreeSet<i64>,
    covered_accounts: &mut BTreeSet<String>,
) {
    let any_success = state.succeeded > 0;
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
pub(super) fn scope_for(label: &str) -> String {
    let path = label.split_once(' ').map_or(label, |(_, p)| p);
    // The resource table knows the families of the resources zbooks touches (vendor credits:
    // `debitnotes`); elsewhere Zoho's family is mostly the path's first segment.
    let below = path
        .split_once("/v3/")
        .or_else(|| path.split_once("/v4/"))
        .map_or(path, |(_, rest)| rest);
    let family = match zbooks_types::resource::by_path(below) {
        Some(row) => row.scope,
        None => match call::resource_of(path) {
            "itemdetails" | "settings" | "taxes" => "settings",
            "" => "fullaccess",
            other => other,
        },
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

pub(super) fn token_summary(state: &State) -> TokenSummary {
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
