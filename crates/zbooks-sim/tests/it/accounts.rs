//! The accounts server: grants, Zoho's HTTP-200 errors, the throttle and the active-token cap.

use serde_json::{Value, json};

use crate::support::{client, read, refresh, start};

#[tokio::test]
async fn refresh_grant_answers_like_zoho() {
    let t = start().await;
    let d = t.sim.demo();
    let body = refresh(
        &t.http,
        &t.sim.accounts_url(),
        &d.client_id,
        &d.client_secret,
        &d.refresh_token,
    )
    .await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["api_domain"], t.sim.api_domain());
    assert!(body.get("refresh_token").is_none());
    let token = body["access_token"].as_str().unwrap();
    assert!(token.starts_with("1000.simaccess."));
    // Form bodies work as well as query strings.
    let res = t
        .http
        .post(format!("{}/oauth/v2/token", t.sim.accounts_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", d.client_id.as_str()),
            ("client_secret", d.client_secret.as_str()),
            ("refresh_token", d.refresh_token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(read(res).await.body["access_token"].is_string());
}

#[tokio::test]
async fn errors_come_with_http_200() {
    let t = start().await;
    let d = t.sim.demo();
    let accounts = t.sim.accounts_url();
    let wrong_secret = refresh(&t.http, &accounts, &d.client_id, "nope", &d.refresh_token).await;
    assert_eq!(wrong_secret, json!({"error": "invalid_client"}));
    let wrong_refresh = refresh(
        &t.http,
        &accounts,
        &d.client_id,
        &d.client_secret,
        "1000.simrefresh.nope",
    )
    .await;
    assert_eq!(wrong_refresh, json!({"error": "invalid_code"}));
    // The EU user's client at the default (India) accounts server: wrong data center.
    let eu = &d.other_dc_user;
    let wrong_dc = refresh(
        &t.http,
        &accounts,
        &eu.client_id,
        &eu.client_secret,
        &eu.refresh_token,
    )
    .await;
    assert_eq!(wrong_dc, json!({"error": "invalid_client"}));
    let right_dc = refresh(
        &t.http,
        &eu.accounts_url,
        &eu.client_id,
        &eu.client_secret,
        &eu.refresh_token,
    )
    .await;
    assert_eq!(right_dc["api_domain"], eu.accounts_url.as_str());
    let res = t
        .http
        .post(format!("{accounts}/oauth/v2/token"))
        .query(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        read(res).await.body,
        json!({"error": "unsupported_grant_type"})
    );
    let res = t
        .http
        .get(format!("{accounts}/oauth/v2/token"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 405);
}

async fn exchange(
    http: &reqwest::Client,
    accounts: &str,
    id: &str,
    secret: &str,
    code: &str,
) -> Value {
    let res = http
        .post(format!("{accounts}/oauth/v2/token"))
        .query(&[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", secret),
            ("code", code),
            ("redirect_uri", "http://localhost/cb"),
        ])
        .send()
        .await
        .unwrap();
    read(res).await.body
}

#[tokio::test]
async fn grant_codes_are_single_use_and_expire() {
    let t = start().await;
    let d = t.sim.demo();
    let accounts = t.sim.accounts_url();
    let code = t.sim.mint_grant_code(&[]);
    let body = exchange(&t.http, &accounts, &d.client_id, &d.client_secret, &code).await;
    assert!(
        body["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("1000.simrefresh.")
    );
    assert!(body["access_token"].is_string());
    let again = exchange(&t.http, &accounts, &d.client_id, &d.client_secret, &code).await;
    assert_eq!(again, json!({"error": "invalid_code"}));
    let code = t.sim.mint_grant_code(&[]);
    t.sim.advance_clock(std::time::Duration::from_secs(181));
    let late = exchange(&t.http, &accounts, &d.client_id, &d.client_secret, &code).await;
    assert_eq!(late, json!({"error": "invalid_code"}));
    // The new refresh token works, and minting through the control API works too.
    let res = t
        .http
        .post(format!("{}/grant-codes", t.sim.control_url()))
        .json(&json!({"scope": "ZohoBooks.contacts.READ"}))
        .send()
        .await
        .unwrap();
    let code = read(res).await.body["code"].as_str().unwrap().to_owned();
    let body = exchange(&t.http, &accounts, &d.client_id, &d.client_secret, &code).await;
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn eleventh_token_request_in_ten_minutes_is_denied() {
    let t = start().await;
    let d = t.sim.demo();
    let accounts = t.sim.accounts_url();
    // `start` already made one request with the demo refresh token.
    for _ in 0..9 {
        let body = refresh(
            &t.http,
            &accounts,
            &d.client_id,
            &d.client_secret,
            &d.refresh_token,
        )
        .await;
        assert!(body["access_token"].is_string(), "{body}");
    }
    let denied = refresh(
        &t.http,
        &accounts,
        &d.client_id,
        &d.client_secret,
        &d.refresh_token,
    )
    .await;
    assert_eq!(denied["error"], "Access Denied");
    assert_eq!(denied["status"], "failure");
    assert!(
        denied["error_description"]
            .as_str()
            .unwrap()
            .contains("too many requests")
    );
    assert_eq!(t.sim.counters().token_throttled, 1);
    t.sim.advance_clock(std::time::Duration::from_secs(601));
    let body = refresh(
        &t.http,
        &accounts,
        &d.client_id,
        &d.client_secret,
        &d.refresh_token,
    )
    .await;
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn sixteenth_access_token_drops_the_oldest() {
    let t = start().await;
    let d = t.sim.demo();
    let accounts = t.sim.accounts_url();
    let mut tokens = vec![t.token.clone()];
    // Keep under the throttle by moving the clock, not by waiting.
    for i in 0..15 {
        if i % 8 == 7 {
            t.sim.advance_clock(std::time::Duration::from_secs(601));
        }
        let body = refresh(
            &t.http,
            &accounts,
            &d.client_id,
            &d.client_secret,
            &d.refresh_token,
        )
        .await;
        tokens.push(body["access_token"].as_str().unwrap().to_owned());
    }
    let call = |token: String| {
        let http = client();
        let url = format!(
            "{}/contacts?organization_id={}",
            t.sim.api_url(),
            d.organization_id
        );
        async move {
            read(
                http.get(url)
                    .header("Authorization", format!("Zoho-oauthtoken {token}"))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let oldest = call(tokens[0].clone()).await;
    assert_eq!((oldest.status, oldest.code()), (401, 57));
    let newest = call(tokens[15].clone()).await;
    assert_eq!(newest.status, 200);
    let second = call(tokens[1].clone()).await;
    assert_eq!(second.status, 200);
}

#[tokio::test]
async fn revoking_a_refresh_token_kills_it_and_its_access_tokens() {
    let t = start().await;
    let d = t.sim.demo();
    let accounts = t.sim.accounts_url();
    let res = t
        .http
        .post(format!("{accounts}/oauth/v2/token/revoke"))
        .query(&[("token", d.refresh_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(read(res).await.body, json!({"status": "success"}));
    let body = refresh(
        &t.http,
        &accounts,
        &d.client_id,
        &d.client_secret,
        &d.refresh_token,
    )
    .await;
    assert_eq!(body, json!({"error": "invalid_code"}));
    let res = t.get("/contacts").await;
    assert_eq!((res.status, res.code()), (401, 57));
}
