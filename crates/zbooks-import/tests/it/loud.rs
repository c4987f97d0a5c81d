//! Bad input is loud: a stray byte, a truncated file, an undefined entity, XML that is not a
//! Tally export, and line endings of every kind — each named with its file, its place and the
//! record concerned, and nothing after it lost.

use std::fmt::Write as _;

use proptest::prelude::*;
use zbooks_import::{Entity, Parsed, Problem, ProblemKind, parse_csv_bytes, parse_tally_bytes};

fn demo() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/demo-company.xml"
    ))
    .expect("the demo export is in the repository")
}

/// The offset of `needle` in `bytes`, after `after`.
fn find(bytes: &[u8], after: &str, needle: &str) -> usize {
    let from = bytes
        .windows(after.len())
        .position(|w| w == after.as_bytes())
        .unwrap_or_else(|| panic!("{after} not in the file"));
    from + bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle} not after {after}"))
}

fn keys(p: &Parsed) -> Vec<String> {
    p.records.iter().map(|r| r.key.value.clone()).collect()
}

fn errors(p: &Parsed) -> Vec<&Problem> {
    p.report.problems.iter().filter(|q| q.is_error()).collect()
}

const VOUCHER: &str = "<VOUCHERNUMBER>SI/24-25/108</VOUCHERNUMBER>";

#[test]
fn a_stray_byte_in_a_value_is_imported_as_a_replacement_with_a_warning() {
    let clean = parse_tally_bytes(&demo());
    let mut bytes = demo();
    let at = find(&bytes, VOUCHER, "VRL Logistics") + 3;
    bytes.insert(at, 0xE9);
    let p = parse_tally_bytes(&bytes);
    assert!(errors(&p).is_empty(), "{}", p.report);
    assert_eq!(keys(&p), keys(&clean), "every record is still read");
    let touched: Vec<_> = p
        .records
        .iter()
        .filter(|r| r.payload.to_string().contains('\u{fffd}'))
        .collect();
    assert_eq!(touched.len(), 1);
    let warning = p
        .report
        .of_kind(ProblemKind::Encoding)
        .next()
        .expect("a warning names the byte");
    assert!(!warning.is_error());
    assert_eq!(warning.location.offset(), Some(at as u64));
    assert_eq!(warning.location.label.as_deref(), Some("SI/24-25/108"));
    assert_eq!(warning.field.as_deref(), Some("NARRATION"));
    let text = warning.to_string();
    assert!(
        text.starts_with(&format!(
            "input.xml:4846 (byte {at}) <VOUCHER> \"SI/24-25/108\""
        )),
        "{text}"
    );
    assert!(text.contains("0xE9"), "{text}");
}

#[test]
fn a_stray_byte_in_the_markup_names_the_record_unread_and_reads_on() {
    let clean = parse_tally_bytes(&demo());
    for (needle, shift) in [("<NARRATION>", 5), ("TAXTYPE=", 3)] {
        let mut bytes = demo();
        let at = find(&bytes, "-00003108\" VCHKEY", needle) + shift;
        bytes.insert(at, 0xE9);
        let p = parse_tally_bytes(&bytes);
        let errs = errors(&p);
        assert_eq!(errs.len(), 1, "{needle}: {}", p.report);
        let e = errs[0];
        assert_eq!(e.location.label.as_deref(), Some("SI/24-25/108"), "{e}");
        assert!(e.to_string().contains("not imported"), "{e}");
        assert!(e.to_string().contains("0xE9"), "{e}");
        assert_eq!(
            p.records.len() + 1,
            clean.records.len(),
            "{needle}: one record is lost"
        );
        let mut expected = keys(&clean);
        expected.retain(|k| keys(&p).contains(k));
        assert_eq!(
            keys(&p),
            expected,
            "{needle}: the records after it are read"
        );
    }
}

