//! Zoho's refusals, each with the status and code of reference §1.4 (or of choices.rs where
//! the reference does not know), and malformed requests of every kind.

use serde_json::json;
use zbooks_sim::choices;

use zbooks_sim::SimConfig;

use crate::support::{client, read, refresh, start, start_with};

#[tokio::test]
async fn missing_or_malformed_authorization_is_401_14() {
    let t = start().await;
    let url = format!("{}?organization_id={}", t.url("/contacts"), t.org);
    for header in [
        None,
        Some("Bearer"),
        Some("Bearer   "),
        Some("Basic eDp5"),
        Some("Zoho-oauthtoken"),
        Some("Zoho-oauthtoken   "),
        Some("garbage"),
    ] {
        let mut req = t.http.get(&url);
        if let Some(h) = header {
            req = req.header("Authorization", h);
        }
        let res = read(req.send().await.unwrap()).await;
        assert_eq!((res.status, res.code()), (401, 14), "{header:?}");
        assert!(
            res.body["message"]
                .as_str()
                .unwrap()
                .contains("could not be authenticated")
        );
    }
}

#[tokio::test]
async fn bad_expired_wrong_dc_and_wrong_scope_tokens_are_401_57() {
    let mut t = start().await;
    let good = t.token.clone();
    t.token = "1000.simaccess.garbage".into();
    let res = t.get("/contacts").await;
    assert_eq!((res.status, res.code()), (401, 57));
    assert_eq!(
        res.body["message"],
        "You are not authorized to perform this operation"
    );
    t.token = good;
    t.sim.expire_tokens();
    assert_eq!(t.get("/contacts").await.code(), 57);

    // An EU token on the default (India) API, and the demo token on the EU API.
    let d = t.sim.demo();
    let eu = &d.other_dc_user;
    let eu_token = refresh(
        &t.http,
        &eu.accounts_url,
        &eu.client_id,
        &eu.client_secret,
        &eu.refresh_token,
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = read(
        t.http
            .get(format!(
                "{}/contacts?organization_id={}",
                t.sim.api_url(),
                eu.organization_id
            ))
            .header("Authorization", format!("Zoho-oauthtoken {eu_token}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((res.status, res.code()), (401, 57));
    let res = read(
        t.http
            .get(format!(
                "{}/contacts?organization_id={}",
                eu.api_url, eu.organization_id
            ))
            .header("Authorization", format!("Zoho-oauthtoken {eu_token}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);

    // A token granted only ZohoBooks.contacts.READ.
    let code = t.sim.mint_grant_code(&["ZohoBooks.contacts.READ"]);
    let body = read(
        t.http
            .post(format!("{}/oauth/v2/token", t.sim.accounts_url()))
            .query(&[
                ("grant_type", "authorization_code"),
                ("client_id", d.client_id.as_str()),
                ("client_secret", d.client_secret.as_str()),
                ("code", code.as_str()),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await
    .body;
    t.token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(t.get("/contacts").await.status, 200);
    let res = t.post("/contacts", &json!({"contact_name": "A"})).await;
    assert_eq!((res.status, res.code()), (401, 57));
    // Items live under ZohoBooks.settings, not a scope of their own (reference §3.5).
    assert_eq!(t.get("/items").await.code(), 57);
    assert_eq!(t.get("/journals").await.code(), 57);
    assert_eq!(t.get("/organizations").await.code(), 57);
}

#[tokio::test]
async fn organization_errors() {
    let mut t = start().await;
    let d = t.sim.demo();
    t.org = "YOUR_ORG_ID".into();
    let res = t.get("/contacts").await;
    assert_eq!((res.status, res.code()), (400, choices::MISSING_ORG_CODE));
    assert_eq!(
        t.get("/contacts").await.body["message"],
        "Invalid value passed for organization_id"
    );
    t.org = d.other_user.organization_id.clone();
    let res = t.get("/contacts").await;
    assert_eq!((res.status, res.code()), (400, 6041));
    assert_eq!(
        res.body["message"],
        format!(
            "This user is not associated with the CompanyID/CompanyName:{}.",
            d.other_user.organization_id
        )
    );
    t.org = "99999999999".into();
    assert_eq!(t.get("/contacts").await.code(), 6041);
    t.org = d.trial_expired_organization_id.clone();
    assert_eq!(t.get("/contacts").await.status, 200);
    let res = t.post("/contacts", &json!({"contact_name": "A"})).await;
    assert_eq!((res.status, res.code()), (400, 103_001));
    assert!(
        res.body["message"]
            .as_str()
            .unwrap()
            .starts_with("Your trial of Zoho Books is over")
    );
    // Organizations list needs no organization_id and shows only the user's organizations.
    let res = t.get("/organizations").await;
    let ids: Vec<&str> = res.body["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organization_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            d.organization_id.as_str(),
            d.trial_expired_organization_id.as_str()
        ]
    );
}

/// One GET of `path` with `token` and no `organization_id` at all, or an empty one.
async fn get_without_org(
    t: &crate::support::T,
    token: &str,
    path: &str,
    empty: bool,
) -> crate::support::Res {
    let mut req = t
        .http
        .get(t.url(path))
        .header("Authorization", format!("Zoho-oauthtoken {token}"));
    if empty {
        req = req.query(&[("organization_id", "")]);
    }
    read(req.send().await.unwrap()).await
}

#[tokio::test]
async fn a_user_of_several_organizations_without_organization_id_gets_6024_and_the_choices() {
    let t = start().await;
    let d = t.sim.demo();
    for empty in [false, true] {
        let res = get_without_org(&t, &t.token, "/contacts", empty).await;
        assert_eq!((res.status, res.code()), (400, 6024), "empty={empty}");
        assert_eq!(
            res.body["message"],
            "This user belongs to multiple organizations, hence the parameter \
             CompanyID/CompanyName is required for associating this user to a specific \
             organization."
        );
        assert_eq!(
            res.body["error_info"],
            json!([
                {"organization_id": d.organization_id, "name": "Demo Books Pvt Ltd", "is_default_org": true},
                {"organization_id": d.trial_expired_organization_id, "name": "Expired Trial Traders", "is_default_org": false},
            ])
        );
    }
    // A write too: 6024 comes before anything the body says.
    let res = read(
        t.http
            .post(t.url("/contacts"))
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .json(&json!({"contact_name": "Nobody"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((res.status, res.code()), (400, 6024));
}

#[tokio::test]
async fn a_user_of_one_organization_without_organization_id_gets_that_one() {
    let mut t = start().await;
    let d = t.sim.demo();
    t.token = refresh(
        &t.http,
        &t.sim.accounts_url(),
        &d.other_user.client_id,
        &d.other_user.client_secret,
        &d.other_user.refresh_token,
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    t.org = d.other_user.organization_id.clone();
    let created = t
        .post("/contacts", &json!({"contact_name": "Only Org Customer"}))
        .await;
    assert_eq!(created.code(), 0, "{}", created.body);
    let res = get_without_org(&t, &t.token, "/contacts", false).await;
    assert_eq!((res.status, res.code()), (200, 0), "{}", res.body);
    let names: Vec<&str> = res.body["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Only Org Customer"), "{names:?}");
}

#[tokio::test]
async fn a_scenario_gives_the_demo_user_more_organizations() {
    let org = |id: &str, name: &str| zbooks_sim::OrgSpec {
        organization_id: id.into(),
        name: name.into(),
        plan: zbooks_types::Plan::Standard,
        dc: zbooks_types::DataCenter::In,
        trial_expired: false,
        members: vec!["sim-user-demo".into()],
        currency_code: "INR".into(),
        unique_custom_fields: Vec::new(),
    };
    let config = SimConfig {
        scenario: Some(zbooks_sim::Scenario {
            organizations: vec![org("60000000021", "Branch One LLP")],
            ..zbooks_sim::Scenario::default()
        }),
        ..SimConfig::default()
    };
    let t = start_with(config).await;
    let res = get_without_org(&t, &t.token, "/items", false).await;
    assert_eq!((res.status, res.code()), (400, 6024));
    let ids: Vec<&str> = res.body["error_info"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organization_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["60000000001", "60000000002", "60000000021"]);
}

#[tokio::test]
async fn records_params_and_bodies() {
    let t = start().await;
    let res = t.get("/invoices/460000000099999").await;
    assert_eq!((res.status, res.code()), (404, 1002));
    assert_eq!(res.body["message"], "Invoice does not exist.");
    assert_eq!(
        t.get("/contacts/460000000099999").await.body["message"],
        "Contact does not exist."
    );
    let res = t.get("/invoices/abc").await;
    assert_eq!((res.status, res.code()), (400, 2));
    for (k, v) in [
        ("page", "x"),
        ("page", "0"),
        ("per_page", "201"),
        ("sort_order", "Z"),
        ("filter_by", "Status.Nope"),
    ] {
        let res = t.get_q("/contacts", &[(k, v)]).await;
        assert_eq!((res.status, res.code()), (400, 2), "{k}={v}");
        assert_eq!(res.body["message"], format!("Invalid value passed for {k}"));
    }
    let res = read(
        t.http
            .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .header("content-type", "application/json")
            .body("{\"contact_name\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((res.status, res.code()), (400, 1038));
    assert_eq!(res.body["message"], "JSON is not well formed");
    // Plain form fields instead of JSON or JSONString (reference §6).
    let res = read(
        t.http
            .post(format!("{}?organization_id={}", t.url("/contacts"), t.org))
            .header("Authorization", format!("Zoho-oauthtoken {}", t.token))
            .form(&[("contact_name", "A")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.code(), 1038);
    let res = t
        .post("/contacts", &json!({"company_name": "no name"}))
        .await;
    // A required field missing is Zoho's code 4 (choices.rs).
    assert_eq!((res.status, res.code()), (400, 4));
    assert_eq!(res.body["message"], "Invalid value passed for contact_name");
}

#[tokio::test]
async fn unknown_routes_are_loud_and_counted() {
    let t = start().await;
    let res = t.get("/nonsense").await;
    assert_eq!((res.status, res.code()), (404, choices::UNMATCHED_CODE));
    assert_eq!(res.headers["x-zbooks-sim"], "unmatched");
    let res = t.delete("/contacts").await;
    assert_eq!(
        (res.status, res.code()),
        (405, choices::METHOD_NOT_ALLOWED_CODE)
    );
    assert_eq!(res.headers["x-zbooks-sim"], "unmatched");
    let res = read(
        t.http
            .get(format!("{}/whatever", t.sim.accounts_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 404);
    let counters = t.sim.counters();
    assert_eq!(counters.unmatched_routes, 3);
    assert!(
        counters
            .unmatched
            .contains(&"GET /books/v3/nonsense".to_owned()),
        "{:?}",
        counters.unmatched
    );
    assert!(t.sim.request_log().iter().filter(|r| r.unmatched).count() == 3);
}

#[tokio::test]
async fn malformed_requests_never_panic_or_hang() {
    let t = crate::support::start_with(zbooks_sim::SimConfig {
        limits_enabled: false,
        ..zbooks_sim::SimConfig::default()
    })
    .await;
    let http = client();
    let base = t.sim.accounts_url();
    let auth = format!("Zoho-oauthtoken {}", t.token);
    let paths = [
        "/books/v3/",
        "/books/v3//contacts",
        "/books/v3/contacts/%00",
        "/books/v3/contacts/1/2/3",
        "/books/v3/settings",
        "/books/v3/settings/taxes/",
        "/api/v3/invoices/",
        "/dc/xx/books/v3/contacts",
        "/dc/eu",
        "/__sim/nope",
        "/oauth/v2/token/revoke",
        "/books/v3/contacts?page=%ff&per_page=-1",
        "/books/v3/contacts?organization_id=%E2%82%AC",
        "/books/v3/invoices?sort_column=&sort_order=",
    ];
    for path in paths {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            for body in [
                "",
                "{",
                "[]",
                "null",
                "{\"line_items\": 5}",
                "JSONString=%7B",
                "\u{0}\u{1}",
            ] {
                let url = format!("{base}{path}");
                let sep = if url.contains('?') { '&' } else { '?' };
                let res = http
                    .request(
                        method.parse().unwrap(),
                        format!("{url}{sep}organization_id={}", t.org),
                    )
                    .header("Authorization", &auth)
                    .header(
                        "content-type",
                        if body.starts_with("JSON") {
                            "application/x-www-form-urlencoded"
                        } else {
                            "application/json"
                        },
                    )
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let text = res.text().await.unwrap();
                assert!(status < 500, "{method} {path} {body:?}: {status} {text}");
                let v: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {text}"));
                assert!(
                    v.get("code").is_some()
                        || v.get("error").is_some()
                        || v.get("ok").is_some()
                        || v.get("status").is_some()
                        || v.get("contacts").is_some(),
                    "{method} {path}: {text}"
                );
            }
        }
    }
    // Each entity with bodies that are JSON but the wrong shape.
    for (path, body) in [
        ("/invoices", json!({"customer_id": "x", "line_items": "x"})),
        ("/invoices", json!({"customer_id": 1, "line_items": [1]})),
        ("/items", json!({"name": "x", "rate": "abc"})),
        ("/items", json!({"name": ["x"], "rate": {}})),
        (
            "/customerpayments",
            json!({"customer_id": "1", "payment_mode": "cash", "amount": "x", "date": "2024-01-01", "invoices": [{}]}),
        ),
        ("/journals", json!({"journal_date": "yesterday"})),
        (
            "/journals",
            json!({"journal_date": "2024-01-01", "line_items": [{"amount": 1, "debit_or_credit": "both"}]}),
        ),
        (
            "/contacts",
            json!({"contact_name": "x", "custom_fields": "nope"}),
        ),
        (
            "/contacts",
            json!({"contact_name": "y", "contact_persons": [1, 2]}),
        ),
        (
            "/settings/taxes",
            json!({"tax_name": "x", "tax_percentage": "ten"}),
        ),
        ("/bills", json!({"vendor_id": "abc", "bill_number": 1})),
        (
            "/vendorpayments",
            json!({"amount": 1, "bills": [{"bill_id": "1", "amount_applied": 1}]}),
        ),
    ] {
        let res = t.post(path, &body).await;
        // A body reference that does not exist is 400/1002 (rules); code 2 (a bad value), 4 (a
        // required one missing), 15 (a shape or length Zoho's length guard refuses).
        assert_eq!(res.status, 400, "{path} {body}: {}", res.body);
        assert!(
            [2, 4, 15, 1002].contains(&res.code()),
            "{path} {body}: {}",
            res.body
        );
    }
}
