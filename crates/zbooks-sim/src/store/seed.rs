//! The seeded world every simulator starts with: the demo user and organization, a second user
//! with an organization of its own, a trial-expired organization, and a user in another data
//! center, plus whatever the scenario adds.
//!
//! All credentials are obviously fake simulator values and fixed (so the `zbooks sim` banner
//! and docs stay stable); record ids follow the seed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde_json::{Value, json};
use zbooks_types::{DataCenter, Plan};

use crate::control::config::{OrgSpec, Scenario, UserSpec, default_scopes, default_unique_fields};
use crate::resources::Kind;
use crate::store::auth::{AuthState, ClientApp, User};
use crate::store::{LimitState, OrgCell, OrgData, OrgMeta};
use crate::time;

/// The demo user.
pub(crate) const DEMO_USER: &str = "sim-user-demo";
/// The demo user's client id.
pub(crate) const DEMO_CLIENT_ID: &str = "1000.SIMCLIENTDEMO";
/// The demo user's client secret.
pub(crate) const DEMO_CLIENT_SECRET: &str = "sim-secret-demo-not-a-real-secret";
/// The demo user's refresh token.
pub(crate) const DEMO_REFRESH_TOKEN: &str = "1000.simrefresh.demo";
/// The demo organization (Professional plan, India).
pub(crate) const DEMO_ORG: &str = "60000000001";
/// The demo user's organization whose trial is over.
pub(crate) const TRIAL_EXPIRED_ORG: &str = "60000000002";
/// A second user, not a member of the demo organization.
pub(crate) const OTHER_USER: &str = "sim-user-other";
pub(crate) const OTHER_CLIENT_ID: &str = "1000.SIMCLIENTOTHER";
pub(crate) const OTHER_CLIENT_SECRET: &str = "sim-secret-other-not-a-real-secret";
pub(crate) const OTHER_REFRESH_TOKEN: &str = "1000.simrefresh.other";
/// The second user's organization (Free plan, India).
pub(crate) const OTHER_ORG: &str = "60000000003";
/// A user in the EU data center.
pub(crate) const EU_USER: &str = "sim-user-eu";
pub(crate) const EU_CLIENT_ID: &str = "1000.SIMCLIENTEU";
pub(crate) const EU_CLIENT_SECRET: &str = "sim-secret-eu-not-a-real-secret";
pub(crate) const EU_REFRESH_TOKEN: &str = "1000.simrefresh.eu";
/// The EU user's organization (Standard plan, EU).
pub(crate) const EU_ORG: &str = "60000000004";

/// The first record id for a seed: a 15-digit number like Zoho's.
pub(crate) fn first_id(seed: u64) -> u64 {
    460_000_000_000_000 + (seed % 1_000) * 1_000_000_000
}

fn builtin_users() -> Vec<UserSpec> {
    let user = |id: &str, dc, client: &str, secret: &str, refresh: &str| UserSpec {
        user_id: id.to_owned(),
        dc,
        client_id: client.to_owned(),
        client_secret: secret.to_owned(),
        refresh_token: Some(refresh.to_owned()),
        scopes: default_scopes(),
    };
    vec![
        user(
            DEMO_USER,
            DataCenter::In,
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            DEMO_REFRESH_TOKEN,
        ),
        user(
            OTHER_USER,
            DataCenter::In,
            OTHER_CLIENT_ID,
            OTHER_CLIENT_SECRET,
            OTHER_REFRESH_TOKEN,
        ),
        user(
            EU_USER,
            DataCenter::Eu,
            EU_CLIENT_ID,
            EU_CLIENT_SECRET,
            EU_REFRESH_TOKEN,
        ),
    ]
}

fn builtin_orgs() -> Vec<OrgSpec> {
    let org =
        |id: &str, name: &str, plan, dc, trial_expired, member: &str, currency: &str| OrgSpec {
            organization_id: id.to_owned(),
            name: name.to_owned(),
            plan,
            dc,
            trial_expired,
            members: vec![member.to_owned()],
            currency_code: currency.to_owned(),
            unique_custom_fields: default_unique_fields(),
        };
    vec![
        org(
            DEMO_ORG,
            "Demo Books Pvt Ltd",
            Plan::Professional,
            DataCenter::In,
            false,
            DEMO_USER,
            "INR",
        ),
        org(
            TRIAL_EXPIRED_ORG,
            "Expired Trial Traders",
            Plan::Standard,
            DataCenter::In,
            true,
            DEMO_USER,
            "INR",
        ),
        org(
            OTHER_ORG,
            "Someone Else Ltd",
            Plan::Free,
            DataCenter::In,
            false,
            OTHER_USER,
            "INR",
        ),
        org(
            EU_ORG,
            "Euro Books GmbH",
            Plan::Standard,
            DataCenter::Eu,
            false,
            EU_USER,
            "EUR",
        ),
    ]
}

