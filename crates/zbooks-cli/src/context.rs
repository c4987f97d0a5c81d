//! What the commands that talk to Zoho share: the private store (tokens, ledger, login), the
//! login folded into the settings, the `--log-file` sink, and a [`Client`] built from all of
//! it with every resilience of `zbooks-client`.
//!
//! The store lives in the settings' data directory, in one SQLite file readable only by the
//! user (it holds tokens), shared by every zbooks process so limits and tokens are counted
//! once. Waits the client makes that a person would notice (a paused organization, a backoff)
//! are announced on stderr.
//!
//! With a shared state URL (`ZBOOKS_STATE=redis://…` or `postgres://…`, or `state` in the
//! profile) the organization's budget, daily ledger, in-flight leases and token cache live on
//! Redis or PostgreSQL instead, shared by every machine; SQLite keeps the login. While the
//! shared store does not answer, the client keeps to a local quarter of the limits and says so
//! on stderr. The shared state counts this process's calls as `<command> on <host> pid <pid>`
//! (`zbooks quota` lists them), and `ZBOOKS_CLOCK_SKEW` (testing only) moves the client's clock
//! to stand for a machine whose clock is off. The audit log of failed calls goes to PostgreSQL
//! when the state or the journal (`ZBOOKS_JOURNAL`) is there, so every machine's failures are
//! read in one place.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use zbooks_client::events::AuditSink;
use zbooks_client::oauth::AccountsServer;
use zbooks_client::store::{LimitStore, TokenStore};
use zbooks_client::time::{BoxFuture, Sleep};
use zbooks_client::{Client, ClientBuilder, Credentials};
use zbooks_pg::PgStore;
use zbooks_redis::{FallbackStore, RedisOptions, RedisStore};
use zbooks_store::{SqliteStore, StoredCredentials};
use zbooks_types::event::WaitReason;
use zbooks_types::{DataCenter, Secret};

use crate::error::CliError;
use crate::exit;
use crate::logfile::LogFile;
use crate::printer::{self, Printer};
use crate::render;
use crate::settings::{Resolved, Settings};

/// Waits at least this long are announced on stderr.
const ANNOUNCE_WAITS_FROM: Duration = Duration::from_secs(3);

/// A runtime for one command (SQLite runs on its blocking pool).
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io("cannot start the async runtime", &e))
}

/// The store file of these settings.
pub fn store_path(settings: &Settings) -> PathBuf {
    settings.data_dir.value.join(SqliteStore::FILE_NAME)
}

/// Opens (creating, private to the user) the store.
pub fn open_store(settings: &Settings) -> Result<Arc<SqliteStore>, CliError> {
    let path = store_path(settings);
    SqliteStore::open(&path)
        .map(Arc::new)
        .map_err(|e| render::store_error(format!("cannot open the store {}", path.display()), &e))
}

/// The client's shared state (budget, leases, token cache), on whichever backend the state URL
/// names, behind its local fallback.
pub trait SharedState: LimitStore + TokenStore {}

impl<S: LimitStore + TokenStore> SharedState for S {}

