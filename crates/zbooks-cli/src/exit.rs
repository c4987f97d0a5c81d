//! The exit codes of `zbooks`, documented constants that scripts can rely on (docs/design.md,
//! "Command line"). Every expected failure maps to one of them; anything else is a bug.

/// Success.
pub const OK: u8 = 0;
/// The command ran, but some records failed (an import's failed report lists them).
pub const RECORDS_FAILED: u8 = 1;
/// Bad usage, configuration or input: nothing was sent.
pub const USAGE: u8 = 2;
/// Authentication failed: credentials, tokens, scopes or headers need a person.
pub const AUTH: u8 = 3;
/// Zoho rejected the request (validation, not found, duplicate, blocked organization).
pub const ZOHO_REJECTED: u8 = 4;
/// Zoho could not be reached, or kept failing, after every retry allowed.
pub const UNREACHABLE: u8 = 5;
/// A local file or store could not be read or written.
pub const LOCAL_IO: u8 = 6;
/// The daily quota is spent; the same command resumes after the reset.
pub const QUOTA: u8 = 7;
/// Interrupted (Ctrl-C); the same command resumes.
pub const INTERRUPTED: u8 = 130;

/// The table shown in `--help` and the README.
pub const HELP: &str = "\
Exit codes:
  0    success
  1    some records failed (see the failed report)
  2    bad usage, configuration or input; nothing was sent
  3    authentication failed: credentials, token, scope or header
  4    Zoho rejected the request
  5    Zoho unreachable or failing after every allowed retry
  6    a local file or store could not be read or written
  7    daily quota spent: run the same command again after the reset
  130  interrupted: run the same command again to resume";
