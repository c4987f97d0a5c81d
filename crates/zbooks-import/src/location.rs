//! Where a record or a problem comes from: the file, the line, and for XML the element and
//! the record's own name, so that every message can point a person at the exact place.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The stored byte offset of a place that names none.
const NO_OFFSET: u64 = u64::MAX;

fn no_offset() -> u64 {
    NO_OFFSET
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_no_offset(byte: &u64) -> bool {
    *byte == NO_OFFSET
}

/// A place in an input file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The file as the user named it (shared by every location in it).
    pub file: Arc<str>,
    /// The 1-based line; 0 when the problem concerns the whole file.
    pub line: u64,
    /// The byte offset in the file as it is on disk, where a line alone does not say enough
    /// (a stray byte, the place reading stopped); [`NO_OFFSET`] when there is none. Eight
    /// bytes, not an `Option`'s sixteen: every `Problem` carries a location.
    #[serde(
        rename = "offset",
        default = "no_offset",
        skip_serializing_if = "is_no_offset"
    )]
    byte: u64,
    /// The XML element (`VOUCHER`, `LEDGER`) or CSV column group, when there is one.
    pub element: Option<Arc<str>>,
    /// The record's own name in the source (a voucher number, a ledger name, a CSV row's
    /// document number).
    pub label: Option<Arc<str>>,
}

impl Location {
    /// A line in a file.
    pub fn new(file: impl Into<Arc<str>>, line: u64) -> Self {
        Location {
            file: file.into(),
            line,
            byte: NO_OFFSET,
            element: None,
            label: None,
        }
    }

    /// The same place, naming the byte offset.
    #[must_use]
    pub fn with_offset(mut self, offset: u64) -> Self {
        self.byte = offset;
        self
    }

    /// The byte offset in the file, when the place names one.
    pub fn offset(&self) -> Option<u64> {
        (self.byte != NO_OFFSET).then_some(self.byte)
    }

    /// Names the byte offset, or none.
    pub fn set_offset(&mut self, offset: Option<u64>) {
        self.byte = offset.unwrap_or(NO_OFFSET);
    }

    /// The same place, naming the element.
    #[must_use]
    pub fn with_element(mut self, element: impl Into<Arc<str>>) -> Self {
        self.element = Some(element.into());
        self
    }

    /// The same place, naming the record.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<Arc<str>>) -> Self {
        self.label = Some(label.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(offset) = self.offset() {
            write!(f, " (byte {offset})")?;
        }
        match (&self.element, &self.label) {
            (Some(e), Some(l)) => write!(f, " <{e}> {l:?}"),
            (Some(e), None) => write!(f, " <{e}>"),
            (None, Some(l)) => write!(f, " {l:?}"),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_file_line_element_and_label() {
        let l = Location::new("day.xml", 12)
            .with_element("VOUCHER")
            .with_label("SI/1");
        assert_eq!(l.to_string(), "day.xml:12 <VOUCHER> \"SI/1\"");
        assert_eq!(Location::new("a.csv", 0).to_string(), "a.csv");
        assert_eq!(
            Location::new("day.xml", 3).with_offset(120).to_string(),
            "day.xml:3 (byte 120)"
        );
    }
}
