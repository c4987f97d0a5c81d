//! The vendored Tally fixtures, end to end: read, map, validate, plan and total.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::json;
use zbooks_import::{
    Entity, ExistingRecords, InputTotals, NaturalKey, Parsed, PlanOptions, ProblemKind,
    ReadOptions, ValidateOptions, compare, open, parse_tally_bytes, plan, validate,
};
use zbooks_types::Plan;

use crate::{fixture, fixture_bytes};

fn counts(p: &Parsed) -> BTreeMap<Entity, usize> {
    let mut m = BTreeMap::new();
    for r in &p.records {
        *m.entry(r.entity).or_default() += 1;
    }
    m
}

fn keys(p: &Parsed, entity: Entity) -> Vec<String> {
    p.records
        .iter()
        .filter(|r| r.entity == entity)
        .map(|r| r.key.value.clone())
        .collect()
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

#[test]
fn sample_company_maps_every_entity_with_its_natural_key() {
    let p = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    assert_eq!(p.report.errors(), 0, "{}", p.report);
    let c = counts(&p);
    assert_eq!(
        c,
        BTreeMap::from([
            (Entity::Tax, 6),
            (Entity::TaxGroup, 2),
            (Entity::Account, 2),
            (Entity::Contact, 5),
            (Entity::Item, 4),
            // Four sales and the opening bill SI/23-24/118.
            (Entity::Invoice, 5),
            // Opening bills: PB/DCW/771, Deccan's on account, GSI/2324/88.
            (Entity::Bill, 3),
            (Entity::CustomerPayment, 3),
            // The payment to Deccan, and Ganga's opening advance.
            (Entity::VendorPayment, 2),
            (Entity::OpeningBalance, 1),
        ])
    );
    assert_eq!(
        keys(&p, Entity::Contact),
        [
            "Arihant Electricals",
            "Kaveri Hardware & Tools",
            "Ramesh Kumar",
            "Deccan Copper Wires Pvt Ltd",
            "Ganga Switchgear Industries"
        ]
    );
    assert_eq!(
        keys(&p, Entity::Item),
        [
            zbooks_import::tally::map::ITEM,
            "Modular Switch 6A",
            "Copper Wire 1.5 sqmm",
            "LED Bulb 9W"
        ]
    );
    assert_eq!(
        keys(&p, Entity::Tax),
        ["CGST6", "CGST9", "IGST12", "IGST18", "SGST6", "SGST9"]
    );
    let invoices: Vec<_> = p
        .records
        .iter()
        .filter(|r| r.entity == Entity::Invoice)
        .collect();
    // The GUID is the natural key, kept in reference_number; the number rides along.
    assert_eq!(
        invoices[0].key,
        NaturalKey::new(
            Entity::Invoice,
            "reference_number",
            "5f1c2d3e-7a8b-4c9d-8e0f-1a2b3c4d5e6f-00000301"
        )
    );
    assert!(
        invoices[0]
            .aliases
            .contains(&NaturalKey::named(Entity::Invoice, "SI/24-25/001"))
    );
    assert_eq!(invoices[0].payload["invoice_number"], json!("SI/24-25/001"));
    assert_eq!(
        invoices[0].query,
        [(
            "ignore_auto_number_generation".to_owned(),
            "true".to_owned()
        )]
    );
    // Intra-state (MH → MH) takes the GST group, inter-state (MH → KA) IGST.
    assert!(
        invoices[0]
            .depends_on()
            .contains(&&NaturalKey::named(Entity::TaxGroup, "GST18"))
    );
    assert!(
        invoices[1]
            .depends_on()
            .contains(&&NaturalKey::named(Entity::Tax, "IGST12"))
    );
    assert_eq!(invoices[1].payload["place_of_supply"], json!("KA"));
    // The custom voucher type "Tax Invoice" resolves to Sales.
    assert_eq!(invoices[3].payload["invoice_number"], json!("SI/24-25/004"));
    // Round off goes into the adjustment; the flag that disagrees with the sign is noted.
    assert_eq!(invoices[2].payload["adjustment"], json!("-0.80"));
    assert_eq!(invoices[2].payload["gst_treatment"], json!("consumer"));
    // The other mismatch: the ledgers' openings do not balance (Tally's "Difference in
    // opening balances"), which Zoho keeps in Opening Balance Adjustments.
    assert_eq!(p.report.of_kind(ProblemKind::Mismatch).count(), 2);
    assert_eq!(
        p.report
            .of_kind(ProblemKind::Mismatch)
            .filter(|m| m.message.contains("opening balances do not balance"))
            .count(),
        1
    );
    // The receipt pays SI/24-25/001 into HDFC by bank transfer.
    let receipt = p
        .records
        .iter()
        .find(|r| r.entity == Entity::CustomerPayment)
        .unwrap();
    assert!(
        receipt
            .depends_on()
            .contains(&&NaturalKey::named(Entity::Invoice, "SI/24-25/001"))
    );
    assert_eq!(receipt.payload["payment_mode"], json!("banktransfer"));
    // Both ledger layouts: Prime (Deccan) and legacy flat tags (Ganga).
    let ganga = p
        .records
        .iter()
        .find(|r| r.key.value == "Ganga Switchgear Industries")
        .unwrap();
    assert_eq!(ganga.payload["contact_type"], json!("vendor"));
    assert_eq!(ganga.payload["gst_no"], json!("09CHVPG5582L1ZE"));
    assert_eq!(ganga.payload["place_of_contact"], json!("UP"));
    // Both stock-item layouts: HSN from HSNDETAILS and from legacy GSTDETAILS.
    let bulb = p
        .records
        .iter()
        .find(|r| r.key.value == "LED Bulb 9W")
        .unwrap();
    assert_eq!(bulb.payload["hsn_or_sac"], json!("85395000"));
    assert!(
        bulb.depends_on()
            .contains(&&NaturalKey::named(Entity::Tax, "IGST12"))
    );
}

#[test]
fn real_daybook_maps_bills_invoice_and_once_read_masters() {
    let p = parse_tally_bytes(&fixture_bytes("real-daybook-tallyprime.xml"));
    assert_eq!(p.report.errors(), 0, "{}", p.report);
    assert_eq!(
        counts(&p),
        BTreeMap::from([
            (Entity::Tax, 3),
            (Entity::TaxGroup, 1),
            // Two used by vouchers, two more with openings, Opening Balance Adjustments.
            (Entity::Account, 5),
            (Entity::Contact, 4),
            // Two stock items and the opening item.
            (Entity::Item, 3),
            // One sale and the debtor's seven open bills.
            (Entity::Invoice, 8),
            (Entity::Bill, 3),
            (Entity::OpeningBalance, 1),
        ])
    );
    // The user type "Expense" has parent Purchase: two of the bills come from it.
    assert_eq!(
        keys(&p, Entity::Bill),
        [
            "acbf1430-9c42-4e1a-b7b4-3b9bda154ffb-00002d08",
            "acbf1430-9c42-4e1a-b7b4-3b9bda154ffb-00002d09",
            "acbf1430-9c42-4e1a-b7b4-3b9bda154ffb-00002d14"
        ]
    );
    let invoice = p
        .records
        .iter()
        .find(|r| r.entity == Entity::Invoice)
        .unwrap();
    assert_eq!(invoice.payload["invoice_number"], json!("UP3/24-25/1319"));
    assert_eq!(invoice.payload["place_of_supply"], json!("HR"));
    assert_eq!(invoice.payload["adjustment"], json!("0.10"));
    let vendors: Vec<_> = p
        .records
        .iter()
        .filter(|r| r.entity == Entity::Contact && r.payload["contact_type"] == json!("vendor"))
        .map(|r| r.key.value.as_str())
        .collect();
    assert_eq!(
        vendors,
        [
            "Virendra Singh",
            "Ranu Kumar (Job Worker), Agra",
            "OM PLASTIC"
        ]
    );
    // TDS is an adjustment that keeps the bill's total at the party amount.
    let v02 = &p
        .records
        .iter()
        .find(|r| r.payload["bill_number"] == json!("V-02"))
        .unwrap();
    assert_eq!(v02.payload["adjustment"], json!("-260.00"));
    assert_eq!(v02.amounts.as_ref().unwrap().total, dec("25785.00"));
}

#[test]
fn every_voucher_balances_and_totals_equal_the_vouchers() {
    for (file, expected) in [
        (
            "sample-company.xml",
            vec![
                ("SI/24-25/001", "30975.00"),
                ("SI/24-25/002", "31870.00"),
                ("SI/24-25/003", "940.00"),
                ("SI/24-25/004", "24880.00"),
                ("1", "30975.00"),
                ("2", "30000.00"),
                ("3", "20500.00"),
                ("1", "25000.00"),
                ("Arihant Electricals: SI/23-24/118", "12500.00"),
                ("Deccan Copper Wires Pvt Ltd: PB/DCW/771", "30000.00"),
                (
                    "Deccan Copper Wires Pvt Ltd: Opening On Account - Deccan Copper Wires Pvt Ltd",
                    "15000.00",
                ),
                ("Ganga Switchgear Industries: GSI/2324/88", "20000.00"),
                ("Ganga Switchgear Industries: GSI-ADV/12", "1750.00"),
            ],
        ),
        (
            "real-daybook-tallyprime.xml",
            vec![
                ("V-02", "25785.00"),
                ("Rano 7.3.25", "15429.00"),
                ("2193", "12107.00"),
                ("UP3/24-25/1319", "48091.00"),
                // The debtor's seven open bills, which sum to its opening of 29,292.00.
                ("L Artisan Products: UP3/23-24/0593", "6726.00"),
                ("L Artisan Products: UP3/23-24/0602", "4024.00"),
                ("L Artisan Products: UP3/23-24/0604", "4413.00"),
                ("L Artisan Products: UP3/23-24/0631", "2301.00"),
                ("L Artisan Products: UP3/23-24/0633", "3682.00"),
                ("L Artisan Products: UP3/23-24/0640", "7163.00"),
                ("L Artisan Products: UP3/23-24/0653", "983.00"),
            ],
        ),
    ] {
        let p = parse_tally_bytes(&fixture_bytes(file));
        let vouchers: Vec<_> = p.records.iter().filter(|r| r.amounts.is_some()).collect();
        assert_eq!(vouchers.len(), expected.len(), "{file}");
        for r in &vouchers {
            let a = r.amounts.as_ref().unwrap();
            let sum: Decimal = a.postings.iter().map(|p| p.amount).sum();
            assert_eq!(sum, Decimal::ZERO, "{} does not balance", r.location);
            // The total is the party's side of the voucher.
            let party: Decimal = a
                .postings
                .iter()
                .filter(|p| Some(&p.ledger) == a.party.as_ref())
                .map(|p| p.amount.abs())
                .sum();
            assert_eq!(a.total, party, "{}", r.location);
        }
        let totals = InputTotals::of(&p.records);
        for ((label, amount), t) in expected.iter().zip(&totals.records) {
            let r = vouchers.iter().find(|r| r.key == t.key).unwrap();
            assert_eq!(r.location.label.as_deref(), Some(*label));
            assert_eq!(t.amount, dec(amount), "{label}");
        }
        let v = validate(
            &p.records,
            &p.report,
            &ExistingRecords::new(),
            ValidateOptions::default(),
        );
        assert_eq!(v.report.errors(), 0, "{}", v.report);
        assert_eq!(v.valid(), p.records.len());
    }
}

#[test]
fn plans_the_sample_in_dependency_order_with_exact_calls() {
    let p = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    let mut existing = ExistingRecords::new();
    // Zoho India organizations come with their GST taxes; one customer is there already.
    existing.add_page(
        Entity::Tax,
        &json!({"taxes": [
            {"tax_id": "1", "tax_name": "IGST18"}, {"tax_id": "2", "tax_name": "CGST9"},
            {"tax_id": "3", "tax_name": "SGST9"}, {"tax_id": "4", "tax_name": "GST18", "tax_type": "tax_group"}
        ]}),
    );
    existing.add(
        Entity::Contact,
        &json!({"contact_id": "7", "contact_name": "ramesh kumar"}),
    );
    let v = validate(&p.records, &p.report, &existing, ValidateOptions::default());
    let plan = plan(
        &p.records,
        &v,
        &existing,
        &PlanOptions {
            limits: Plan::Free.limits(),
            daily_budget: Some(10),
        },
    );
    // Creates: 3 taxes + 1 group + 2 accounts + 4 contacts + 4 items + 5 invoices + 3 bills
    // + 3 customer payments + 2 vendor payments + 1 opening balance = 28; listings: one page
    // each for 10 entities.
    assert_eq!(plan.calls, 28 + 10);
    assert_eq!(plan.days, 4);
    let ranks: Vec<usize> = plan
        .order
        .iter()
        .map(|i| p.records[*i].entity.rank())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    assert_eq!(
        p.records[*plan.order.last().unwrap()].entity,
        Entity::OpeningBalance
    );
}

#[test]
fn compares_input_totals_with_zoho_read_back() {
    let p = parse_tally_bytes(&fixture_bytes("sample-company.xml"));
    let input = InputTotals::of(&p.records);
    let zoho = vec![
        (
            Entity::Invoice,
            json!({"invoice_number": "SI/24-25/001", "reference_number": "5f1c2d3e-7a8b-4c9d-8e0f-1a2b3c4d5e6f-00000301", "customer_name": "Arihant Electricals", "total": 30975.0}),
        ),
        (
            Entity::Invoice,
            json!({"reference_number": "5f1c2d3e-7a8b-4c9d-8e0f-1a2b3c4d5e6f-00000302", "customer_name": "Kaveri Hardware & Tools", "total": 31870.0}),
        ),
        (
            Entity::Invoice,
            json!({"reference_number": "5f1c2d3e-7a8b-4c9d-8e0f-1a2b3c4d5e6f-00000303", "customer_name": "Ramesh Kumar", "total": 940.01}),
        ),
    ];
    let r = compare(&input, &zoho, Decimal::ZERO);
    let bad: Vec<String> = r
        .disagreements()
        .map(|l| format!("{:?}", l.scope))
        .collect();
    // SI/003 is a paisa off, SI/004 and the receipt are missing: their records, their
    // parties and both entity totals disagree.
    assert!(bad.iter().any(|b| b.contains("00000303")), "{bad:?}");
    assert!(bad.iter().any(|b| b.contains("00000304")), "{bad:?}");
    assert!(!bad.iter().any(|b| b.contains("00000301")), "{bad:?}");
    assert!(bad.iter().any(|b| b.contains("Ramesh Kumar")));
}

#[test]
fn reads_fixtures_from_disk_through_open() {
    let records = open(&fixture("sample-company.xml"), &ReadOptions::default()).unwrap();
    let p = Parsed::collect(records);
    assert_eq!(p.records.len(), 33);
    assert!(p.records[0].location.file.ends_with("sample-company.xml"));
}
