//! Which rule fires on a call: each rule's count of matching calls and its own seeded
//! generator, so a scenario misbehaves the same way every run.

use super::{FaultAction, FaultRule};

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
