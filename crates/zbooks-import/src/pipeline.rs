//! The import pipeline behind one small API, for the CLI and any program that embeds an
//! import: [`Import::prepare`] reads, maps, validates and plans an input offline (everything
//! `zbooks import --dry-run` shows without a login), [`Prepared::survey`] lists what Zoho
//! holds and says what a run would adopt, create and skip without sending anything (the dry
//! run with a login), and [`Prepared::run`] lists what Zoho holds, validates
//! and plans against it, and runs the journaled executor, telling an [`Observer`] what
//! happens as typed [`Event`]s the caller renders.
//!
//! ```no_run
//! # async fn embed(client: zbooks_client::Client, store: zbooks_store::SqliteStore)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use zbooks_import::{Event, Import, Settings, Source};
//!
//! let prepared = Import::prepare(Source::file("daybook.xml")?, Settings::default())?;
//! println!("{} calls planned", prepared.plan().calls);
//! let org = client.organization_id().unwrap_or_default().to_owned();
//! let journal = store.journal(&prepared.fingerprint(&org)).await?;
//! let outcome = prepared
//!     .run(&client, &journal, &mut |event: Event<'_>| {
//!         if let Event::Progress(p) = event {
//!             eprintln!("{}/{}", p.settled, p.total);
//!         }
//!     })
//!     .await?;
//! println!("created {}", outcome.run.summary.created);
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use zbooks_client::Error;
use zbooks_client::store::StoreError;

use crate::csv::CsvReader;
use crate::error::{ImportError, ImportErrorKind};
use crate::executor::{
    ExecuteError, ExecuteOptions, Progress, RunInput, RunResult, StopHandle, execute_with,
    fingerprint, token_cooldown_reason,
};
use crate::existing::ExistingRecords;
use crate::failpoints::failpoint;
use crate::jsonl::JsonlReader;
use crate::plan::{ImportPlan, PlanOptions, plan};
use crate::ports::{Books, CallError, Disposition, RunJournal};
use crate::read::{Format, Parsed, ReadOptions, Records};
use crate::record::Entity;
use crate::tally::TallyReader;
use crate::validate::{ValidateOptions, Validation, validate};

/// An input to import: its name (a path, for locations and the journal) and its bytes, or
/// a stream of records read elsewhere (a live pull from TallyPrime).
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    path: Option<PathBuf>,
    bytes: Vec<u8>,
    stream: Option<Stream>,
}

/// Records read by someone else, taken once, and the bytes naming what was read (for the
/// fingerprint), filled in as the records are read.
#[derive(Clone)]
struct Stream {
    records: Arc<Mutex<Option<Records>>>,
    content: Arc<Mutex<Vec<u8>>>,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream").finish_non_exhaustive()
    }
}

impl Source {
    /// A file, read whole (its bytes make the run's fingerprint).
    ///
    /// # Errors
    ///
    /// The I/O error when the file cannot be read.
    pub fn file(path: impl AsRef<Path>) -> std::io::Result<Source> {
        let path = path.as_ref();
        Ok(Source {
            name: path.display().to_string(),
            path: Some(path.to_owned()),
            bytes: std::fs::read(path)?,
            stream: None,
        })
    }

    /// Bytes held in memory, named `name` (its extension tells the format unless
    /// [`ReadOptions::format`] says it).
    pub fn bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Source {
        Source {
            name: name.into(),
            path: None,
            bytes: bytes.into(),
            stream: None,
        }
    }

    /// Records another reader makes (a live pull), named `name` in the journal. `content`
    /// is filled by the reader as it goes with bytes that identify what it read (a digest
    /// of each answer): with the name they make the run's fingerprint, so the same pull of
    /// the same data resumes the same journal. The records are read once, by
    /// [`Import::prepare`].
    pub fn stream(
        name: impl Into<String>,
        records: Records,
        content: Arc<Mutex<Vec<u8>>>,
    ) -> Source {
        Source {
            name: name.into(),
            path: None,
            bytes: Vec::new(),
            stream: Some(Stream {
                records: Arc::new(Mutex::new(Some(records))),
                content,
            }),
        }
    }

    /// The bytes that make the fingerprint: the file's, or the stream's name and content.
    fn content(&self) -> Vec<u8> {
        match &self.stream {
            None => self.bytes.clone(),
            Some(s) => {
                let mut out = self.name.as_bytes().to_vec();
                out.push(0);
                out.extend(s.content.lock().map(|c| c.clone()).unwrap_or_default());
                out
            }
        }
    }

