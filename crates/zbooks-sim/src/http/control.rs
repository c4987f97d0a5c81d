//! The control API under `/__sim/`: reset, load a scenario, script faults, mint grant codes,
//! expire tokens, move the clocks, and read the request log and counters. JSON in and out.
//!
//! It sits apart from Zoho's routes: it is never logged, counted, limited or faulted, so a test
//! can look at the simulator without changing what it observes. `RunningSim` offers the same
//! operations in-process through the functions here.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::control::config::{Scenario, default_scopes};
use crate::control::log::{Counters, LoggedRequest};
use crate::faults::{FaultRule, FaultState};
use crate::http::accounts;
use crate::http::request::Incoming;
use crate::resources::Kind;
use crate::rules::entities;
use crate::rules::reply::Reply;
use crate::state::Shared;
use crate::store::lock;
use crate::store::seed;
use crate::{Credentials, DemoCredentials};

/// The demo credentials and addresses.
pub(crate) fn demo(shared: &Shared) -> DemoCredentials {
    let eu = zbooks_types::DataCenter::Eu;
    DemoCredentials {
        client_id: seed::DEMO_CLIENT_ID.into(),
        client_secret: seed::DEMO_CLIENT_SECRET.into(),
        refresh_token: seed::DEMO_REFRESH_TOKEN.into(),
        organization_id: seed::DEMO_ORG.into(),
        user_id: seed::DEMO_USER.into(),
        data_center: shared.settings.default_dc,
        trial_expired_organization_id: seed::TRIAL_EXPIRED_ORG.into(),
        other_user: Credentials {
            user_id: seed::OTHER_USER.into(),
            client_id: seed::OTHER_CLIENT_ID.into(),
            client_secret: seed::OTHER_CLIENT_SECRET.into(),
            refresh_token: seed::OTHER_REFRESH_TOKEN.into(),
            organization_id: seed::OTHER_ORG.into(),
            data_center: shared.settings.default_dc,
            accounts_url: shared.base_url.clone(),
            api_url: format!("{}/books/v3", shared.base_url),
        },
        other_dc_user: Credentials {
            user_id: seed::EU_USER.into(),
            client_id: seed::EU_CLIENT_ID.into(),
            client_secret: seed::EU_CLIENT_SECRET.into(),
            refresh_token: seed::EU_REFRESH_TOKEN.into(),
            organization_id: seed::EU_ORG.into(),
            data_center: eu,
            accounts_url: accounts::api_domain(shared, eu),
            api_url: format!("{}/books/v3", accounts::api_domain(shared, eu)),
        },
    }
}

/// Mints a grant code for a client (the demo client when `None`).
pub(crate) fn mint_code(
    shared: &Shared,
    client_id: Option<&str>,
    scopes: Option<Vec<String>>,
) -> Option<String> {
    let expires_at = shared.clock.now() + shared.settings.grant_code_lifetime;
    let code = lock(&shared.auth).mint_code(
        client_id.unwrap_or(seed::DEMO_CLIENT_ID),
        scopes.unwrap_or_else(default_scopes),
        expires_at,
        shared.seed(),
    );
    shared.touch();
    code
}

/// The request log.
pub(crate) fn log(shared: &Shared) -> Vec<LoggedRequest> {
    lock(&shared.journal).entries()
}

/// The counters, with live records per natural key counted now.
pub(crate) fn counters(shared: &Shared) -> Counters {
    let mut counters = lock(&shared.journal).counters.clone();
    for org in shared.all_orgs() {
        let data = lock(&org.data);
        for kind in Kind::ALL {
            for stored in data.table(kind).records().values() {
                // The natural keys are indexed; only unique custom fields need the record.
                let keys = if org.meta.unique_custom_fields.is_empty() {
                    kind.def()
                        .key_fields
                        .iter()
                        .filter_map(|f| stored.text(kind, f).map(|v| format!("{f}={v}")))
                        .collect()
                } else {
                    entities::natural_keys(kind, &stored.decode(), &org.meta)
                };
                for key in keys {
                    let name = format!("{}:{}:{key}", org.meta.organization_id, kind.name());
                    *counters.records_per_natural_key.entry(name).or_default() += 1;
                }
            }
        }
        if let Some(date) = data
            .opening_balance
            .as_ref()
            .and_then(|ob| crate::store::text(ob, "date"))
        {
            let name = format!(
                "{}:{}:date={date}",
                org.meta.organization_id,
                crate::resources::OPENING_BALANCE_COUNTER
            );
            *counters.records_per_natural_key.entry(name).or_default() += 1;
        }
    }
    counters
}

