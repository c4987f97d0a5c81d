//! An in-process door to the simulator's request handling, for the fuzz target
//! (`fuzz/fuzz_targets/sim_request.rs`): the same routing, checks, handlers, faults and logging
//! as over HTTP, driven synchronously on a small runtime, without sockets.
//!
//! Not part of the supported API: it exists so that a fuzzer can reach every handler quickly.
//! Faults are cleared after every control call (a scripted `delay` or `stall` would only make
//! the fuzzer wait), and the sandbox is reset every few thousand calls so it does not grow
//! without end.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use hyper::HeaderMap;
use hyper::header::{HeaderName, HeaderValue};

use crate::choices;
use crate::control::config::SimConfig;
use crate::http::control;
use crate::http::request::{Area, Incoming};
use crate::http::server::{Outcome, process};
use crate::state::Shared;
use crate::store::auth::TokenOutcome;
use crate::store::lock;
use crate::store::seed;

/// How many calls between two resets of the sandbox.
const RESET_EVERY: u64 = 2_000;

/// The placeholder a fuzz input puts in its `Authorization` header for a valid demo token.
pub const DEMO_TOKEN: &str = "{demo-token}";

/// What the simulator answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzAnswer {
    /// The HTTP status; 0 when the connection was reset.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    /// The part of the simulator the path reached: `books`, `accounts`, `control` or
    /// `unknown`.
    pub area: &'static str,
}

/// A simulator without sockets.
#[derive(Debug)]
pub struct FuzzSim {
    shared: Arc<Shared>,
    runtime: tokio::runtime::Runtime,
    calls: AtomicU64,
    token: std::sync::Mutex<Option<String>>,
}

impl FuzzSim {
    /// A fresh simulator (limits off, short stalls, a small request log).
    pub fn new() -> Result<FuzzSim, crate::SimError> {
        let config = SimConfig {
            limits_enabled: false,
            stall: Duration::from_millis(1),
            request_log_capacity: 1_000,
            ..SimConfig::default()
        };
        let shared = Arc::new(Shared::new(&config, "http://127.0.0.1:1".to_owned())?);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(|e| crate::SimError::Config(format!("runtime: {e}")))?;
        Ok(FuzzSim {
            shared,
            runtime,
            calls: AtomicU64::new(0),
            token: std::sync::Mutex::new(None),
        })
    }

    /// A valid access token of the demo user (minted again after a reset or an expiry).
    fn demo_token(&self) -> String {
        let now = self.shared.clock.now();
        let mut cached = lock(&self.token);
        if let Some(token) = cached.as_ref()
            && lock(&self.shared.auth)
                .check(
                    token,
                    self.shared.settings.default_dc,
                    "invoices",
                    "READ",
                    now,
                )
                .is_ok()
        {
            return token.clone();
        }
        for _ in 0..2 {
            let outcome = lock(&self.shared.auth).refresh_grant(
                self.shared.settings.default_dc,
                seed::DEMO_CLIENT_ID,
                seed::DEMO_CLIENT_SECRET,
                seed::DEMO_REFRESH_TOKEN,
                now,
                self.shared.settings.minute,
                self.shared.settings.token_lifetime,
                self.shared.seed(),
            );
            if let TokenOutcome::Granted { access_token, .. } = outcome {
                *cached = Some(access_token.clone());
                return access_token;
            }
            // Throttled, or the demo user was changed: start again from the seeded world.
            self.shared.reset(None, 0);
        }
        String::new()
    }

    /// Answers one request. `None` when hyper would have refused it before the simulator saw
    /// it (a method, path, header name or value HTTP does not allow). An `Authorization` value
    /// containing [`DEMO_TOKEN`] gets a valid token in its place.
    pub fn handle(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &[u8])],
        body: &[u8],
    ) -> Option<FuzzAnswer> {
        if self.calls.fetch_add(1, Ordering::Relaxed) % RESET_EVERY == RESET_EVERY - 1 {
            self.shared.reset(None, 0);
        }
        let method = hyper::Method::from_bytes(method.as_bytes()).ok()?;
        let uri: hyper::Uri = path_and_query.parse().ok()?;
        if uri.scheme().is_some() || !uri.path().starts_with('/') {
            return None;
        }
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
            let value = if name == hyper::header::AUTHORIZATION
                && let Ok(text) = std::str::from_utf8(value)
                && text.contains(DEMO_TOKEN)
            {
                HeaderValue::from_str(&text.replace(DEMO_TOKEN, &self.demo_token())).ok()?
            } else {
                HeaderValue::from_bytes(value).ok()?
            };
            map.append(name, value);
        }
        let too_big = body.len() > choices::MAX_BODY_BYTES;
        let body = if too_big {
            Bytes::new()
        } else {
            Bytes::copy_from_slice(body)
        };
        let inc = Incoming::new(
            method.as_str(),
            uri.path(),
            uri.query(),
            map,
            body,
            self.shared.settings.default_dc,
        );
        let area = match inc.area {
            Area::Books => "books",
            Area::Accounts => "accounts",
            Area::Control => "control",
            Area::Unknown => "unknown",
        };
        let outcome = self
            .runtime
            .block_on(process(&self.shared, &inc, too_big, 0));
        if inc.area == Area::Control {
            control::set_faults(&self.shared, Vec::new());
        }
        Some(match outcome {
            Outcome::Answer(reply, _) => FuzzAnswer {
                status: reply.status,
                body: reply.body.to_vec(),
                area,
            },
            Outcome::Reset => FuzzAnswer {
                status: 0,
                body: Vec::new(),
                area,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_without_sockets() {
        let sim = FuzzSim::new().unwrap();
        let auth = format!("Zoho-oauthtoken {DEMO_TOKEN}");
        let headers: [(&str, &[u8]); 1] = [("authorization", auth.as_bytes())];
        let answer = sim
            .handle(
                "POST",
                "/books/v3/contacts?organization_id=60000000001",
                &headers,
                br#"{"contact_name": "Fuzz"}"#,
            )
            .unwrap();
        assert_eq!((answer.status, answer.area), (201, "books"));
        let answer = sim.handle("GET", "/books/v3/contacts", &[], b"").unwrap();
        assert_eq!(answer.status, 401);
        assert!(sim.handle("GET", "no-slash", &[], b"").is_none());
        let answer = sim
            .handle(
                "PUT",
                "/__sim/faults",
                &[],
                br#"[{"action": {"kind": "stall"}}]"#,
            )
            .unwrap();
        assert_eq!(answer.area, "control");
        let answer = sim.handle("GET", "/books/v3/items", &headers, b"").unwrap();
        assert_eq!(answer.status, 400);
    }
}
