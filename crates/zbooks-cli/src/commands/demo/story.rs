//! The demo's story, told from what the run really did: what was migrated, each fault the
//! simulator threw and what zbooks did about it, the result, the limits' share used, the
//! tie-out and the next command — about fifteen lines. Pure: it reads the simulator's request
//! log, the client's events, the journal and the reconciliation, and prints nothing, so a unit
//! test can feed it any run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use zbooks_import::totals::Scope;
use zbooks_import::{Entity, Reconciliation, Record, Summary};
use zbooks_sim::LoggedRequest;
use zbooks_store::{JournalEntry, Outcome, RecordState};
use zbooks_types::event::{CallEvent, EventKind, WaitReason};
use zbooks_types::{FailureClass, Sent};

use crate::printer::{Printer, wrap};

/// One fault and what zbooks did about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FaultLine {
    /// What Zoho threw, and at which record.
    pub(super) what: String,
    /// What zbooks did, and how it ended.
    pub(super) did: String,
    /// How many times it fired.
    pub(super) times: usize,
}

/// Everything the story tells, from the run.
#[derive(Clone, Debug)]
pub(super) struct Story {
    /// The input's name.
    pub(super) input: String,
    /// Records per entity, in the order they are created.
    pub(super) records: Vec<(Entity, usize)>,
    /// Warnings the input gave (shown with `-v`).
    pub(super) warnings: usize,
    /// Whether the full detail was shown above (`-v`).
    pub(super) detailed: bool,
    /// The faults, in the order they first fired.
    pub(super) faults: Vec<FaultLine>,
    /// The journal's counts.
    pub(super) summary: Summary,
    /// Natural keys the simulator holds more than once.
    pub(super) duplicates: usize,
    /// Records neither in the simulator nor failed.
    pub(super) lost: usize,
    /// Books API calls the simulator answered.
    pub(super) calls: usize,
    /// Token requests the accounts server answered.
    pub(super) token_requests: u64,
    /// The plan's daily quota.
    pub(super) per_day: u32,
    /// The per-minute limit.
    pub(super) per_minute: u32,
    /// The most calls sent within one of the limits' minutes.
    pub(super) busiest_minute: usize,
    /// The input ticked off against Zoho, when it was read back.
    pub(super) reconciliation: Option<Reconciliation>,
    /// How long the run took.
    pub(super) elapsed: Duration,
    /// How long the simulator's minute lasts.
    pub(super) minute: Duration,
}

/// The story as `--format json`'s data: the same figures, durations in seconds.
pub(super) fn json(story: &Story) -> serde_json::Value {
    let records: serde_json::Map<String, serde_json::Value> = story
        .records
        .iter()
        .map(|(e, n)| (e.as_str().to_owned(), serde_json::json!(n)))
        .collect();
    let faults: Vec<serde_json::Value> = story
        .faults
        .iter()
        .map(|f| serde_json::json!({"what": f.what, "did": f.did, "times": f.times}))
        .collect();
    serde_json::json!({
        "input": story.input,
        "records": records,
        "faults": faults,
        "summary": story.summary,
        "duplicates": story.duplicates,
        "lost": story.lost,
        "calls": story.calls,
        "token_requests": story.token_requests,
        "per_day": story.per_day,
        "per_minute": story.per_minute,
        "busiest_minute": story.busiest_minute,
        "reconciliation": story.reconciliation,
        "elapsed_seconds": story.elapsed.as_secs_f64(),
        "minute_seconds": story.minute.as_secs_f64(),
    })
}

