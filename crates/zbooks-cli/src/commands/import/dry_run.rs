//! `zbooks import FILE --dry-run`: with a login, Zoho's listings (one per entity) and what a
//! run would adopt, create and skip; without one, the same offline, said in one line. Nothing
//! is created: no store, no lease, no journal, no create.

use std::time::Duration;

use zbooks_import::{Event, Prepared, RunError};

use super::{ImportArgs, setup, view};
use crate::CommandResult;
use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::Printer;
use crate::settings::{GlobalArgs, Settings};

/// `--dry-run`: with a login, Zoho's listings (one per entity, no lease, no journal, no
/// create) and what a run would adopt, create and skip; without one, the same offline, said
/// in one line.
pub(super) fn dry_run(
    prepared: &Prepared,
    args: &ImportArgs,
    settings: &Settings,
    global: &GlobalArgs,
    minute: Option<Duration>,
    p: Printer,
) -> CommandResult {
    // Never creates a store: a newcomer's first dry run leaves nothing behind.
    let with_login = context::settings_with_login(settings)?;
    if let Some(missing) = offline_because(&with_login) {
        p.note(&format!(
            "dry run offline: {missing}, so Zoho was not asked what it holds (records already \
             there count as creates)"
        ));
        return Ok(view::dry_run(prepared, &prepared.survey_offline(), None, p));
    }
    let rt = context::runtime()?;
    rt.block_on(async {
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        let org = ctx.organization_id()?.value.clone();
        let client = setup::client_for(&ctx, args, minute)?;
        let survey = prepared
            .survey(&client, &mut |event: Event<'_>| match event {
                Event::Listed { entity, records } => {
                    p.note(&format!("listed {entity}: Zoho holds {records}"));
                }
                Event::Waiting { reason, .. } => p.note(&format!("waiting for {reason}")),
                _ => {}
            })
            .await;
        match survey {
            Ok(survey) => Ok(view::dry_run(prepared, &survey, Some(&org), p)),
            Err(RunError::Listing(err)) => Err(crate::render::client_error(
                "cannot list what Zoho holds for the dry run",
                &err,
            )),
            Err(RunError::Interrupted) => Ok(crate::exit::INTERRUPTED),
            Err(other) => Err(CliError::usage(other.to_string())),
        }
    })
}

/// Why a dry run cannot ask Zoho (no login, no organization, no server), or `None`.
fn offline_because(s: &Settings) -> Option<String> {
    let profile = &s.profile.value;
    if s.client_id.is_none() || s.client_secret.is_none() || s.refresh_token.is_none() {
        return Some(format!(
            "no login for profile {profile:?} (`zbooks auth login` makes one)"
        ));
    }
    if s.organization_id.is_none() {
        return Some(format!("no organization id for profile {profile:?}"));
    }
    if s.dc.is_none() && s.api_url.is_none() && s.api_domain.is_none() {
        return Some(format!("no data center for profile {profile:?}"));
    }
    None
}
