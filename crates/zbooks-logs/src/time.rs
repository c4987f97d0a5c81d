//! Timestamps: reading the common formats logs write them in, and writing them back as
//! RFC 3339.
//!
//! Hand-written rather than a date crate: the analyzer only needs UTC milliseconds since the
//! epoch, the formats are few and fixed, and this is on the hot path of every line. A
//! timestamp without a zone is taken as UTC. Nothing here reads the clock.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, UTC.
pub(crate) type Millis = i64;

/// One minute in milliseconds.
pub(crate) const MINUTE: Millis = 60_000;
/// One hour in milliseconds.
pub(crate) const HOUR: Millis = 60 * MINUTE;
/// One day in milliseconds.
pub(crate) const DAY: Millis = 24 * HOUR;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // d is 1..=31 and m 1..=12 by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn month_from_name(b: &[u8]) -> Option<u32> {
    const NAMES: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let s = b.get(..3)?;
    let lower = [
        s[0].to_ascii_lowercase(),
        s[1].to_ascii_lowercase(),
        s[2].to_ascii_lowercase(),
    ];
    NAMES
        .iter()
        .position(|n| **n == lower)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn valid(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> bool {
    (1970..=2200).contains(&y)
        && (1..=12).contains(&mo)
        && (1..=31).contains(&d)
        && h < 24
        && mi < 60
        && s <= 60
}

fn to_millis(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Millis {
    let days = days_from_civil(i64::from(y), mo, d);
    days * DAY + i64::from(h) * HOUR + i64::from(mi) * MINUTE + i64::from(s) * 1000 + i64::from(ms)
}

/// Reads a fraction of a second (`.123`, `,5`, `.123456`) at `at`: its milliseconds and the
/// bytes it spans.
fn fraction(b: &[u8], at: usize) -> (u32, usize) {
    if !matches!(b.get(at), Some(b'.' | b',')) {
        return (0, 0);
    }
    let mut ms = 0u32;
    let mut n = 0usize;
    while let Some(c) = b.get(at + 1 + n) {
        if !c.is_ascii_digit() {
            break;
        }
        if n < 3 {
            ms = ms * 10 + u32::from(c - b'0');
        }
        n += 1;
    }
    if n == 0 {
        return (0, 0);
    }
    for _ in n..3 {
        ms *= 10;
    }
    (ms, n + 1)
}

/// Reads a zone (`Z`, `+05:30`, `-0800`, ` +0000`) at `at`: its offset in milliseconds east
/// of UTC; no zone is UTC.
fn zone(b: &[u8], at: usize) -> Millis {
    let mut at = at;
    if b.get(at) == Some(&b' ') && matches!(b.get(at + 1), Some(b'+' | b'-')) {
        at += 1;
    }
    match b.get(at) {
        Some(sign @ (b'+' | b'-')) => {
            let Some(h) = digits(b, at + 1, 2) else {
                return 0;
            };
            let m = if b.get(at + 3) == Some(&b':') {
                digits(b, at + 4, 2)
            } else {
                digits(b, at + 3, 2)
            }
            .unwrap_or(0);
            let off = i64::from(h) * HOUR + i64::from(m) * MINUTE;
            if *sign == b'-' { -off } else { off }
        }
        _ => 0,
    }
}

/// `2026-11-25T10:00:01.123Z`, `2026-11-25 10:00:01,123`, `2026-11-25T10:00:01+05:30`.
#[expect(
    clippy::many_single_char_names,
    reason = "date fields read best as y, d, h, s"
)]
pub(crate) fn parse_iso(b: &[u8]) -> Option<Millis> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    // The second of a log's lines changes seldom (lines come many to a second): the start of
    // the second is kept from the last line read on this thread, with the text it was read
    // from, and only the fraction and the zone are read.
    // The text is held as three words read straight from the line (the last two overlap),
    // compared in registers: a copy of it compared after stalled on the copy (measured).
    thread_local! {
        static SECOND_START: std::cell::Cell<([u64; 3], Millis)> =
            const { std::cell::Cell::new(([0; 3], 0)) };
    }
    let word = |at: usize| crate::util::word_at(b, at);
    let prefix = [word(0), word(8), word(11)];
    let (kept, start) = SECOND_START.get();
    // Word by word: compared as one array, the words went through memory again.
    let same = (kept[0] ^ prefix[0]) | (kept[1] ^ prefix[1]) | (kept[2] ^ prefix[2]) == 0;
    let second_start = if same {
        start
    } else {
        let (y, mo, d) = (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?);
        let (h, mi, s) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
        if !valid(y, mo, d, h, mi, s) {
            return None;
        }
        let start = to_millis(y, mo, d, h, mi, s, 0);
        SECOND_START.set((prefix, start));
        start
    };
    let (ms, flen) = fraction(b, 19);
    Some(second_start + i64::from(ms) - zone(b, 19 + flen))
}