#[test]
fn a_truncated_export_names_the_last_record_read_and_where_reading_stopped() {
    let bytes = demo();
    let cut = find(&bytes, VOUCHER, "<NARRATION>");
    let p = parse_tally_bytes(&bytes[..cut]);
    let errs = errors(&p);
    assert_eq!(errs.len(), 1, "{}", p.report);
    let e = errs[0];
    assert_eq!(e.kind, ProblemKind::Truncated);
    assert_eq!(e.location.offset(), Some(cut as u64));
    assert_eq!(e.location.label.as_deref(), Some("SI/24-25/108"));
    let text = e.to_string();
    assert!(
        text.contains(&format!("ends at byte {cut}"))
            && text.contains("the last record read whole is <VOUCHER> \"SI/24-25/107\""),
        "{text}"
    );
    // Cut between two vouchers: the envelope is open, the last voucher is named.
    let cut = find(&bytes, VOUCHER, "</VOUCHER>") + "</VOUCHER>".len();
    let p = parse_tally_bytes(&bytes[..cut]);
    let e = errors(&p)[0];
    assert_eq!(e.location.offset(), Some(cut as u64));
    assert!(
        e.message
            .contains("the last record read whole is <VOUCHER> \"SI/24-25/108\""),
        "{e}"
    );
}

#[test]
fn an_undefined_entity_is_an_error_naming_the_file_and_place() {
    let mut bytes = demo();
    let at = find(&bytes, VOUCHER, "VRL Logistics");
    bytes.splice(at..at, b"&nbsp;".iter().copied());
    let p = parse_tally_bytes(&bytes);
    let errs = errors(&p);
    assert_eq!(errs.len(), 1, "{}", p.report);
    let text = errs[0].to_string();
    assert!(
        text.starts_with("input.xml:4846") && text.contains("&nbsp;") && text.contains("line 4886"),
        "{text}"
    );
    assert!(!keys(&p).contains(&"SI/24-25/108".to_owned()));
    assert_eq!(
        p.records.len() + 1,
        parse_tally_bytes(&demo()).records.len()
    );
}

#[test]
fn xml_that_is_not_a_tally_export_is_an_error() {
    for doc in [
        &b"<html>\n<body><p>Session expired</p></body></html>"[..],
        b"<?xml version=\"1.0\"?>\n<rss><channel><item>x</item></channel></rss>",
    ] {
        let p = parse_tally_bytes(doc);
        let errs = errors(&p);
        assert_eq!(errs.len(), 1, "{}", p.report);
        assert!(
            errs[0].message.contains("not a Tally export"),
            "{}",
            errs[0]
        );
        assert!(errs[0].location.line > 0);
    }
}

fn with_line_ends(bytes: &[u8], nl: &str) -> Vec<u8> {
    String::from_utf8(bytes.to_vec())
        .expect("the demo export is UTF-8")
        .replace("\r\n", "\n")
        .replace('\n', nl)
        .into_bytes()
}

#[test]
fn tally_lines_are_right_for_lf_crlf_and_cr() {
    let lf = parse_tally_bytes(&with_line_ends(&demo(), "\n"));
    let lines = |p: &Parsed| -> Vec<(String, u64)> {
        p.records
            .iter()
            .map(|r| (r.key.value.clone(), r.location.line))
            .collect()
    };
    assert_eq!(
        lf.records
            .iter()
            .find(|r| r.location.label.as_deref() == Some("SI/24-25/108"))
            .map(|r| r.location.line),
        Some(4846)
    );
    for nl in ["\r\n", "\r"] {
        let p = parse_tally_bytes(&with_line_ends(&demo(), nl));
        assert_eq!(lines(&p), lines(&lf), "{nl:?}");
        assert_eq!(p.report, lf.report, "{nl:?}");
    }
}

