//! The result of an analysis: findings ranked with their evidence and fix, and the tables and
//! series behind them (codes, classes, endpoints, organizations, tokens, quota, timeline).
//!
//! A [`Report`] is plain data. It renders itself as terminal text ([`Report::to_text`]),
//! versioned JSON ([`Report::to_json`], `"schema": 1`) and one self-contained HTML page
//! ([`Report::to_html`]); the CLI decides where each goes. Every sample line in it was
//! scrubbed of secrets when it was captured.
//!
//! JSON compatibility: schema 1 readers must ignore fields they do not know; a field is only
//! renamed, retyped or removed together with a bump of [`REPORT_SCHEMA_VERSION`].

use std::collections::BTreeMap;

use serde::Serialize;
use zbooks_types::FailureClass;

pub use crate::util::Sample;

/// The longest line an analysis reads, in bytes (without the line ending): it holds no more
/// than this of any line, skips the rest of a longer one as it streams past, and reports it
/// as a [`FindingKind::LongLines`] finding.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The version of the JSON form of [`Report`].
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Everything an analysis found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// [`REPORT_SCHEMA_VERSION`].
    pub schema: u32,
    /// The time the analysis took as "now" (for the quota projection), RFC 3339.
    pub now: Option<String>,
    /// The daily quota the analysis assumed, and where it came from.
    pub daily_limit: Option<DailyLimit>,
    /// Each input read.
    pub sources: Vec<SourceSummary>,
    /// Overall counts.
    pub totals: Totals,
    /// What is wrong, most serious first.
    pub findings: Vec<Finding>,
    /// Zoho codes and accounts errors seen, most frequent first.
    pub codes: Vec<CodeRow>,
    /// HTTP statuses seen, by status.
    pub statuses: Vec<StatusRow>,
    /// Failures by class, most frequent first.
    pub classes: Vec<ClassRow>,
    /// HTTP 429s split by what they mean.
    pub rate_limits: RateLimits,
    /// Endpoints with the most calls (at most 20).
    pub endpoints: Vec<EndpointRow>,
    /// Organizations, most calls first.
    pub organizations: Vec<OrgRow>,
    /// Requests to the accounts server.
    pub tokens: TokenSummary,
    /// Calls and failures over time.
    pub timeline: Timeline,
    /// Calls per minute for the busiest organizations (at most 6), for charts.
    pub minute_series: Vec<OrgSeries>,
    /// Lines that could not be read.
    pub unreadable: Unreadable,
    /// What the analysis assumed or had to leave out (caps reached, formats guessed).
    pub notes: Vec<String>,
}

/// The daily quota used for the quota projection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DailyLimit {
    /// Calls a day.
    pub calls: u32,
    /// `option` (given by the caller), `plan` (from the plan given), or `code_45` (read from a
    /// code-45 message).
    pub from: &'static str,
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Data at risk or the integration stopped (duplicates, quota spent, wrong organization).
    Critical,
    /// Calls fail and will keep failing until fixed.
    Error,
    /// Calls fail now and then, or a limit is near.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The stable identifier of a kind of finding (JSON `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// More than 100 calls within a minute to one organization.
    BunchedCalls,
    /// 429/44 while this log shows the organization under 100 calls a minute: something else
    /// spends the same budget.
    MinuteLimit,
    /// 429/45: the daily quota is spent.
    QuotaExhausted,
    /// At the current pace the daily quota runs out before the day ends.
    QuotaBurn,
    /// 429/1070: too many calls in flight.
    ConcurrencyLimit,
    /// More than 10 token requests within 10 minutes, or the accounts server said "Access
    /// Denied".
    RefreshStorm,
    /// 401/57 about an hour after each token was issued: the token is not refreshed before it
    /// expires.
    TokenNeverRefreshed,
    /// 401/57 with a fresh token on some endpoints while others succeed.
    MissingScope,
    /// Signs that the accounts server and the API host belong to different data centers.
    DcMismatch,
    /// 6041 or an invalid organization_id.
    WrongOrganization,
    /// 1002 on the same record again and again.
    RepeatedNotFound,
    /// Requests Zoho refused as invalid, grouped by field.
    ValidationErrors,
    /// A create sent again after a timeout or a 5xx, or the same record created twice.
    PossibleDuplicateCreate,
    /// 5xx answers and unanswered calls.
    ServerErrors,
    /// Any other Zoho code, accounts error or failing status, with the catalog's explanation.
    ZohoError,
    /// Lines that could not be read.
    UnreadableLines,
    /// Lines longer than the analysis holds (`MAX_LINE_BYTES`), skipped unread.
    LongLines,
}