/// Common log format (nginx, Apache): `25/Nov/2026:10:00:01 +0000`.
#[expect(
    clippy::many_single_char_names,
    reason = "date fields read best as y, d, h, s"
)]
fn parse_clf(b: &[u8]) -> Option<Millis> {
    if b.len() < 20 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' {
        return None;
    }
    let d = digits(b, 0, 2)?;
    let mo = month_from_name(&b[3..6])?;
    let y = digits(b, 7, 4)?;
    let (h, mi, s) = (digits(b, 12, 2)?, digits(b, 15, 2)?, digits(b, 18, 2)?);
    if b[14] != b':' || b[17] != b':' || !valid(y, mo, d, h, mi, s) {
        return None;
    }
    let (ms, flen) = fraction(b, 20);
    Some(to_millis(y, mo, d, h, mi, s, ms) - zone(b, 20 + flen))
}

/// `25-Nov-2026 10:00:01` (Zoho's own consoles and Java logs).
#[expect(
    clippy::many_single_char_names,
    reason = "date fields read best as y, d, h, s"
)]
fn parse_dmy_name(b: &[u8]) -> Option<Millis> {
    if b.len() < 20 || b[2] != b'-' || b[6] != b'-' || !matches!(b[11], b' ' | b':') {
        return None;
    }
    let d = digits(b, 0, 2)?;
    let mo = month_from_name(&b[3..6])?;
    let y = digits(b, 7, 4)?;
    let (h, mi, s) = (digits(b, 12, 2)?, digits(b, 15, 2)?, digits(b, 18, 2)?);
    if b[14] != b':' || b[17] != b':' || !valid(y, mo, d, h, mi, s) {
        return None;
    }
    let (ms, flen) = fraction(b, 20);
    Some(to_millis(y, mo, d, h, mi, s, ms) - zone(b, 20 + flen))
}

/// Finds the first timestamp in a line, in any of the formats this module reads, looking at
/// the first `window` bytes.
pub(crate) fn find_timestamp(line: &[u8], window: usize) -> Option<Millis> {
    let end = line.len().min(window);
    let mut i = 0;
    while i + 19 <= line.len() && i < end {
        let c = line[i];
        if c.is_ascii_digit() && (i == 0 || !line[i - 1].is_ascii_digit()) {
            let rest = &line[i..];
            let found = match rest.get(2) {
                Some(b'/') => parse_clf(rest),
                Some(b'-') => parse_dmy_name(rest),
                _ if rest.get(4) == Some(&b'-') => parse_iso(rest),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        i += 1;
    }
    None
}

/// An epoch number from a JSON log field: seconds (with an optional fraction) or
/// milliseconds, told apart by size.
pub(crate) fn from_epoch_number(n: f64) -> Option<Millis> {
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "the value is range-checked to plausible epoch times first"
    )]
    let ms = if n > 1e14 {
        return None;
    } else if n > 1e11 {
        n as i64
    } else if n > 1e8 {
        (n * 1000.0) as i64
    } else {
        return None;
    };
    Some(ms)
}

