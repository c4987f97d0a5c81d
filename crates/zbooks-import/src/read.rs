//! One door to every reader: pick the format (by flag or by file name), open the file, and
//! get an iterator of records and problems. Reading never stops at a bad record; only a file
//! that cannot be opened at all is an [`ImportError`].
//!
//! A reader's error always means something of the input is not imported (a record it could
//! not read or map, the rest of a truncated file, a whole file that is not what it claims to
//! be): [`Parsed::unread`] names each such loss once, so the run can journal it as failed and
//! never report success over it.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::csv::{CsvOptions, CsvReader};
use crate::error::{ImportError, ImportErrorKind};
use crate::jsonl::{JsonlOptions, JsonlReader};
pub use crate::parsed::Parsed;
use crate::problem::Problem;
use crate::record::Record;
use crate::tally::{TallyOptions, TallyReader};

/// An input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A Tally XML export.
    Tally,
    /// A CSV file in Zoho's import-template columns (or mapped to them).
    Csv,
    /// JSON Lines of Zoho payloads.
    Jsonl,
}

impl Format {
    /// The format a file name suggests (`.xml`, `.csv`, `.jsonl`/`.ndjson`).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xml" => Some(Format::Tally),
            "csv" | "txt" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// Options for every reader.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The format; by default from the file name.
    pub format: Option<Format>,
    /// Tally options.
    pub tally: TallyOptions,
    /// CSV options.
    pub csv: CsvOptions,
    /// JSON Lines options.
    pub jsonl: JsonlOptions,
}

/// Records and problems, in input order.
pub type Records = Box<dyn Iterator<Item = Result<Record, Problem>> + Send>;

/// Opens a file for reading.
pub fn open(path: &Path, options: &ReadOptions) -> Result<Records, ImportError> {
    let format = options
        .format
        .or_else(|| Format::from_path(path))
        .ok_or_else(|| {
            ImportError::new(
                ImportErrorKind::UnknownFormat,
                Some(path.to_owned()),
                format!(
                    "cannot tell the format of {} from its name; say which: tally, csv or jsonl",
                    path.display()
                ),
            )
        })?;
    let file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let name = path.display().to_string();
    Ok(match format {
        Format::Tally => Box::new(TallyReader::new(file, &name, options.tally.clone())),
        Format::Csv => Box::new(CsvReader::new(file, &name, options.csv.clone())),
        Format::Jsonl => Box::new(JsonlReader::new(
            BufReader::with_capacity(1 << 16, file),
            &name,
            options.jsonl.clone(),
        )),
    })
}