    /// The input's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn records(&self, options: &ReadOptions) -> Result<Records, ImportError> {
        if let Some(stream) = &self.stream {
            let taken = stream.records.lock().ok().and_then(|mut r| r.take());
            return Ok(taken.unwrap_or_else(|| Box::new(std::iter::empty())));
        }
        let path = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(&self.name));
        let format = options
            .format
            .or_else(|| Format::from_path(&path))
            .ok_or_else(|| {
                ImportError::new(
                    ImportErrorKind::UnknownFormat,
                    Some(path.clone()),
                    format!(
                        "cannot tell the format of {} from its name; say which: tally, csv or jsonl",
                        path.display()
                    ),
                )
            })?;
        let input = Cursor::new(self.bytes.clone());
        Ok(match format {
            Format::Tally => Box::new(TallyReader::new(input, &self.name, options.tally.clone())),
            Format::Csv => Box::new(CsvReader::new(input, &self.name, options.csv.clone())),
            Format::Jsonl => Box::new(JsonlReader::new(input, &self.name, options.jsonl.clone())),
        })
    }
}

/// How to read, check, plan and run an import.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The readers' options (format, CSV column mapping...).
    pub read: ReadOptions,
    /// Import nothing while the input has any error.
    pub strict: bool,
    /// The organization's limits and the daily budget, for the plan.
    pub plan: PlanOptions,
    /// The executor's options (in-flight cap, deferral, settle time, exclusivity...);
    /// `existing` is filled by [`Prepared::run`].
    pub execute: ExecuteOptions,
}

impl Default for Settings {
    /// The format from the name, not strict, planned at the Free plan's limits (the most
    /// careful), the executor's defaults.
    fn default() -> Self {
        Settings {
            read: ReadOptions::default(),
            strict: false,
            plan: PlanOptions {
                limits: zbooks_types::Plan::Free.limits(),
                daily_budget: None,
            },
            execute: ExecuteOptions::default(),
        }
    }
}

impl Settings {
    fn validate_options(&self) -> ValidateOptions {
        ValidateOptions {
            strict: self.strict,
            ..ValidateOptions::default()
        }
    }

    /// The options that change what is read, as they enter the run's fingerprint.
    fn options_text(&self) -> String {
        format!(
            "from={:?};mapping={:?};strict={}",
            self.read.format, self.read.csv.mapping, self.strict
        )
    }
}

/// The entry point of the pipeline.
#[derive(Debug)]
pub struct Import;

impl Import {
    /// Reads and maps `source`, validates it offline (references to records already in Zoho
    /// are not known yet) and plans it: everything a dry run shows. No call is made.
    ///
    /// # Errors
    ///
    /// An [`ImportError`] when the input cannot be read at all (an unknown format). Problems
    /// of single records are in [`Prepared::validation`].
    pub fn prepare(source: Source, settings: Settings) -> Result<Prepared, ImportError> {
        let parsed = Parsed::collect(source.records(&settings.read)?);
        let existing = ExistingRecords::new();
        let validation = validate(
            &parsed.records,
            &parsed.report,
            &existing,
            settings.validate_options(),
        );
        let plan = plan(&parsed.records, &validation, &existing, &settings.plan);
        Ok(Prepared {
            source,
            parsed,
            validation,
            plan,
            settings,
            stop: StopHandle::new(),
        })
    }
}

/// An input read, validated and planned offline, ready to run.
#[derive(Debug)]
pub struct Prepared {
    source: Source,
    parsed: Parsed,
    validation: Validation,
    plan: ImportPlan,
    settings: Settings,
    stop: StopHandle,
}

