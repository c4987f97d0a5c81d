//! One CSV cell as zbooks writes it, for every CSV the project produces (the failed-records
//! export today; any later report): quoted when it must be (RFC 4180), and neutralised against
//! CSV injection (OWASP "CSV Injection"): a cell that opens with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is one a spreadsheet may run as a formula, so it gets a leading `'`.
//!
//! The cells come from other people's files and from Zoho's messages (a contact named
//! `=HYPERLINK(...)` round-trips into the export), so no writer may build a row without this.
//! It must not change a cell a spreadsheet reads as plain data.

use std::borrow::Cow;

/// The characters a spreadsheet may read as the start of a formula (OWASP).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as one CSV cell: neutralised (see the module) and quoted when it holds a comma, a
/// quote or a line break.
///
/// A plain number (`-12.50`, `+3`, `1e5` is not one) is left alone although OWASP's rule
/// would prefix it: it is what a money column of refunds and credit notes holds, a spreadsheet
/// reads it as a number and never as a formula, and a `'` would turn every negative amount
/// into text that no longer sums. Anything else that opens like a formula (`-2+3`, `-A1`,
/// `=1`) gets the `'`.
pub fn cell(text: &str) -> Cow<'_, str> {
    let neutralised = if text.starts_with(FORMULA_STARTS) && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if neutralised.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", neutralised.replace('"', "\"\"")))
    } else {
        neutralised
    }
}

/// An optional sign, digits, and at most one `.` with digits after it: nothing a spreadsheet
/// could evaluate.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_openers_are_neutralised() {
        for (raw, written) in [
            ("=1+1", "'=1+1"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("-A1", "'-A1"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            (
                "=HYPERLINK(\"http://x.invalid\",\"a,b\")",
                "\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"a,b\"\")\"",
            ),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ] {
            assert_eq!(cell(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn plain_data_and_amounts_stay_as_they_are() {
        for raw in [
            "-12.50", "+3", "-0", "12.50", "INV-1", "Acme Ltd", "", "a-b", "x=y", "'quoted",
        ] {
            assert_eq!(cell(raw), raw, "{raw:?}");
        }
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }
}
