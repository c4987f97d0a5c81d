//! The organization's opening balances (`/settings/openingbalances`): one object, created,
//! read, replaced and deleted as Zoho's Opening Balance API documents, checked like its other
//! bodies.

use serde_json::{Value, json};

use crate::support::start;

#[tokio::test]
async fn opening_balances_are_one_object_created_read_replaced_and_deleted() {
    let t = start().await;
    let accounts = t.get("/chartofaccounts").await;
    let list = accounts.body["chartofaccounts"].as_array().unwrap();
    let id_of = |name: &str| -> Value {
        list.iter().find(|a| a["account_name"] == name).unwrap()["account_id"].clone()
    };
    let (cash, payable) = (id_of("Petty Cash"), id_of("Accounts Payable"));

    // None yet: an answer without an id and with no accounts.
    let res = t.get("/settings/openingbalances").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.body["opening_balance"]
            .get("opening_balance_id")
            .is_none()
    );
    assert_eq!(res.body["opening_balance"]["accounts"], json!([]));

    // Refused as the page documents: date required, debit_or_credit one of two, a real
    // account, a non-negative amount.
    for bad in [
        json!({"accounts": [{"account_id": cash, "debit_or_credit": "debit", "amount": 1}]}),
        json!({"date": "2024-03-31", "accounts": [{"account_id": cash, "debit_or_credit": "dr", "amount": 1}]}),
        json!({"date": "2024-03-31", "accounts": [{"account_id": "999", "debit_or_credit": "debit", "amount": 1}]}),
        json!({"date": "2024-03-31", "accounts": [{"account_id": cash, "debit_or_credit": "debit", "amount": -1}]}),
        json!({"date": "31-03-2024", "accounts": []}),
    ] {
        let res = t.post("/settings/openingbalances", &bad).await;
        assert_eq!(res.status, 400, "{bad}: {}", res.body);
    }

    let res = t
        .post(
            "/settings/openingbalances",
            &json!({"date": "2024-03-31", "accounts": [
                {"account_id": cash, "debit_or_credit": "debit", "exchange_rate": 1, "amount": 2000},
                {"account_id": payable, "debit_or_credit": "credit", "amount": 1500.5},
            ]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["message"], "The opening balances are saved!");
    let ob = res.body["opening_balance"].clone();
    let id = ob["opening_balance_id"].as_str().unwrap().to_owned();
    assert_eq!(ob["date"], "2024-03-31");
    assert_eq!(ob["accounts"][0]["account_name"], "Petty Cash");
    assert_eq!(ob["accounts"][0]["bcy_amount"], json!(2000));
    assert!(ob["accounts"][0]["acount_split_id"].is_string());
    assert_eq!(ob["accounts"][1]["amount"], json!(1500.5));
    assert_eq!(ob["total"], json!(2000));
    assert_eq!(
        t.get("/settings/openingbalances").await.body["opening_balance"],
        ob
    );

    // A second create is refused: the caller reads it and replaces it.
    let res = t
        .post(
            "/settings/openingbalances",
            &json!({"date": "2024-03-31", "accounts": []}),
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.body);
    let res = t
        .put(
            "/settings/openingbalances",
            &json!({"date": "2024-03-31", "accounts": [
                {"account_id": cash, "debit_or_credit": "debit", "amount": 100}]}),
        )
        .await;
    assert_eq!(
        res.status, 400,
        "PUT needs opening_balance_id: {}",
        res.body
    );
    let res = t
        .put(
            "/settings/openingbalances",
            &json!({"opening_balance_id": id, "date": "2024-03-30", "accounts": [
                {"account_id": cash, "debit_or_credit": "debit", "amount": 100}]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let ob = t.get("/settings/openingbalances").await.body["opening_balance"].clone();
    assert_eq!(ob["opening_balance_id"], json!(id));
    assert_eq!(ob["date"], "2024-03-30");
    assert_eq!(ob["accounts"].as_array().unwrap().len(), 1);

    let res = t.delete("/settings/openingbalances").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        res.body["message"],
        "The entered opening balance has been deleted."
    );
    assert_eq!(t.delete("/settings/openingbalances").await.status, 404);
    t.assert_all_matched();
}