/// Whether a URL names a PostgreSQL database.
pub fn is_postgres_url(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The shared state store the settings name, if any, and the PostgreSQL database it is on when
/// it is one. Redis connects on first use; PostgreSQL connects (and migrates) here.
pub async fn open_shared_state(
    settings: &Settings,
    printer: Printer,
) -> Result<(Option<Arc<dyn SharedState>>, Option<PgStore>), CliError> {
    let Some(state) = &settings.state else {
        return Ok((None, None));
    };
    let shown = crate::settings::redact_url(&state.value);
    let notice: zbooks_redis::Notice = Arc::new(move |message: &str| {
        printer.note(&format!("warning: {message}"));
    });
    let url = state.value.trim();
    if is_postgres_url(url) {
        let pg = PgStore::connect(url).await.map_err(|e| {
            render::store_error(
                format!(
                    "cannot open the shared state {shown} (from {})",
                    state.source
                ),
                &e,
            )
            .with_hint(
                "check that PostgreSQL answers at that URL (README: \"Running across \
                 machines\"), or unset it for the SQLite store",
            )
        })?;
        let store = FallbackStore::new(pg.state().participant(participant_name(settings)))
            .with_notice(notice);
        return Ok((Some(Arc::new(store)), Some(pg)));
    }
    if !url.starts_with("redis://") {
        return Err(CliError::usage(format!(
            "cannot use the shared state {shown} (from {}): not a redis:// or postgres:// URL",
            state.source
        ))
        .with_hint(
            "give a Redis URL (redis://127.0.0.1:6379/0) or a PostgreSQL one \
             (postgres://user@host:5432/database), or unset it for the SQLite store",
        ));
    }
    let store = RedisOptions::from_url(url)
        .and_then(|options| RedisStore::open(&options.participant(participant_name(settings))))
        .map_err(|e| {
            let mut err = CliError::usage(format!(
                "cannot use the shared state {shown} (from {})",
                state.source
            ));
            err.causes.push(e.to_string());
            err.with_hint(
                "give a Redis URL: redis://127.0.0.1:6379/0 (unset it for the SQLite store)",
            )
        })?;
    Ok((
        Some(Arc::new(FallbackStore::new(store).with_notice(notice))),
        None,
    ))
}

/// The URL of the PostgreSQL database holding the audit log: the shared state's when it is on
/// PostgreSQL, else the journal's when that is; `None`: the audit log is in the SQLite store.
pub fn audit_url(settings: &Settings) -> Option<Secret> {
    if let Some(state) = &settings.state
        && is_postgres_url(&state.value)
    {
        return Some(Secret::new(state.value.trim()));
    }
    settings
        .journal_url
        .as_ref()
        .filter(|url| is_postgres_url(url.expose()))
        .map(|url| Secret::new(url.expose().trim()))
}

/// The PostgreSQL database the audit log goes to: the shared state's when it is on
/// PostgreSQL, else the journal's (`ZBOOKS_JOURNAL`) when that is; `None` keeps it in SQLite.
/// A journal database that cannot be opened leaves the log in SQLite, said on stderr.
pub async fn audit_database(
    settings: &Settings,
    state_pg: Option<&PgStore>,
    printer: Printer,
) -> Option<PgStore> {
    if let Some(pg) = state_pg {
        return Some(pg.clone());
    }
    let url = audit_url(settings)?;
    match PgStore::connect(url.expose()).await {
        Ok(pg) => Some(pg),
        Err(e) => {
            printer.note(&format!(
                "warning: the audit log stays in the local store: the PostgreSQL journal does \
                 not answer ({e})"
            ));
            None
        }
    }
}

/// The name the shared state counts this process's calls under (`zbooks quota`): the command,
/// the host and the process, e.g. `worker on db-2 pid 4121`.
pub fn participant_name(settings: &Settings) -> String {
    let command = if settings.command.is_empty() {
        "zbooks"
    } else {
        settings.command.as_str()
    };
    format!(
        "{command} on {} pid {}",
        zbooks_store::host_name(),
        std::process::id()
    )
}

/// A clock moved by a fixed offset (`ZBOOKS_CLOCK_SKEW`, testing only: a machine whose clock
/// is off).
#[derive(Debug)]
struct SkewedClock {
    offset_us: i64,
}

impl zbooks_types::Clock for SkewedClock {
    fn now(&self) -> std::time::SystemTime {
        let now = zbooks_types::SystemClock.now();
        let by = Duration::from_micros(self.offset_us.unsigned_abs());
        if self.offset_us >= 0 {
            now + by
        } else {
            now.checked_sub(by).unwrap_or(now)
        }
    }
}

/// Reads the profile's login from the store, if any, and folds it into `settings`.
pub async fn apply_login(
    settings: &mut Settings,
    store: &SqliteStore,
) -> Result<Option<StoredCredentials>, CliError> {
    let path = store_path(settings);
    let login = store
        .load_credentials(&settings.profile.value)
        .await
        .map_err(|e| render::store_error("cannot read the stored login", &e))?;
    if let Some(login) = &login {
        settings.apply_login(login, &path);
    }
    Ok(login)
}

/// `settings` with the stored login folded in, when a store exists (never creates one).
pub fn settings_with_login(settings: &Settings) -> Result<Settings, CliError> {
    let mut settings = settings.clone();
    if !store_path(&settings).exists() {
        return Ok(settings);
    }
    let store = open_store(&settings)?;
    runtime()?.block_on(apply_login(&mut settings, &store))?;
    Ok(settings)
}

/// What a command that talks to Zoho works with.
#[derive(Debug)]
pub struct Context {
    /// The settings, the stored login folded in.
    pub settings: Settings,
    /// The private store.
    pub store: Arc<SqliteStore>,
    /// The stored login of the profile.
    pub login: Option<StoredCredentials>,
    /// The shared budget and token cache, when the settings name one (else `store` holds them).
    pub shared: Option<Arc<dyn SharedState>>,
    /// Where the audit log goes when not to `store`: PostgreSQL (the state's or the journal's).
    pub audit: Option<PgStore>,
    /// The printer.
    pub printer: Printer,
    log: Option<Arc<LogFile>>,
}

impl Context {
    /// Opens the store, reads the login and opens the log file.
    pub async fn new(
        settings: &Settings,
        log_file: Option<&std::path::Path>,
        printer: Printer,
    ) -> Result<Context, CliError> {
        let mut settings = settings.clone();
        let store = open_store(&settings)?;
        let before = settings.warnings.len();
        let login = apply_login(&mut settings, &store).await?;
        for warning in &settings.warnings[before..] {
            printer.note(&format!("warning: {warning}"));
        }
        let log = log_file
            .map(|path| LogFile::open(path, printer).map(Arc::new))
            .transpose()?;
        let (shared, state_pg) = open_shared_state(&settings, printer).await?;
        let audit = audit_database(&settings, state_pg.as_ref(), printer).await;
        Ok(Context {
            settings,
            store,
            login,
            shared,
            audit,
            printer,
            log,
        })
    }

    /// The accounts server in use: the override, else the data center's.
    pub fn accounts_url(&self) -> Result<String, CliError> {
        if let Some(url) = &self.settings.accounts_url {
            return Ok(url.value.trim_end_matches('/').to_owned());
        }
        if let Some(dc) = &self.settings.dc {
            return Ok(dc.value.accounts_url().to_owned());
        }
        Err(no_data_center())
    }

    /// The accounts server, with the log file attached.
    pub fn accounts_server(&self, url: &str) -> Result<AccountsServer, CliError> {
        let server = AccountsServer::new(url)
            .map_err(|e| render::client_error("cannot reach the accounts server", &e))?;
        Ok(match &self.log {
            Some(log) => server.event_sink(log.clone()),
            None => server,
        })
    }

    /// The Books API base calls go to, and where that came from (for messages).
    pub fn api_base(&self) -> Option<String> {
        let s = &self.settings;
        if let Some(url) = &s.api_url {
            return Some(url.value.trim_end_matches('/').to_owned());
        }
        if let Some(domain) = &s.api_domain {
            return Some(format!("{}/books/v3", domain.value.trim_end_matches('/')));
        }
        s.dc.as_ref().map(|dc| dc.value.books_base_url())
    }

    /// The refresh-token credentials, or an auth error saying how to get them.
    pub fn credentials(&self) -> Result<Credentials, CliError> {
        let s = &self.settings;
        let missing = |what: &str, var: &str| CliError {
            headline: format!("no {what} for profile {:?}", s.profile.value),
            causes: Vec::new(),
            hint: Some(format!(
                "run `zbooks auth login` (it keeps the {what} in the private store), or set \
                     {var}"
            )),
            exit_code: exit::AUTH,
            code: None,
            class: None,
        };
        let client_id = s
            .client_id
            .as_ref()
            .ok_or_else(|| missing("client id", "ZBOOKS_CLIENT_ID"))?;
        let secret = s
            .client_secret
            .as_ref()
            .ok_or_else(|| missing("client secret", "ZBOOKS_CLIENT_SECRET"))?;
        let refresh = s
            .refresh_token
            .as_ref()
            .ok_or_else(|| missing("refresh token", "ZBOOKS_REFRESH_TOKEN"))?;
        Ok(Credentials::refresh_token(
            client_id.value.clone(),
            secret.value.clone(),
            refresh.value.clone(),
        ))
    }

    /// A client for the profile's organization (or none, for `GET /organizations`).
    pub fn client(&self) -> Result<Client, CliError> {
        self.client_builder()?
            .build()
            .map_err(|e| render::client_error("cannot set up the Zoho Books client", &e))
    }

    /// The builder behind [`Context::client`], for commands that set their own limits or
    /// retries on top (the event log, store and credentials stay the same).
    pub fn client_builder(&self) -> Result<ClientBuilder, CliError> {
        let s = &self.settings;
        let mut builder = Client::builder()
            .credentials(self.credentials()?)
            .accounts_url(self.accounts_url()?)
            .store(self.store.clone())
            .audit_sink(match &self.audit {
                Some(pg) => Arc::new(pg.clone()) as Arc<dyn AuditSink>,
                None => self.store.clone(),
            })
            .sleep(Arc::new(AnnouncedSleep {
                printer: self.printer,
            }));
        if s.clock_skew_us != 0 {
            builder = builder.clock(Arc::new(SkewedClock {
                offset_us: s.clock_skew_us,
            }));
        }
        if let Some(shared) = &self.shared {
            builder = builder
                .token_store(shared.clone())
                .limit_store(shared.clone());
        }
        if let Some(url) = &s.api_url {
            builder = builder.api_url(url.value.trim_end_matches('/'));
        } else if let Some(domain) = &s.api_domain {
            builder = builder.api_domain(domain.value.trim_end_matches('/'));
        } else if let Some(dc) = &s.dc {
            builder = builder.data_center(dc.value);
        } else {
            return Err(no_data_center());
        }
        if let Some(org) = &s.organization_id {
            builder = builder.organization_id(&org.value);
        }
        if let Some(plan) = &s.plan {
            builder = builder.plan(plan.value);
        }
        if let Some(log) = &self.log {
            builder = builder.event_sink(log.clone());
        }
        Ok(builder)
    }

    /// The organization id, or a usage error saying how to set it.
    pub fn organization_id(&self) -> Result<&Resolved<String>, CliError> {
        self.settings.organization_id.as_ref().ok_or_else(|| {
            CliError::usage(format!(
                "no organization id for profile {:?}",
                self.settings.profile.value
            ))
            .with_hint(
                "set it with --org, ZBOOKS_ORG_ID or `organization_id` in the profile; \
                 `zbooks auth status` lists the organizations this login can use",
            )
        })
    }

    /// The data center's name for messages (`in`), or `?`.
    pub fn dc_name(&self) -> String {
        self.settings
            .dc
            .as_ref()
            .map_or_else(|| "not set".to_owned(), |d| d.value.name().to_owned())
    }

    /// The stored login's refresh token, or the one in effect.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.settings.refresh_token.as_ref().map(|r| &r.value)
    }
}

