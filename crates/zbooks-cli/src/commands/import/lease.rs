//! The organization's import lease for `zbooks import`: taken before anything is listed,
//! waited for (with a notice naming the other run) or refused under `--no-wait`.

use std::time::Duration;

use zbooks_store::{ImportLease, LeaseAttempt, LeaseHolder, LeaseOptions, SqliteStore};
use zbooks_types::SystemClock;

use crate::error::CliError;
use crate::exit;
use crate::printer::Printer;
use crate::render;

/// Who holds a lease, for a notice: `pid 4242 on host, importing daybook.xml since ...`.
pub(super) fn describe(holder: &LeaseHolder) -> String {
    format!(
        "pid {} on {}, importing {} since {}",
        holder.pid,
        holder.host,
        holder.file,
        zbooks_client::time::rfc3339(
            std::time::UNIX_EPOCH
                + Duration::from_millis(u64::try_from(holder.started_ms).unwrap_or(0))
        )
    )
}

/// Takes the organization's import lease, waiting (with a notice naming the other run) while
/// another import holds it, or refusing with exit 2 under `--no-wait`.
pub(super) async fn take_lease(
    store: &SqliteStore,
    key: &str,
    org: &str,
    file: &str,
    options: &LeaseOptions,
    no_wait: bool,
    p: Printer,
) -> Result<ImportLease, CliError> {
    let me = LeaseHolder::this_process(file, &SystemClock);
    let mut told: Option<Option<LeaseHolder>> = None;
    loop {
        let attempt = store
            .try_import_lease(key, &me, options)
            .await
            .map_err(|e| render::store_error("cannot take the organization's import lease", &e))?;
        let (holder, expires_ms) = match attempt {
            LeaseAttempt::Held(lease) => {
                if told.is_some() {
                    p.note("the other import let go of the organization; going on");
                }
                return Ok(lease);
            }
            LeaseAttempt::Busy { holder, expires_ms } => (holder, expires_ms),
        };
        let who = holder
            .as_ref()
            .map_or_else(|| "another zbooks process".to_owned(), describe);
        let expiry = expires_ms.map_or_else(String::new, |t| {
            format!(
                "; its lease expires at {} unless it is still running",
                zbooks_client::time::rfc3339(
                    std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(t).unwrap_or(0))
                )
            )
        });
        if no_wait {
            return Err(CliError::usage(format!(
                "another import is running in organization {org}: {who}{expiry}"
            ))
            .with_hint(
                "run again when it has finished, or without --no-wait to wait for it; \
                 `zbooks import status` shows where each import stands",
            ));
        }
        if told.as_ref() != Some(&holder) {
            p.note(&format!(
                "waiting: another import is running in organization {org}: {who}{expiry}; \
                 this one starts when it ends (--no-wait refuses instead)"
            ));
            told = Some(holder);
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(200)) => {}
            _ = tokio::signal::ctrl_c() => {
                return Err(CliError {
                    headline: "interrupted while waiting for the other import".to_owned(),
                    causes: Vec::new(),
                    hint: Some("nothing was sent; run the same command again".to_owned()),
                    exit_code: exit::INTERRUPTED,
                    code: None,
                    class: None,
                });
            }
        }
    }
}
