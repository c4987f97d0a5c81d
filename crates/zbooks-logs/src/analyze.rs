//! The aggregation: every [`Call`] a reader finds goes through [`State::observe`] once and is
//! folded into bounded structures — counters per code, class, endpoint and organization,
//! per-minute buckets, a few capped lists — so memory stays flat however long the input is.
//!
//! Nothing here keeps a line. Samples (scrubbed) are kept only while their slot is empty, and
//! every map that grows with the input has a cap; reaching one is noted in the report. The
//! rules that turn this state into findings live in `rules.rs`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use zbooks_types::catalog;
use zbooks_types::{DataCenter, FailureClass};

use crate::call::{self, Call, Outcome};
use crate::report::Sample;
use crate::time::{DAY, MINUTE, Millis};
use crate::util::{FxMap, Loc, ShortId, WordMap, hash_bytes, push_sample, sample_text};

/// Most distinct organizations tracked; more share one "(other)" row.
const MAX_ORGS: usize = 1_000;
/// Most distinct endpoints tracked.
const MAX_ENDPOINTS: usize = 2_000;
/// Most raw method and path pairs remembered with their endpoint.
const ENDPOINT_CACHE: usize = 4_096;

/// The methods whose paths [`State::observe`] remembers, each in a map of its own.
const CACHED_METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// How many organizations are looked up by comparing ids before hashing one.
const RECENT_ORGS: usize = 8;
/// Most per-minute buckets (organization × minute): about a year of one organization.
const MAX_MINUTES: usize = 600_000;
/// Most create keys remembered for the duplicate rule.
const MAX_CREATE_KEYS: usize = 262_144;
/// Most keys kept with their text and samples.
const MAX_KEY_DETAILS: usize = 10_000;
/// Most distinct (organization, record) pairs for the 1002 rule, and (code, field) pairs for
/// validation errors.
const MAX_KEYED: usize = 20_000;
/// Most timestamps kept for the token rules.
const MAX_TIMES: usize = 200_000;
/// How late (in time) a call may arrive in a log and still be swept in order for the
/// in-flight count.
const LATENESS: Millis = 5 * MINUTE;

/// The raw form of a record, rendered only when a sample is kept.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Raw<'s> {
    /// A line of text.
    Text(&'s str),
    /// A line of bytes (decoded lossily when shown).
    Bytes(&'s [u8]),
    /// A record the caller fed.
    Event(&'s zbooks_types::event::CallEvent),
}

impl Raw<'_> {
    fn render(self) -> String {
        match self {
            Raw::Text(s) => sample_text(s),
            Raw::Bytes(b) => sample_text(&String::from_utf8_lossy(b)),
            Raw::Event(e) => sample_text(&serde_json::to_string(e).unwrap_or_default()),
        }
    }

    /// The text as read, for [`sample_text`] to scrub later: `sample_text(&raw.unscrubbed())`
    /// is `raw.render()`.
    fn unscrubbed(self) -> String {
        match self {
            Raw::Text(s) => s.to_owned(),
            Raw::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Raw::Event(e) => serde_json::to_string(e).unwrap_or_default(),
        }
    }
}

/// `file:line`, or `file#entry` for a HAR entry.
pub(crate) fn location(sources: &[Source], loc: Loc) -> String {
    match sources.get(loc.source as usize) {
        Some(source) if source.entries => format!("{}#{}", source.name, loc.line),
        Some(source) => format!("{}:{}", source.name, loc.line),
        None => format!("?:{}", loc.line),
    }
}

/// A sample rendered (and scrubbed) at most once, and only when some evidence keeps it.
///
/// In a chunk's state the text is kept as read, not scrubbed: most of a chunk's samples are
/// dropped when it merges (the whole has its samples already), and scrubbing is what costs;
/// the merge scrubs the few it keeps ([`merge_stat`]). Nothing is shown from a chunk's state.
struct Lazy<'r> {
    loc: Loc,
    raw: Raw<'r>,
    scrub: bool,
    value: Option<Sample>,
}

impl<'r> Lazy<'r> {
    fn new(loc: Loc, raw: Raw<'r>, scrub: bool) -> Self {
        Lazy {
            loc,
            raw,
            scrub,
            value: None,
        }
    }

    fn get(&mut self, sources: &[Source]) -> Sample {
        let (loc, raw, scrub) = (self.loc, self.raw, self.scrub);
        self.value
            .get_or_insert_with(|| Sample {
                location: location(sources, loc),
                text: if scrub {
                    raw.render()
                } else {
                    raw.unscrubbed()
                },
            })
            .clone()
    }
}

/// A chunk's sample, scrubbed as [`Raw::render`] scrubs.
fn scrubbed(s: &Sample) -> Sample {
    Sample {
        location: s.location.clone(),
        text: sample_text(&s.text),
    }
}

/// [`Stat::merge`] of a chunk's figures, scrubbing the samples it keeps.
fn merge_stat(g: &mut Stat, c: &Stat) {
    g.count += c.count;
    g.first = min_of(g.first, c.first);
    g.last = max_of(g.last, c.last);
    for s in &c.samples {
        push_sample(&mut g.samples, || scrubbed(s));
    }
}

/// One input's bookkeeping.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub(crate) name: String,
    pub(crate) format: &'static str,
    pub(crate) gzip: bool,
    pub(crate) lines: u64,
    pub(crate) records: u64,
    pub(crate) unreadable: u64,
    pub(crate) newer_schema: u64,
    /// Lines longer than the readers hold, skipped.
    pub(crate) long_lines: u64,
    pub(crate) error: Option<String>,
    /// HAR sources count entries, not lines.
    pub(crate) entries: bool,
}

/// A counter with its time span and samples.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stat {
    pub(crate) count: u64,
    pub(crate) first: Option<Millis>,
    pub(crate) last: Option<Millis>,
    pub(crate) samples: Vec<Sample>,
}

impl Stat {
    pub(crate) fn add(&mut self, ts: Option<Millis>, sample: impl FnOnce() -> Sample) {
        self.count += 1;
        if let Some(ts) = ts {
            self.first = Some(self.first.map_or(ts, |f| f.min(ts)));
            self.last = Some(self.last.map_or(ts, |l| l.max(ts)));
        }
        push_sample(&mut self.samples, sample);
    }

    pub(crate) fn merge(&mut self, other: &Stat) {
        self.count += other.count;
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, other.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for s in &other.samples {
            push_sample(&mut self.samples, || s.clone());
        }
    }
}

/// One code on one organization.
#[derive(Clone, Debug, Default)]
pub(crate) struct CodeStat {
    pub(crate) stat: Stat,
    pub(crate) statuses: Vec<u16>,
    pub(crate) message: Option<String>,
}

/// One organization.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgStat {
    pub(crate) id: String,
    pub(crate) calls: u64,
    pub(crate) succeeded: u64,
    pub(crate) failed: u64,
    pub(crate) first: Option<Millis>,
    pub(crate) last: Option<Millis>,
    pub(crate) first_success: Option<Millis>,
    /// Daily limit named by a code-45 message.
    pub(crate) limit_from_45: Option<u32>,
    /// Calls naming organization_id as the invalid parameter (code 2).
    pub(crate) org_param: Stat,
}

