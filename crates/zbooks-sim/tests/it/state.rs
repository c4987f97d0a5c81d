//! `--state FILE`: the sandbox survives a restart; the control API over HTTP.

use serde_json::json;
use zbooks_sim::SimConfig;

use crate::support::{read, start, start_with};

#[tokio::test]
async fn the_sandbox_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("zbooks-sim-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let config = || SimConfig {
        state_file: Some(path.clone()),
        ..SimConfig::default()
    };
    let t = start_with(config()).await;
    let id = t.contact("Kept Ltd", "customer").await;
    let token = t.token.clone();
    t.sim.shutdown().await;
    assert!(path.exists());
    // It holds the sandbox's client secrets and tokens: private to its owner.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    let mut t = start_with(config()).await;
    let res = t.get(&format!("/contacts/{id}")).await;
    assert_eq!(res.body["contact"]["contact_name"], "Kept Ltd");
    // Tokens survive too, and uniqueness is rebuilt from the file.
    t.token = token;
    assert_eq!(t.get("/contacts").await.status, 200);
    assert_eq!(
        t.post("/contacts", &json!({"contact_name": "Kept Ltd"}))
            .await
            .code(),
        3062
    );
    let next = t.contact("New Ltd", "customer").await;
    assert_ne!(next, id);
    t.sim.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn control_api_over_http() {
    let t = start().await;
    let control = t.sim.control_url();
    let demo = read(t.http.get(format!("{control}/demo")).send().await.unwrap())
        .await
        .body;
    for key in [
        "accounts_url",
        "api_url",
        "control_url",
        "client_id",
        "client_secret",
        "refresh_token",
        "organization_id",
    ] {
        assert!(demo[key].is_string(), "{key}");
    }
    assert!(demo["api_url"].as_str().unwrap().ends_with("/books/v3"));
    t.contact("Before Reset", "customer").await;
    let counters = read(
        t.http
            .get(format!("{control}/counters"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .body;
    assert_eq!(counters["by_status"]["201"], 1);
    let log = read(t.http.get(format!("{control}/log")).send().await.unwrap())
        .await
        .body;
    assert_eq!(
        log["requests"][1]["created"][0],
        "contacts:contact_name=Before Reset"
    );
    let post = |path: &str, body: serde_json::Value| {
        let req = t.http.post(format!("{control}{path}")).json(&body);
        async move { read(req.send().await.unwrap()).await }
    };
    assert_eq!(post("/clock/minute", json!({})).await.status, 200);
    assert_eq!(post("/clock/day", json!({})).await.status, 200);
    assert_eq!(
        post("/clock/advance", json!({"seconds": 10})).await.status,
        200
    );
    assert_eq!(post("/tokens/expire", json!({})).await.status, 200);
    assert_eq!(t.get("/contacts").await.code(), 57);
    let res = read(
        t.http
            .put(format!("{control}/faults"))
            .json(&json!([{"path": "/books/v3/items", "action": {"kind": "gateway_html"}}]))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let faults = read(
        t.http
            .get(format!("{control}/faults"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .body;
    assert_eq!(faults["faults"][0]["action"]["kind"], "gateway_html");
    assert_eq!(post("/reset", json!({})).await.status, 200);
    assert!(t.sim.request_log().is_empty());
    assert_eq!(post("/scenario", json!({"organizations": [{"organization_id": "70000000001", "name": "Extra", "plan": "premium", "members": ["sim-user-demo"]}]})).await.status, 200);
    // The scenario's organization is there for the demo user.
    let d = t.sim.demo();
    let token = crate::support::refresh(
        &t.http,
        &t.sim.accounts_url(),
        &d.client_id,
        &d.client_secret,
        &d.refresh_token,
    )
    .await;
    let res = read(
        t.http
            .get(format!("{}/organizations", t.sim.api_url()))
            .header(
                "Authorization",
                format!(
                    "Zoho-oauthtoken {}",
                    token["access_token"].as_str().unwrap()
                ),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        res.body["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["organization_id"] == "70000000001")
    );
    let bad = post("/scenario", json!({"nonsense": 1})).await;
    assert_eq!(bad.status, 400);
    let unknown = read(t.http.get(format!("{control}/nope")).send().await.unwrap()).await;
    assert_eq!(unknown.status, 404);
}
