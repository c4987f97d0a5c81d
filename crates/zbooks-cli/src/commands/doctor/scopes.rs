//! The token's scopes: one cheap GET per scope family the profile will use, with a fresh
//! token, so a 401/57 means the scope is missing (zoho-books-reference.md §3.5). Only reads
//! are probed: probing CREATE or UPDATE would write.

use std::time::SystemTime;

use zbooks_client::oauth::{AuthScheme, ProbeAnswer};
use zbooks_client::{Client, FailureClass, Method};

use crate::commands::auth::{FAMILIES, Use, families_of};
use crate::context::Context;
use crate::exit;
use crate::settings::Source;

use super::check::Check;

/// Check 9, the scopes, once the organization is valid (`org_ok`): the families `use_` names,
/// else those the stored login asked for, else every family. With the server's `Date` from a
/// refused probe, if any.
pub(super) async fn scopes(
    ctx: &Context,
    client: &Client,
    use_: Option<Use>,
    org_ok: bool,
) -> (Check, Option<SystemTime>) {
    let s = &ctx.settings;
    let families: Vec<&'static str> = match (use_, &ctx.login) {
        (Some(u), _) => families_of(&u.scopes().join(",")),
        (None, Some(login))
            if matches!(
                s.refresh_token.as_ref().map(|r| &r.source),
                Some(Source::Store { .. })
            ) =>
        {
            families_of(&login.scopes)
        }
        _ => FAMILIES.iter().map(|(f, _)| *f).collect(),
    };
    if org_ok {
        scope_check(client, &families).await
    } else {
        (Check::skip("scopes", "needs a valid organization"), None)
    }
}

/// One cheap GET per family with the fresh token: a 401/57 now means the scope is missing.
async fn scope_check(client: &Client, families: &[&'static str]) -> (Check, Option<SystemTime>) {
    let mut missing = Vec::new();
    let mut other = Vec::new();
    let mut date = None;
    for family in families {
        let Some((_, path)) = FAMILIES.iter().find(|(f, _)| f == family) else {
            continue;
        };
        match client
            .probe(
                Method::GET,
                path,
                &[("per_page", "1")],
                AuthScheme::ZohoOauthtoken,
            )
            .await
        {
            Ok(ProbeAnswer { failure: None, .. }) => {}
            Ok(answer) => {
                date = date.or_else(|| answer.server_date());
                let failure = answer.failure.as_ref();
                if failure
                    .is_some_and(|f| f.code == Some(57) || f.class == FailureClass::AuthExpired)
                {
                    missing.push(format!("ZohoBooks.{family}.READ"));
                } else {
                    other.push(format!(
                        "GET {path}: HTTP {}{}",
                        answer.status,
                        failure
                            .and_then(|f| f.code)
                            .map(|c| format!(" code {c}"))
                            .unwrap_or_default()
                    ));
                }
            }
            Err(err) => other.push(format!(
                "GET {path}: {}",
                zbooks_types::scrub(&err.to_string())
            )),
        }
    }
    let check = if !missing.is_empty() {
        Check::fail(
            "scopes",
            exit::AUTH,
            format!(
                "a fresh token is refused with 401/57 for: {} — it lacks these scopes",
                missing.join(", ")
            ),
            "run `zbooks auth login` again with a grant code that includes them (or \
             ZohoBooks.fullaccess.all); `--for` picks the scope list",
        )
    } else if !other.is_empty() {
        Check::warn(
            "scopes",
            format!("could not check every family: {}", other.join("; ")),
            "run `zbooks doctor` again; `zbooks explain` reads the codes",
        )
    } else {
        Check::pass(
            "scopes",
            format!(
                "the token reads {} (CREATE/UPDATE are not probed: that would write)",
                families.join(", ")
            ),
        )
    };
    (check, date)
}