/// One endpoint.
#[derive(Clone, Debug, Default)]
pub(crate) struct EndpointStat {
    pub(crate) label: String,
    pub(crate) calls: u64,
    pub(crate) failed: u64,
    pub(crate) succeeded: u64,
    pub(crate) codes: FxMap<i64, u64>,
}

/// Calls of one organization in one minute.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MinuteBucket {
    pub(crate) calls: u32,
    pub(crate) slots: [u16; 6],
    pub(crate) code_44: u32,
}

/// Per-key state of a create (keyed by a hash of resource and natural key).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CreateKey {
    pub(crate) attempts: u16,
    pub(crate) unanswered: u16,
    pub(crate) server_error: u16,
    pub(crate) succeeded: u16,
    pub(crate) refused_duplicate: u16,
    /// Attempts sent while a doubt was open: after no answer or a 5xx, with no lookup
    /// between (the blind re-sends).
    pub(crate) blind_resends: u16,
    /// A doubt not yet settled by a lookup.
    pub(crate) doubt_open: bool,
    /// [`CreateKey::first_doubt`], `NO_TIME` for none.
    first_doubt: Millis,
    /// [`CreateKey::last_attempt`], `NO_TIME` for none.
    last_attempt: Millis,
}

/// No time, in a [`CreateKey`]: a time no reader makes (they read years up to 2200), so
/// that a key's times are a word each rather than two (a log may hold a few hundred
/// thousand keys, and they are looked up at random).
const NO_TIME: Millis = Millis::MAX;

impl Default for CreateKey {
    fn default() -> Self {
        CreateKey {
            attempts: 0,
            unanswered: 0,
            server_error: 0,
            succeeded: 0,
            refused_duplicate: 0,
            blind_resends: 0,
            doubt_open: false,
            first_doubt: NO_TIME,
            last_attempt: NO_TIME,
        }
    }
}

impl CreateKey {
    /// When the first doubt arose (`Millis::MIN` for a doubt on a line without a time).
    pub(crate) fn first_doubt(&self) -> Option<Millis> {
        (self.first_doubt != NO_TIME).then_some(self.first_doubt)
    }

    /// The time of the last attempt that had one.
    pub(crate) fn last_attempt(&self) -> Option<Millis> {
        (self.last_attempt != NO_TIME).then_some(self.last_attempt)
    }
}

/// A create key's readable form and samples, kept for keys in doubt.
#[derive(Clone, Debug, Default)]
pub(crate) struct CreateDetail {
    pub(crate) key: String,
    pub(crate) endpoint: String,
    pub(crate) organization: String,
    pub(crate) samples: Vec<Sample>,
}

/// A 57 seen: when, on which organization and endpoint.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Auth57 {
    pub(crate) ts: Millis,
    pub(crate) source: u32,
    pub(crate) org: u32,
    pub(crate) endpoint: Option<u32>,
}

/// A host seen and which data center it belongs to.
#[derive(Clone, Debug, Default)]
pub(crate) struct HostStat {
    pub(crate) count: u64,
    pub(crate) accounts: bool,
    pub(crate) dc: Option<DataCenter>,
}

/// Sweeps call intervals in start order to find the most calls in flight at once.
#[derive(Debug, Default)]
pub(crate) struct InFlight {
    pending: Vec<(Millis, Millis)>,
    active: BinaryHeap<Reverse<Millis>>,
    max_end: Millis,
    pub(crate) peak: u32,
    pub(crate) peak_at: Option<Millis>,
}

impl InFlight {
    fn push(&mut self, start: Millis, end: Millis) {
        self.pending.push((start, end));
        self.max_end = self.max_end.max(end);
        if self.pending.len() >= 8_192 {
            self.flush(self.max_end - LATENESS);
        }
    }

    /// Sweeps the calls that started by `upto`, in the order they started (and ended, for
    /// calls that started together, so that the sweep is one whatever order they came in).
    fn flush(&mut self, upto: Millis) {
        sort_nearly_sorted(&mut self.pending);
        let mut swept = 0;
        for &(start, end) in &self.pending {
            if start > upto {
                break;
            }
            swept += 1;
            while self.active.peek().is_some_and(|Reverse(e)| *e <= start) {
                self.active.pop();
            }
            self.active.push(Reverse(end));
            let now = u32::try_from(self.active.len()).unwrap_or(u32::MAX);
            if now > self.peak {
                self.peak = now;
                self.peak_at = Some(start);
            }
        }
        self.pending.drain(..swept);
    }

    /// Ends a source: sweeps what is left and forgets the calls in flight.
    fn end_source(&mut self) {
        self.flush(Millis::MAX);
        self.active.clear();
        self.max_end = 0;
    }
}

/// Sorts calls that come almost in order: a log is written as calls end, and a call started
/// its duration before, so each is moved back past the few that started later (the calls
/// left from the last sweep are in order already). A slice far out of order is sorted in
/// full instead, so that no input makes this quadratic.
fn sort_nearly_sorted(calls: &mut [(Millis, Millis)]) {
    let mut moves_left = calls.len().saturating_mul(16);
    for i in 1..calls.len() {
        let call = calls[i];
        let mut j = i;
        while j > 0 && calls[j - 1] > call {
            calls[j] = calls[j - 1];
            j -= 1;
        }
        calls[j] = call;
        moves_left = moves_left.saturating_sub(i - j);
        if moves_left == 0 {
            calls.sort_unstable();
            return;
        }
    }
}