/// Accounts every organization starts with (journals need accounts to point at).
const SEEDED_ACCOUNTS: [(&str, &str); 7] = [
    ("Sales", "income"),
    ("Cost of Goods Sold", "cost_of_goods_sold"),
    ("Undeposited Funds", "cash"),
    ("Petty Cash", "cash"),
    ("Accounts Receivable", "accounts_receivable"),
    ("Accounts Payable", "accounts_payable"),
    ("Office Supplies", "expense"),
];

/// The GST tax groups an India organization starts with (percent).
const SEEDED_GST_GROUPS: [u32; 4] = [5, 12, 18, 28];

/// Builds the seeded world plus the scenario's users and organizations.
pub(crate) fn world(
    scenario: &Scenario,
    now: SystemTime,
    ids: &AtomicU64,
) -> (AuthState, HashMap<String, Arc<OrgCell>>) {
    let mut auth = AuthState::default();
    for spec in builtin_users()
        .into_iter()
        .chain(scenario.users.iter().cloned())
    {
        auth.users.insert(
            spec.user_id.clone(),
            User {
                user_id: spec.user_id.clone(),
                dc: spec.dc,
            },
        );
        auth.clients.insert(
            spec.client_id.clone(),
            ClientApp {
                client_id: spec.client_id.clone(),
                client_secret: spec.client_secret.clone(),
                user_id: spec.user_id.clone(),
                dc: spec.dc,
            },
        );
        if let Some(token) = spec.refresh_token {
            auth.add_refresh(token, &spec.client_id, &spec.user_id, spec.dc, spec.scopes);
        }
    }
    let mut orgs = HashMap::new();
    for spec in builtin_orgs()
        .into_iter()
        .chain(scenario.organizations.iter().cloned())
    {
        let meta = OrgMeta {
            organization_id: spec.organization_id.clone(),
            name: spec.name,
            plan: spec.plan,
            dc: spec.dc,
            trial_expired: spec.trial_expired,
            members: spec.members,
            currency_code: spec.currency_code,
            unique_custom_fields: spec.unique_custom_fields,
            created: now,
        };
        let mut data = OrgData::default();
        let stamp = time::timestamp(now);
        for (name, account_type) in SEEDED_ACCOUNTS {
            let id = ids.fetch_add(1, Ordering::Relaxed);
            let Value::Object(record) = json!({
                "account_id": id.to_string(),
                "account_name": name,
                "account_type": account_type,
                "is_active": true,
                "is_system_account": true,
                "currency_code": meta.currency_code,
                "created_time": stamp,
                "last_modified_time": stamp,
            }) else {
                unreachable!("json! of an object literal is an object")
            };
            data.insert(
                Kind::ChartOfAccounts,
                id,
                &record,
                &meta.unique_custom_fields,
            );
        }
        // A new Zoho India organization comes with its GST tax groups, listed among the taxes
        // with tax_type "tax_group" (reference §5.1; tally-reference.md §11.2). Imports from
        // Tally find them there rather than creating them.
        if meta.dc == DataCenter::In {
            for rate in SEEDED_GST_GROUPS {
                let id = ids.fetch_add(1, Ordering::Relaxed);
                let Value::Object(record) = json!({
                    "tax_id": id.to_string(),
                    "tax_name": format!("GST{rate}"),
                    "tax_percentage": rate,
                    "tax_type": "tax_group",
                    "is_value_added": false,
                    "created_time": stamp,
                    "last_modified_time": stamp,
                }) else {
                    unreachable!("json! of an object literal is an object")
                };
                data.insert(Kind::Taxes, id, &record, &meta.unique_custom_fields);
            }
        }
        orgs.insert(
            spec.organization_id,
            Arc::new(OrgCell {
                meta,
                data: Mutex::new(data),
                limits: Mutex::new(LimitState::default()),
                computed: Mutex::default(),
            }),
        );
    }
    (auth, orgs)
}
