//! The simulator's time: the injected [`Clock`] plus an offset the control API can move, and
//! Zoho's date formats.
//!
//! Token expiry, grant codes, the token throttle and created times all read this one clock, so
//! a test moves time by calling the control API instead of waiting (docs/style.md, "Time").

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zbooks_types::Clock;

/// The injected clock plus a movable offset.
#[derive(Debug)]
pub(crate) struct SimClock {
    base: Arc<dyn Clock>,
    offset_ms: AtomicU64,
}

impl SimClock {
    pub(crate) fn new(base: Arc<dyn Clock>) -> Self {
        SimClock {
            base,
            offset_ms: AtomicU64::new(0),
        }
    }

    /// The simulator's now.
    pub(crate) fn now(&self) -> SystemTime {
        self.base.now() + Duration::from_millis(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the simulator's time forward.
    pub(crate) fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// Seconds since the Unix epoch (0 before it).
pub(crate) fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// (year, month, day) of the day `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `yyyy-mm-dd`, the format of Zoho's date fields.
pub(crate) fn date(t: SystemTime) -> String {
    let secs = i64::try_from(unix_secs(t)).unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The `yyyy-mm-dd` date `days` after 1970-01-01.
pub(crate) fn date_of_days(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of an instant (UTC).
pub(crate) fn day_number(t: SystemTime) -> i64 {
    i64::try_from(unix_secs(t)).unwrap_or(0).div_euclid(86_400)
}

/// `yyyy-mm-ddThh:mm:ss+0000`, the format of Zoho's `created_time`.
pub(crate) fn timestamp(t: SystemTime) -> String {
    let secs = i64::try_from(unix_secs(t)).unwrap_or(0);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}+0000",
        date(t),
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`, the HTTP `Date` (RFC 9110's IMF-fixdate).
pub(crate) fn http_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = i64::try_from(unix_secs(t)).unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(m - 1).unwrap_or(0)];
    format!(
        "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Whether `text` is a `yyyy-mm-dd` date.
pub(crate) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Whether `text` is a `yyyy-mm-dd` date that exists (month 1–12, day within the month).
pub(crate) fn is_calendar_date(text: &str) -> bool {
    is_date(text) && days_of(text).is_some()
}

/// Days since 1970-01-01 of a `yyyy-mm-dd` date (Howard Hinnant's days_from_civil); `None`
/// when it is not a real date.
pub(crate) fn days_of(text: &str) -> Option<i64> {
    if !is_date(text) {
        return None;
    }
    let y: i64 = text.get(0..4)?.parse().ok()?;
    let m: i64 = text.get(5..7)?.parse().ok()?;
    let d: i64 = text.get(8..10)?.parse().ok()?;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > month_days {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Seconds since the epoch of `yyyy-mm-dd` (midnight UTC) or of Zoho's timestamps
/// `yyyy-mm-ddThh:mm:ss` with an optional `Z`, `+hhmm`, `-hhmm` or `+hh:mm` (a `+` that a query
/// string turned into a space is read as `+`).
pub(crate) fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim_start();
    let days = days_of(text.get(..10)?)?;
    let rest = &text[10..];
    if rest.trim().is_empty() {
        return Some(days * 86_400);
    }
    let rest = rest.strip_prefix('T')?;
    let clock = rest.get(..8)?;
    let b = clock.as_bytes();
    if b[2] != b':' || b[5] != b':' {
        return None;
    }
    let part = |r: std::ops::Range<usize>, max: i64| -> Option<i64> {
        let t = clock.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok().filter(|v| *v <= max)
    };
    let secs = part(0..2, 23)? * 3600 + part(3..5, 59)? * 60 + part(6..8, 59)?;
    let zone = rest[8..].trim_end();
    let offset = if zone.is_empty() || zone == "Z" {
        0
    } else {
        let (sign, digits) = match zone.as_bytes()[0] {
            b'+' | b' ' => (1, &zone[1..]),
            b'-' => (-1, &zone[1..]),
            _ => return None,
        };
        let digits: String = digits.chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let h: i64 = digits[..2].parse().ok()?;
        let m: i64 = digits[2..].parse().ok()?;
        if h > 23 || m > 59 {
            return None;
        }
        sign * (h * 3600 + m * 60)
    };
    Some(days * 86_400 + secs - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_unix_secs(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn formats_zoho_dates() {
        let t = from_unix_secs(1_700_000_000);
        assert_eq!(date(t), "2023-11-14");
        assert_eq!(timestamp(t), "2023-11-14T22:13:20+0000");
        assert_eq!(http_date(t), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(
            http_date(from_unix_secs(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert!(is_date("2013-11-17"));
        assert!(!is_date("17/11/2013"));
        assert!(is_calendar_date("2024-02-29"));
        assert!(!is_calendar_date("2023-02-29"));
        assert!(!is_calendar_date("2023-13-01"));
        assert_eq!(parse_instant("2023-11-14"), Some(1_699_920_000));
        assert_eq!(
            parse_instant("2023-11-14T22:13:20+0000"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_instant("2023-11-15T03:43:20+0530"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_instant("2023-11-15T03:43:20 05:30"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_instant("2023-11-14T14:13:20-0800"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_instant("2023-11-14T22:13:20Z"), Some(1_700_000_000));
        for bad in [
            "",
            "2023-11-14T25:00:00",
            "2023-11-14T22:13",
            "2023-11-14X",
            "x",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }
}