/// Everything the rules read.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) sources: Vec<Source>,
    pub(crate) unreadable: Vec<(Loc, String, String)>,
    /// Lines too long to hold: where, their length, their start (scrubbed); the first 20.
    pub(crate) long_lines: Vec<(Loc, u64, String)>,
    /// The longest line skipped, in bytes.
    pub(crate) longest_line: u64,
    pub(crate) first: Option<Millis>,
    pub(crate) last: Option<Millis>,
    pub(crate) api_calls: u64,
    /// Diagnostic probes (`purpose: probe`), left out of every rule.
    pub(crate) probes: u64,
    pub(crate) succeeded: u64,
    pub(crate) failed: u64,
    pub(crate) without_time: u64,
    pub(crate) retries: u64,
    pub(crate) codes: FxMap<(i64, u32), CodeStat>,
    pub(crate) accounts_errors: FxMap<String, CodeStat>,
    pub(crate) failing_statuses: FxMap<(u16, u32), Stat>,
    pub(crate) statuses: FxMap<u16, u64>,
    pub(crate) classes: FxMap<FailureClass, Stat>,
    pub(crate) orgs: Vec<OrgStat>,
    org_index: FxMap<String, u32>,
    pub(crate) endpoints: Vec<EndpointStat>,
    endpoint_index: FxMap<String, u32>,
    pub(crate) minutes: FxMap<(u32, i64), MinuteBucket>,
    pub(crate) error_minutes: FxMap<i64, [u32; FailureClass::ALL.len()]>,
    pub(crate) days: FxMap<(u32, i64), u64>,
    pub(crate) in_flight: Vec<InFlight>,
    pub(crate) token_requests: u64,
    /// Successful token requests: (source, time).
    pub(crate) token_ok: Vec<(u32, Millis)>,
    pub(crate) token_minutes: FxMap<i64, u32>,
    pub(crate) token_ok_count: u64,
    pub(crate) token_throttled: Stat,
    pub(crate) token_refused: u64,
    pub(crate) token_samples: Vec<Sample>,
    pub(crate) auth57: Vec<Auth57>,
    pub(crate) not_found: FxMap<(u32, String), Stat>,
    pub(crate) validation: FxMap<(i64, String), Stat>,
    pub(crate) creates: FxMap<u64, CreateKey>,
    pub(crate) create_details: FxMap<u64, CreateDetail>,
    pub(crate) hosts: FxMap<String, HostStat>,
    pub(crate) unanswered: FxMap<u32, Stat>,
    pub(crate) capped: Vec<&'static str>,
    path_buf: String,
    label_buf: String,
    key_buf: Vec<u8>,
    /// A line's path as written → its endpoint and normalized path, one map for each of
    /// [`CACHED_METHODS`] (a line's path is looked up as it is, not copied behind its method
    /// first): most logs name a few paths many times, and this skips normalizing them again.
    /// Endpoints are never removed, so an entry stays right; bounded by [`ENDPOINT_CACHE`]
    /// in all. Lines with other methods are not cached.
    endpoint_cache: [WordMap<String, u32>; CACHED_METHODS.len()],
    /// The ids of the first organizations met, with their index: looked up before
    /// `org_index`, as comparing two words each is sooner done than hashing an id.
    recent_orgs: Vec<(ShortId, u32)>,
    /// The paths `endpoint_cache` points to.
    cached_paths: Vec<CachedPath>,
    /// The cached path of the line being folded; `None` when `label_buf` and `path_buf`
    /// hold its label and path instead. A path met again is not copied.
    cur_path: Option<u32>,
    /// What [`PathFacts`] says of `path_buf`.
    path_facts: PathFacts,
    /// Leaves `endpoint_cache` unused: the tests compare the two.
    path_cache_off: bool,
    /// Set on the state of a chunk analysed on its own thread: what depends on the order of
    /// the calls across chunks, kept to be applied in input order when chunks merge.
    deferred: Option<Box<Deferred>>,
}

/// A raw method and path's endpoint, as [`State::observe`] remembers it.
#[derive(Debug)]
struct CachedPath {
    endpoint: u32,
    /// The endpoint's label as the line makes it (`(other)` is only the row it counts in).
    label: String,
    /// Where the normalized path starts in `label`.
    path_at: usize,
    facts: PathFacts,
}

/// What the create rules ask of a normalized path, worked out once per path.
#[derive(Clone, Copy, Debug, Default)]
struct PathFacts {
    /// [`call::is_collection`].
    collection: bool,
    /// Where [`call::resource_of`] is in the path.
    resource: (usize, usize),
}

impl PathFacts {
    fn of(normalized: &str) -> Self {
        let resource = call::resource_range(normalized);
        PathFacts {
            collection: call::is_collection(normalized),
            resource: (resource.start, resource.end),
        }
    }
}

/// Records a key new to one of a chunk's maps, in the order keys first appear.
macro_rules! note_new {
    ($self:ident . $map:ident, $before:expr, $key:expr) => {
        if $self.$map.len() > $before
            && let Some(d) = &mut $self.deferred
        {
            d.order.$map.push($key);
        }
    };
}

/// The keys of a chunk's maps in the order they first appeared. A map's iteration order
/// (which some rules follow, to pick samples and break ties) depends on the order its keys
/// were inserted in; merging a chunk inserts its new keys in this order, so the whole's maps
/// are laid out exactly as folding line by line lays them out.
#[derive(Debug, Default)]
struct Order {
    codes: Vec<(i64, u32)>,
    accounts_errors: Vec<String>,
    failing_statuses: Vec<(u16, u32)>,
    statuses: Vec<u16>,
    classes: Vec<FailureClass>,
    minutes: Vec<(u32, i64)>,
    error_minutes: Vec<i64>,
    token_minutes: Vec<i64>,
    not_found: Vec<(u32, String)>,
    validation: Vec<(i64, String)>,
    unanswered: Vec<u32>,
    /// (endpoint, code) of each endpoint's code counts.
    endpoint_codes: Vec<(u32, i64)>,
}

/// What a chunk leaves for [`State::merge_chunk`] to apply in input order.
#[derive(Debug, Default)]
struct Deferred {
    /// The order of the keys of its maps.
    order: Order,
    /// Calls in flight: (organization, start, end).
    flights: Vec<(u32, Millis, Millis)>,
    /// Creates and lookups.
    creates: Vec<CreateCall>,
}

/// One create or lookup, as [`State::apply_create`] needs it.
#[derive(Debug)]
struct CreateCall {
    key: u64,
    create: bool,
    failure: Option<FailureClass>,
    unanswered: bool,
    status: Option<u16>,
    ts: Option<Millis>,
    natural_key: Option<KeyText>,
    org: u32,
    endpoint: u32,
    loc: Loc,
}

/// A create's natural key, kept until its chunk merges: where it is in its line when it is
/// there as it reads (most are), so keeping it allocates nothing; else its text.
#[derive(Debug)]
enum KeyText {
    /// `line[start..end]`.
    InLine(u32, u32),
    Owned(String),
}

impl KeyText {
    fn of(key: &str, raw: Raw<'_>) -> Self {
        if let Raw::Bytes(line) = raw {
            // Where the key's text sits, when it is a part of the line itself.
            let start = (key.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
            if let Some(end) = start.checked_add(key.len())
                && line.get(start..end) == Some(key.as_bytes())
                && let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end))
            {
                return KeyText::InLine(start, end);
            }
        }
        KeyText::Owned(key.to_owned())
    }

    fn get<'a>(&'a self, line: &'a [u8]) -> Option<&'a str> {
        match self {
            KeyText::InLine(start, end) => line
                .get(*start as usize..*end as usize)
                .and_then(|b| std::str::from_utf8(b).ok()),
            KeyText::Owned(s) => Some(s),
        }
    }
}

fn cap_note(capped: &mut Vec<&'static str>, what: &'static str) {
    if !capped.contains(&what) {
        capped.push(what);
    }
}

impl State {
    pub(crate) fn add_source(&mut self, name: String, format: &'static str, gzip: bool) -> u32 {
        self.sources.push(Source {
            name,
            format,
            gzip,
            lines: 0,
            records: 0,
            unreadable: 0,
            newer_schema: 0,
            long_lines: 0,
            error: None,
            entries: format == "har",
        });
        u32::try_from(self.sources.len() - 1).unwrap_or(u32::MAX)
    }