/// Replaces the faults in force (their counts start again).
pub(crate) fn set_faults(shared: &Shared, faults: Vec<FaultRule>) {
    lock(&shared.scenario).faults.clone_from(&faults);
    *lock(&shared.faults) = FaultState::new(faults, shared.seed());
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    client_id: Option<String>,
    #[serde(default)]
    scope: Option<ScopeList>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ScopeList {
    Text(String),
    List(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ExpireRequest {
    access_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsageRequest {
    organization_id: String,
    calls_today: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceRequest {
    seconds: f64,
}

fn body_or_default<T: for<'de> Deserialize<'de> + Default>(inc: &Incoming) -> Result<T, Reply> {
    if inc.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(&inc.body).map_err(|e| bad_request(&e.to_string()))
}

fn bad_request(why: &str) -> Reply {
    Reply::json(400, &json!({"error": why}))
}

fn ok(value: &Value) -> Reply {
    Reply::json(200, value)
}

/// Answers one control request.
pub(crate) fn handle(shared: &Shared, inc: &Incoming, config_seed: u64) -> Reply {
    let route = inc.norm.trim_start_matches("/__sim");
    match handle_inner(shared, inc, route, config_seed) {
        Ok(r) | Err(r) => r,
    }
}

fn handle_inner(
    shared: &Shared,
    inc: &Incoming,
    route: &str,
    config_seed: u64,
) -> Result<Reply, Reply> {
    let method = inc.method.as_str();
    Ok(match (method, route) {
        ("GET", "" | "/health") => ok(&json!({"ok": true})),
        ("GET", "/demo") => {
            let d = demo(shared);
            ok(&json!({
                "accounts_url": shared.base_url,
                "api_url": format!("{}/books/v3", shared.base_url),
                "control_url": format!("{}/__sim", shared.base_url),
                "client_id": d.client_id,
                "client_secret": d.client_secret,
                "refresh_token": d.refresh_token,
                "organization_id": d.organization_id,
                "trial_expired_organization_id": d.trial_expired_organization_id,
                "other_user": d.other_user,
                "other_dc_user": d.other_dc_user,
            }))
        }
        ("POST", "/reset") => {
            shared.reset(None, config_seed);
            ok(&json!({"ok": true}))
        }
        ("POST", "/scenario") => {
            let scenario: Scenario = body_or_default(inc)?;
            shared.reset(Some(scenario), config_seed);
            ok(&json!({"ok": true}))
        }
        ("GET", "/scenario") => {
            ok(&serde_json::to_value(&*lock(&shared.scenario)).unwrap_or_default())
        }
        ("GET", "/faults") => ok(&json!({"faults": lock(&shared.faults).rules()})),
        ("PUT" | "POST", "/faults") => {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Faults {
                Wrapped { faults: Vec<FaultRule> },
                Bare(Vec<FaultRule>),
            }
            let faults = match serde_json::from_slice::<Faults>(&inc.body) {
                Ok(Faults::Wrapped { faults } | Faults::Bare(faults)) => faults,
                Err(e) => return Err(bad_request(&e.to_string())),
            };
            set_faults(shared, faults);
            ok(&json!({"ok": true}))
        }
        ("DELETE", "/faults") => {
            set_faults(shared, Vec::new());
            ok(&json!({"ok": true}))
        }
        ("GET", "/webhooks") => ok(&json!({
            "webhooks": shared.webhooks.rules(),
            "attempts": shared.webhooks.attempts(),
        })),
        ("PUT" | "POST", "/webhooks") => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Rules {
                webhooks: Vec<crate::webhooks::WebhookRule>,
            }
            let rules: Rules =
                serde_json::from_slice(&inc.body).map_err(|e| bad_request(&e.to_string()))?;
            shared.webhooks.set(rules.webhooks);
            ok(&json!({"ok": true}))
        }
        ("DELETE", "/webhooks") => {
            shared.webhooks.set(Vec::new());
            ok(&json!({"ok": true}))
        }
        ("POST", "/grant-codes" | "/grant-code") => {
            let req: CodeRequest = body_or_default(inc)?;
            let scopes = req.scope.map(|s| match s {
                ScopeList::Text(t) => t.split(',').map(|s| s.trim().to_owned()).collect(),
                ScopeList::List(l) => l,
            });
            match mint_code(shared, req.client_id.as_deref(), scopes) {
                Some(code) => ok(&json!({
                    "code": code,
                    "expires_in": shared.settings.grant_code_lifetime.as_secs(),
                })),
                None => return Err(bad_request("unknown client_id")),
            }
        }
        ("POST", "/tokens/expire") => {
            let req: ExpireRequest = body_or_default(inc)?;
            lock(&shared.auth).expire(req.access_token.as_deref(), shared.clock.now());
            shared.touch();
            ok(&json!({"ok": true}))
        }
        ("POST", "/clock/minute") => {
            shared.end_minute();
            ok(&json!({"ok": true}))
        }
        ("POST", "/clock/day") => {
            shared.end_day();
            ok(&json!({"ok": true}))
        }
        ("POST", "/clock/advance") => {
            let req: AdvanceRequest =
                serde_json::from_slice(&inc.body).map_err(|e| bad_request(&e.to_string()))?;
            let by = Duration::try_from_secs_f64(req.seconds)
                .map_err(|_| bad_request("seconds must be a non-negative number"))?;
            shared.clock.advance(by);
            ok(&json!({"ok": true}))
        }
        ("POST", "/usage") => {
            let req: UsageRequest =
                serde_json::from_slice(&inc.body).map_err(|e| bad_request(&e.to_string()))?;
            if !shared.set_calls_today(&req.organization_id, req.calls_today) {
                return Err(bad_request("unknown organization_id"));
            }
            ok(&json!({"ok": true}))
        }
        ("GET", "/log") => ok(&json!({"requests": log(shared)})),
        ("GET", "/counters") => ok(&serde_json::to_value(counters(shared)).unwrap_or_default()),
        _ => Reply::json(
            404,
            &json!({
                "error": "unknown control route",
                "routes": [
                    "GET /__sim/health", "GET /__sim/demo", "POST /__sim/reset",
                    "POST /__sim/scenario", "GET /__sim/scenario", "GET|PUT|DELETE /__sim/faults",
                    "GET|PUT|DELETE /__sim/webhooks", "POST /__sim/grant-codes", "POST /__sim/tokens/expire",
                    "POST /__sim/clock/minute", "POST /__sim/clock/day",
                    "POST /__sim/clock/advance", "POST /__sim/usage", "GET /__sim/log",
                    "GET /__sim/counters",
                ],
            }),
        ),
    })
}
