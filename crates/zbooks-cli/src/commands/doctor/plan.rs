//! The plan and the calls left today: the organization's plan sets the daily quota, and the
//! store's ledger says how much of it zbooks spent on this machine (zoho-books-reference.md §2).

use zbooks_client::Client;

use crate::commands::auth::Org;
use crate::exit;

use super::check::Check;

/// Check 8, the plan and the calls left today, for the organization check 6 found.
pub(super) async fn plan(client: &Client, org_id: Option<&str>, org: Option<&Org>) -> Check {
    match (org_id, org) {
        (Some(id), Some(org)) => plan_check(client, id, org.plan.as_deref()).await,
        _ => Check::skip("plan", "needs a valid organization"),
    }
}

async fn plan_check(client: &Client, org: &str, plan_name: Option<&str>) -> Check {
    let plan = plan_name.and_then(zbooks_types::Plan::from_zoho_text);
    let snapshot = client.limits_snapshot(org).await.ok();
    let daily = snapshot.and_then(|s| s.daily);
    let limit = daily
        .map(|d| d.limit)
        .or_else(|| plan.map(|p| p.limits().per_day));
    let used = daily.map_or(0, |d| d.used);
    let plan_text = plan.map_or_else(
        || plan_name.unwrap_or("plan unknown").to_owned(),
        |p| format!("{} plan", p.name()),
    );
    match limit {
        Some(limit) => {
            let left = limit.saturating_sub(used);
            let text = format!(
                "{plan_text}: {} calls a day; {used} used today by zbooks on this machine, {} left",
                zbooks_types::explain::thousands(limit),
                zbooks_types::explain::thousands(left)
            );
            if left == 0 {
                Check::fail(
                    "plan",
                    exit::QUOTA,
                    text,
                    "wait for the daily reset (`zbooks quota` estimates it), or ask Zoho support to raise the limit",
                )
            } else if u64::from(left) * 10 < u64::from(limit) {
                Check::warn(
                    "plan",
                    text,
                    "less than a tenth of the day's calls are left",
                )
            } else {
                Check::pass("plan", text)
            }
        }
        None => Check::pass("plan", plan_text),
    }
}
