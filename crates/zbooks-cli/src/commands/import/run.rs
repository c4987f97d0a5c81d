//! Runs a prepared import (`zbooks_import::Prepared::run`) for `zbooks import` and `zbooks
//! demo`: Ctrl-C and a lost lease stop it resumably, its events are rendered as they come
//! (notices, problems, the plan, the progress), and its end becomes the report and an exit
//! code; the lease is let go on every path. The journal is the SQLite store's, or the one on
//! PostgreSQL that `ZBOOKS_JOURNAL` names.

use zbooks_client::Client;
use zbooks_import::{Event, Prepared, RunError, RunJournal};
use zbooks_pg::PgStore;
use zbooks_store::{ImportLease, SqliteStore};
use zbooks_types::Secret;

use super::progress::ProgressView;
use super::view;
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::{CommandResult, exit, render};

/// Runs a prepared import and reports: what `import` and `demo` share. The lease (if any)
/// is let go on every path.
pub(crate) async fn run_import(
    client: &Client,
    store: &SqliteStore,
    prepared: &Prepared,
    org: &str,
    lease: Option<ImportLease>,
    journal_url: Option<&Secret>,
    p: Printer,
) -> CommandResult {
    let lost = lease.as_ref().map(ImportLease::lost);
    let fp = prepared.fingerprint(org);
    let result = match journal_url {
        Some(url) => match open_pg(url).await {
            Ok(pg) => run_leased(client, &pg.journal(&fp), prepared, org, lost, p).await,
            Err(e) => Err(e),
        },
        None => match store.journal(&fp).await {
            Ok(journal) => run_leased(client, &journal, prepared, org, lost, p).await,
            Err(e) => Err(render::store_error("the import journal failed", &e)),
        },
    };
    // Let go on every path (an early error too): a lease dropped without it would make the
    // next run wait for this one's requests to land, and another machine wait for the expiry.
    if let Some(lease) = lease
        && let Err(e) = lease.release().await
    {
        p.note(&format!(
            "warning: could not let go of the import lease ({e}); it expires by itself"
        ));
    }
    result
}

/// The journal on PostgreSQL at `url` (`ZBOOKS_JOURNAL`), its schema migrated.
async fn open_pg(url: &Secret) -> Result<PgStore, CliError> {
    let url = url.expose();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(
            CliError::usage("ZBOOKS_JOURNAL is not a postgres:// URL".to_owned()).with_hint(
                "set ZBOOKS_JOURNAL=postgres://user@host:5432/database, or unset it to journal in \
             the SQLite store",
            ),
        );
    }
    PgStore::connect(url).await.map_err(|e| {
        render::store_error("cannot open the import journal on PostgreSQL", &e).with_hint(
            "check that PostgreSQL answers at the URL ZBOOKS_JOURNAL names (README: \
             \"Running across machines\")",
        )
    })
}

/// [`run_import`] once the lease (if any) is held and the journal open; `lost` resolves if
/// another run takes the lease.
async fn run_leased<J: RunJournal>(
    client: &Client,
    journal: &J,
    prepared: &Prepared,
    org: &str,
    lost: Option<impl Future<Output = ()> + Send + 'static>,
    p: Printer,
) -> CommandResult {
    let stop = prepared.stop_handle();
    let ctrl_c = {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.stop();
            }
        })
    };
    let lost = lost.map(|lost| {
        tokio::spawn(async move {
            lost.await;
            p.error(
                "another run took the organization's import lease (this one stopped renewing \
                 it): stopping; run the same command again to resume",
            );
            stop.stop();
        })
    });
    let mut progress = ProgressView::new(p, prepared.settings().execute.minute);
    let outcome = prepared
        .run(client, journal, &mut |event: Event<'_>| match event {
            Event::Listed { entity, records } => progress.listed(entity, records),
            Event::Waiting { reason, until } => progress.waiting(&reason, until),
            Event::Validated(validation) => view::print_problems(validation, p),
            Event::Planned(plan) => {
                progress.planned(plan);
                if p.format == OutputFormat::Text {
                    p.out(&view::plan_text(plan));
                }
            }
            Event::Progress(pr) => progress.show(pr),
            _ => {}
        })
        .await;
    progress.finish();
    ctrl_c.abort();
    if let Some(lost) = lost {
        lost.abort();
    }
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(RunError::Listing(err)) => {
            return Err(render::client_error("cannot list what Zoho holds", &err));
        }
        Err(RunError::Strict { errors }) => {
            return Err(CliError::usage(format!(
                "{errors} errors in {}; nothing imported (--strict)",
                prepared.name()
            ))
            .with_hint(
                "correct the records named above, or run without --strict to import the valid ones",
            ));
        }
        Err(RunError::Interrupted) => return Ok(exit::INTERRUPTED),
        Err(other) => return Err(render::store_error("the import journal failed", &other)),
    };
    view::report(prepared.name(), org, &outcome.run, p)
}
