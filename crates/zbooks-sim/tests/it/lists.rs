//! List answers as Zoho writes them: newest first by default, the documented `sort_column`
//! values honoured and any other refused, unknown filters ignored, and a whole `page_context`
//! (reference §5.3; evidence 13a–13c).

use crate::support::{Res, start};

fn names(res: &Res, plural: &str, field: &str) -> Vec<String> {
    res.body[plural]
        .as_array()
        .unwrap_or_else(|| panic!("{}", res.body))
        .iter()
        .map(|r| r[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_are_newest_first_by_default() {
    let t = start().await;
    for name in ["First", "Second", "Third"] {
        t.contact(name, "customer").await;
    }
    let res = t.get("/contacts").await;
    assert_eq!(
        names(&res, "contacts", "contact_name"),
        ["Third", "Second", "First"]
    );
    assert_eq!(res.body["page_context"]["sort_column"], "created_time");
    assert_eq!(res.body["page_context"]["sort_order"], "D");
    let res = t.get_q("/contacts", &[("sort_order", "A")]).await;
    assert_eq!(
        names(&res, "contacts", "contact_name"),
        ["First", "Second", "Third"]
    );
    assert_eq!(res.body["page_context"]["sort_order"], "A");
    t.assert_all_matched();
}

#[tokio::test]
async fn a_documented_sort_column_sorts_and_any_other_is_code_2() {
    let t = start().await;
    let customer = t.contact("Buyer", "customer").await;
    for rate in [20.0, 10.0, 30.0] {
        t.invoice(&customer, rate, 1.0).await;
    }
    let res = t
        .get_q(
            "/invoices",
            &[("sort_column", "total"), ("sort_order", "A")],
        )
        .await;
    let totals: Vec<f64> = res.body["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["total"].as_f64().unwrap())
        .collect();
    assert_eq!(totals, [10.0, 20.0, 30.0]);
    assert_eq!(res.body["page_context"]["sort_column"], "total");
    // `contact_name` is a contacts column, not an invoices one (invoices.yml `sort_column`).
    for bad in ["contact_name", "nonsense"] {
        let res = t.get_q("/invoices", &[("sort_column", bad)]).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert_eq!(res.code(), 2);
        assert_eq!(res.body["message"], "Invalid value passed for sort_column");
    }
    // Taxes document no `sort_column`: there it is an unknown parameter, ignored.
    let res = t
        .get_q("/settings/taxes", &[("sort_column", "nonsense")])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    t.assert_all_matched();
}

#[tokio::test]
async fn unknown_filters_are_ignored_as_zoho_does() {
    let t = start().await;
    t.contact("Only", "customer").await;
    let res = t
        .get_q("/contacts", &[("no_such_filter", "x"), ("status_foo", "y")])
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(names(&res, "contacts", "contact_name"), ["Only"]);
    t.assert_all_matched();
}

#[tokio::test]
async fn page_context_carries_every_documented_key() {
    let t = start().await;
    let customer = t.contact("Buyer", "customer").await;
    t.invoice(&customer, 10.0, 1.0).await;
    let res = t
        .get_q(
            "/invoices",
            &[
                ("search_text", "inv"),
                ("filter_by", "Status.Draft"),
                ("per_page", "5"),
            ],
        )
        .await;
    let pc = &res.body["page_context"];
    assert_eq!(pc["page"], 1);
    assert_eq!(pc["per_page"], 5);
    assert_eq!(pc["has_more_page"], false);
    assert_eq!(pc["report_name"], "Invoices");
    assert_eq!(pc["applied_filter"], "Status.Draft");
    assert_eq!(pc["filter_by"], "Status.Draft");
    assert_eq!(pc["search_text"], "inv");
    assert_eq!(pc["sort_column"], "created_time");
    assert_eq!(pc["sort_order"], "D");
    assert_eq!(pc["response_option"], 0);
    let res = t.get("/customerpayments").await;
    assert_eq!(res.body["page_context"]["report_name"], "Customer Payments");
    assert!(res.body["page_context"].get("response_option").is_none());
    t.assert_all_matched();
}