/// What a run tells its observer, in order.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The listing of what Zoho holds of an entity ended (before validation).
    Listed {
        /// The entity.
        entity: Entity,
        /// Records Zoho holds.
        records: u64,
    },
    /// Nothing can be listed before then (the accounts server refuses tokens).
    Waiting {
        /// Why, for people.
        reason: String,
        /// Until when.
        until: SystemTime,
    },
    /// The input validated against what Zoho holds.
    Validated(&'a Validation),
    /// The plan against what Zoho holds.
    Planned(&'a ImportPlan),
    /// The executor's progress.
    Progress(&'a Progress),
}

/// Hears a run's [`Event`]s. Any `FnMut(Event<'_>) + Send` closure is one.
pub trait Observer: Send {
    /// One event.
    fn event(&mut self, event: Event<'_>);
}

impl<F: FnMut(Event<'_>) + Send> Observer for F {
    fn event(&mut self, event: Event<'_>) {
        self(event);
    }
}

/// What a run ends with.
#[derive(Debug)]
pub struct Outcome<E = Error> {
    /// The validation against what Zoho holds.
    pub validation: Validation,
    /// The plan against what Zoho holds.
    pub plan: ImportPlan,
    /// Why the run ended, the journal's counts, the reconciliation.
    pub run: RunResult<E>,
}

/// What a run would do with one record, as a dry run tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Zoho holds it already (found by its natural key in the listing): its id is used,
    /// nothing is sent.
    Adopt,
    /// Not in Zoho: one create.
    Create,
    /// Held back by an error of the input (see the problems): not sent.
    Skip,
}

impl Action {
    /// The action's name (`adopt`, `create`, `skip`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Adopt => "adopt",
            Action::Create => "create",
            Action::Skip => "skip",
        }
    }
}

/// One record of a [`Survey`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SurveyedRecord {
    /// The entity.
    pub entity: Entity,
    /// The natural key's field.
    pub key_field: String,
    /// The natural key's value.
    pub key_value: String,
    /// Where in the input it is.
    pub location: String,
    /// What a run would do with it.
    pub action: Action,
    /// Zoho's id, for a record Zoho holds.
    pub zoho_id: Option<String>,
}

/// What a run would do, record by record, against what Zoho holds (or, offline, against
/// nothing): the dry run's answer. Nothing was sent to make it but listings.
#[derive(Clone, Debug)]
pub struct Survey {
    /// Whether Zoho was listed (`false`: offline, no record is known to be there).
    pub listed: bool,
    /// The validation against what Zoho holds.
    pub validation: Validation,
    /// The plan against what Zoho holds.
    pub plan: ImportPlan,
    /// Every record of the input, in input order, with its action.
    pub records: Vec<SurveyedRecord>,
}

impl Survey {
    /// How many records of `entity` would take `action`.
    pub fn count(&self, entity: Entity, action: Action) -> u64 {
        self.records
            .iter()
            .filter(|r| r.entity == entity && r.action == action)
            .count() as u64
    }

    /// How many records in all would take `action`.
    pub fn total(&self, action: Action) -> u64 {
        self.records.iter().filter(|r| r.action == action).count() as u64
    }

    /// The entities of the input, in the order of creation.
    pub fn entities(&self) -> Vec<Entity> {
        let mut out: Vec<Entity> = self.records.iter().map(|r| r.entity).collect();
        out.sort_by_key(|e| (e.rank(), *e));
        out.dedup();
        out
    }
}

