//! A simulator, a client of its demo organization with every wait scaled down, and a gateway
//! in front of it; plain HTTP helpers; the check that no secret leaked.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use zbooks_client::{Client, ClientBuilder, LimitsConfig};
use zbooks_gateway::{Alert, AlertSink, Gateway, GatewayConfig, Observer, RunningGateway};
use zbooks_sim::{DemoCredentials, FaultRule, RunningSim};
use zbooks_testkit::Recorder;

/// A running setup.
pub(crate) struct Setup {
    pub(crate) sim: RunningSim,
    pub(crate) demo: DemoCredentials,
    pub(crate) client: Client,
    pub(crate) gateway: RunningGateway,
    pub(crate) events: Arc<Recorder>,
    pub(crate) http: reqwest::Client,
    /// The limits the client and the gateway keep.
    pub(crate) limits: LimitsConfig,
    /// The alerts the gateway raised.
    pub(crate) alerts: Arc<Alerts>,
}

/// Keeps the alerts it is given (the seam issue 18's channels will plug into).
#[derive(Debug, Default)]
pub(crate) struct Alerts(Mutex<Vec<Alert>>);

impl AlertSink for Alerts {
    fn raise(&self, alert: &Alert) {
        self.0.lock().expect("alerts").push(alert.clone());
    }
}

impl Alerts {
    /// The alerts so far.
    pub(crate) fn all(&self) -> Vec<Alert> {
        self.0.lock().expect("alerts").clone()
    }
}

/// Starts a simulator with `faults`, a client and a gateway whose configuration `tune`
/// adjusts (the client's limits follow the gateway's).
pub(crate) async fn start(faults: Vec<FaultRule>, tune: impl FnOnce(&mut GatewayConfig)) -> Setup {
    start_with(faults, tune, |b| b).await
}

/// [`start`], with the client's builder adjusted by `client` (a shared store, say).
pub(crate) async fn start_with(
    faults: Vec<FaultRule>,
    tune: impl FnOnce(&mut GatewayConfig),
    client: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Setup {
    let (sim, demo) = zbooks_testkit::start_with_faults(faults).await;
    let mut config = GatewayConfig {
        listen: "127.0.0.1:0".parse().expect("an address"),
        // A minute of one second turns Zoho's 1.5 % margin (0.9 s of lateness a minute) into
        // 15 ms, less than a call can be held up on a busy 2-core machine running the whole
        // suite: a margin of 10 % (100 ms a scaled minute) keeps the sends inside the window.
        // The benchmark measures the share of the limit with the default margin.
        limits: LimitsConfig {
            margin_permille: 100,
            ..zbooks_testkit::fast_limits()
        },
        max_wait: Duration::from_secs(20),
        ..GatewayConfig::default()
    };
    tune(&mut config);
    let events = Recorder::new();
    let observer = Observer::new(config.limits.window, Some(events.clone()));
    let client = client(
        zbooks_testkit::demo_client(&sim, &demo)
            .limits(config.limits)
            .event_sink(observer.clone()),
    )
    .build()
    .expect("client");
    let limits = config.limits;
    let alerts = Arc::new(Alerts::default());
    let gateway = Gateway::new(config)
        .organization(client.clone())
        .observer(observer)
        .alerts(alerts.clone())
        .start()
        .await
        .expect("gateway starts");
    Setup {
        sim,
        demo,
        client,
        gateway,
        events,
        http: reqwest::Client::new(),
        limits,
        alerts,
    }
}

impl Setup {
    /// `base_url` + `path`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.gateway.base_url())
    }

    /// The gateway's own URL + `path` (`/__zbooks/status`).
    pub(crate) fn root(&self, path: &str) -> String {
        format!("http://{}{path}", self.gateway.local_addr())
    }

    /// Stops the gateway and the simulator.
    pub(crate) async fn stop(self) {
        self.gateway.shutdown().await;
        self.sim.shutdown().await;
    }
}

/// An answer read whole.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) text: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

/// Sends `request` and reads the answer, checking that it leaks no secret of `demo`.
pub(crate) async fn send(demo: &DemoCredentials, request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the gateway answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    assert_no_secret(demo, &text);
    for value in headers.values() {
        assert_no_secret(demo, value.to_str().unwrap_or_default());
    }
    Answer {
        status,
        headers,
        text,
    }
}

/// No token-looking text, no refresh token, no client secret.
pub(crate) fn assert_no_secret(demo: &DemoCredentials, text: &str) {
    assert_eq!(
        zbooks_types::scrub(text),
        text,
        "a secret-looking value leaked"
    );
    assert!(
        !text.contains(&demo.refresh_token),
        "the refresh token leaked"
    );
    assert!(
        !text.contains(&demo.client_secret),
        "the client secret leaked"
    );
    assert!(
        !text.contains("Zoho-oauthtoken"),
        "an Authorization header leaked"
    );
}
