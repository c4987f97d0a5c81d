//! The CLI's error: a headline, the chain of causes, a hint from the error catalog and the exit
//! code, rendered the same way by every command (docs/style.md, "Errors").

use std::fmt;

use zbooks_types::FailureClass;

use crate::exit;

/// An expected failure of a command.
#[derive(Debug)]
pub struct CliError {
    /// A lowercase fragment saying what failed.
    pub headline: String,
    /// Why, outermost first.
    pub causes: Vec<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// The process exit code.
    pub exit_code: u8,
    /// Zoho's code, when Zoho's answer is the failure (`--format json`'s `error.code`).
    pub code: Option<i64>,
    /// The failure class, when the failure is a call's (`--format json`'s `error.class`).
    pub class: Option<FailureClass>,
}

impl CliError {
    /// A live Tally error as the CLI shows it: Tally unreachable exits 5, anything about
    /// the company or the request exits 2 (nothing was sent to Zoho either way).
    pub fn tally(url: &str, e: &zbooks_tally::live::LiveError) -> Self {
        use zbooks_tally::live::LiveError;
        let mut err = CliError::usage(format!("cannot pull from {url}"));
        err.causes.push(e.to_string());
        if matches!(e, LiveError::ServerOff { .. } | LiveError::NoAnswer { .. }) {
            err.exit_code = exit::UNREACHABLE;
        }
        err
    }

    /// A usage or input error (exit 2).
    pub fn usage(headline: impl Into<String>) -> Self {
        CliError {
            headline: headline.into(),
            causes: Vec::new(),
            hint: None,
            exit_code: exit::USAGE,
            code: None,
            class: None,
        }
    }

    /// A local I/O error (exit 6).
    pub fn io(headline: impl Into<String>, cause: &std::io::Error) -> Self {
        CliError {
            headline: headline.into(),
            causes: vec![cause.to_string()],
            hint: None,
            exit_code: exit::LOCAL_IO,
            code: None,
            class: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.headline)?;
        for cause in &self.causes {
            write!(f, "\n  caused by: {cause}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}
