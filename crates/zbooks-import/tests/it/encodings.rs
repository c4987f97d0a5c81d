//! Every encoding Tally writes gives the same records; damaged and foreign files get clear
//! errors with their place, and what can be read still is.

use zbooks_import::{
    Entity, ExistingRecords, Parsed, ProblemKind, ValidateOptions, parse_csv_bytes,
    parse_tally_bytes, validate,
};

use crate::fixture_bytes;

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn summary(p: &Parsed) -> Vec<(Entity, String, u64, String)> {
    p.records
        .iter()
        .map(|r| {
            (
                r.entity,
                r.key.value.clone(),
                r.location.line,
                r.payload.to_string(),
            )
        })
        .collect()
}

#[test]
fn every_tally_encoding_reads_the_same() {
    for name in ["sample-company.xml", "real-daybook-tallyprime.xml"] {
        let bytes = fixture_bytes(name);
        let text = String::from_utf8(bytes.clone()).unwrap();
        let reference = parse_tally_bytes(&bytes);
        assert!(reference.records.len() > 10);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(&bytes);
        for (label, variant) in [
            ("UTF-16LE with BOM", utf16(&text, false, true)),
            ("UTF-16BE with BOM", utf16(&text, true, true)),
            ("UTF-16LE without BOM", utf16(&text, false, false)),
            ("UTF-16BE without BOM", utf16(&text, true, false)),
            ("UTF-8 with BOM", with_bom),
        ] {
            let p = parse_tally_bytes(&variant);
            assert_eq!(summary(&p), summary(&reference), "{name} as {label}");
            assert_eq!(p.report, reference.report, "{name} as {label}");
        }
    }
}

#[test]
fn ascii_export_keeps_system_marks_and_raw_control_bytes() {
    // The real export is ASCII with CRLF, `&#4;` references and raw U+0005 bytes.
    let bytes = fixture_bytes("real-daybook-tallyprime.xml");
    assert!(bytes.is_ascii());
    assert!(bytes.windows(4).any(|w| w == b"&#4;"));
    assert!(bytes.contains(&0x05));
    let p = parse_tally_bytes(&bytes);
    assert_eq!(p.report.errors(), 0, "{}", p.report);
    // "&#4; Primary" parents read as roots, not as a group named "Primary".
    let item = p
        .records
        .iter()
        .find(|r| r.key.value == "TPR Sole UPI-0014")
        .unwrap();
    assert_eq!(
        item.payload["hsn_or_sac"], "64062000",
        "HSN inherited from the stock group"
    );
}

#[test]
fn truncated_export_names_the_place_and_keeps_what_came_before() {
    let bytes = fixture_bytes("sample-company.xml");
    let text = String::from_utf8(bytes).unwrap();
    // Cut inside the fourth voucher (SI/24-25/004).
    let cut = text.find("<VOUCHERNUMBER>SI/24-25/004").unwrap() + 200;
    let p = parse_tally_bytes(&text.as_bytes()[..cut]);
    let truncated: Vec<_> = p.report.of_kind(ProblemKind::Truncated).collect();
    assert_eq!(truncated.len(), 1, "{}", p.report);
    let msg = truncated[0].to_string();
    assert!(
        msg.starts_with(&format!("input.xml:1181 (byte {cut}) <VOUCHER>")),
        "{msg}"
    );
    assert!(msg.contains("truncated"), "{msg}");
    let invoices = p
        .records
        .iter()
        .filter(|r| r.entity == Entity::Invoice)
        .count();
    assert_eq!(
        invoices, 4,
        "the three complete invoices survive, and the opening bill SI/23-24/118"
    );
    assert_eq!(
        p.records
            .iter()
            .filter(|r| r.entity == Entity::Contact)
            .count(),
        5
    );
    // Valid records still go ahead, unless strict mode.
    let v = validate(
        &p.records,
        &p.report,
        &ExistingRecords::new(),
        ValidateOptions::default(),
    );
    assert_eq!(v.valid(), p.records.len());
    let strict = validate(
        &p.records,
        &p.report,
        &ExistingRecords::new(),
        ValidateOptions {
            strict: true,
            ..ValidateOptions::default()
        },
    );
    assert_eq!(strict.valid(), 0);
}

#[test]
fn damaged_tag_loses_only_its_object() {
    let text = String::from_utf8(fixture_bytes("sample-company.xml")).unwrap();
    let damaged = text.replacen("</VOUCHERNUMBER>", "</VOUCHERNUMBR>", 1);
    let p = parse_tally_bytes(damaged.as_bytes());
    let syntax: Vec<_> = p.report.of_kind(ProblemKind::Syntax).collect();
    assert_eq!(syntax.len(), 1, "{}", p.report);
    assert!(
        syntax[0].to_string().contains("<VOUCHER> \"SI/24-25/001\""),
        "{}",
        syntax[0]
    );
    assert_eq!(
        p.records
            .iter()
            .filter(|r| r.entity == Entity::Invoice)
            .count(),
        // The three other sales and the opening bill SI/23-24/118.
        4
    );
}

#[test]
fn unexpected_encodings_get_clear_errors() {
    let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain("<E/>".bytes().flat_map(|b| [b, 0, 0, 0]))
        .collect();
    let p = parse_tally_bytes(&utf32);
    assert!(p.records.is_empty());
    assert!(
        p.report.problems[0].message.contains("UTF-32"),
        "{}",
        p.report
    );
    let gzip = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03];
    let p = parse_tally_bytes(&gzip);
    assert_eq!(p.report.problems[0].kind, ProblemKind::Encoding);
    assert!(
        p.report.problems[0]
            .message
            .contains("not a Tally XML export"),
        "{}",
        p.report
    );
    let p = parse_tally_bytes(b"");
    assert_eq!(p.report.errors(), 1, "{}", p.report);
    // Windows-1252 is read, with a warning.
    let p = parse_tally_bytes(
        b"<ENVELOPE><LEDGER NAME=\"Caf\xe9\"><PARENT>Sundry Debtors</PARENT></LEDGER></ENVELOPE>",
    );
    assert_eq!(p.records[0].key.value, "Caf\u{e9}");
    assert_eq!(p.report.warnings(), 1);
}

#[test]
fn csv_bad_rows_name_file_line_and_column_and_the_rest_goes_on() {
    let csv = "Display Name,Payment Terms,EmailID\n\
               Acme,30,a@x.example\n\
               Bolt,thirty,c@x.example\n\
               Nut Co,15\n\
               Kaveri,15,d@x.example\n\
               \"Broken, Inc,15,b@x.example\n\
               Lost,1,e@x.example\n";
    let p = parse_csv_bytes(csv.as_bytes());
    let names: Vec<&str> = p.records.iter().map(|r| r.key.value.as_str()).collect();
    assert_eq!(names, ["Acme", "Kaveri"]);
    let text = p.report.to_string();
    assert!(
        text.contains(
            "input.csv:3 \"Bolt\": error: field Payment Terms: \"thirty\" is not a number of days"
        ),
        "{text}"
    );
    assert!(
        text.contains("input.csv:4: error: the row has 2 fields but the header has 3"),
        "{text}"
    );
    assert!(
        text.contains(
            "input.csv:6: error: a quote opened in this row is not closed: the next 1 lines"
        ),
        "{text}"
    );
    assert_eq!(p.report.errors(), 3, "{text}");
    // A CSV in UTF-16 without BOM reads too.
    let p16 = parse_csv_bytes(&utf16("Display Name\nAcme\n", false, false));
    assert_eq!(p16.records.len(), 1, "{}", p16.report);
}