/// No data center and no URL override.
pub fn no_data_center() -> CliError {
    CliError::usage("no data center: zbooks does not know which Zoho server to ask").with_hint(
        format!(
            "pass --dc (or ZBOOKS_DC, or `dc` in the profile): the data center is the domain of \
             the Zoho sign-in page you use ({}); for the simulator set ZBOOKS_ACCOUNTS_URL and \
             ZBOOKS_API_URL",
            DataCenter::ALL
                .iter()
                .map(|dc| {
                    // Canada signs in at zohocloud.ca (reference §3.1).
                    let domain = if *dc == DataCenter::Ca {
                        "zohocloud.ca".to_owned()
                    } else {
                        format!("zoho.{}", dc.info().tld)
                    };
                    format!("{} = {domain}", dc.name())
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// The client's waits, announced on stderr when long enough for a person to wonder.
#[derive(Debug)]
struct AnnouncedSleep {
    printer: Printer,
}

impl Sleep for AnnouncedSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.announced(
            duration,
            "Zoho's limits (the organization's next call slot, a pause after Zoho's per-minute \
             limit, or a backoff before a retry)",
        )
    }

    fn sleep_for(&self, duration: Duration, reason: WaitReason) -> BoxFuture<'static, ()> {
        self.announced(duration, wait_reason(reason))
    }
}

impl AnnouncedSleep {
    /// Waits `duration`; a wait long enough for a person to wonder is shown with its reason: a
    /// spinner with a countdown while a progress display draws (`zbooks import`), a note
    /// otherwise.
    fn announced(&self, duration: Duration, reason: &str) -> BoxFuture<'static, ()> {
        let sleep = tokio::time::sleep(duration);
        if duration < ANNOUNCE_WAITS_FROM {
            return Box::pin(sleep);
        }
        if let Some(done) = printer::show_wait(reason, duration) {
            return Box::pin(async move {
                sleep.await;
                done();
            });
        }
        self.printer.note(&format!(
            "waiting {}s for {reason}; Ctrl-C stops",
            duration.as_secs()
        ));
        Box::pin(sleep)
    }
}

/// What a wait of the client is for, in words.
fn wait_reason(reason: WaitReason) -> &'static str {
    match reason {
        WaitReason::Pacing => "the organization's next call slot (Zoho allows 100 calls a minute)",
        WaitReason::Paused => {
            "the rest of the minute: Zoho's per-minute limit (429/44) blocks the whole organization"
        }
        WaitReason::Concurrency => "a call in flight to end (Zoho's cap on concurrent calls)",
        WaitReason::Quota => "the daily quota to reset",
        WaitReason::Backoff => "a backoff before a retry",
        WaitReason::Refresh => "another process's token refresh",
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::printer::{ColorChoice, OutputFormat};

    #[test]
    fn a_long_wait_of_the_client_is_shown_with_its_reason_and_ended() {
        let shown: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = shown.clone();
        printer::set_wait_sink(Some(Arc::new(move |reason: &str, length: Duration| {
            seen.lock()
                .unwrap()
                .push(format!("{}s {reason}", length.as_secs()));
            let ended = seen.clone();
            Box::new(move || ended.lock().unwrap().push("ended".to_owned()))
        })));
        let sleep = AnnouncedSleep {
            printer: Printer::new(OutputFormat::Text, ColorChoice::Never, true, true),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async {
            sleep
                .sleep_for(Duration::from_secs(40), WaitReason::Paused)
                .await;
            // Short waits are not worth a line.
            sleep
                .sleep_for(Duration::from_millis(600), WaitReason::Pacing)
                .await;
        });
        printer::set_wait_sink(None);
        let shown = shown.lock().unwrap().clone();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].starts_with("40s the rest of the minute"),
            "{shown:?}"
        );
        assert!(shown[0].contains("429/44"), "{shown:?}");
        assert_eq!(shown[1], "ended");
    }
}
