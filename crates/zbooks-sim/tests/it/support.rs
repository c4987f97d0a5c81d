//! Helpers: a simulator per test, a client, and one-line requests.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use zbooks_sim::{RunningSim, Sim, SimConfig};

/// A started simulator with an access token for the demo user.
pub(crate) struct T {
    pub(crate) sim: RunningSim,
    pub(crate) http: reqwest::Client,
    pub(crate) token: String,
    pub(crate) org: String,
}

/// An answer: status, JSON body (Null when not JSON) and headers.
pub(crate) struct Res {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) headers: HeaderMap,
}

impl Res {
    pub(crate) fn code(&self) -> i64 {
        self.body["code"].as_i64().unwrap_or(-1)
    }
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub(crate) async fn start() -> T {
    start_with(SimConfig::default()).await
}

pub(crate) async fn start_with(config: SimConfig) -> T {
    let sim = Sim::start(config).await.unwrap();
    let http = client();
    let demo = sim.demo();
    let token = refresh(
        &http,
        &sim.accounts_url(),
        &demo.client_id,
        &demo.client_secret,
        &demo.refresh_token,
    )
    .await["access_token"]
        .as_str()
        .expect("the demo refresh token works")
        .to_owned();
    T {
        org: demo.organization_id.clone(),
        sim,
        http,
        token,
    }
}

/// A refresh grant against an accounts server; answers the body.
pub(crate) async fn refresh(
    http: &reqwest::Client,
    accounts: &str,
    id: &str,
    secret: &str,
    refresh: &str,
) -> Value {
    let res = http
        .post(format!("{accounts}/oauth/v2/token"))
        .query(&[
            ("grant_type", "refresh_token"),
            ("client_id", id),
            ("client_secret", secret),
            ("refresh_token", refresh),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status().as_u16(),
        200,
        "the accounts server answers 200, errors too"
    );
    res.json().await.unwrap()
}

pub(crate) async fn read(res: reqwest::Response) -> Res {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap_or_default();
    Res {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        headers,
    }
}

impl T {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.api_url())
    }

    fn with_org(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        req.query(&[("organization_id", self.org.as_str())])
            .header("Authorization", format!("Zoho-oauthtoken {}", self.token))
    }

    pub(crate) async fn get(&self, path: &str) -> Res {
        read(
            self.with_org(self.http.get(self.url(path)))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn get_q(&self, path: &str, query: &[(&str, &str)]) -> Res {
        read(
            self.with_org(self.http.get(self.url(path)))
                .query(query)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> Res {
        read(
            self.with_org(self.http.post(self.url(path)))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn post_q(&self, path: &str, query: &[(&str, &str)], body: &Value) -> Res {
        read(
            self.with_org(self.http.post(self.url(path)))
                .query(query)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn put(&self, path: &str, body: &Value) -> Res {
        read(
            self.with_org(self.http.put(self.url(path)))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn put_q(&self, path: &str, query: &[(&str, &str)], body: &Value) -> Res {
        read(
            self.with_org(self.http.put(self.url(path)))
                .query(query)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub(crate) async fn delete(&self, path: &str) -> Res {
        read(
            self.with_org(self.http.delete(self.url(path)))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Creates a contact; answers its id.
    pub(crate) async fn contact(&self, name: &str, contact_type: &str) -> String {
        let res = self
            .post(
                "/contacts",
                &json!({"contact_name": name, "contact_type": contact_type}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        res.body["contact"]["contact_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates an invoice for a customer with one line; answers the invoice.
    pub(crate) async fn invoice(&self, customer_id: &str, rate: f64, quantity: f64) -> Value {
        let res = self
            .post(
                "/invoices",
                &json!({"customer_id": customer_id, "line_items": [{"name": "Work", "rate": rate, "quantity": quantity}]}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        res.body["invoice"].clone()
    }

    /// Fails the test if any request went to an unknown route.
    pub(crate) fn assert_all_matched(&self) {
        let counters = self.sim.counters();
        assert_eq!(
            counters.unmatched_routes, 0,
            "unmatched: {:?}",
            counters.unmatched
        );
    }
}
