//! The organization: GET /organizations lists the user's organizations, and the profile's
//! organization id must be one of them (Zoho answers another with 6041, and a missing one
//! with 6024 once the user has two).

use zbooks_client::Client;
use zbooks_client::Method;
use zbooks_client::oauth::{AuthScheme, ProbeAnswer};

use crate::commands::auth::{Org, orgs_of};
use crate::{exit, render};

use super::check::Check;
use zbooks_types::resource::ORGANIZATIONS;

/// The answer to GET /organizations, and the organizations read from it when it succeeded.
/// Later checks read it too: the header check, the server's clock, reachability.
#[derive(Debug)]
pub(super) struct OrgList {
    pub(super) answer: Result<ProbeAnswer, zbooks_client::Error>,
    pub(super) orgs: Option<Vec<Org>>,
}

/// Asks GET /organizations with the scheme zbooks sends.
pub(super) async fn list(client: &Client) -> OrgList {
    let answer = client
        .probe(
            Method::GET,
            ORGANIZATIONS.path,
            &[],
            AuthScheme::ZohoOauthtoken,
        )
        .await;
    let orgs = match &answer {
        Ok(answer) => match &answer.failure {
            None => serde_json::from_slice(&answer.body)
                .ok()
                .map(|b| orgs_of(&b)),
            Some(_) => None,
        },
        Err(_) => None,
    };
    OrgList { answer, orgs }
}

/// Check 6, the organization id: set and one of this user's; with the organization it names.
pub(super) fn organization<'a>(
    list: &'a OrgList,
    org_id: Option<&str>,
) -> (Check, Option<&'a Org>) {
    let mut matched = None;
    let check = match (&list.answer, &list.orgs) {
        (Err(err), _) => Check::fail(
            "organization",
            render::exit_code(err),
            format!(
                "cannot list the organizations: {}",
                zbooks_types::scrub(&err.to_string())
            ),
            render::hint(err).unwrap_or_default(),
        ),
        (Ok(answer), None) => {
            let failure = answer.failure.as_ref();
            Check::fail(
                "organization",
                failure.map_or(exit::UNREACHABLE, |f| render::exit_code_for(f.class)),
                format!(
                    "GET /organizations answered HTTP {}{}",
                    answer.status,
                    failure
                        .and_then(|f| f.code.map(|c| format!(" with code {c}")))
                        .unwrap_or_default()
                ),
                failure
                    .and_then(|f| f.code)
                    .and_then(zbooks_types::catalog::by_code)
                    .map_or("check the API URL and the token's scopes (GET /organizations needs ZohoBooks.settings.READ)", |e| e.fix)
                    .to_owned(),
            )
        }
        (Ok(_), Some(orgs)) => {
            let list = orgs
                .iter()
                .map(|o| {
                    format!(
                        "{} {}{}",
                        o.organization_id,
                        o.name,
                        if o.is_default_org { " (default)" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            match org_id {
                // Zoho picks a lone organization itself and refuses to pick among several
                // (6024): only the second makes every Books call fail.
                None if orgs.len() > 1 => Check::fail(
                    "organization",
                    exit::USAGE,
                    format!(
                        "organization_id is not set and this user belongs to {} organizations: \
                         Zoho refuses every Books call without it (code 6024)",
                        orgs.len()
                    ),
                    format!(
                        "choose one (--org, ZBOOKS_ORG_ID or `organization_id` in the profile); this user's: {list}"
                    ),
                ),
                None if orgs.len() == 1 => Check::warn(
                    "organization",
                    format!(
                        "organization_id is not set: Zoho uses this user's only organization, {list}"
                    ),
                    "set it (--org, ZBOOKS_ORG_ID or `organization_id` in the profile), so a \
                     second organization joined later does not make every call fail with 6024",
                ),
                None => Check::fail(
                    "organization",
                    exit::USAGE,
                    "organization_id is not set: every Books call needs one".to_owned(),
                    format!(
                        "set it (--org, ZBOOKS_ORG_ID or `organization_id` in the profile) to one of this user's: {list}"
                    ),
                ),
                Some(id) => match orgs.iter().find(|o| o.organization_id == id) {
                    None => Check::fail(
                        "organization",
                        exit::ZOHO_REJECTED,
                        format!(
                            "organization {id} is not one this user belongs to: Zoho answers its \
                             calls with code 6041"
                        ),
                        if orgs.is_empty() {
                            "this user belongs to no organization: create one in Zoho Books, or log in as a user who belongs to it".to_owned()
                        } else {
                            format!("set organization_id to one of this user's: {list}")
                        },
                    ),
                    Some(org) => {
                        matched = Some(org);
                        if org.is_org_active {
                            Check::pass(
                                "organization",
                                format!("{id} {} belongs to this user", org.name),
                            )
                        } else {
                            Check::warn(
                                "organization",
                                format!(
                                    "{id} {} is not active: its trial is over, writes fail with 103001",
                                    org.name
                                ),
                                "upgrade the organization to a paid plan, or use another organization",
                            )
                        }
                    }
                },
            }
        }
    };
    (check, matched)
}