#[test]
fn csv_lines_are_right_for_lf_crlf_cr_and_quoted_line_breaks() {
    for nl in ["\n", "\r\n", "\r"] {
        let text = format!(
            "Invoice Number,Invoice Date,Customer Name,Item Name,Quantity,Item Price{nl}\
             INV-1,2024-04-01,Acme,Bolt,2,10{nl}\
             INV-2,2024-04-01,\"Ac{nl}me\",Bolt,1,10{nl}\
             INV-3,2024-04-01,Acme,Bolt,y,10{nl}\
             INV-4,2024-04-01,Acme,Bolt,1,10{nl}"
        );
        let p = parse_csv_bytes(text.as_bytes());
        let lines: Vec<(String, u64)> = p
            .records
            .iter()
            .map(|r| (r.key.value.clone(), r.location.line))
            .collect();
        assert_eq!(
            lines,
            [
                ("INV-1".into(), 2),
                ("INV-2".into(), 3),
                ("INV-4".into(), 6)
            ],
            "{nl:?}"
        );
        let e = errors(&p);
        assert_eq!(e.len(), 1, "{nl:?}: {}", p.report);
        assert_eq!(e[0].location.line, 5, "{nl:?}: {}", e[0]);
    }
}

#[test]
fn jsonl_lines_are_right_for_lf_crlf_and_cr() {
    for nl in ["\n", "\r\n", "\r"] {
        let text = format!(
            "{{\"entity\":\"contact\",\"payload\":{{\"contact_name\":\"A\"}}}}{nl}{nl}\
             {{\"entity\":\"contact\",\"payload\":{{\"contact_name\":\"B\"}}}}{nl}\
             {{\"entity\":\"contact\",\"payload\":{{\"contact_name\":{nl}"
        );
        let reader = zbooks_import::JsonlReader::new(
            std::io::Cursor::new(text.into_bytes()),
            "c.jsonl",
            zbooks_import::JsonlOptions::default(),
        );
        let p = Parsed::collect(reader);
        let lines: Vec<u64> = p.records.iter().map(|r| r.location.line).collect();
        assert_eq!(lines, [1, 3], "{nl:?}: {}", p.report);
        let e = errors(&p);
        assert_eq!(e.len(), 1, "{nl:?}: {}", p.report);
        assert_eq!(e[0].location.line, 4, "{nl:?}");
    }
}

#[test]
fn a_stray_byte_in_a_jsonl_string_is_a_warning_and_the_rest_is_read() {
    let mut text = b"{\"entity\":\"contact\",\"payload\":{\"contact_name\":\"A\"}}\n".to_vec();
    let at = text.len() + "{\"entity\":\"contact\",\"payload\":{\"contact_name\":\"B".len();
    text.extend_from_slice(b"{\"entity\":\"contact\",\"payload\":{\"contact_name\":\"B\xE9\"}}\n");
    text.extend_from_slice(b"{\"entity\":\"con\xE9tact\",\"payload\":{\"contact_name\":\"C\"}}\n");
    text.extend_from_slice(b"{\"entity\":\"contact\",\"payload\":{\"contact_name\":\"D\"}}\n");
    let reader = zbooks_import::JsonlReader::new(
        std::io::Cursor::new(text),
        "c.jsonl",
        zbooks_import::JsonlOptions::default(),
    );
    let p = Parsed::collect(reader);
    assert_eq!(keys(&p), ["A", "B\u{fffd}", "D"], "{}", p.report);
    let w = p.report.of_kind(ProblemKind::Encoding).next().unwrap();
    assert!(!w.is_error());
    assert_eq!((w.location.line, w.location.offset()), (2, Some(at as u64)));
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{}", p.report);
    assert_eq!(e[0].location.line, 3);
}

