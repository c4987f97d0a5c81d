//! Reads Deluge scripts (the language of Zoho Books' custom functions, workflow rules and
//! schedules) and finds what breaks integrations with Zoho Books: answers never tested, the
//! organization missing, misspelt or written in, API calls in loops, secrets in the script,
//! failures reported with nothing about what failed. This is the library behind
//! `zbooks deluge check`.
//!
//! ```
//! let findings = zbooks_deluge::check_source(
//!     "resp = zoho.books.getRecords(\"invoices\", \"\", \"\", \"books\");\ninfo resp;",
//! )?;
//! let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
//! assert_eq!(rules, ["unchecked-response", "missing-organization-id"]);
//! assert_eq!((findings[1].pos.line, findings[1].pos.column), (1, 42));
//! # Ok::<(), zbooks_deluge::ParseError>(())
//! ```
//!
//! A real parser ([`parse`]: lexer, then recursive descent), not patterns over lines: a string
//! holding `organisation_id` in a comment is not a finding, a call split over ten lines is one
//! call. Text that is not Deluge is a [`ParseError`] with its line and column; the parser never
//! panics and bounds its nesting. The crate reads text and returns data: no files, no output.
#![warn(missing_docs)]

pub mod ast;
mod lexer;
mod parser;
pub mod rules;

pub use ast::{ParseError, Pos, Script};
pub use parser::parse;
pub use rules::{Finding, Level, RULES, Rule};

/// Parses `text` and runs every rule over it: the findings in source order.
pub fn check_source(text: &str) -> Result<Vec<Finding>, ParseError> {
    let script = parse(text)?;
    Ok(rules::check(&script))
}