    pub(crate) fn source_mut(&mut self, source: u32) -> &mut Source {
        let i = source as usize;
        &mut self.sources[i]
    }

    /// The state of one chunk of an input, analysed on its own thread and merged into the
    /// whole with [`State::merge_chunk`]; `sources` are the analysis's inputs so far.
    pub(crate) fn chunk(sources: &[Source]) -> State {
        State {
            sources: sources
                .iter()
                .map(|s| Source {
                    name: s.name.clone(),
                    format: s.format,
                    gzip: s.gzip,
                    lines: 0,
                    records: 0,
                    unreadable: 0,
                    newer_schema: 0,
                    long_lines: 0,
                    error: None,
                    entries: s.entries,
                })
                .collect(),
            deferred: Some(Box::default()),
            ..State::default()
        }
    }

    /// Merges the state of the chunk that follows everything folded so far, exactly as if
    /// its lines had been folded here one by one: counters add, first and last times meet,
    /// samples and first statuses are kept in input order, organizations and endpoints keep
    /// the order they first appeared in, and what depends on the order of the calls (calls
    /// in flight, creates in doubt) is applied now, in input order; `line` gives a line of
    /// the chunk by its location, for the samples that this makes.
    ///
    /// Gives `false`, and merges nothing, when a cap could be reached by this chunk: then
    /// which keys are kept depends on the order within it, and the caller folds its lines
    /// one by one instead.
    pub(crate) fn merge_chunk<'b>(&mut self, c: State, line: impl Fn(Loc) -> &'b [u8]) -> bool {
        let fits = |a: usize, b: usize, cap: usize| a + b <= cap;
        if !c.capped.is_empty()
            || !fits(self.orgs.len(), c.orgs.len(), MAX_ORGS)
            || !fits(self.endpoints.len(), c.endpoints.len(), MAX_ENDPOINTS)
            || !fits(self.minutes.len(), c.minutes.len(), MAX_MINUTES)
            || !fits(self.not_found.len(), c.not_found.len(), MAX_KEYED)
            || !fits(self.validation.len(), c.validation.len(), MAX_KEYED)
            || !fits(self.accounts_errors.len(), c.accounts_errors.len(), 50)
            || !c.hosts.is_empty()
            || !fits(self.auth57.len(), c.auth57.len(), MAX_TIMES)
            || !fits(self.token_ok.len(), c.token_ok.len(), MAX_TIMES)
        {
            return false;
        }
        let State {
            sources,
            unreadable,
            long_lines,
            longest_line,
            first,
            last,
            api_calls,
            probes,
            succeeded,
            failed,
            without_time,
            retries,
            codes,
            accounts_errors,
            failing_statuses,
            statuses,
            classes,
            orgs,
            org_index: _,
            endpoints,
            endpoint_index: _,
            minutes,
            error_minutes,
            days: _,
            in_flight: _,
            token_requests,
            token_ok,
            token_minutes,
            token_ok_count,
            token_throttled,
            token_refused,
            token_samples,
            auth57,
            not_found,
            validation,
            creates: _,
            create_details: _,
            hosts: _,
            unanswered,
            capped: _,
            path_buf: _,
            label_buf: _,
            key_buf: _,
            endpoint_cache: _,
            recent_orgs: _,
            cached_paths: _,
            cur_path: _,
            path_facts: _,
            path_cache_off: _,
            deferred,
        } = c;
        for (g, s) in self.sources.iter_mut().zip(&sources) {
            g.records += s.records;
            g.unreadable += s.unreadable;
            g.newer_schema += s.newer_schema;
            g.long_lines += s.long_lines;
        }
        for u in unreadable {
            if self.unreadable.len() < 20 {
                self.unreadable.push(u);
            }
        }
        for l in long_lines {
            if self.long_lines.len() < 20 {
                self.long_lines.push(l);
            }
        }
        self.longest_line = self.longest_line.max(longest_line);
        self.first = min_of(self.first, first);
        self.last = max_of(self.last, last);
        self.api_calls += api_calls;
        self.probes += probes;
        self.succeeded += succeeded;
        self.failed += failed;
        self.without_time += without_time;
        self.retries += retries;
        self.token_requests += token_requests;
        self.token_ok_count += token_ok_count;
        self.token_refused += token_refused;

        // Organizations and endpoints in the order they first appear.
        let mut org_map = Vec::with_capacity(orgs.len());
        for o in orgs {
            let i = self.org(Some(&o.id));
            org_map.push(i);
            let g = &mut self.orgs[i as usize];
            g.calls += o.calls;
            g.succeeded += o.succeeded;
            g.failed += o.failed;
            g.first = min_of(g.first, o.first);
            g.last = max_of(g.last, o.last);
            g.first_success = min_of(g.first_success, o.first_success);
            if o.limit_from_45.is_some() {
                g.limit_from_45 = o.limit_from_45;
            }
            merge_stat(&mut g.org_param, &o.org_param);
        }
        let org = |i: u32| org_map[i as usize];
        let Some(deferred) = deferred else {
            return false;
        };
        let Deferred {
            order,
            flights,
            creates,
        } = *deferred;
        let mut endpoint_map = Vec::with_capacity(endpoints.len());
        for e in &endpoints {
            self.label_buf.clear();
            self.label_buf.push_str(&e.label);
            let i = self.endpoint();
            endpoint_map.push(i);
            let g = &mut self.endpoints[i as usize];
            g.calls += e.calls;
            g.failed += e.failed;
            g.succeeded += e.succeeded;
        }
        for (e, code) in order.endpoint_codes {
            let n = endpoints[e as usize].codes.get(&code).copied().unwrap_or(0);
            *self.endpoints[endpoint_map[e as usize] as usize]
                .codes
                .entry(code)
                .or_default() += n;
        }

        // Every map in the order its keys first appeared (see `Order`).
        for key in order.codes {
            if let Some(cs) = codes.get(&key) {
                merge_code(
                    self.codes.entry((key.0, org(key.1))).or_default(),
                    cs,
                    Some(8),
                );
            }
        }
        for key in order.accounts_errors {
            if let Some(cs) = accounts_errors.get(&key) {
                merge_code(self.accounts_errors.entry(key).or_default(), cs, None);
            }
        }
        for key in order.failing_statuses {
            if let Some(stat) = failing_statuses.get(&key) {
                merge_stat(
                    self.failing_statuses
                        .entry((key.0, org(key.1)))
                        .or_default(),
                    stat,
                );
            }
        }
        for key in order.statuses {
            *self.statuses.entry(key).or_default() += statuses.get(&key).copied().unwrap_or(0);
        }
        for key in order.classes {
            if let Some(stat) = classes.get(&key) {
                merge_stat(self.classes.entry(key).or_default(), stat);
            }
        }
        // A chunk's days from its minutes, in the order they first appear: a day first
        // appears with its first minute.
        for key in &order.minutes {
            if let Some(b) = minutes.get(key) {
                let day = (org(key.0), key.1.div_euclid(DAY / MINUTE));
                *self.days.entry(day).or_default() += u64::from(b.calls);
            }
        }
        for key in order.minutes {
            if let Some(b) = minutes.get(&key) {
                let g = self.minutes.entry((org(key.0), key.1)).or_default();
                g.calls += b.calls;
                for (slot, n) in g.slots.iter_mut().zip(b.slots) {
                    *slot = slot.saturating_add(n);
                }
                g.code_44 += b.code_44;
            }
        }
        for key in order.error_minutes {
            if let Some(counts) = error_minutes.get(&key) {
                let g = self.error_minutes.entry(key).or_default();
                for (n, m) in g.iter_mut().zip(counts) {
                    *n += m;
                }
            }
        }
        self.token_ok.extend(token_ok);
        for key in order.token_minutes {
            *self.token_minutes.entry(key).or_default() +=
                token_minutes.get(&key).copied().unwrap_or(0);
        }
        merge_stat(&mut self.token_throttled, &token_throttled);
        for sample in &token_samples {
            push_sample(&mut self.token_samples, || scrubbed(sample));
        }
        self.auth57.extend(auth57.into_iter().map(|a| Auth57 {
            org: org(a.org),
            endpoint: a.endpoint.map(|e| endpoint_map[e as usize]),
            ..a
        }));
        for key in order.not_found {
            if let Some(stat) = not_found.get(&key) {
                merge_stat(self.not_found.entry((org(key.0), key.1)).or_default(), stat);
            }
        }
        for key in order.validation {
            if let Some(stat) = validation.get(&key) {
                merge_stat(self.validation.entry(key).or_default(), stat);
            }
        }
        for key in order.unanswered {
            if let Some(stat) = unanswered.get(&key) {
                merge_stat(self.unanswered.entry(org(key)).or_default(), stat);
            }
        }

        // What depends on the order of the calls, in input order.
        for (o, start, end) in flights {
            self.in_flight[org(o) as usize].push(start, end);
        }
        for mut c in creates {
            c.org = org(c.org);
            c.endpoint = endpoint_map[c.endpoint as usize];
            let label = std::mem::take(&mut self.endpoints[c.endpoint as usize].label);
            let bytes = line(c.loc);
            let key = || c.natural_key.as_ref().and_then(|k| k.get(bytes));
            self.apply_create(&c, key, &label, Raw::Bytes(bytes));
            self.endpoints[c.endpoint as usize].label = label;
        }
        true
    }

    /// Ends a source: what depends on the order within one file is settled.
    pub(crate) fn end_source(&mut self) {
        for tracker in &mut self.in_flight {
            tracker.end_source();
        }
    }

    pub(crate) fn note_unreadable(&mut self, loc: Loc, reason: impl Into<String>, text: &str) {
        self.sources[loc.source as usize].unreadable += 1;
        if self.unreadable.len() < 20 {
            self.unreadable.push((
                loc,
                reason.into(),
                crate::util::shorten(&sample_text(text), 160),
            ));
        }
    }

    /// A line too long to hold: `start` is the part that was held.
    pub(crate) fn note_long_line(&mut self, loc: Loc, bytes: u64, start: &[u8]) {
        self.sources[loc.source as usize].long_lines += 1;
        self.longest_line = self.longest_line.max(bytes);
        if self.long_lines.len() < 20 {
            // Only the first few hundred bytes can be shown; scrub no more than that.
            let head = &start[..start.len().min(1024)];
            let text = crate::util::shorten(&sample_text(&String::from_utf8_lossy(head)), 160);
            self.long_lines.push((loc, bytes, text));
        }
    }

    fn org(&mut self, id: Option<&str>) -> u32 {
        let id = id.unwrap_or("(none)");
        if let Some(short) = ShortId::of(id)
            && let Some(&(_, i)) = self.recent_orgs.iter().find(|(s, _)| *s == short)
        {
            return i;
        }
        if let Some(&i) = self.org_index.get(id) {
            return i;
        }
        let id = if self.orgs.len() >= MAX_ORGS {
            cap_note(&mut self.capped, "organizations");
            "(other)"
        } else {
            id
        };
        if let Some(&i) = self.org_index.get(id) {
            return i;
        }
        let i = u32::try_from(self.orgs.len()).unwrap_or(u32::MAX);
        self.orgs.push(OrgStat {
            id: id.to_owned(),
            ..OrgStat::default()
        });
        self.in_flight.push(InFlight::default());
        self.org_index.insert(id.to_owned(), i);
        if let Some(short) = ShortId::of(id)
            && self.recent_orgs.len() < RECENT_ORGS
        {
            self.recent_orgs.push((short, i));
        }
        i
    }

    fn endpoint(&mut self) -> u32 {
        if let Some(&i) = self.endpoint_index.get(self.label_buf.as_str()) {
            return i;
        }
        let label = if self.endpoints.len() >= MAX_ENDPOINTS {
            cap_note(&mut self.capped, "endpoints");
            "(other)".to_owned()
        } else {
            self.label_buf.clone()
        };
        if let Some(&i) = self.endpoint_index.get(label.as_str()) {
            return i;
        }
        let i = u32::try_from(self.endpoints.len()).unwrap_or(u32::MAX);
        self.endpoints.push(EndpointStat {
            label: label.clone(),
            ..EndpointStat::default()
        });
        self.endpoint_index.insert(label, i);
        i
    }

    /// Folds one call into the state.
    pub(crate) fn observe(&mut self, call: &Call<'_>, loc: Loc, raw: Raw<'_>) {
        self.sources[loc.source as usize].records += 1;
        let ts = call.ts;
        if let Some(t) = ts {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
        if let Some(host) = call.host {
            self.note_host(host, call.token);
        }
        let outcome = call.outcome();
        if let Some(status) = call.status {
            let n = self.statuses.len();
            *self.statuses.entry(status).or_default() += 1;
            note_new!(self.statuses, n, status);
        }
        if call.token {
            self.observe_token(call, outcome, loc, raw);
            return;
        }
        if call.is_probe() {
            // A doctor's diagnostic (some refused on purpose, such as its `Bearer` check):
            // counted, judged by no rule. The doctor reported what it found itself.
            self.probes += 1;
            return;
        }
        self.api_calls += 1;
        if call.attempt.is_some_and(|a| a > 1) {
            self.retries += 1;
        }
        if ts.is_none() {
            self.without_time += 1;
        }
        let org = self.org(call.org);
        let endpoint = call.path.map(|path| {
            let method = call.method.unwrap_or("?");
            let cache = CACHED_METHODS.iter().position(|m| *m == method);
            if let Some(m) = cache
                && let Some(&i) = self.endpoint_cache[m].get(path)
            {
                let hit = &self.cached_paths[i as usize];
                self.path_facts = hit.facts;
                self.cur_path = Some(i);
                return hit.endpoint;
            }
            self.cur_path = None;
            call::normalize_path(path, &mut self.path_buf);
            self.label_buf.clear();
            self.label_buf.push_str(method.trim());
            self.label_buf.make_ascii_uppercase();
            self.label_buf.push(' ');
            let path_at = self.label_buf.len();
            self.label_buf.push_str(&self.path_buf);
            self.path_facts = PathFacts::of(&self.path_buf);
            let e = self.endpoint();
            if let Some(m) = cache
                && self.cached_paths.len() < ENDPOINT_CACHE
                && !self.path_cache_off
            {
                let hit = CachedPath {
                    endpoint: e,
                    label: self.label_buf.clone(),
                    path_at,
                    facts: self.path_facts,
                };
                let i = u32::try_from(self.cached_paths.len()).unwrap_or(u32::MAX);
                self.cached_paths.push(hit);
                self.endpoint_cache[m].insert(path.to_owned(), i);
            }
            e
        });
        if endpoint.is_none() {
            self.path_buf.clear();
            self.cur_path = None;
        }

        // Organization and endpoint counters.
        let o = &mut self.orgs[org as usize];
        o.calls += 1;
        if let Some(t) = ts {
            o.first = Some(o.first.map_or(t, |f| f.min(t)));
            o.last = Some(o.last.map_or(t, |l| l.max(t)));
        }
        let failure = match outcome {
            Outcome::Success => {
                self.succeeded += 1;
                o.succeeded += 1;
                if let Some(t) = ts {
                    o.first_success = Some(o.first_success.map_or(t, |f| f.min(t)));
                }
                None
            }
            Outcome::Failure(class) => {
                self.failed += 1;
                o.failed += 1;
                Some(class)
            }
        };
        if let Some(e) = endpoint {
            let ep = &mut self.endpoints[e as usize];
            ep.calls += 1;
            if failure.is_some() {
                ep.failed += 1;
            } else {
                ep.succeeded += 1;
            }
            if let Some(code) = call.code.filter(|c| *c != 0) {
                let n = ep.codes.len();
                *ep.codes.entry(code).or_default() += 1;
                if ep.codes.len() > n
                    && let Some(d) = &mut self.deferred
                {
                    d.order.endpoint_codes.push((e, code));
                }
            }
        }

        // Limits: calls that reached Zoho, per minute and per day.
        if call.reached_zoho()
            && let Some(t) = ts
        {
            let minute = t.div_euclid(MINUTE);
            if self.minutes.len() < MAX_MINUTES || self.minutes.contains_key(&(org, minute)) {
                let n = self.minutes.len();
                let bucket = self.minutes.entry((org, minute)).or_default();
                bucket.calls += 1;
                let slot = usize::try_from(t.rem_euclid(MINUTE) / 10_000).unwrap_or(0);
                bucket.slots[slot.min(5)] = bucket.slots[slot.min(5)].saturating_add(1);
                if call.code == Some(44) {
                    bucket.code_44 += 1;
                }
                note_new!(self.minutes, n, (org, minute));
            } else {
                cap_note(&mut self.capped, "per-minute buckets");
            }
            // A chunk's days are made from its minutes when it merges (every call counted in
            // a day is counted in a minute of it, or the chunk is capped and folded again
            // line by line): one map fewer for each line.
            if self.deferred.is_none() {
                *self.days.entry((org, t.div_euclid(DAY))).or_default() += 1;
            }
            if let Some(d) = call.duration_ms {
                let d = i64::try_from(d).unwrap_or(0);
                match &mut self.deferred {
                    Some(deferred) => deferred.flights.push((org, t - d, t)),
                    None => self.in_flight[org as usize].push(t - d, t),
                }
            }
        }

        if let Some(class) = failure {
            self.observe_failure(call, class, org, endpoint, loc, raw);
        }
        if let Some(endpoint) = endpoint {
            self.observe_create(call, failure, org, endpoint, loc, raw);
        }
    }

    fn observe_failure(
        &mut self,
        call: &Call<'_>,
        class: FailureClass,
        org: u32,
        endpoint: Option<u32>,
        loc: Loc,
        raw: Raw<'_>,
    ) {
        let ts = call.ts;
        let mut lazy = Lazy::new(loc, raw, self.deferred.is_none());
        let sources = &self.sources;
        let n = self.classes.len();
        self.classes
            .entry(class)
            .or_default()
            .add(ts, || lazy.get(sources));
        note_new!(self.classes, n, class);
        if let Some(t) = ts {
            let slot = FailureClass::ALL
                .iter()
                .position(|c| *c == class)
                .unwrap_or(FailureClass::ALL.len() - 1);
            let n = self.error_minutes.len();
            self.error_minutes.entry(t.div_euclid(MINUTE)).or_default()[slot] += 1;
            note_new!(self.error_minutes, n, t.div_euclid(MINUTE));
        }
        if call.is_unanswered() {
            let n = self.unanswered.len();
            self.unanswered
                .entry(org)
                .or_default()
                .add(ts, || lazy.get(sources));
            note_new!(self.unanswered, n, org);
        }
        match call.code.filter(|c| *c != 0) {
            Some(code) => {
                let n = self.codes.len();
                let entry = self.codes.entry((code, org)).or_default();
                entry.stat.add(ts, || lazy.get(sources));
                if let Some(s) = call.status
                    && !entry.statuses.contains(&s)
                    && entry.statuses.len() < 8
                {
                    entry.statuses.push(s);
                }
                if entry.message.is_none() {
                    entry.message = call.message.map(str::to_owned);
                }
                note_new!(self.codes, n, (code, org));
                self.observe_code(call, code, org, endpoint, &mut lazy);
            }
            None => {
                if let Some(status) = call.status {
                    let n = self.failing_statuses.len();
                    self.failing_statuses
                        .entry((status, org))
                        .or_default()
                        .add(ts, || lazy.get(sources));
                    note_new!(self.failing_statuses, n, (status, org));
                }
            }
        }
        if matches!(class, FailureClass::Validation | FailureClass::Duplicate)
            && let Some(code) = call.code
        {
            let field = validation_field(code, call.message);
            let key = (code, field);
            if self.validation.len() < MAX_KEYED || self.validation.contains_key(&key) {
                if let Some(d) = &mut self.deferred
                    && !self.validation.contains_key(&key)
                {
                    d.order.validation.push(key.clone());
                }
                let sources = &self.sources;
                self.validation
                    .entry(key)
                    .or_default()
                    .add(ts, || lazy.get(sources));
            } else {
                cap_note(&mut self.capped, "validation groups");
            }
        }
    }

    fn observe_code(
        &mut self,
        call: &Call<'_>,
        code: i64,
        org: u32,
        endpoint: Option<u32>,
        lazy: &mut Lazy<'_>,
    ) {
        let ts = call.ts;
        let sources = &self.sources;
        match code {
            57 => {
                if let Some(t) = ts {
                    if self.auth57.len() < MAX_TIMES {
                        self.auth57.push(Auth57 {
                            ts: t,
                            source: lazy.loc.source,
                            org,
                            endpoint,
                        });
                    } else {
                        cap_note(&mut self.capped, "code-57 times");
                    }
                }
            }
            45 => {
                if let Some(limit) = call
                    .message
                    .and_then(|m| catalog::refine(45, m).daily_limit)
                {
                    self.orgs[org as usize].limit_from_45 = Some(limit);
                }
            }
            2 => {
                let param = call.message.and_then(|m| catalog::refine(2, m).parameter);
                if param.as_deref() == Some("organization_id") {
                    self.orgs[org as usize]
                        .org_param
                        .add(ts, || lazy.get(sources));
                }
            }
            1002 => {
                let key = (org, call.path.unwrap_or("").to_owned());
                if self.not_found.len() < MAX_KEYED || self.not_found.contains_key(&key) {
                    if let Some(d) = &mut self.deferred
                        && !self.not_found.contains_key(&key)
                    {
                        d.order.not_found.push(key.clone());
                    }
                    self.not_found
                        .entry(key)
                        .or_default()
                        .add(ts, || lazy.get(sources));
                } else {
                    cap_note(&mut self.capped, "record ids (1002)");
                }
            }
            _ => {}
        }
    }

    fn observe_token(&mut self, call: &Call<'_>, outcome: Outcome, loc: Loc, raw: Raw<'_>) {
        self.token_requests += 1;
        let ts = call.ts;
        if let Some(t) = ts {
            let n = self.token_minutes.len();
            *self.token_minutes.entry(t.div_euclid(MINUTE)).or_default() += 1;
            note_new!(self.token_minutes, n, t.div_euclid(MINUTE));
        }
        let mut lazy = Lazy::new(loc, raw, self.deferred.is_none());
        let sources = &self.sources;
        push_sample(&mut self.token_samples, || lazy.get(sources));
        match outcome {
            Outcome::Success => {
                self.token_ok_count += 1;
                if let Some(t) = ts {
                    if self.token_ok.len() < MAX_TIMES {
                        self.token_ok.push((loc.source, t));
                    } else {
                        cap_note(&mut self.capped, "token times");
                    }
                }
            }
            Outcome::Failure(class) => {
                let n = self.classes.len();
                self.classes
                    .entry(class)
                    .or_default()
                    .add(ts, || lazy.get(sources));
                note_new!(self.classes, n, class);
                if class == FailureClass::TokenThrottled {
                    self.token_throttled.add(ts, || lazy.get(sources));
                } else {
                    self.token_refused += 1;
                }
                let name = call
                    .accounts_error
                    .map(|e| {
                        catalog::by_accounts_error(e).map_or_else(
                            || e.to_owned(),
                            |entry| match entry.key {
                                catalog::ErrorKey::Accounts(n) => n.to_owned(),
                                catalog::ErrorKey::Code(c) => c.to_string(),
                            },
                        )
                    })
                    .or_else(|| call.status.map(|s| format!("HTTP {s}")))
                    .unwrap_or_else(|| "no answer".to_owned());
                if self.accounts_errors.len() < 50 || self.accounts_errors.contains_key(&name) {
                    if let Some(d) = &mut self.deferred
                        && !self.accounts_errors.contains_key(&name)
                    {
                        d.order.accounts_errors.push(name.clone());
                    }
                    let entry = self.accounts_errors.entry(name).or_default();
                    entry.stat.add(ts, || lazy.get(sources));
                    if let Some(s) = call.status
                        && !entry.statuses.contains(&s)
                    {
                        entry.statuses.push(s);
                    }
                    if entry.message.is_none() {
                        entry.message = call.message.map(str::to_owned);
                    }
                }
            }
        }
    }

    fn observe_create(
        &mut self,
        call: &Call<'_>,
        failure: Option<FailureClass>,
        org: u32,
        endpoint: u32,
        loc: Loc,
        raw: Raw<'_>,
    ) {
        let facts = self.path_facts;
        let create = call.is_create(facts.collection);
        let lookup = !create && call.is_lookup(facts.collection);
        if !create && !lookup {
            return;
        }
        let mut key_bytes = std::mem::take(&mut self.key_buf);
        key_bytes.clear();
        key_bytes.extend_from_slice(self.orgs[org as usize].id.as_bytes());
        key_bytes.push(0);
        let (from, to) = facts.resource;
        let path = match self.cur_path {
            Some(i) => {
                let hit = &self.cached_paths[i as usize];
                &hit.label.as_bytes()[hit.path_at..]
            }
            None => self.path_buf.as_bytes(),
        };
        key_bytes.extend_from_slice(&path[from..to]);
        key_bytes.push(0);
        match (call.natural_key, call.body_hash) {
            (Some(k), _) => key_bytes.extend_from_slice(k.as_bytes()),
            (None, Some(h)) if create => key_bytes.extend_from_slice(&h.to_le_bytes()),
            _ => {
                self.key_buf = key_bytes;
                return;
            }
        }
        let key = hash_bytes(&key_bytes);
        self.key_buf = key_bytes;
        let c = CreateCall {
            key,
            create,
            failure,
            unanswered: call.is_unanswered(),
            status: call.status,
            ts: call.ts,
            natural_key: None,
            org,
            endpoint,
            loc,
        };
        if let Some(deferred) = &mut self.deferred {
            deferred.creates.push(CreateCall {
                natural_key: call.natural_key.map(|k| KeyText::of(k, raw)),
                ..c
            });
            return;
        }
        let label = match self.cur_path {
            Some(i) => std::mem::take(&mut self.cached_paths[i as usize].label),
            None => std::mem::take(&mut self.label_buf),
        };
        self.apply_create(&c, || call.natural_key, &label, raw);
        match self.cur_path {
            Some(i) => self.cached_paths[i as usize].label = label,
            None => self.label_buf = label,
        }
    }

    /// Folds a create or lookup into the create keys; `label` is its endpoint's, and
    /// `natural_key` gives its key's text, read only for a key kept with its text (a key in
    /// doubt), not for every create.
    fn apply_create<'k>(
        &mut self,
        c: &CreateCall,
        natural_key: impl FnOnce() -> Option<&'k str>,
        label: &str,
        raw: Raw<'_>,
    ) {
        let key = c.key;
        if !c.create {
            // A lookup settles the doubt open before it; a failed one settles nothing.
            if let Some(state) = self.creates.get_mut(&key)
                && state.doubt_open
                && c.failure.is_none()
            {
                state.doubt_open = false;
            }
            return;
        }
        if self.creates.len() >= MAX_CREATE_KEYS && !self.creates.contains_key(&key) {
            cap_note(&mut self.capped, "create keys");
            return;
        }
        let state = self.creates.entry(key).or_default();
        if state.doubt_open {
            state.blind_resends = state.blind_resends.saturating_add(1);
        }
        state.attempts = state.attempts.saturating_add(1);
        if let Some(t) = c.ts {
            state.last_attempt = t;
        }
        let doubt = c.unanswered
            || c.status.is_some_and(|s| s >= 500)
            || matches!(
                c.failure,
                Some(FailureClass::TransientServer | FailureClass::BadResponse)
            );
        if doubt {
            if c.unanswered {
                state.unanswered = state.unanswered.saturating_add(1);
            } else {
                state.server_error = state.server_error.saturating_add(1);
            }
            if state.first_doubt == NO_TIME {
                state.first_doubt = c.ts.unwrap_or(Millis::MIN);
            }
            state.doubt_open = true;
        } else if c.failure.is_none() {
            state.succeeded = state.succeeded.saturating_add(1);
        } else if c.failure == Some(FailureClass::Duplicate) {
            state.refused_duplicate = state.refused_duplicate.saturating_add(1);
        }
        let interesting = state.first_doubt != NO_TIME || state.succeeded >= 2;
        // Keep the readable key and samples of creates in doubt only, from the doubtful
        // attempt on: rendering a sample scrubs the line, which is not free.
        if !interesting {
            return;
        }
        if self.create_details.len() < MAX_KEY_DETAILS || self.create_details.contains_key(&key) {
            let mut lazy = Lazy::new(c.loc, raw, self.deferred.is_none());
            let sources = &self.sources;
            let detail = self
                .create_details
                .entry(key)
                .or_insert_with(|| CreateDetail {
                    key: natural_key()
                        .map_or_else(|| "(same request body)".to_owned(), str::to_owned),
                    endpoint: label.to_owned(),
                    organization: self.orgs[c.org as usize].id.clone(),
                    samples: Vec::new(),
                });
            push_sample(&mut detail.samples, || lazy.get(sources));
        } else {
            cap_note(&mut self.capped, "create details");
        }
    }

    fn note_host(&mut self, host: &str, token_call: bool) {
        if let Some(h) = self.hosts.get_mut(host) {
            h.count += 1;
            return;
        }
        if self.hosts.len() >= 100 {
            return;
        }
        let accounts = token_call || host.starts_with("accounts.");
        self.hosts.insert(
            host.to_owned(),
            HostStat {
                count: 1,
                accounts,
                dc: DataCenter::from_host(host),
            },
        );
    }
}