proptest! {
    #[test]
    fn csv_lines_count_every_line_end_and_quoted_break(
        rows in prop::collection::vec((0_usize..3, any::<bool>()), 1..12),
        nl in prop::sample::select(vec!["\n", "\r\n", "\r"]),
    ) {
        // Each row names a contact; some names hold line breaks inside quotes.
        let mut text = format!("Display Name,Notes{nl}");
        let mut line = 2_u64;
        let mut expected = Vec::new();
        for (i, (breaks, blank)) in rows.iter().enumerate() {
            if *blank {
                text.push_str(nl);
                line += 1;
            }
            let notes = vec!["x"; breaks + 1].join(nl);
            write!(text, "C{i},\"{notes}\"{nl}").unwrap();
            expected.push((format!("C{i}"), line));
            line += 1 + *breaks as u64;
        }
        let p = parse_csv_bytes(text.as_bytes());
        let got: Vec<(String, u64)> = p.records.iter().map(|r| (r.key.value.clone(), r.location.line)).collect();
        prop_assert_eq!(got, expected, "{}", p.report);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Wherever a stray byte lands, nothing vanishes in silence: every record of the clean
    /// export is read, or one of the reader's errors names a loss; and the file is never
    /// taken for truncated.
    #[test]
    fn a_stray_byte_anywhere_loses_nothing_silently(
        at in 0.0_f64..1.0,
        byte in 0x80_u8..=0xFF,
    ) {
        let clean = demo();
        let expected = parse_tally_bytes(&clean).records.len();
        let mut bytes = clean;
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss, reason = "a position in a small file")]
        // Past the 4 KiB the encoding is sniffed from: a bad byte there, in a file that is
        // ASCII so far, makes it a Windows-1252 file (with a warning), as tally-reference.md
        // §7 prescribes.
        let pos = 4096 + (at * (bytes.len() - 4096) as f64) as usize;
        bytes.insert(pos, byte);
        let p = parse_tally_bytes(&bytes);
        // A party ledger that is lost takes its opening bills with it: the error naming the
        // ledger names them too.
        let clean_records = parse_tally_bytes(&demo()).records;
        let mut expected = expected;
        let mut lost_ledgers = Vec::new();
        for lost in p.unread() {
            if lost.location.element.as_deref() != Some("LEDGER") {
                continue;
            }
            // The name the lost ledger has in the clean export: the stray byte may sit in
            // the name itself (the label then holds a replacement character), but it
            // moves no line, so the clean ledger is the one on the same line.
            let Some(name) = clean_records
                .iter()
                .filter(|r| r.location.element.as_deref() == Some("LEDGER"))
                .filter(|r| r.entity != Entity::OpeningBalance)
                .find(|r| r.location.line == lost.location.line)
                .and_then(|r| r.location.label.as_deref())
                .map(|l| l.split(": ").next().unwrap_or(l).to_owned())
            else {
                continue;
            };
            let prefix = format!("{name}: ");
            expected -= clean_records
                .iter()
                .filter(|r| r.location.element.as_deref() == Some("LEDGER"))
                .filter(|r| r.location.label.as_deref().is_some_and(|l| l.starts_with(&prefix)))
                .count();
            lost_ledgers.push(name);
        }
        // A lost ledger's opening balance is lost with it: the opening balances record goes
        // too when every account it holds was a lost ledger (in the demo company, the bank
        // account is the only one).
        expected -= clean_records
            .iter()
            .filter(|r| r.entity == Entity::OpeningBalance)
            .filter(|r| r.references.iter().all(|a| lost_ledgers.contains(&a.target.value)))
            .count();
        prop_assert!(p.records.len() + p.unread().len() >= expected, "at {}: {}", pos, p.report);
        prop_assert_eq!(p.report.of_kind(ProblemKind::Truncated).count(), 0, "{}", p.report);
        for e in errors(&p) {
            prop_assert!(e.location.line > 0 || e.location.offset().is_some(), "{}", e);
        }
    }
}

#[test]
fn a_csv_row_with_a_stray_byte_holds_back_its_whole_document() {
    let text = b"Invoice Number,Invoice Date,Customer Name,Item Name,Quantity,Item Price\r\n\
        INV-1,2024-04-01,Acme,Bolt,2,10\r\n\
        INV-1,2024-04-01,Acme,Nut\xE9,1,4\r\n\
        INV-2,2024-04-01,Acm\xC3\xA9,Bolt,1,10\r\n";
    // UTF-8 (the é of INV-2), with one byte that is not.
    let p = parse_csv_bytes(text);
    assert_eq!(
        keys(&p),
        ["INV-2"],
        "INV-1 is not imported without its second line"
    );
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{}", p.report);
    let msg = e[0].to_string();
    assert!(
        msg.starts_with("input.csv:3 \"INV-1\": error: field Item Name:"),
        "{msg}"
    );
    assert!(
        msg.contains("the whole document INV-1 is held back"),
        "{msg}"
    );
}
