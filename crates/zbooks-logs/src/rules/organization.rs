//! The wrong organization: calls refused because the user is not in it (6041) or its id is
//! invalid or missing.

use std::collections::BTreeSet;

use crate::analyze::State;
use crate::report::{Finding, FindingKind, Severity};

use super::common::{code_fix, finding, plural, with_span};

pub(super) fn org_rule(state: &State, out: &mut Vec<Finding>, covered: &mut BTreeSet<i64>) {
    for (i, o) in state.orgs.iter().enumerate() {
        let org = u32::try_from(i).unwrap_or(u32::MAX);
        let c6041 = state.codes.get(&(6041, org));
        if c6041.is_none() && o.org_param.count == 0 {
            continue;
        }
        let mut stat = o.org_param.clone();
        if let Some(c) = c6041 {
            stat.merge(&c.stat);
        }
        let n6041 = c6041.map_or(0, |c| c.stat.count);
        let missing = o.id.starts_with('(');
        let mut f = with_span(
            finding(
                FindingKind::WrongOrganization,
                Severity::Critical,
                if missing {
                    format!(
                        "{} without a usable organization_id refused",
                        plural(stat.count, "call", "calls")
                    )
                } else if n6041 > 0 {
                    format!(
                        "organization {}: {} refused — this user is not in that organization \
                         (6041)",
                        o.id,
                        plural(stat.count, "call", "calls")
                    )
                } else {
                    format!(
                        "organization {}: {} refused — invalid organization_id",
                        o.id,
                        plural(stat.count, "call", "calls")
                    )
                },
                stat.count,
            ),
            &stat,
        );
        f.organization = Some(o.id.clone());
        f.counts.insert("code_6041", n6041);
        f.counts
            .insert("invalid_organization_id", o.org_param.count);
        f.counts.insert("succeeded", o.succeeded);
        f.evidence.push(format!(
            "{} of {} calls naming this organization failed this way; {} succeeded.",
            stat.count, o.calls, o.succeeded
        ));
        if let Some(m) = c6041.and_then(|c| c.message.as_deref()) {
            f.evidence.push(format!("Zoho: \"{m}\""));
        }
        if o.succeeded > 0 {
            f.evidence.push(
                "Other calls on the same organization id succeeded: the id is right for some \
                 token or user and wrong for another (two configurations mixed)."
                    .to_owned(),
            );
        }
        if n6041 > 0 {
            f.codes.push(6041);
            covered.insert(6041);
        }
        if o.org_param.count > 0 {
            f.codes.push(2);
        }
        f.fix = code_fix(if n6041 > 0 { 6041 } else { 2 });
        out.push(f);
    }
}