fn min_of(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_of(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Merges a code's figures: the first statuses (at most `most`) and the first message in
/// input order.
fn merge_code(g: &mut CodeStat, c: &CodeStat, most: Option<usize>) {
    merge_stat(&mut g.stat, &c.stat);
    for s in &c.statuses {
        if !g.statuses.contains(s) && most.is_none_or(|m| g.statuses.len() < m) {
            g.statuses.push(*s);
        }
    }
    if g.message.is_none() {
        g.message.clone_from(&c.message);
    }
}

/// What a validation error is about: the parameter of a code 2, the name of a 3062, else the
/// message (shortened).
fn validation_field(code: i64, message: Option<&str>) -> String {
    let Some(message) = message else {
        return String::new();
    };
    let details = catalog::refine(code, message);
    if let Some(p) = details.parameter {
        return p;
    }
    if code == 3062 {
        return "contact_name".to_owned();
    }
    crate::util::shorten(message.trim(), 80)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls almost in order, far out of order, and in reverse are sorted as a full sort
    /// sorts them.
    #[test]
    fn calls_almost_in_order_sort_as_a_full_sort_does() {
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            i64::try_from(seed % 1000).unwrap_or(0)
        };
        for spread in [0, 3, 40, 1000] {
            for len in [0, 1, 2, 17, 5000] {
                let mut calls: Vec<(Millis, Millis)> = (0..len)
                    .map(|i| {
                        let end = i * 10 + next() % (spread + 1);
                        (end - next() % 50, end)
                    })
                    .collect();
                if spread == 1000 {
                    calls.reverse();
                }
                let mut sorted = calls.clone();
                sorted.sort_unstable();
                sort_nearly_sorted(&mut calls);
                assert_eq!(calls, sorted, "spread {spread}, {len} calls");
            }
        }
    }

    #[test]
    fn in_flight_counts_overlaps_only() {
        let mut f = InFlight::default();
        // Three overlapping, then one after they all ended.
        f.push(0, 100);
        f.push(10, 120);
        f.push(50, 60);
        f.push(200, 300);
        f.end_source();
        assert_eq!(f.peak, 3);
        let mut g = InFlight::default();
        // Back to back is not at once.
        g.push(0, 100);
        g.push(100, 200);
        g.end_source();
        assert_eq!(g.peak, 1);
    }

    /// The endpoint cache changes nothing, past the endpoints' cap included: creates in doubt
    /// on endpoints beyond it keep their own label, and paths with ids, tokens and actions
    /// keep their create and lookup facts.
    #[test]
    fn the_endpoint_cache_changes_no_finding() {
        let mut lines = Vec::new();
        for round in 0..4 {
            for i in 0..MAX_ENDPOINTS * 3 / 2 {
                let path = match i % 5 {
                    0 => format!("/books/v3/r{i}"),
                    1 => format!("/books/v3/r{i}/4815000000044031"),
                    2 => format!("/books/v3/r{i}/email"),
                    3 => format!("/books/v4/r{i}/"),
                    _ => "/oauth/v2/token".to_owned(),
                };
                // Creates, lookups, then (beyond the cap only, so the report shows those) a
                // create in doubt sent again blind: the create details are made on paths
                // met before.
                // Four endpoints in five paths: the cap is reached at 5/4 of it.
                let beyond = i >= MAX_ENDPOINTS * 5 / 4 + 50;
                let (method, sent) = match round {
                    1 => (
                        "get",
                        r#""status":200,"sent":"answered","purpose":"lookup""#,
                    ),
                    2 if beyond => ("POST", r#""sent":"maybe_sent","class":"transient_server""#),
                    _ => ("POST", r#""status":201,"sent":"answered""#),
                };
                let (h, m) = (10 + round, i / 100);
                lines.push(format!(
                    r#"{{"schema":1,"ts":"2026-11-25T{h:02}:{m:02}:00.000Z","kind":"attempt","organization_id":"1","method":"{method}","path":"{path}",{sent},"attempt":1,"duration_ms":10,"natural_key":"k{i}"}}"#
                ));
            }
        }
        let report = |off: bool| {
            let mut state = State {
                path_cache_off: off,
                ..State::default()
            };
            let source = state.add_source("t".to_owned(), "zbooks_events", false);
            for (n, line) in (1..).zip(&lines) {
                let event: zbooks_types::event::CallEvent =
                    serde_json::from_str(line).expect("an event");
                crate::read::events::feed(&mut state, source, &event, n);
            }
            state.end_source();
            let report = crate::rules::report(&state, &crate::AnalyzeOptions::default());
            (
                report.to_json(),
                state.endpoints.len(),
                state.create_details.len(),
            )
        };
        let (cached, endpoints, details) = report(false);
        let (uncached, ..) = report(true);
        assert_eq!(endpoints, MAX_ENDPOINTS + 1, "the cap is reached");
        assert!(details > 100, "creates in doubt beyond the cap: {details}");
        let text = serde_json::to_string(&cached).unwrap_or_default();
        assert!(text.contains(" on POST /books/v"), "{text}");
        assert_eq!(cached, uncached);
    }
}
