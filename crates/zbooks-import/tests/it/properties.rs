//! Properties of the readers and the balancing check.

use std::fmt::Write as _;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use zbooks_import::{
    Amounts, Entity, ExistingRecords, Location, NaturalKey, Posting, ProblemKind, Record, Report,
    ValidateOptions, parse_csv_bytes, validate,
};

fn field() -> impl Strategy<Value = String> {
    // Any text a person might type, commas, quotes and non-ASCII included; no line breaks
    // at the ends (a CSV cell is trimmed).
    "[A-Za-z0-9 ,\"'&₹é-]{1,20}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("not empty", |s| !s.is_empty())
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

proptest! {
    #[test]
    fn csv_invoice_rows_round_trip(
        docs in prop::collection::vec(
            (field(), field(), prop::collection::vec((field(), 1_u32..1000, 0_u32..100_000), 1..5)),
            1..8,
        )
    ) {
        let mut csv = String::from("Invoice Number,Invoice Date,Customer Name,Item Name,Quantity,Item Price\n");
        let mut seen = std::collections::HashSet::new();
        let mut expected = Vec::new();
        for (i, (customer, _, lines)) in docs.iter().enumerate() {
            let number = format!("INV-{i}");
            if !seen.insert(number.clone()) { continue; }
            let mut total = Decimal::ZERO;
            for (item, qty, paise) in lines {
                let rate = Decimal::new(i64::from(*paise), 2);
                total += Decimal::from(*qty) * rate;
                writeln!(csv, "{number},2024-04-01,{},{},{qty},{rate}", quote(customer), quote(item)).unwrap();
            }
            expected.push((number, customer.clone(), lines.clone(), total));
        }
        let p = parse_csv_bytes(csv.as_bytes());
        prop_assert_eq!(p.report.errors(), 0, "{}", p.report);
        prop_assert_eq!(p.records.len(), expected.len());
        for (r, (number, customer, lines, total)) in p.records.iter().zip(&expected) {
            prop_assert_eq!(&r.key, &NaturalKey::named(Entity::Invoice, number));
            prop_assert_eq!(r.depends_on()[0], &NaturalKey::named(Entity::Contact, customer));
            let items = r.payload["line_items"].as_array().unwrap();
            prop_assert_eq!(items.len(), lines.len());
            for (line, (item, qty, _)) in items.iter().zip(lines) {
                prop_assert_eq!(&line["name"], &json!(item));
                prop_assert_eq!(&line["quantity"], &json!(qty.to_string()));
            }
            prop_assert_eq!(r.amounts.as_ref().unwrap().total, *total);
        }
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_csv_bytes(&bytes);
        let _ = zbooks_import::parse_tally_bytes(&bytes);
    }

    #[test]
    fn a_voucher_is_held_back_exactly_when_its_postings_do_not_sum_to_zero(
        amounts in prop::collection::vec(-1_000_000_i64..1_000_000, 1..12),
        fix in any::<bool>(),
    ) {
        let mut postings: Vec<Posting> = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| Posting { ledger: format!("L{i}"), amount: Decimal::new(*a, 2) })
            .collect();
        let sum: Decimal = postings.iter().map(|p| p.amount).sum();
        if fix {
            postings.push(Posting { ledger: "balancing".into(), amount: -sum });
        }
        let balanced = fix || sum.is_zero();
        let mut r = Record::new(
            Entity::Journal,
            NaturalKey::named(Entity::Journal, "J1"),
            json!({"journal_date": "2024-04-01", "line_items": [
                {"account_id": "1", "amount": "1.00", "debit_or_credit": "debit"},
                {"account_id": "2", "amount": "1.00", "debit_or_credit": "credit"}
            ]}),
            Location::new("day.xml", 7),
        );
        r.amounts = Some(Amounts { total: Decimal::ZERO, zoho_field: "total".into(), party: None, postings });
        let v = validate(&[r], &Report::default(), &ExistingRecords::new(), ValidateOptions::default());
        prop_assert_eq!(v.is_valid(0), balanced, "{}", v.report);
        prop_assert_eq!(v.report.of_kind(ProblemKind::Unbalanced).count(), usize::from(!balanced));
    }
}