/// RFC 3339 in UTC with seconds (`2026-11-25T10:00:01Z`).
pub(crate) fn format(ms: Millis) -> String {
    let days = ms.div_euclid(DAY);
    let rem = ms.rem_euclid(DAY);
    let (y, mo, d) = civil_from_days(days);
    let h = rem / HOUR;
    let mi = (rem % HOUR) / MINUTE;
    let s = (rem % MINUTE) / 1000;
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `HH:MM` of a time, UTC.
pub(crate) fn format_hm(ms: Millis) -> String {
    let rem = ms.rem_euclid(DAY);
    format!("{:02}:{:02}", rem / HOUR, (rem % HOUR) / MINUTE)
}

/// `YYYY-MM-DD` of a time, UTC.
pub(crate) fn format_day(ms: Millis) -> String {
    let (y, mo, d) = civil_from_days(ms.div_euclid(DAY));
    format!("{y:04}-{mo:02}-{d:02}")
}

/// Milliseconds since the epoch of a `SystemTime` (negative before 1970).
pub(crate) fn from_system(t: SystemTime) -> Millis {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hour kept between lines changes no reading: every time, read after any other (the
    /// same hour, another, an invalid one), reads as it reads alone.
    #[test]
    fn the_kept_hour_changes_no_reading() {
        #[expect(
            clippy::many_single_char_names,
            reason = "date fields read best as y, d, h, s"
        )]
        fn alone(b: &[u8]) -> Option<Millis> {
            if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ' | b't')
            {
                return None;
            }
            if b[13] != b':' || b[16] != b':' {
                return None;
            }
            let (y, mo, d) = (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?);
            let (h, mi, s) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
            if !valid(y, mo, d, h, mi, s) {
                return None;
            }
            let (ms, flen) = fraction(b, 19);
            Some(to_millis(y, mo, d, h, mi, s, ms) - zone(b, 19 + flen))
        }
        let mut times = Vec::new();
        for day in [
            "2026-11-25",
            "2026-02-28",
            "2024-02-29",
            "1969-12-31",
            "2026-13-01",
        ] {
            for hour in ["T00", "T10", " 23", "t24"] {
                for rest in [
                    ":00:00.000Z",
                    ":59:60,5",
                    ":60:00Z",
                    ":05:61Z",
                    ":07:08+05:30",
                    ":07:08 -0100",
                    ":7:08Z",
                ] {
                    times.push(format!("{day}{hour}{rest}"));
                }
            }
        }
        for (i, a) in times.iter().enumerate() {
            for b in times.iter().skip(i % 7).step_by(5) {
                assert_eq!(parse_iso(a.as_bytes()), alone(a.as_bytes()), "{a}");
                assert_eq!(
                    parse_iso(b.as_bytes()),
                    alone(b.as_bytes()),
                    "{b} after {a}"
                );
            }
        }
    }

    const T: Millis = 1_795_600_801_000; // 2026-11-25T10:00:01Z

    #[test]
    fn reads_the_common_formats() {
        assert_eq!(format(T), "2026-11-25T10:00:01Z");
        assert_eq!(parse_iso(b"2026-11-25T10:00:01Z"), Some(T));
        assert_eq!(parse_iso(b"2026-11-25T10:00:01.250Z"), Some(T + 250));
        assert_eq!(parse_iso(b"2026-11-25 10:00:01,5 INFO"), Some(T + 500));
        assert_eq!(parse_iso(b"2026-11-25T15:30:01+05:30"), Some(T));
        assert_eq!(parse_iso(b"2026-11-25T02:00:01-0800"), Some(T));
        assert_eq!(
            find_timestamp(b"10.0.0.1 - - [25/Nov/2026:10:00:01 +0000] \"GET /", 200),
            Some(T)
        );
        assert_eq!(
            find_timestamp(b"INFO 25-Nov-2026 10:00:01 something", 200),
            Some(T)
        );
        assert_eq!(
            find_timestamp(
                b"{\"level\":\"e\",\"ts\":\"2026-11-25T10:00:01.000Z\"}",
                200
            ),
            Some(T)
        );
        assert_eq!(find_timestamp(b"order 12345 shipped 2026", 200), None);
        assert_eq!(from_epoch_number(1_795_600_801.0), Some(T));
        assert_eq!(from_epoch_number(1_795_600_801_000.0), Some(T));
        assert_eq!(from_epoch_number(42.0), None);
    }

    #[test]
    fn civil_round_trips() {
        for days in [-1000, 0, 59, 365, 10_957, 20_000, 20_782] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            from_system(UNIX_EPOCH + std::time::Duration::from_millis(1_500)),
            1_500
        );
        assert_eq!(format_day(T), "2026-11-25");
        assert_eq!(format_hm(T), "10:00");
    }
}
