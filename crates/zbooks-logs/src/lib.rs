//! Reads an integration's logs (zbooks event logs, the audit log, HAR files, free text with
//! Zoho bodies in it), aggregates them and diagnoses what is wrong, with terminal, JSON and
//! HTML renderings. This is the library behind `zbooks logs analyze`.
//!
//! ```no_run
//! use zbooks_logs::{AnalyzeOptions, Analyzer};
//!
//! let mut analyzer = Analyzer::new(AnalyzeOptions::default());
//! analyzer.feed_path(std::path::Path::new("zbooks.log.gz"))?;
//! let report = analyzer.finish();
//! let text = report.to_text(false);
//! # Ok::<(), zbooks_logs::Error>(())
//! ```
//!
//! Inputs are streamed: memory stays flat however large the logs are, because each line is
//! folded into bounded aggregates (per-minute buckets, capped maps and samples) and dropped.
//! No more than [`report::MAX_LINE_BYTES`] of a line is held: a longer line (or a small `.gz`
//! that inflates to one) is skipped as it streams past and reported as a
//! [`FindingKind::LongLines`] finding with its file, line and length.
//! A line that cannot be read is counted and shown with its file and line number; it never
//! stops the analysis. Every line shown as evidence is scrubbed of secrets first.
//!
//! This crate never touches the network, never reads the clock or the environment (the
//! caller passes "now"), and never prints: it returns strings and data.
#![warn(missing_docs)]

mod analyze;
mod call;
mod options;
mod read;
mod render;
pub mod report;
mod rules;
mod time;
mod util;

use std::borrow::Borrow;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use zbooks_types::event::CallEvent;

pub use options::AnalyzeOptions;
pub use render::html::Appendix;
pub use report::{Finding, FindingKind, Report, Sample, Severity};

use analyze::State;
use read::Format;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened.
    #[error("cannot open {path}")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Reading stopped part way (a truncated gzip stream, an I/O error, a broken HAR
    /// document); what was read before still counts.
    #[error("reading {name} stopped at {at}: {reason}")]
    Read {
        /// The input's name.
        name: String,
        /// Where (`line 1204`, `entry 17`).
        at: String,
        /// Why.
        reason: String,
    },
}

/// Reads logs and accumulates what they show; [`Analyzer::finish`] gives the [`Report`].
#[derive(Debug)]
pub struct Analyzer {
    options: AnalyzeOptions,
    state: State,
    /// Read event logs with the one-line-at-a-time serde reader.
    reference: bool,
}

impl Analyzer {
    /// A new analysis.
    pub fn new(options: AnalyzeOptions) -> Self {
        Analyzer {
            options,
            state: State::default(),
            reference: false,
        }
    }

    /// Reads zbooks event logs with the reference reader: one line at a time, each
    /// deserialized with serde, on this thread. Slower; the default reader (blocks of lines
    /// scanned in place on other threads) is tested to give the same report, and this is
    /// what it is tested against.
    #[must_use]
    pub fn reference_reader(mut self) -> Self {
        self.reference = true;
        self
    }

    /// Reads a file (plain or gzip), detecting its format.
    pub fn feed_path(&mut self, path: &Path) -> Result<(), Error> {
        let file = File::open(path).map_err(|source| Error::Open {
            path: path.to_owned(),
            source,
        })?;
        self.feed_reader(&path.display().to_string(), file)
    }

    /// Reads any input (plain or gzip; a file, stdin, a buffer), detecting its format; `name`
    /// labels it in the report (`-` for stdin).
    pub fn feed_reader(&mut self, name: &str, reader: impl Read) -> Result<(), Error> {
        let read_error = |at: String, reason: String| Error::Read {
            name: name.to_owned(),
            at,
            reason,
        };
        let mut opened = match read::open(reader) {
            Ok(o) => o,
            Err(e) => {
                let source = self.state.add_source(name.to_owned(), "text", false);
                self.state.source_mut(source).error = Some(e.to_string());
                return Err(read_error("the start".to_owned(), e.to_string()));
            }
        };
        let source = self
            .state
            .add_source(name.to_owned(), opened.format.name(), opened.gzip);
        let result = match opened.format {
            Format::Events if self.reference => {
                read::events::read_serial(&mut self.state, source, &mut opened.reader)
                    .map_err(|e| e.to_string())
            }
            Format::Events => read::events::read(&mut self.state, source, &mut opened.reader)
                .map_err(|e| e.to_string()),
            Format::Text => read::text::read(&mut self.state, source, &mut opened.reader)
                .map_err(|e| e.to_string()),
            Format::Har => read::har::read(&mut self.state, source, &mut opened.reader),
        };
        self.state.end_source();
        result.map_err(|reason| {
            let s = self.state.source_mut(source);
            s.error = Some(reason.clone());
            let at = if opened.format == Format::Har {
                format!("entry {}", s.lines + 1)
            } else {
                format!("line {}", s.lines + 1)
            };
            read_error(at, reason)
        })
    }

    /// Folds records the caller already holds: the audit log of the store, or events from
    /// any other source of [`CallEvent`]s. `name` labels them in the report; each record's
    /// position (from 1) stands for its line number.
    pub fn feed_events<I>(&mut self, name: &str, events: I)
    where
        I: IntoIterator,
        I::Item: Borrow<CallEvent>,
    {
        let source = self.state.add_source(name.to_owned(), "events", false);
        let mut n = 0u64;
        for event in events {
            n += 1;
            read::events::feed(&mut self.state, source, event.borrow(), n);
        }
        self.state.source_mut(source).lines = n;
        self.state.end_source();
    }

    /// Ends the analysis and diagnoses.
    pub fn finish(self) -> Report {
        rules::report(&self.state, &self.options)
    }
}
