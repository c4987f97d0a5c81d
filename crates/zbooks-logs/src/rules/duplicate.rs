//! Creates sent again after a timeout or a server error without a lookup first, or created
//! twice: the records that may now exist in two copies. A create looked up by its natural key
//! between the doubt and the re-send (what zbooks itself does, its lookup marked
//! `purpose: lookup` in the event log) is counted as reconciled, not as a risk.

use std::collections::BTreeSet;

use crate::analyze::State;
use crate::report::{Finding, FindingKind, Severity};
use crate::time::Millis;
use crate::util::push_sample;

use super::common::{finding, fmt, plural};

pub(super) fn duplicate_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    let mut after_no_answer = 0u64;
    let mut after_server_error = 0u64;
    let mut created_twice = 0u64;
    let mut refused = 0u64;
    let mut reconciled = 0u64;
    let mut possible = 0u64;
    let mut at_risk: Vec<(u64, &crate::analyze::CreateKey)> = Vec::new();
    for (key, k) in &state.creates {
        let doubts = u32::from(k.unanswered) + u32::from(k.server_error);
        let retried = doubts > 0 && k.attempts >= 2;
        // Blind: sent again while a doubt was open. A lookup by the natural key between the
        // doubt and the re-send (zbooks's own retry) makes it safe; one after it does not.
        let blind = retried && k.blind_resends > 0;
        if retried && !blind {
            reconciled += 1;
        }
        if blind {
            if k.unanswered > 0 {
                after_no_answer += 1;
            } else {
                after_server_error += 1;
            }
            if k.succeeded >= 1 {
                possible += 1;
            }
            if k.refused_duplicate > 0 {
                refused += 1;
            }
        }
        if k.succeeded >= 2 {
            created_twice += 1;
        }
        if blind || k.succeeded >= 2 {
            at_risk.push((*key, k));
        }
    }
    if at_risk.is_empty() {
        return;
    }
    at_risk.sort_by_key(|(key, k)| (k.first_doubt().or(k.last_attempt()), *key));
    let n = at_risk.len() as u64;
    let mut f = finding(
        FindingKind::PossibleDuplicateCreate,
        Severity::Critical,
        format!(
            "{} sent again after a timeout or a server error, or created twice",
            plural(n, "create", "creates")
        ),
        n,
    );
    f.counts.insert("keys_at_risk", n);
    f.counts.insert("retried_after_no_answer", after_no_answer);
    f.counts
        .insert("retried_after_server_error", after_server_error);
    f.counts.insert("retried_and_created", possible);
    f.counts.insert("created_twice", created_twice);
    f.counts.insert("refused_as_duplicate", refused);
    f.counts.insert("reconciled_first", reconciled);
    let times: Vec<Millis> = at_risk
        .iter()
        .filter_map(|(_, k)| k.first_doubt().or(k.last_attempt()))
        .filter(|t| *t != Millis::MIN)
        .collect();
    f.first = fmt(times.iter().min().copied());
    f.last = fmt(at_risk.iter().filter_map(|(_, k)| k.last_attempt()).max());
    f.evidence.push(
        "A create that timed out or got a 5xx may have landed: sending it again without first \
         looking it up by its natural key can create the record twice."
            .to_owned(),
    );
    for (key, k) in at_risk.iter().take(8) {
        let detail = state.create_details.get(key);
        let what = if k.succeeded >= 2 && k.unanswered + k.server_error == 0 {
            format!("created {} times", k.succeeded)
        } else {
            format!(
                "{} then sent again ({} attempts, {} created{})",
                if k.unanswered > 0 {
                    "no answer"
                } else {
                    "server error"
                },
                k.attempts,
                k.succeeded,
                if k.refused_duplicate > 0 {
                    ", then refused as a duplicate: the first one landed"
                } else {
                    ""
                }
            )
        };
        match detail {
            Some(d) => {
                f.evidence.push(format!(
                    "{} on {} ({}): {what}",
                    d.key,
                    d.endpoint,
                    if d.organization.starts_with('(') {
                        "no organization id".to_owned()
                    } else {
                        format!("organization {}", d.organization)
                    }
                ));
                for s in &d.samples {
                    push_sample(&mut f.samples, || s.clone());
                }
            }
            None => f.evidence.push(format!("a create: {what}")),
        }
    }
    if refused > 0 {
        f.codes.push(3062);
        covered.insert(3062);
    }
    "Check each record listed in Zoho and void or delete the extra copy. Then never re-send a \
     create after a timeout or a 5xx before looking it up by its natural key (invoice_number, \
     contact_name, reference_number), or create through Zoho's upsert (PUT with \
     X-Unique-Identifier-Key/Value and X-Upsert: true) so a repeat updates instead of \
     duplicating."
        .clone_into(&mut f.fix);
    out.push(f);
}