/// The story as text, for the terminal.
pub(super) fn render(story: &Story, p: Printer) -> String {
    let mut out = String::new();
    let total: usize = story.records.iter().map(|(_, n)| n).sum();
    let kinds: Vec<String> = story
        .records
        .iter()
        .map(|(entity, n)| format!("{n} {}", plural(*entity, *n)))
        .collect();
    let _ = writeln!(
        out,
        "Migrating a Tally company ({}) into a simulated Zoho Books: {total} records",
        story.input
    );
    let warned = match (story.warnings, story.detailed) {
        (0, _) => String::new(),
        (n, true) => format!("; {} above", count(n, "input warning")),
        (n, false) => format!("; {} (-v)", count(n, "input warning")),
    };
    let _ = writeln!(
        out,
        "  {}",
        p.dim(&wrap(&format!("{}{warned}", kinds.join(", ")), p.width, 2))
    );

    let thrown: usize = story.faults.iter().map(|f| f.times).sum();
    let _ = writeln!(
        out,
        "\n{}",
        p.bold(&format!(
            "Zoho threw {}; what zbooks did about each:",
            if story.faults.len() == thrown {
                count(thrown, "fault")
            } else {
                format!(
                    "{} of {}",
                    count(thrown, "fault"),
                    count(story.faults.len(), "kind")
                )
            }
        ))
    );
    for f in &story.faults {
        let line = format!("{} → {}", f.what, f.did);
        let _ = writeln!(out, "  {}", wrap(&line, p.width, 4));
    }

    let s = &story.summary;
    let result = format!(
        "created {} · adopted {} · already there {} · failed {} · duplicates {} · lost {}",
        s.created, s.adopted, s.present, s.failed, story.duplicates, story.lost
    );
    let clean = story.duplicates == 0 && story.lost == 0 && s.failed == 0;
    let _ = writeln!(
        out,
        "\n{} {}",
        p.bold("Result:"),
        if clean {
            p.colored("green", &result)
        } else {
            p.colored("red", &result)
        }
    );
    let share = percent(story.calls, story.per_day);
    let _ = writeln!(
        out,
        "{} {} calls, {share} of the day's {} · busiest minute {} of {} · {}",
        p.bold("Limits:"),
        story.calls,
        thousands(story.per_day),
        story.busiest_minute,
        story.per_minute,
        count(
            usize::try_from(story.token_requests).unwrap_or(usize::MAX),
            "token request"
        )
    );
    let _ = writeln!(
        out,
        "{} {}",
        p.bold("Tie-out:"),
        wrap(&tie_out(story.reconciliation.as_ref()), p.width, 9)
    );

    let _ = writeln!(
        out,
        "\nDone in {:.1} s (a minute of the limits lasts {} here). With your own organization:",
        story.elapsed.as_secs_f64(),
        seconds(story.minute)
    );
    let _ = writeln!(
        out,
        "  zbooks auth login && zbooks import your-books.xml --dry-run   # checks and plans, sends nothing"
    );
    out
}

/// One line: the records that agree, and the totals per entity.
fn tie_out(reconciliation: Option<&Reconciliation>) -> String {
    let Some(r) = reconciliation else {
        return "not read back (the run did not finish)".to_owned();
    };
    let (mut records, mut agree) = (0, 0);
    let mut totals = Vec::new();
    let mut totals_agree = true;
    for line in &r.lines {
        match &line.scope {
            Scope::Record { .. } => {
                records += 1;
                agree += usize::from(line.agrees);
            }
            Scope::Entity { entity } => {
                totals_agree &= line.agrees;
                totals.push(format!(
                    "{} {}",
                    plural(*entity, 2),
                    money(line.zoho.amount)
                ));
            }
            Scope::Party { .. } => {}
        }
    }
    format!(
        "{agree} of {records} vouchers agree with Zoho; totals {}: {}",
        if totals_agree { "agree" } else { "DIFFER" },
        totals.join(", ")
    )
}

/// What each fault the simulator threw led zbooks to do, from the request log (the faults),
/// the client's events (the answer it read, then the next attempt for the same record) and
/// the journal (how the record ended).
pub(super) fn faults(
    log: &[LoggedRequest],
    events: &[CallEvent],
    journal: &[JournalEntry],
    records: &[Record],
) -> Vec<FaultLine> {
    let mut fired: Vec<(&str, Vec<&LoggedRequest>)> = Vec::new();
    for entry in log {
        if let Some(name) = entry.fault.as_deref() {
            match fired.iter_mut().find(|(n, _)| *n == name) {
                Some((_, hits)) => hits.push(entry),
                None => fired.push((name, vec![entry])),
            }
        }
    }
    let mut used = vec![false; events.len()];
    fired
        .iter()
        .map(|(name, hits)| {
            // The client's side of each hit: the first event not yet matched with its route
            // and answer (a reset has no answer: status 0 in the log, none in the event).
            let seen: Vec<usize> = hits
                .iter()
                .filter_map(|hit| {
                    let i = events.iter().enumerate().position(|(i, e)| {
                        !used[i]
                            && e.kind == EventKind::Attempt
                            && e.method == hit.method
                            && e.path == hit.path
                            && e.status.unwrap_or(0) == hit.status
                            && (hit.status == 0 || e.code == hit.code)
                    })?;
                    used[i] = true;
                    Some(i)
                })
                .collect();
            told(name, hits, &seen, events, journal, records)
        })
        .collect()
}

