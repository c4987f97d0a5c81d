//! `--log-file FILE`: every client event as one JSON line ([`CallEvent`], the schema
//! `zbooks logs analyze` reads), appended, through the client's [`EventSink`].
//!
//! Events carry no secret by construction; each line is scrubbed anyway, so a message that
//! quoted one cannot reach the file. A write that fails is reported once on stderr and the
//! command goes on: the log is a record, not the work.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use zbooks_client::events::EventSink;
use zbooks_types::event::CallEvent;

use crate::error::CliError;
use crate::printer::Printer;

/// Appends events to a file, one JSON object a line.
#[derive(Debug)]
pub struct LogFile {
    path: PathBuf,
    file: Mutex<BufWriter<File>>,
    failed: AtomicBool,
    printer: Printer,
}

impl LogFile {
    /// Opens `path` for appending (creating it).
    pub fn open(path: &Path, printer: Printer) -> Result<Self, CliError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| CliError::io(format!("cannot open log file {}", path.display()), &e))?;
        Ok(LogFile {
            path: path.to_path_buf(),
            file: Mutex::new(BufWriter::new(file)),
            failed: AtomicBool::new(false),
            printer,
        })
    }
}

impl EventSink for LogFile {
    fn record(&self, event: &CallEvent) {
        let Ok(line) = serde_json::to_string(event) else {
            return;
        };
        let line = zbooks_types::scrub(&line);
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let written = writeln!(file, "{line}").and_then(|()| file.flush());
        if let Err(err) = written
            && !self.failed.swap(true, Ordering::Relaxed)
        {
            self.printer.note(&format!(
                "warning: cannot write log file {}: {err}",
                self.path.display()
            ));
        }
    }
}
