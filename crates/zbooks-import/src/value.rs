//! Reading the values sources write: Tally's signed amounts, quantities and rates with units
//! (`" 670 Pair"`, `"57.00/Pair"`, forex `"$ 10.00 @ ₹ 83.00/$ = ₹ 830.00"`), `"60 Days"`,
//! `Yes`/`No`, and dates in Tally's `YYYYMMDD` or the day-first forms Indian CSV files use.
//!
//! Money is [`Decimal`], never a float (tally-reference.md §3 and §13, pitfall 9).

use std::str::FromStr;

use rust_decimal::Decimal;

/// Parses a plain decimal (`-48091.00`, `1,234.50`, `+3`); `None` when it is not one.
pub fn decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains(',') {
        let cleaned: String = t.chars().filter(|c| *c != ',').collect();
        return Decimal::from_str(cleaned.strip_prefix('+').unwrap_or(&cleaned)).ok();
    }
    Decimal::from_str(t.strip_prefix('+').unwrap_or(t)).ok()
}

/// Parses a Tally amount: signed, debit negative. A forex amount carries the base-currency
/// value after `=`, which is the one taken (as the loader does: tally-reference.md §3).
pub fn tally_amount(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = match t.rfind('=') {
        Some(i) => &t[i + 1..],
        None => t,
    };
    let negative = t.trim_start().starts_with('-');
    let digits: String = t
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let v = decimal(&digits)?;
    Some(if negative { -v } else { v })
}

/// Parses a Tally quantity (`" 670 Pair"`, `" 50.000 KG"`): the number and the unit.
/// Quantities are unsigned; the direction comes from context (§6.4).
pub fn tally_quantity(text: &str) -> Option<(Decimal, Option<String>)> {
    let t = text.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | ',')))
        .unwrap_or(t.len());
    let n = decimal(&t[..end])?;
    let unit = t[end..].trim();
    Some((n, (!unit.is_empty()).then(|| unit.to_owned())))
}

/// Parses a Tally rate (`"57.00/Pair"`): the number before `/`; for a forex rate, the
/// base-currency part after `=`.
pub fn tally_rate(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = match t.rfind('=') {
        Some(i) => &t[i + 1..],
        None => t,
    };
    let number = t.split('/').next().unwrap_or("");
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    decimal(&digits)
}

/// Parses `"60 Days"` (or a bare `60`) as a number of days.
pub fn days(text: &str) -> Option<u32> {
    let t = text.trim();
    let number = t.split_whitespace().next()?;
    number.parse().ok()
}

/// Reads Tally's `Yes`/`No`.
pub fn yes(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("yes")
}

