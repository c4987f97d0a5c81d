//! The plan and the calls left today: the organization's plan sets the daily quota, and the
//! store's ledger says how much of it zbooks spent on this machine (zoho-books-reference.md §2).
//! The plan line says where the plan came from (the user's setting, Zoho, or assumed), as
//! `crate::plan` decides it for an import.

use zbooks_client::Client;

use crate::commands::auth::Org;
use crate::exit;
use crate::plan::{KnownPlan, Origin, title};
use crate::settings::Settings;

use super::check::Check;

/// Check 8, the plan and the calls left today, for the organization check 6 found.
pub(super) async fn plan(
    client: &Client,
    settings: &Settings,
    org_id: Option<&str>,
    org: Option<&Org>,
) -> Check {
    match (org_id, org) {
        (Some(id), Some(org)) => plan_check(client, settings, id, org).await,
        _ => Check::skip("plan", "needs a valid organization"),
    }
}

async fn plan_check(client: &Client, settings: &Settings, org_id: &str, org: &Org) -> Check {
    // `GET /organizations` (check 6's answer) carries the plan: no call of its own.
    let zoho = org
        .plan
        .as_deref()
        .and_then(|text| KnownPlan::from_zoho(&serde_json::json!({ "plan_name": text })));
    let known = KnownPlan::configured(settings)
        .or_else(|| zoho.clone())
        .unwrap_or_else(|| KnownPlan::assumed("Zoho did not say"));
    let snapshot = client.limits_snapshot(org_id).await.ok();
    let daily = snapshot.and_then(|s| s.daily);
    let limit = daily.map_or(known.plan.limits().per_day, |d| d.limit);
    let used = daily.map_or(0, |d| d.used);
    let left = limit.saturating_sub(used);
    let text = format!(
        "{}: {} calls a day; {used} used today by zbooks on this machine, {} left",
        known.summary(),
        zbooks_types::explain::thousands(limit),
        zbooks_types::explain::thousands(left)
    );
    if left == 0 {
        return Check::fail(
            "plan",
            exit::QUOTA,
            text,
            "wait for the daily reset (`zbooks quota` estimates it), or ask Zoho support to raise the limit",
        );
    }
    if let Some(warning) = known.warning() {
        return Check::warn(
            "plan",
            text,
            warning.trim_start_matches("warning: ").to_owned(),
        );
    }
    if let (Origin::Setting(source), Some(zoho)) = (&known.origin, &zoho)
        && zoho.plan != known.plan
    {
        return Check::warn(
            "plan",
            text,
            format!(
                "Zoho says the plan is {}, but {source} says {}: zbooks plans with the setting; \
                 `zbooks config unset plan` (or unset ZBOOKS_PLAN) to follow Zoho",
                title(zoho.plan),
                title(known.plan)
            ),
        );
    }
    if u64::from(left) * 10 < u64::from(limit) {
        return Check::warn(
            "plan",
            text,
            "less than a tenth of the day's calls are left",
        );
    }
    Check::pass("plan", text)
}
