//! What one line of the doctor's checklist is: a name, how it ended, what it saw, the fix, and
//! the exit code a failure carries. Every check returns one; the command prints them.

use serde::Serialize;

use crate::exit;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Serialize)]
pub(super) struct Check {
    pub(super) name: &'static str,
    pub(super) status: Status,
    pub(super) summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) fix: Option<String>,
    #[serde(skip)]
    pub(super) exit: u8,
}

impl Check {
    pub(super) fn pass(name: &'static str, summary: impl Into<String>) -> Self {
        Check {
            name,
            status: Status::Pass,
            summary: summary.into(),
            fix: None,
            exit: exit::OK,
        }
    }
    pub(super) fn warn(
        name: &'static str,
        summary: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            name,
            status: Status::Warn,
            summary: summary.into(),
            fix: Some(fix.into()),
            exit: exit::OK,
        }
    }
    pub(super) fn fail(
        name: &'static str,
        exit: u8,
        summary: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            name,
            status: Status::Fail,
            summary: summary.into(),
            fix: Some(fix.into()),
            exit,
        }
    }
    pub(super) fn skip(name: &'static str, summary: impl Into<String>) -> Self {
        Check {
            name,
            status: Status::Skip,
            summary: summary.into(),
            fix: None,
            exit: exit::OK,
        }
    }
}

/// The checks `names`, each skipped for the same reason.
pub(super) fn skipped<'a>(
    names: &'a [&'static str],
    why: &'static str,
) -> impl Iterator<Item = Check> + 'a {
    names.iter().map(move |name| Check::skip(name, why))
}