/// One fault's line.
fn told(
    name: &str,
    hits: &[&LoggedRequest],
    seen: &[usize],
    events: &[CallEvent],
    journal: &[JournalEntry],
    records: &[Record],
) -> FaultLine {
    let times = if hits.len() > 1 {
        format!(" ×{}", hits.len())
    } else {
        String::new()
    };
    let Some(&first) = seen.first() else {
        return FaultLine {
            what: format!("{name}{times}"),
            did: "not seen by the client".to_owned(),
            times: hits.len(),
        };
    };
    let event = &events[first];
    let keys: Vec<&str> = seen
        .iter()
        .filter_map(|i| events[*i].natural_key.as_deref())
        .collect();
    let record = keys.first().and_then(|k| record_of(records, k));
    let at = match (record, hits.len()) {
        (Some(r), 1) => format!(" ({} {})", singular(r.entity), label(r)),
        (Some(r), n) => format!(" ({})", plural(r.entity, n)),
        (None, _) => String::new(),
    };
    let ended = ended(&keys, journal);
    let answer = match (event.status, event.code) {
        (Some(status), Some(code)) => format!("{status}/{code} "),
        (Some(status), None) => format!("{status} "),
        _ => String::new(),
    };
    let (what, did) = match (event.sent, event.class) {
        (Sent::MaybeSent, _) => (
            format!("lost answer to a create{at}"),
            format!("looked it up before resending: {ended}"),
        ),
        (_, Some(FailureClass::AuthExpired)) => {
            let refreshed = refreshes_after(events, first);
            (
                format!("{answer}token expired{at}"),
                if refreshed == 1 {
                    format!("refreshed it once, replayed: {ended}")
                } else {
                    format!("refreshed it ({refreshed} requests), replayed: {ended}")
                },
            )
        }
        (_, Some(FailureClass::ConcurrencyLimited)) => {
            let backoff = seen
                .iter()
                .filter_map(|i| next_for(events, *i))
                .flat_map(|e| e.waited.iter())
                .filter(|w| w.reason == WaitReason::Backoff)
                .map(|w| w.ms)
                .max()
                .unwrap_or(0);
            (
                format!("{answer}too many in flight{times}{at}"),
                format!("backed off (at most {backoff} ms), retried: {ended}"),
            )
        }
        (_, Some(FailureClass::RateLimitedMinute)) => {
            let paused = events
                .iter()
                .skip(first)
                .flat_map(|e| e.waited.iter())
                .filter(|w| w.reason == WaitReason::Paused)
                .map(|w| w.ms)
                .max()
                .unwrap_or(0);
            (
                format!("{answer}per-minute limit{at}"),
                format!(
                    "paused the organization {}, resent: {ended}",
                    seconds(Duration::from_millis(paused))
                ),
            )
        }
        (_, Some(FailureClass::TransientServer)) => {
            let later = next_for(events, first).map_or_else(String::new, |next| {
                let ms = millis(&next.ts).saturating_sub(millis(&event.ts));
                format!(" {} later", seconds(Duration::from_millis(ms)))
            });
            (
                format!("{answer}server error{at}"),
                format!("went on, resent it{later}: {ended}"),
            )
        }
        (_, class) => (
            format!("{answer}{name}{times}{at}"),
            format!(
                "handled as {}: {ended}",
                class.map_or("success", FailureClass::as_str)
            ),
        ),
    };
    FaultLine {
        what,
        did,
        times: hits.len(),
    }
}

