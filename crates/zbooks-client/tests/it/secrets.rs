//! Secrets never leak (docs/design.md promise 8): a canary refresh token, client secret and the
//! access tokens minted from them appear in no event, tracing line, audit row or error text.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use zbooks_client::store::{TokenKey, TokenStore};
use zbooks_client::{Client, Credentials, MemoryStore, Method};
use zbooks_sim::{FaultAction, FaultRule, OrgSpec, Scenario, SimConfig, UserSpec};
use zbooks_store::SqliteStore;
use zbooks_types::{DataCenter, Plan};

use zbooks_testkit::{Recorder, fast_limits, fast_retry, fast_sim, fast_tokens, start};

const CANARY_REFRESH: &str = "1000.canaryrefreshCANARY0123456789.abcdef";
const CANARY_SECRET: &str = "canarysecretCANARY0123456789abcdef";
const CANARY_CLIENT: &str = "1000.CANARYCLIENT";

/// Writes every span and event field as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.0.lock().unwrap();
        let _ = write!(text, "\nspan {}", span.metadata().name());
        span.record(&mut Fields(&mut text));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = self.0.lock().unwrap();
        let _ = write!(text, "\nevent {}", event.metadata().target());
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// One subscriber for the whole test binary: a thread-local one would race with tracing's
/// per-callsite interest cache while other tests run without one.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        tracing::subscriber::set_global_default(capture.clone())
            .expect("no other global subscriber in this test binary");
        capture
    })
}

#[tokio::test]
async fn a_canary_token_appears_nowhere() {
    let capture = capture();
    let scenario = Scenario {
        users: vec![UserSpec {
            user_id: "canary".into(),
            dc: DataCenter::In,
            client_id: CANARY_CLIENT.into(),
            client_secret: CANARY_SECRET.into(),
            refresh_token: Some(CANARY_REFRESH.into()),
            scopes: vec!["ZohoBooks.contacts.READ".into()],
        }],
        organizations: vec![OrgSpec {
            organization_id: "60000000020".into(),
            name: "Canary Ltd".into(),
            plan: Plan::Professional,
            dc: DataCenter::In,
            trial_expired: false,
            members: vec!["canary".into()],
            currency_code: "INR".into(),
            unique_custom_fields: vec![],
        }],
        faults: vec![
            FaultRule::on(
                "GET",
                "/books/v3/items",
                FaultAction::GatewayHtml { status: 502 },
            )
            .nth(1),
        ],
        ..Scenario::default()
    };
    let (sim, _) = start(SimConfig {
        scenario: Some(scenario),
        ..fast_sim()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let audit = Arc::new(SqliteStore::open(dir.path().join("audit.db")).unwrap());
    let memory = Arc::new(MemoryStore::new());
    let recorder = Recorder::new();
    let client = Client::builder()
        .accounts_url(sim.accounts_url())
        .api_domain(sim.api_domain())
        .organization_id("60000000020")
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            CANARY_CLIENT,
            CANARY_SECRET,
            CANARY_REFRESH,
        ))
        .store(memory.clone())
        .audit_sink(audit.clone())
        .event_sink(recorder.clone())
        .retry(fast_retry())
        .limits(fast_limits())
        .tokens(fast_tokens())
        .build()
        .unwrap();
    let mut texts = vec![format!("{client:?}")];
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    // A retried 502, a refresh after an early expiry, a scope refusal, a 1002.
    client
        .request(Method::GET, "/items")
        .send()
        .await
        .unwrap_err();
    sim.expire_tokens();
    client
        .request(Method::GET, "/contacts")
        .send()
        .await
        .unwrap();
    for err in [
        client
            .request(Method::POST, "/contacts")
            .send()
            .await
            .unwrap_err(),
        client.contacts().get("460000000999999").await.unwrap_err(),
    ] {
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    let key =
        TokenKey::for_refresh_token(&sim.accounts_url(), CANARY_CLIENT, &CANARY_REFRESH.into());
    let access = memory.load_token(&key).await.unwrap().unwrap().access_token;
    let events = recorder.events();
    assert!(events.len() >= 6, "{events:?}");
    texts.extend(events.iter().map(|e| serde_json::to_string(e).unwrap()));
    texts.push(capture.0.lock().unwrap().clone());
    assert!(
        texts.last().unwrap().contains("zbooks.call"),
        "the span is traced"
    );
    let audited = audit.audit_log(100).await.unwrap();
    assert!(!audited.is_empty());
    drop(audit);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    for text in &texts {
        for secret in [CANARY_REFRESH, CANARY_SECRET, access.expose(), "canary"] {
            assert!(!text.contains(secret), "a secret leaked into: {text}");
        }
    }
}
