//! Scripted faults: which calls misbehave, and how.
//!
//! A fault rule matches calls by method, path pattern and organization, and fires on the n-th
//! matching call, on every k-th, or with a probability drawn from a generator seeded by the
//! simulator's seed and the rule's position, so the same scenario and seed misbehave the same
//! way every run. What a fired fault does is decided here; how the connection is broken is the
//! server's job (server.rs).

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

/// The rules in force and what each has seen.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    rules: Vec<(FaultRule, RuleState)>,
}

#[derive(Debug)]
struct RuleState {
    matched: u64,
    fired: u64,
    rng: u64,
}

/// splitmix64: a tiny, well-mixed generator; ours so that the sequence never changes with a
/// dependency's version.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] != b'*' && p[pi].eq_ignore_ascii_case(&t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

impl FaultState {
    /// Rules seeded from `seed`.
    pub(crate) fn new(rules: Vec<FaultRule>, seed: u64) -> Self {
        let rules = rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                let mut rng = seed ^ (i as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F);
                next_random(&mut rng);
                (
                    rule,
                    RuleState {
                        matched: 0,
                        fired: 0,
                        rng,
                    },
                )
            })
            .collect();
        FaultState { rules }
    }

    /// The rules in force.
    pub(crate) fn rules(&self) -> Vec<FaultRule> {
        self.rules.iter().map(|(r, _)| r.clone()).collect()
    }

    /// The action of the first rule that fires for this call, if any. Every matching rule
    /// counts the call.
    pub(crate) fn decide(
        &mut self,
        method: &str,
        path: &str,
        org: Option<&str>,
    ) -> Option<(FaultAction, String)> {
        let mut chosen = None;
        for (rule, state) in &mut self.rules {
            if !rule_matches(rule, method, path, org) {
                continue;
            }
            state.matched += 1;
            let n = state.matched;
            let mut fires = true;
            if let Some(nth) = rule.nth {
                fires &= n == nth;
            }
            if let Some(every) = rule.every {
                fires &= every > 0 && n % every == 0;
            }
            if let Some(p) = rule.probability {
                let draw = next_random(&mut state.rng) >> 11;
                #[expect(
                    clippy::cast_precision_loss,
                    reason = "a 53-bit draw converts to f64 exactly"
                )]
                let unit = draw as f64 / (1u64 << 53) as f64;
                fires &= unit < p;
            }
            if let Some(times) = rule.times {
                fires &= state.fired < times;
            }
            if fires && chosen.is_none() {
                state.fired += 1;
                let name = rule
                    .name
                    .clone()
                    .unwrap_or_else(|| rule.action.name().to_owned());
                chosen = Some((rule.action.clone(), name));
            }
        }
        chosen
    }
}

fn rule_matches(rule: &FaultRule, method: &str, path: &str, org: Option<&str>) -> bool {
    if let Some(m) = &rule.method
        && !m.eq_ignore_ascii_case(method)
    {
        return false;
    }
    if let Some(p) = &rule.path {
        let p = p.trim_end_matches('/');
        if !glob(if p.is_empty() { "/" } else { p }, path) {
            return false;
        }
    }
    if let Some(o) = &rule.organization_id
        && Some(o.as_str()) != org
    {
        return false;
    }
    true
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