/// How the records ended, from the journal: "created once", "found and adopted", or the
/// counts of each for several.
fn ended(keys: &[&str], journal: &[JournalEntry]) -> String {
    let mut ends: BTreeMap<&str, usize> = BTreeMap::new();
    for key in keys {
        let (field, value) = key.split_once('=').unwrap_or(("", key));
        let end = journal
            .iter()
            .find(|e| e.key_field == field && e.key_value == value)
            .map_or("not journaled", |e| match (e.state, e.outcome) {
                (RecordState::Done, Some(Outcome::Created)) => "created once",
                (RecordState::Done, Some(Outcome::Adopted)) => "found, adopted",
                (RecordState::Done, _) => "already there",
                (RecordState::Failed, _) => "failed",
                _ => "left for the next run",
            });
        *ends.entry(end).or_default() += 1;
    }
    match (keys.len(), ends.len()) {
        (1, _) => {
            return ends
                .keys()
                .next()
                .copied()
                .unwrap_or("not journaled")
                .to_owned();
        }
        (n, 1) => {
            let end = ends.keys().next().copied().unwrap_or("not journaled");
            return format!("all {n} {end}");
        }
        _ => {}
    }
    ends.iter()
        .map(|(end, n)| format!("{n} {end}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The next attempt for the same record after event `i`.
fn next_for(events: &[CallEvent], i: usize) -> Option<&CallEvent> {
    let key = events[i].natural_key.as_deref()?;
    events[i + 1..]
        .iter()
        .find(|e| e.kind == EventKind::Attempt && e.natural_key.as_deref() == Some(key))
}

/// Token requests between event `i` and the next attempt for its record.
fn refreshes_after(events: &[CallEvent], i: usize) -> usize {
    let key = events[i].natural_key.as_deref();
    events[i + 1..]
        .iter()
        .take_while(|e| !(e.kind == EventKind::Attempt && e.natural_key.as_deref() == key))
        .filter(|e| e.kind == EventKind::Token)
        .count()
}

/// The record a natural key (`field=value`) names.
fn record_of<'a>(records: &'a [Record], key: &str) -> Option<&'a Record> {
    let (field, value) = key.split_once('=')?;
    records
        .iter()
        .find(|r| r.keys().any(|k| k.field == field && k.value == value))
}

/// A record as people name it: its voucher number or ledger name in the input, else its
/// name in Zoho.
fn label(record: &Record) -> String {
    if let Some(label) = &record.location.label {
        return label.to_string();
    }
    let name_field = record.entity.resource().name_field;
    record
        .keys()
        .find(|k| k.field == name_field)
        .unwrap_or(&record.key)
        .value
        .clone()
}

/// The most calls sent within any `minute` (a sliding window over the events' times).
pub(super) fn busiest_minute(events: &[CallEvent], minute: Duration) -> usize {
    let mut times: Vec<u64> = events
        .iter()
        .filter(|e| e.kind == EventKind::Attempt && e.sent != Sent::NotSent)
        .map(|e| millis(&e.ts))
        .collect();
    times.sort_unstable();
    let window = u64::try_from(minute.as_millis()).unwrap_or(u64::MAX);
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

/// Milliseconds since midnight of an event's RFC 3339 time (`2026-12-07T02:45:31.058Z`); a
/// demo does not run across midnight.
fn millis(ts: &str) -> u64 {
    let clock = ts.get(11..23).unwrap_or_default();
    let mut parts = clock
        .split([':', '.'])
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let (h, m, s, ms) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    ((h * 60 + m) * 60 + s) * 1000 + ms
}

/// An entity as the story names it: Tally's receipts are Zoho's customer payments, and
/// "payment" is short enough for one line.
fn singular(entity: Entity) -> String {
    match entity {
        Entity::CustomerPayment => "payment".to_owned(),
        other => other.as_str().replace('_', " "),
    }
}

fn plural(entity: Entity, n: usize) -> String {
    let one = singular(entity);
    if n == 1 {
        one
    } else if one.ends_with('x') {
        format!("{one}es")
    } else {
        format!("{one}s")
    }
}

/// `1 fault`, `7 faults`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn percent(part: usize, whole: u32) -> String {
    if whole == 0 {
        return "?".to_owned();
    }
    #[expect(clippy::cast_precision_loss, reason = "call counts are far below 2^52")]
    let share = part as f64 * 100.0 / f64::from(whole);
    if share < 10.0 {
        format!("{share:.1}%")
    } else {
        format!("{share:.0}%")
    }
}

fn thousands(n: u32) -> String {
    zbooks_types::explain::thousands(n)
}

/// An amount with thousands separators (Indian grouping is not assumed).
fn money(amount: zbooks_client::Decimal) -> String {
    let text = format!("{amount:.2}");
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{cents}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_minute_slides_over_the_calls() {
        let at = |ts: &str| CallEvent {
            schema: 1,
            ts: ts.to_owned(),
            kind: EventKind::Attempt,
            organization_id: None,
            method: "POST".to_owned(),
            path: "/books/v3/contacts".to_owned(),
            status: Some(201),
            code: None,
            message: None,
            class: None,
            sent: Sent::Answered,
            attempt: 1,
            waited: Vec::new(),
            duration_ms: 0,
            natural_key: None,
            purpose: None,
        };
        let events = [
            at("2026-12-07T02:45:31.000Z"),
            at("2026-12-07T02:45:31.500Z"),
            at("2026-12-07T02:45:31.999Z"),
            at("2026-12-07T02:45:32.000Z"),
        ];
        assert_eq!(busiest_minute(&events, Duration::from_secs(1)), 3);
        assert_eq!(busiest_minute(&events, Duration::from_mins(1)), 4);
        assert_eq!(busiest_minute(&[], Duration::from_secs(1)), 0);
    }

    #[test]
    fn amounts_and_shares_read_like_a_report() {
        assert_eq!(money("853545.00".parse().unwrap()), "853,545.00");
        assert_eq!(money("940".parse().unwrap()), "940.00");
        assert_eq!(percent(109, 5000), "2.2%");
        assert_eq!(percent(2500, 5000), "50%");
        assert_eq!(plural(Entity::Tax, 7), "taxes");
        assert_eq!(plural(Entity::CustomerPayment, 13), "payments");
    }
}
