//! Scripted faults: which calls misbehave, and how.
//!
//! A fault rule matches calls by method, path pattern and organization, and fires on the n-th
//! matching call, on every k-th, or with a probability drawn from a generator seeded by the
//! simulator's seed and the rule's position, so the same scenario and seed misbehave the same
//! way every run. What a fired fault does is decided here; how the connection is broken is the
//! server's job (http/server.rs).
//!
//! This module holds the vocabulary a scenario writes (a rule, an action); [`fire`] decides, call
//! by call, which rule fires.

mod fire;

pub(crate) use fire::FaultState;
#[cfg(test)]
pub(crate) use fire::glob;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One scripted fault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// A name for the request log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The HTTP method to match (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The path to match, `*` matching any run of characters (any when absent). Matched
    /// against the path with any `/dc/{dc}` prefix removed, `/api/v3` read as `/books/v3` and
    /// no trailing slash: `/books/v3/invoices`, `/books/v3/invoices/*`, `/oauth/v2/token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The `organization_id` to match (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Fire on the n-th matching call only (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u64>,
    /// Fire on every k-th matching call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u64>,
    /// Fire with this probability (0 to 1), drawn from the seeded generator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Fire at most this many times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// What happens when it fires.
    pub action: FaultAction,
}

/// What a fired fault does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultAction {
    /// Answer with this status and body instead of Zoho (the record is not created). With
    /// `code`/`message` and no `body`, the body is Zoho's `{code, message}`.
    Status {
        /// HTTP status.
        status: u16,
        /// The JSON body to send, as is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<Value>,
        /// Zoho's code, for a `{code, message}` body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<i64>,
        /// Zoho's message, for a `{code, message}` body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A gateway's HTML error page (502 unless told otherwise).
    GatewayHtml {
        /// HTTP status.
        #[serde(default = "default_gateway_status")]
        status: u16,
    },
    /// Wait this long (holding the organization's in-flight slot), then answer normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Never answer (until the configured stall time passes or the simulator stops).
    Stall,
    /// Reset the connection before the handler runs: nothing happens.
    ResetBefore,
    /// Run the handler (the record exists), then reset the connection: the caller never hears.
    ResetAfter,
    /// Run the handler, then send only part of the body and close.
    Truncate,
    /// Run the handler, then send a body that is not valid JSON.
    InvalidJson,
    /// Expire the presented access token now; the request then fails as Zoho fails it.
    ExpireToken,
}

fn default_gateway_status() -> u16 {
    502
}

impl FaultRule {
    /// A rule for every `method` request to `path` (`/books/v3/invoices`, `/oauth/v2/token`;
    /// `*` matches any run of characters); narrow it with [`FaultRule::nth`] and the others.
    pub fn on(method: &str, path: &str, action: FaultAction) -> FaultRule {
        FaultRule {
            name: None,
            method: Some(method.to_owned()),
            path: Some(path.to_owned()),
            organization_id: None,
            nth: None,
            every: None,
            probability: None,
            times: None,
            action,
        }
    }

    /// Any method.
    #[must_use]
    pub fn any_method(mut self) -> FaultRule {
        self.method = None;
        self
    }

    /// Fires on the `n`-th matching call only (from 1).
    #[must_use]
    pub fn nth(mut self, n: u64) -> FaultRule {
        self.nth = Some(n);
        self
    }

    /// Fires on every `k`-th matching call.
    #[must_use]
    pub fn every(mut self, k: u64) -> FaultRule {
        self.every = Some(k);
        self
    }

    /// Fires with probability `p` (0 to 1), drawn from the seeded generator.
    #[must_use]
    pub fn probability(mut self, p: f64) -> FaultRule {
        self.probability = Some(p);
        self
    }

    /// Fires at most `n` times.
    #[must_use]
    pub fn times(mut self, n: u64) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Named in the request log.
    #[must_use]
    pub fn named(mut self, name: &str) -> FaultRule {
        self.name = Some(name.to_owned());
        self
    }

    /// Only for calls to this organization.
    #[must_use]
    pub fn for_organization(mut self, organization_id: &str) -> FaultRule {
        self.organization_id = Some(organization_id.to_owned());
        self
    }
}

impl FaultAction {
    /// Zoho's `{code, message}` answer with `status`.
    pub fn zoho(status: u16, code: i64, message: &str) -> FaultAction {
        FaultAction::Status {
            status,
            body: None,
            code: Some(code),
            message: Some(message.to_owned()),
        }
    }

    /// A short name for the request log.
    pub fn name(&self) -> &'static str {
        match self {
            FaultAction::Status { .. } => "status",
            FaultAction::GatewayHtml { .. } => "gateway_html",
            FaultAction::Delay { .. } => "delay",
            FaultAction::Stall => "stall",
            FaultAction::ResetBefore => "reset_before",
            FaultAction::ResetAfter => "reset_after",
            FaultAction::Truncate => "truncate",
            FaultAction::InvalidJson => "invalid_json",
            FaultAction::ExpireToken => "expire_token",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(nth: Option<u64>, every: Option<u64>, probability: Option<f64>) -> FaultRule {
        FaultRule {
            name: None,
            method: Some("POST".into()),
            path: Some("/books/v3/invoices*".into()),
            organization_id: None,
            nth,
            every,
            probability,
            times: None,
            action: FaultAction::ResetAfter,
        }
    }

    #[test]
    fn globs_match_like_shell_stars() {
        assert!(glob("/books/v3/invoices*", "/books/v3/invoices"));
        assert!(glob("/books/v3/*/123", "/books/v3/invoices/123"));
        assert!(glob("*", "/anything"));
        assert!(!glob("/books/v3/invoices", "/books/v3/invoices/1"));
    }

    #[test]
    fn fires_on_the_nth_and_every_kth_matching_call() {
        let mut faults = FaultState::new(vec![rule(Some(2), None, None)], 7);
        let fired: Vec<bool> = (0..4)
            .map(|_| faults.decide("POST", "/books/v3/invoices", None).is_some())
            .collect();
        assert_eq!(fired, [false, true, false, false]);
        assert!(faults.decide("GET", "/books/v3/invoices", None).is_none());
        let mut faults = FaultState::new(vec![rule(None, Some(3), None)], 7);
        let fired: Vec<bool> = (0..6)
            .map(|_| faults.decide("POST", "/books/v3/invoices", None).is_some())
            .collect();
        assert_eq!(fired, [false, false, true, false, false, true]);
    }

    #[test]
    fn probability_is_deterministic_for_a_seed() {
        let run = |seed| {
            let mut faults = FaultState::new(vec![rule(None, None, Some(0.3))], seed);
            (0..200)
                .map(|_| faults.decide("POST", "/books/v3/invoices", None).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
        let hits = run(42).iter().filter(|f| **f).count();
        assert!((30..90).contains(&hits), "{hits}");
    }
}