impl FindingKind {
    /// The snake-case id (`bunched_calls`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::BunchedCalls => "bunched_calls",
            FindingKind::MinuteLimit => "minute_limit",
            FindingKind::QuotaExhausted => "quota_exhausted",
            FindingKind::QuotaBurn => "quota_burn",
            FindingKind::ConcurrencyLimit => "concurrency_limit",
            FindingKind::RefreshStorm => "refresh_storm",
            FindingKind::TokenNeverRefreshed => "token_never_refreshed",
            FindingKind::MissingScope => "missing_scope",
            FindingKind::DcMismatch => "dc_mismatch",
            FindingKind::WrongOrganization => "wrong_organization",
            FindingKind::RepeatedNotFound => "repeated_not_found",
            FindingKind::ValidationErrors => "validation_errors",
            FindingKind::PossibleDuplicateCreate => "possible_duplicate_create",
            FindingKind::ServerErrors => "server_errors",
            FindingKind::ZohoError => "zoho_error",
            FindingKind::UnreadableLines => "unreadable_lines",
            FindingKind::LongLines => "long_lines",
        }
    }
}

/// One diagnosed problem with its evidence and its fix.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable id of the kind of problem.
    pub kind: FindingKind,
    /// How serious it is.
    pub severity: Severity,
    /// Position in the report, from 1.
    pub rank: u32,
    /// One line saying what is wrong.
    pub title: String,
    /// The organization it concerns, when it concerns one.
    pub organization: Option<String>,
    /// The headline count (what `title` counts).
    pub count: u64,
    /// Named counts behind the finding (`code_44`, `minutes_over_limit`, ...).
    pub counts: BTreeMap<&'static str, u64>,
    /// Earliest time of the evidence, RFC 3339.
    pub first: Option<String>,
    /// Latest time of the evidence, RFC 3339.
    pub last: Option<String>,
    /// What the logs show, sentence by sentence.
    pub evidence: Vec<String>,
    /// Lines that show it (scrubbed), with file and line.
    pub samples: Vec<Sample>,
    /// What to do, from the error catalog and the pattern.
    pub fix: String,
    /// The Zoho codes involved.
    pub codes: Vec<i64>,
}

/// One input and what was read from it.
#[derive(Clone, Debug, Serialize)]
pub struct SourceSummary {
    /// The name given (a path, `-` for stdin, or the caller's label).
    pub name: String,
    /// `zbooks_events`, `har`, `text` or `events` (records fed by the caller).
    pub format: &'static str,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Lines (or HAR entries, or records) read.
    pub lines: u64,
    /// Calls and token requests found.
    pub records: u64,
    /// Lines that could not be read.
    pub unreadable: u64,
    /// Event lines of a newer schema than this build reads, skipped.
    pub newer_schema: u64,
    /// Lines longer than [`MAX_LINE_BYTES`], skipped unread.
    pub long_lines: u64,
    /// Why reading stopped early, if it did.
    pub error: Option<String>,
}

/// Overall counts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    /// Lines (entries, records) read from every source.
    pub lines: u64,
    /// Books API attempts found.
    pub api_calls: u64,
    /// Token requests found.
    pub token_requests: u64,
    /// Diagnostic probes (`zbooks doctor`'s, `purpose: probe` in the event), left out of
    /// every other count and every finding.
    pub probes: u64,
    /// API attempts that succeeded.
    pub succeeded: u64,
    /// API attempts that failed.
    pub failed: u64,
    /// API attempts that were retries (attempt 2 or later), where the log numbers attempts.
    pub retries: u64,
    /// Calls with no timestamp (counted, but left out of every time-based rule).
    pub without_time: u64,
    /// Earliest timestamp, RFC 3339.
    pub first: Option<String>,
    /// Latest timestamp, RFC 3339.
    pub last: Option<String>,
}

/// One code or accounts error.
#[derive(Clone, Debug, Serialize)]
pub struct CodeRow {
    /// Zoho's code (absent for an accounts error).
    pub code: Option<i64>,
    /// The accounts server's error (absent for a code).
    pub accounts_error: Option<String>,
    /// The catalog's short name.
    pub title: String,
    /// The class.
    pub class: Option<FailureClass>,
    /// Times seen.
    pub count: u64,
    /// HTTP statuses it came with.
    pub statuses: Vec<u16>,
    /// Organizations it was seen on.
    pub organizations: u64,
    /// First time seen, RFC 3339.
    pub first: Option<String>,
    /// Last time seen, RFC 3339.
    pub last: Option<String>,
}

/// One HTTP status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusRow {
    /// The status.
    pub status: u16,
    /// Times seen.
    pub count: u64,
}

/// One failure class.
#[derive(Clone, Debug, Serialize)]
pub struct ClassRow {
    /// The class.
    pub class: FailureClass,
    /// Failures of this class.
    pub count: u64,
    /// First time seen, RFC 3339.
    pub first: Option<String>,
    /// Last time seen, RFC 3339.
    pub last: Option<String>,
}

