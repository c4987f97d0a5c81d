//! What clients written by others (in other languages) need from the simulator, found by
//! `scripts/third-party-clients.sh` (docs/third-party-clients.md); each test is one thing a
//! published client did that the simulator refused or answered unlike Zoho.

use serde_json::json;

use crate::support::{read, start};

/// `zoho-books-js` (npm) sends `Authorization: Bearer <token>`. Zoho Accounts documents
/// `Bearer` beside `Zoho-oauthtoken` for calling any Zoho REST API (choices.rs), so the
/// simulator takes it for the same token, and refuses a bad one the same way (401/57).
#[tokio::test]
async fn a_bearer_token_is_taken_like_a_zoho_oauthtoken() {
    let t = start().await;
    let bearer = format!("Bearer {}", t.token);

    let orgs = read(
        t.http
            .get(t.url("/organizations"))
            .header("Authorization", &bearer)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((orgs.status, orgs.code()), (200, 0));
    assert!(orgs.headers.contains_key("x-rate-limit-remaining"));

    let made = read(
        t.http
            .post(t.url("/contacts"))
            .query(&[("organization_id", t.org.as_str())])
            .header("Authorization", &bearer)
            .json(&json!({"contact_name": "Bearer & Co", "contact_type": "customer"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((made.status, made.code()), (201, 0), "{}", made.body);
    let id = made.body["contact"]["contact_id"].as_str().unwrap();
    assert_eq!(
        t.get(&format!("/contacts/{id}")).await.body["contact"]["contact_name"],
        "Bearer & Co"
    );

    let wrong = read(
        t.http
            .get(t.url("/contacts"))
            .query(&[("organization_id", t.org.as_str())])
            .header("Authorization", "bearer 1000.simaccess.garbage")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((wrong.status, wrong.code()), (401, 57));
}