/// Why a run did not start or could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError<E: std::error::Error + 'static = Error> {
    /// Zoho could not be listed before the run: nothing was sent.
    #[error("cannot list what zoho holds: {0}")]
    Listing(#[source] E),
    /// The journal could not be used.
    #[error("import journal: {0}")]
    Journal(#[source] StoreError),
    /// `strict` and the input has errors: nothing was sent.
    #[error("{errors} errors in the input; nothing imported (strict)")]
    Strict {
        /// How many.
        errors: usize,
    },
    /// Stopped while waiting to list, before anything was sent.
    #[error("interrupted before anything was sent")]
    Interrupted,
}

impl Prepared {
    /// The input's name.
    pub fn name(&self) -> &str {
        self.source.name()
    }

    /// What was read.
    pub fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    /// The offline validation (no records known in Zoho).
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The offline plan (no records known in Zoho).
    pub fn plan(&self) -> &ImportPlan {
        &self.plan
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether `strict` refuses the input before any call: the readers already know a
    /// problem of it.
    pub fn refused_by_strict_reading(&self) -> bool {
        self.settings.strict && !self.parsed.report.is_clean()
    }

    /// The fingerprint of the run into `organization_id`: the journal to open for
    /// [`Prepared::run`] (the same input, options and organization resume the same journal).
    pub fn fingerprint(&self, organization_id: &str) -> String {
        fingerprint(
            &self.source.content(),
            &self.settings.options_text(),
            organization_id,
        )
    }

    /// A handle that stops the run: no new create is sent, the ones in flight finish, and
    /// the run ends resumable. A stop stays: a later [`Prepared::run`] of the same value
    /// ends at once (prepare the input again to resume it).
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// Lists what Zoho holds of the input's entities and of those they refer to (one listing
    /// per entity, before validation, so references to records already in Zoho resolve and
    /// records already there are planned as such), waiting out a token cool-down.
    async fn list<B: Books>(
        &self,
        books: &B,
        observer: &mut dyn Observer,
    ) -> Result<ExistingRecords, RunError<B::Error>> {
        let mut entities = BTreeSet::new();
        for r in &self.parsed.records {
            entities.insert(r.entity);
            for d in r.depends_on() {
                entities.insert(d.entity);
            }
        }
        loop {
            let mut on_listed = |entity, records| observer.event(Event::Listed { entity, records });
            let err = match books.list(&entities, &mut on_listed).await {
                Ok(existing) => return Ok(existing),
                Err(err) => err,
            };
            // Another process on this refresh token spent the accounts server's window: wait.
            let Disposition::Cooldown(until) = err.disposition() else {
                return Err(RunError::Listing(err));
            };
            observer.event(Event::Waiting {
                reason: token_cooldown_reason(until),
                until,
            });
            let clock = &self.settings.execute.clock;
            let wait = until.duration_since(clock.now()).unwrap_or(Duration::ZERO);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.stop.stopped() => return Err(RunError::Interrupted),
            }
        }
    }

    /// The offline survey: what a run would do if Zoho held nothing of the input (every
    /// valid record a create). What a dry run without a login shows.
    pub fn survey_offline(&self) -> Survey {
        self.survey_of(
            &ExistingRecords::new(),
            self.validation.clone(),
            self.plan.clone(),
            false,
        )
    }

    /// Lists what Zoho holds (listings only: no lookup per record, no create, no journal,
    /// no lease) and says what a run would adopt, create and skip: the dry run with a login.
    /// The observer hears the listings and any wait, then the validation and the plan.
    ///
    /// # Errors
    ///
    /// [`RunError::Listing`] when Zoho cannot be listed, [`RunError::Interrupted`] on a stop
    /// while waiting to list.
    pub async fn survey<B: Books>(
        &self,
        books: &B,
        observer: &mut dyn Observer,
    ) -> Result<Survey, RunError<B::Error>> {
        let existing = self.list(books, observer).await?;
        let records = &self.parsed.records;
        let validation = validate(
            records,
            &self.parsed.report,
            &existing,
            self.settings.validate_options(),
        );
        observer.event(Event::Validated(&validation));
        let plan = plan(records, &validation, &existing, &self.settings.plan);
        observer.event(Event::Planned(&plan));
        Ok(self.survey_of(&existing, validation, plan, true))
    }

    fn survey_of(
        &self,
        existing: &ExistingRecords,
        validation: Validation,
        plan: ImportPlan,
        listed: bool,
    ) -> Survey {
        let records = self
            .parsed
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let zoho_id = r.keys().find_map(|k| existing.id_of(k).map(str::to_owned));
                let action = if !validation.is_valid(i) {
                    Action::Skip
                } else if zoho_id.is_some() {
                    Action::Adopt
                } else {
                    Action::Create
                };
                SurveyedRecord {
                    entity: r.entity,
                    key_field: r.key.field.clone(),
                    key_value: r.key.value.clone(),
                    location: r.location.to_string(),
                    action,
                    zoho_id,
                }
            })
            .collect();
        Survey {
            listed,
            validation,
            plan,
            records,
        }
    }

    /// Lists what Zoho holds of the input's entities, validates and plans against it, then
    /// runs the executor over `books` and `journal` (the input's journal, named by
    /// [`Prepared::fingerprint`]) and saves the plan with it.
    ///
    /// # Errors
    ///
    /// A [`RunError`] when nothing could be started (Zoho not listed, `strict` refusing, a
    /// stop while waiting to list) or the journal failed. Records that fail are in the
    /// outcome's summary; a stop midway is the outcome's [`crate::Stop`].
    pub async fn run<B: Books, J: RunJournal>(
        &self,
        books: &B,
        journal: &J,
        observer: &mut dyn Observer,
    ) -> Result<Outcome<B::Error>, RunError<B::Error>> {
        let records = &self.parsed.records;
        let existing = self.list(books, observer).await?;
        failpoint!(LISTING_BEFORE_PLAN);
        let validation = validate(
            records,
            &self.parsed.report,
            &existing,
            self.settings.validate_options(),
        );
        observer.event(Event::Validated(&validation));
        let plan = plan(records, &validation, &existing, &self.settings.plan);
        observer.event(Event::Planned(&plan));
        if self.settings.strict && !validation.report.is_clean() {
            return Err(RunError::Strict {
                errors: validation.report.errors(),
            });
        }
        let unread = self.parsed.unread();
        let fp = self.fingerprint(&books.organization_id());
        let input = RunInput {
            records,
            validation: &validation,
            unread: &unread,
            file: self.name(),
            fingerprint: &fp,
        };
        let mut options = self.settings.execute.clone();
        options.existing = Some(existing);
        let run = execute_with(books, journal, &input, options, &self.stop, &mut |p| {
            observer.event(Event::Progress(p));
        })
        .await
        .map_err(|e| match e {
            ExecuteError::Listing(e) => RunError::Listing(e),
            ExecuteError::Journal(e) => RunError::Journal(e),
        })?;
        failpoint!(PLAN_BEFORE_SAVE);
        let _ = journal
            .save_plan(serde_json::to_string(&plan).unwrap_or_default())
            .await;
        Ok(Outcome {
            validation,
            plan,
            run,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::executor::fakes::{CONTACTS, FakeBooks, FakeJournal};

    fn settings(strict: bool) -> Settings {
        Settings {
            strict,
            execute: ExecuteOptions {
                defer: Duration::from_millis(2),
                settle: Duration::ZERO,
                read_back: false,
                exclusive: true,
                ..ExecuteOptions::default()
            },
            ..Settings::default()
        }
    }

    fn kind(event: &Event<'_>) -> &'static str {
        match event {
            Event::Listed { .. } => "listed",
            Event::Waiting { .. } => "waiting",
            Event::Validated(_) => "validated",
            Event::Planned(_) => "planned",
            Event::Progress(_) => "progress",
        }
    }

    #[tokio::test]
    async fn a_run_lists_then_validates_and_plans_then_creates_and_saves_the_plan() {
        let (books, journal) = (FakeBooks::default(), FakeJournal::default());
        books.hold(Entity::Contact, "contact_name", "Chola Mills");
        let prepared =
            Import::prepare(Source::bytes("contacts.jsonl", CONTACTS), settings(false)).unwrap();
        assert_eq!(
            prepared.plan().entities[0].to_create,
            3,
            "offline: Zoho not asked"
        );
        let mut seen = Vec::new();
        let outcome = prepared
            .run(&books, &journal, &mut |e: Event<'_>| seen.push(kind(&e)))
            .await
            .unwrap();
        seen.dedup();
        assert_eq!(seen, ["listed", "validated", "planned", "progress"]);
        assert_eq!(outcome.plan.entities[0].to_create, 2);
        assert_eq!(outcome.plan.entities[0].existing, 1);
        let s = &outcome.run.summary;
        assert_eq!((s.created, s.present), (2, 1));
        assert_eq!(
            books.sent("Chola Mills"),
            0,
            "what Zoho holds is never sent"
        );
        let saved = journal.book().plan.clone().unwrap();
        assert_eq!(
            serde_json::from_str::<ImportPlan>(&saved).unwrap(),
            outcome.plan
        );
    }

    const INVOICE_FOR_A_KNOWN_CUSTOMER: &str = r#"{"entity": "item", "payload": {"name": "Bolt", "rate": 5}}
{"entity": "invoice", "payload": {"customer_name": "Old Customer", "invoice_number": "INV-7", "date": "2026-01-15", "line_items": [{"item_id": {"$ref": "item:name=Bolt"}, "quantity": 2, "rate": 5}]}}
"#;

    #[tokio::test]
    async fn strict_judges_references_against_what_zoho_holds_and_sends_nothing_when_unclean() {
        let source = || Source::bytes("invoice.jsonl", INVOICE_FOR_A_KNOWN_CUSTOMER);
        // Offline the customer is unknown: the dry run reports it.
        let prepared = Import::prepare(source(), settings(true)).unwrap();
        assert!(!prepared.validation().report.is_clean());
        assert!(
            !prepared.refused_by_strict_reading(),
            "the readers found nothing"
        );
        // Zoho does not hold it either: strict refuses, nothing is sent.
        let (books, journal) = (FakeBooks::default(), FakeJournal::default());
        let refused = prepared.run(&books, &journal, &mut |_: Event<'_>| {}).await;
        assert!(
            matches!(refused, Err(RunError::Strict { errors: 1 })),
            "{refused:?}"
        );
        assert_eq!(books.sent("Bolt"), 0);
        // Zoho holds the customer: the reference resolves, and the run goes ahead.
        books.hold(Entity::Contact, "contact_name", "Old Customer");
        let outcome = prepared
            .run(&books, &journal, &mut |_: Event<'_>| {})
            .await
            .unwrap();
        assert!(outcome.validation.report.is_clean());
        assert_eq!(outcome.run.summary.created, 2);
        assert_eq!(books.made("INV-7"), 1);
    }

    #[tokio::test]
    async fn a_survey_lists_and_says_what_it_would_adopt_and_create_and_sends_nothing() {
        let books = FakeBooks::default();
        books.hold(Entity::Contact, "contact_name", "Chola Mills");
        let prepared =
            Import::prepare(Source::bytes("contacts.jsonl", CONTACTS), settings(false)).unwrap();
        let offline = prepared.survey_offline();
        assert!(!offline.listed);
        assert_eq!(offline.total(Action::Create), 3);
        let mut seen = Vec::new();
        let survey = prepared
            .survey(&books, &mut |e: Event<'_>| seen.push(kind(&e)))
            .await
            .unwrap();
        assert_eq!(seen, ["listed", "validated", "planned"]);
        assert!(survey.listed);
        assert_eq!(survey.count(Entity::Contact, Action::Adopt), 1);
        assert_eq!(survey.count(Entity::Contact, Action::Create), 2);
        let chola = survey
            .records
            .iter()
            .find(|r| r.key_value == "Chola Mills")
            .unwrap();
        assert_eq!(chola.action, Action::Adopt);
        assert!(chola.zoho_id.is_some());
        assert_eq!(books.sent("Acme Traders"), 0, "a survey never creates");
    }

    #[tokio::test]
    async fn a_stop_before_the_run_ends_it_resumable_with_nothing_sent() {
        let (books, journal) = (FakeBooks::default(), FakeJournal::default());
        let prepared =
            Import::prepare(Source::bytes("contacts.jsonl", CONTACTS), settings(false)).unwrap();
        prepared.stop_handle().stop();
        let outcome = prepared
            .run(&books, &journal, &mut |_: Event<'_>| {})
            .await
            .unwrap();
        assert!(matches!(outcome.run.stop, crate::Stop::Interrupted));
        assert_eq!(outcome.run.summary.left, 3);
        assert_eq!(books.sent("Acme Traders"), 0);
        assert_eq!(journal.book().status, "interrupted");
    }

    #[test]
    fn an_unknown_format_is_refused_with_its_name() {
        let err =
            Import::prepare(Source::bytes("books.dat", "x"), Settings::default()).unwrap_err();
        assert_eq!(err.kind(), ImportErrorKind::UnknownFormat);
        assert!(err.to_string().contains("books.dat"), "{err}");
    }
    #[test]
    fn a_stream_is_read_once_and_fingerprinted_by_its_name_and_what_it_read() {
        let stream = |name: &str, digest: &[u8]| {
            let content = Arc::new(Mutex::new(Vec::new()));
            let filled = content.clone();
            let digest = digest.to_vec();
            // The reader fills the content as it reads, as a live pull does.
            let records = std::iter::once(()).filter_map(move |()| {
                filled.lock().unwrap().extend(&digest);
                None
            });
            Source::stream(name, Box::new(records), content)
        };
        let fp = |source: Source| {
            Import::prepare(source, Settings::default())
                .unwrap()
                .fingerprint("org")
        };
        let a = fp(stream(
            "tally://h:9000 \"A\" 2024-04-01..2024-04-30",
            b"one",
        ));
        assert_eq!(
            a,
            fp(stream(
                "tally://h:9000 \"A\" 2024-04-01..2024-04-30",
                b"one"
            ))
        );
        assert_ne!(
            a,
            fp(stream(
                "tally://h:9000 \"A\" 2024-04-01..2024-04-30",
                b"two"
            ))
        );
        assert_ne!(
            a,
            fp(stream(
                "tally://h:9000 \"A\" 2024-04-01..2024-05-31",
                b"one"
            ))
        );
        let source = stream("s", b"x");
        let again = source.clone();
        assert!(
            source
                .records(&ReadOptions::default())
                .unwrap()
                .next()
                .is_none()
        );
        // Taken once: a clone reads nothing more.
        assert!(
            again
                .records(&ReadOptions::default())
                .unwrap()
                .next()
                .is_none()
        );
    }
}