/// HTTP 429s by meaning (zoho-books-reference.md §1.4: all three codes come with 429).
#[derive(Clone, Debug, Default, Serialize)]
pub struct RateLimits {
    /// Every 429 (with or without a body).
    pub http_429: u64,
    /// Per-minute limit (44).
    pub code_44: u64,
    /// Daily quota (45).
    pub code_45: u64,
    /// Too many in flight (1070).
    pub code_1070: u64,
    /// 429s with another code or no readable body.
    pub other: u64,
}

/// One endpoint.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointRow {
    /// `METHOD /path` with ids as `{id}`.
    pub endpoint: String,
    /// Attempts.
    pub calls: u64,
    /// Failed attempts.
    pub failed: u64,
    /// The most frequent codes on it, with counts.
    pub codes: Vec<(i64, u64)>,
}

/// One organization.
#[derive(Clone, Debug, Serialize)]
pub struct OrgRow {
    /// The organization id (`(none)` for calls without one).
    pub organization: String,
    /// API attempts.
    pub calls: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// The most calls in one calendar minute.
    pub peak_per_minute: u32,
    /// When that minute started, RFC 3339.
    pub peak_minute: Option<String>,
    /// The most calls within any 60 seconds (measured in 10-second steps).
    pub peak_60s: u32,
    /// Calendar minutes with more than 100 calls.
    pub minutes_over_limit: u64,
    /// Other minutes in which more than 100 calls were made within 60 seconds reaching
    /// back into the previous minute.
    pub minutes_over_limit_straddling: u64,
    /// The most calls in flight at once (within one log file; needs durations).
    pub peak_in_flight: Option<u32>,
    /// The most frequent failure codes, with counts.
    pub codes: Vec<(i64, u64)>,
    /// The daily quota on the last day seen.
    pub quota: Option<QuotaRow>,
    /// First call, RFC 3339.
    pub first: Option<String>,
    /// Last call, RFC 3339.
    pub last: Option<String>,
}

/// Quota use of one organization on one day (UTC; Zoho does not publish its reset time).
#[derive(Clone, Debug, Serialize)]
pub struct QuotaRow {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// Calls that reached Zoho that day.
    pub used: u64,
    /// The daily quota, when known.
    pub limit: Option<u32>,
    /// Calls an hour over the last hour before "now".
    pub pace_per_hour: u64,
    /// When the quota was (or at this pace will be) spent, RFC 3339; absent when it lasts
    /// the day or the limit is unknown.
    pub runs_out_at: Option<String>,
    /// Whether Zoho already answered 45 that day.
    pub exhausted: bool,
}

/// Requests to the accounts server.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TokenSummary {
    /// Token requests.
    pub requests: u64,
    /// Answered with a token.
    pub succeeded: u64,
    /// Refused ("Access Denied": throttled).
    pub throttled: u64,
    /// Refused otherwise (`invalid_client`, `invalid_code`, ...).
    pub refused: u64,
    /// The most token requests within any 10 minutes (Zoho allows 10).
    pub peak_10min: u64,
    /// When the busiest window ended, RFC 3339.
    pub peak_at: Option<String>,
}

/// Calls and failures over time, in equal bins.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Timeline {
    /// Minutes per bin.
    pub bin_minutes: i64,
    /// The bins, oldest first.
    pub bins: Vec<TimelineBin>,
}

/// One bin of the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineBin {
    /// Start, RFC 3339.
    pub start: String,
    /// API calls.
    pub calls: u64,
    /// Failures.
    pub failed: u64,
    /// Failures by class.
    pub by_class: BTreeMap<&'static str, u64>,
}

/// Calls per minute of one organization, for a chart against the limit of 100.
#[derive(Clone, Debug, Serialize)]
pub struct OrgSeries {
    /// The organization.
    pub organization: String,
    /// Minutes per point.
    pub bin_minutes: i64,
    /// Start of the first point, RFC 3339.
    pub start: String,
    /// The most calls in one minute within each bin, oldest first.
    pub peaks: Vec<u32>,
}

/// Lines that could not be read.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Unreadable {
    /// How many, over every source.
    pub total: u64,
    /// Some of them (at most 20), with file, line and reason.
    pub lines: Vec<UnreadableLine>,
}

/// One unreadable line.
#[derive(Clone, Debug, Serialize)]
pub struct UnreadableLine {
    /// `file:line`.
    pub location: String,
    /// Why it could not be read.
    pub reason: String,
    /// Its start, scrubbed.
    pub text: String,
}

impl Report {
    /// The most severe finding (the first in rank among equally severe ones): what the
    /// report's headline says.
    pub fn most_severe(&self) -> Option<&Finding> {
        self.findings.iter().min_by_key(|f| (f.severity, f.rank))
    }

    /// The JSON form (`"schema": 1`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The findings of one kind.
    pub fn findings_of(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }
}
