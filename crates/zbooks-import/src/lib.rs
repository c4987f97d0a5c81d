//! The migration engine: readers for Tally XML, CSV and JSON Lines, mapping to Zoho Books
//! payloads, offline validation, the plan, the journaled executor, reconciliation of in-doubt
//! creates, the failed-records export and the reconciliation report.
//!
//! Reading makes no HTTP call: readers stream [`Record`]s (a Zoho payload, its
//! natural key, the natural keys it depends on, its source location) and [`Problem`]s;
//! [`Validator`] checks them all before any call against Zoho's required fields, types,
//! dates, balancing, references (in the input or in [`ExistingRecords`]) and duplicates;
//! [`plan`](mod@plan) orders them and counts calls, minutes and days of quota; [`InputTotals`] and
//! [`compare`] give the accountant's totals. The [`execute`] runs the plan against Zoho with
//! a journal in the SQLite store (resumable at any point), [`reconcile`] lists, looks up and
//! reads Zoho back, and [`results`] turns the journal into the summary and the failed-records
//! export.
//!
//! The whole pipeline sits behind [`Import::prepare`] (read, map, validate, plan: what a dry
//! run shows, no call made) and [`Prepared::run`] (list Zoho, validate and plan against it,
//! run the executor over a [`Books`] side and a [`RunJournal`], reconcile), which reports
//! [`Event`]s to an [`Observer`] and ends with an [`Outcome`]:
//!
//! ```
//! use zbooks_import::{Entity, Import, Settings, Source};
//!
//! let input = r#"{"entity": "contact", "payload": {"contact_name": "Acme", "contact_type": "customer"}}
//! {"entity": "item", "payload": {"name": "Bolt", "rate": 5}}
//! {"entity": "invoice", "payload": {"customer_name": "Acme", "invoice_number": "INV-1", "date": "2026-01-15", "line_items": [{"item_id": {"$ref": "item:name=Bolt"}, "quantity": 2, "rate": 5}]}}
//! "#;
//! let prepared = Import::prepare(Source::bytes("books.jsonl", input), Settings::default())?;
//! assert!(prepared.validation().report.is_clean());
//! // Contacts and items before the invoice that refers to them: one create each.
//! let order: Vec<Entity> = prepared.plan().entities.iter().filter_map(|e| e.entity).collect();
//! assert_eq!(order, [Entity::Contact, Entity::Item, Entity::Invoice]);
//! assert_eq!(prepared.plan().entities.iter().map(|e| e.to_create).sum::<u64>(), 3);
//! // `prepared.run(&client, &journal, &mut observer).await` then imports it: see the
//! // `pipeline` module and `examples/embed.rs`.
//! # Ok::<(), zbooks_import::ImportError>(())
//! ```
//!
//! Crash safety is proven point by point: [`failpoints`] names every place a test stops a
//! run as a crash would (compiled in only with the `failpoints` feature).
//!
//! This crate never prints: the CLI renders what it returns.
#![warn(missing_docs)]

pub mod body;
pub mod csv;
mod decode;
pub mod error;
pub mod executor;
pub mod existing;
pub mod failpoints;
pub mod gst;
pub mod jsonl;
pub mod location;
pub mod output;
mod parsed;
pub mod pipeline;
pub mod plan;
pub mod ports;
pub mod problem;
pub mod read;
pub mod reconcile;
pub mod record;
pub mod results;
pub mod tally;
pub mod totals;
pub mod validate;
pub mod value;

pub use crate::csv::{CsvOptions, CsvReader, parse_csv_bytes};
pub use body::Body;
pub use error::{ImportError, ImportErrorKind};
pub use executor::{
    ExecuteError, ExecuteOptions, Phase, Progress, RunInput, RunResult, Stop, StopHandle, execute,
    execute_with, fingerprint, token_cooldown, token_cooldown_reason,
};
pub use existing::ExistingRecords;
pub use jsonl::{JsonlOptions, JsonlReader};
pub use location::Location;
pub use parsed::Parsed;
pub use pipeline::{
    Action, Event, Import, Observer, Outcome, Prepared, RunError, Settings, Source, Survey,
    SurveyedRecord,
};
pub use plan::{EntityPlan, ImportPlan, PlanOptions, Planner, plan};
pub use ports::{Books, CallError, Disposition, RunJournal};
pub use problem::{Problem, ProblemKind, Report, Severity};
pub use read::{Format, ReadOptions, Records, open};
pub use record::{Amounts, Entity, NaturalKey, Posting, Record, Reference, Unresolved};
pub use results::{FailedRecord, Summary, failed_csv, failed_jsonl, failed_records};
pub use tally::{TallyOptions, TallyReader, parse_tally_bytes};
pub use totals::{InputTotals, Reconciliation, compare};
pub use validate::{ValidateOptions, Validation, Validator, validate};
