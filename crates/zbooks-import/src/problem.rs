//! Problems found while reading, mapping and validating: each one says where (file, line,
//! element, field), how bad, and what is wrong, in words a person can act on. A [`Report`]
//! collects them all so that one run shows every problem at once (docs/design.md promise 7).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::location::Location;
use crate::record::NaturalKey;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something is worth a look, nothing was lost (a skipped memorandum voucher, a rounding
    /// difference Zoho will absorb).
    Warning,
    /// A record (or the rest of a file) cannot be imported as it stands.
    Error,
}

/// What kind of problem it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The file could not be read, or is in an encoding the reader does not support.
    Encoding,
    /// The file is not well-formed where it matters (a broken tag, a broken CSV row).
    Syntax,
    /// The file ends in the middle of a record.
    Truncated,
    /// A value cannot be read (an amount that is not a number, a date that is not a date).
    BadValue,
    /// A field Zoho requires is missing or empty.
    MissingField,
    /// A field has the wrong JSON type.
    WrongType,
    /// A voucher's debits and credits do not sum to zero.
    Unbalanced,
    /// A record refers to one that is neither in the input nor in Zoho.
    Unresolved,
    /// Two records of the input share a natural key.
    Duplicate,
    /// A record depends on one that cannot be imported.
    DependencyFailed,
    /// A source record is deliberately not imported (cancelled, memorandum, order).
    Skipped,
    /// Something in the source disagrees with itself, or Zoho will compute it differently.
    Mismatch,
    /// A mapping file or option is wrong.
    Config,
}

/// One problem, with its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// How bad.
    pub severity: Severity,
    /// What kind.
    pub kind: ProblemKind,
    /// Where.
    pub location: Location,
    /// The field (a Zoho field, an XML tag or a CSV column), when one is to blame (boxed:
    /// readers return problems by value, and a byte offset in the location took the room).
    pub field: Option<Box<str>>,
    /// The record concerned, when it got as far as having a key.
    pub record: Option<Box<NaturalKey>>,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl Problem {
    /// An error.
    pub fn error(kind: ProblemKind, location: Location, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            kind,
            location,
            field: None,
            record: None,
            message: message.into(),
        }
    }

    /// A warning.
    pub fn warning(kind: ProblemKind, location: Location, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(kind, location, message)
        }
    }

    /// The same problem, blaming a field.
    #[must_use]
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into().into_boxed_str());
        self
    }

    /// The same problem, naming the record.
    #[must_use]
    pub fn record(mut self, key: &NaturalKey) -> Self {
        self.record = Some(Box::new(key.clone()));
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {sev}", self.location)?;
        if let Some(field) = &self.field {
            write!(f, ": field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem of a run, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The problems.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Adds a problem.
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// The number of warnings.
    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }

    /// Whether there is no error.
    pub fn is_clean(&self) -> bool {
        self.errors() == 0
    }

    /// The problems of one kind.
    pub fn of_kind(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        write!(f, "{} errors, {} warnings", self.errors(), self.warnings())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_names_file_line_and_field() {
        let p = Problem::error(
            ProblemKind::BadValue,
            Location::new("inv.csv", 7).with_label("INV-3"),
            "\"abc\" is not a number",
        )
        .field("Quantity");
        assert_eq!(
            p.to_string(),
            "inv.csv:7 \"INV-3\": error: field Quantity: \"abc\" is not a number"
        );
    }
}