/// Whether a (year, month, day) is a real calendar date.
pub fn is_date(year: i32, month: u32, day: u32) -> bool {
    if !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let max = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= max && (1900..=2200).contains(&year)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (year, month, day) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    is_date(year, month, day).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Turns Tally's `YYYYMMDD` into Zoho's `YYYY-MM-DD`.
pub fn tally_date(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ymd(&t[..4], &t[4..6], &t[6..])
}

/// Reads a date as CSV files write it: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD-MM-YYYY`,
/// `DD/MM/YYYY` or `DD.MM.YYYY` (India writes the day first), or Tally's `YYYYMMDD`.
pub fn any_date(text: &str) -> Option<String> {
    let t = text.trim();
    // Zoho's own form, the common case: it reads as itself when it is a real day.
    let bytes = t.as_bytes();
    if bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        let (year, month, day) = (
            t[..4].parse().ok()?,
            t[5..7].parse().ok()?,
            t[8..].parse().ok()?,
        );
        return is_date(year, month, day).then(|| t.to_owned());
    }
    if let Some(d) = tally_date(t) {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    if parts[0].len() == 4 {
        ymd(parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        ymd(parts[2], parts[1], parts[0])
    } else {
        None
    }
}

/// Whether a string is a Zoho date (`YYYY-MM-DD`, a real day).
pub fn is_zoho_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && is_ymd(&text[..4], &text[5..7], &text[8..])
}

/// Whether [`ymd`] takes these parts, without writing the date.
fn is_ymd(y: &str, m: &str, d: &str) -> bool {
    match (y.parse(), m.parse(), d.parse()) {
        (Ok(year), Ok(month), Ok(day)) => is_date(year, month, day),
        _ => false,
    }
}

/// A decimal without trailing zeros (`18`, `2.5`): for tax names and display.
pub fn plain(d: Decimal) -> String {
    text(d.normalize())
}

/// `d.to_string()`, without the formatting machinery when the digits fit in 64 bits (every
/// amount of every row: issue 20).
pub(crate) fn text(d: Decimal) -> String {
    let Ok(mut rest) = u64::try_from(d.mantissa().unsigned_abs()) else {
        return d.to_string();
    };
    let scale = d.scale() as usize;
    // Least significant digit first: at most 20 digits, padded with zeros to the scale (at
    // most 28).
    let mut digits = [b'0'; 48];
    let mut n = 0;
    while rest != 0 {
        digits[n] = b'0' + (rest % 10) as u8;
        rest /= 10;
        n += 1;
    }
    let n = n.max(scale);
    let mut out = String::with_capacity(n + 3);
    if d.is_sign_negative() {
        out.push('-');
    }
    if n == scale {
        out.push('0');
    }
    out.extend(digits[scale..n].iter().rev().map(|&b| char::from(b)));
    if scale > 0 {
        out.push('.');
        out.extend(digits[..scale].iter().rev().map(|&b| char::from(b)));
    }
    out
}

/// Money as it goes into a payload: the exact decimal as text with at least two decimals
/// (`"30975.00"`), never a float. [`Body`](crate::Body) writes it on the wire as the JSON
/// number `30975.00`, the type Zoho's request schemas give it.
pub fn money(d: Decimal) -> serde_json::Value {
    let mut r = d.normalize();
    if r.scale() < 2 {
        r.rescale(2);
    }
    serde_json::Value::String(text(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_tally_values() {
        assert_eq!(tally_amount("-48091.00"), Some(d("-48091.00")));
        assert_eq!(tally_amount(" 7335.90"), Some(d("7335.90")));
        assert_eq!(
            tally_amount("-$ 10.00 @ ₹ 83.00/$ = -₹ 830.00"),
            Some(d("-830.00"))
        );
        assert_eq!(
            tally_quantity(" 670 Pair"),
            Some((d("670"), Some("Pair".into())))
        );
        assert_eq!(tally_quantity(" 50.000 KG").map(|q| q.0), Some(d("50.000")));
        assert_eq!(tally_rate("57.00/Pair"), Some(d("57.00")));
        assert_eq!(days("60 Days"), Some(60));
        assert_eq!(tally_amount("abc"), None);
    }

    #[test]
    fn reads_dates() {
        assert_eq!(tally_date("20250308").as_deref(), Some("2025-03-08"));
        assert_eq!(tally_date("20250230"), None);
        assert_eq!(any_date("08/03/2025").as_deref(), Some("2025-03-08"));
        assert_eq!(any_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(any_date("2023-02-29"), None);
        assert!(is_zoho_date("2024-04-05"));
        assert!(!is_zoho_date("2024-4-5"));
    }

    #[test]
    fn text_writes_a_decimal_as_display_does() {
        let mut cases = vec![
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::new(-0, 5),
            Decimal::new(5, 2),
            Decimal::new(-5, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(i64::MAX, 0),
            Decimal::new(i64::MIN, 3),
            Decimal::from_i128_with_scale(1 << 70, 10),
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            #[expect(clippy::cast_possible_wrap, reason = "any bits make a test mantissa")]
            let m = (x >> (x % 64)) as i64;
            let m = if x.is_multiple_of(3) { -m } else { m };
            cases.push(Decimal::new(m, u32::try_from(x % 29).unwrap()));
        }
        for d in cases {
            assert_eq!(text(d), d.to_string(), "{d:?}");
            assert_eq!(plain(d), d.normalize().to_string(), "{d:?}");
        }
    }

    #[test]
    fn is_zoho_date_is_ymd_of_its_parts() {
        for t in [
            "2024-02-29",
            "2023-02-29",
            "2024-+4-01",
            "+202-04-01",
            "2024-04-31",
            "1899-12-31",
            "2200-12-31",
            "2201-01-01",
            "2024-00-10",
            "2024-1--01",
            "abcd-ef-gh",
            "2024-04-1é",
        ] {
            let b = t.as_bytes();
            let by_ymd = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && ymd(&t[..4], &t[5..7], &t[8..]).is_some();
            assert_eq!(is_zoho_date(t), by_ymd, "{t:?}");
        }
    }

    #[test]
    fn money_keeps_two_decimals() {
        assert_eq!(money(d("2362.5")), serde_json::json!("2362.50"));
        assert_eq!(money(d("0.125")), serde_json::json!("0.125"));
        assert_eq!(plain(d("18.00")), "18");
    }
}
