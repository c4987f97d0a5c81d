//! The crate's one error type, for failures that stop a whole input before any record is
//! read (a file that cannot be opened, a mapping file that makes no sense). Problems with
//! the data itself are [`crate::Problem`]s, reported and survived.

use std::path::PathBuf;

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportErrorKind {
    /// The file cannot be opened or read.
    Io,
    /// A mapping file or option is invalid.
    Config,
    /// The input's format cannot be told from its name; say `--from`.
    UnknownFormat,
}

/// A failure that stops an input before any record is read.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    kind: ImportErrorKind,
    path: Option<PathBuf>,
    message: String,
    #[source]
    source: Option<std::io::Error>,
}

impl ImportError {
    /// An I/O failure on a file.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        ImportError {
            kind: ImportErrorKind::Io,
            message: format!("cannot read {}", path.display()),
            path: Some(path),
            source: Some(source),
        }
    }

    /// Another kind of failure.
    pub fn new(kind: ImportErrorKind, path: Option<PathBuf>, message: impl Into<String>) -> Self {
        ImportError {
            kind,
            path,
            message: message.into(),
            source: None,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ImportErrorKind {
        self.kind
    }

    /// The file concerned.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }
}
