//! The checks that need no network: a profile exists and the credentials are there. They say
//! where each setting came from, so a wrong value is traced to its source.

use zbooks_types::{Clock as _, SystemClock};

use crate::commands::auth::human;
use crate::context::Context;
use crate::exit;
use crate::settings::{Settings, Source};

use super::check::Check;

/// Check 1, the profile: in the config file, or not needed because the environment or the
/// stored login gives the settings.
pub(super) fn profile(s: &Settings) -> Check {
    let from_elsewhere = [
        s.client_id.as_ref().map(|c| &c.source),
        s.refresh_token.as_ref().map(|r| &r.source),
    ]
    .into_iter()
    .flatten()
    .any(|src| matches!(src, Source::Env { .. } | Source::Store { .. }));
    if s.profile_exists {
        Check::pass(
            "profile",
            format!("{:?} in {}", s.profile.value, s.config_path.value.display()),
        )
    } else if s.config_found && s.profile.source != Source::Default {
        Check::fail(
            "profile",
            exit::USAGE,
            format!(
                "profile {:?} (from {}) is not in {}",
                s.profile.value,
                s.profile.source,
                s.config_path.value.display()
            ),
            "add [profiles.NAME] to the config file, or name an existing profile",
        )
    } else if from_elsewhere {
        Check::pass(
            "profile",
            format!(
                "{:?}: no config file needed, settings come from the environment and the stored \
                 login",
                s.profile.value
            ),
        )
    } else {
        Check::fail(
            "profile",
            exit::AUTH,
            format!(
                "no profile {:?}: no config file at {} and no login",
                s.profile.value,
                s.config_path.value.display()
            ),
            "run `zbooks auth login --dc <your data center>` (it keeps what it needs), or set \
             ZBOOKS_CLIENT_ID, ZBOOKS_CLIENT_SECRET and ZBOOKS_REFRESH_TOKEN",
        )
    }
}

/// Check 2, the credentials: client id, client secret and refresh token, each with its source
/// (the secrets masked).
pub(super) fn credentials(ctx: &Context) -> Check {
    let s = &ctx.settings;
    if let (Some(id), Some(secret), Some(refresh)) =
        (&s.client_id, &s.client_secret, &s.refresh_token)
    {
        let age = ctx
            .login
            .as_ref()
            .filter(|_| matches!(refresh.source, Source::Store { .. }))
            .map(|l| {
                format!(
                    ", logged in {} ago",
                    human(
                        SystemClock
                            .now()
                            .duration_since(l.created_at)
                            .unwrap_or_default()
                    )
                )
            })
            .unwrap_or_default();
        Check::pass(
            "credentials",
            format!(
                "client {} ({}), secret {} ({}), refresh token {} ({}{age})",
                id.value,
                id.source,
                secret.value.masked(),
                secret.source,
                refresh.value.masked(),
                refresh.source
            ),
        )
    } else {
        let missing: Vec<&str> = [
            (s.client_id.is_none(), "client id"),
            (s.client_secret.is_none(), "client secret"),
            (s.refresh_token.is_none(), "refresh token"),
        ]
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, n)| *n)
        .collect();
        Check::fail(
            "credentials",
            exit::AUTH,
            format!("missing: {}", missing.join(", ")),
            "run `zbooks auth login` (it keeps all three, private to you), or set \
                 ZBOOKS_CLIENT_ID, ZBOOKS_CLIENT_SECRET and ZBOOKS_REFRESH_TOKEN",
        )
    }
}
