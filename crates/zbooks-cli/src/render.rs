//! Client and store errors as the CLI shows them (docs/style.md, "Errors"): a headline saying what
//! failed, the `caused by:` chain down to Zoho's code and message, a `hint:` with the error
//! catalog's fix (the same text `zbooks explain` shows), and the exit code docs/design.md gives the
//! failure's class.

use zbooks_client::{Error, ErrorKind};
use zbooks_types::FailureClass;
use zbooks_types::catalog;

use crate::error::CliError;
use crate::exit;

/// The exit code of a failure class (docs/design.md, "Command line").
pub fn exit_code_for(class: FailureClass) -> u8 {
    match class {
        FailureClass::AuthExpired
        | FailureClass::AuthMisconfigured
        | FailureClass::TokenThrottled => exit::AUTH,
        FailureClass::QuotaExhaustedDay => exit::QUOTA,
        FailureClass::RateLimitedMinute
        | FailureClass::ConcurrencyLimited
        | FailureClass::TransientServer
        | FailureClass::BadResponse => exit::UNREACHABLE,
        // Not found, duplicate, validation, blocked organization, unknown, and any class added
        // later: Zoho answered and refused.
        _ => exit::ZOHO_REJECTED,
    }
}

/// The exit code of a client error.
pub fn exit_code(err: &Error) -> u8 {
    match err.kind() {
        ErrorKind::Config { .. } => exit::USAGE,
        ErrorKind::Store { .. } => exit::LOCAL_IO,
        ErrorKind::Transport { .. }
        | ErrorKind::RetryBudgetExhausted
        | ErrorKind::DeadlineExceeded => exit::UNREACHABLE,
        _ => exit_code_for(err.class()),
    }
}

/// The catalog's fix for a client error, or a fix for the kinds the catalog has no entry for.
pub fn hint(err: &Error) -> Option<String> {
    match err.kind() {
        ErrorKind::Scope { scope } => {
            return Some(format!(
                "the token lacks {scope}: run `zbooks auth login` again with a grant code that \
                 includes it (or ZohoBooks.fullaccess.all); `zbooks doctor` checks every scope \
                 the profile needs"
            ));
        }
        ErrorKind::WrongDataCenter { .. } => {
            return Some(
                "set the data center the Zoho account lives in (--dc, ZBOOKS_DC or `dc` in the \
                 profile); `zbooks doctor` finds it"
                    .to_owned(),
            );
        }
        ErrorKind::Transport { .. } => {
            return Some(
                "check the network, and ZBOOKS_API_URL / ZBOOKS_ACCOUNTS_URL if set; \
                 `zbooks doctor` checks that each host answers"
                    .to_owned(),
            );
        }
        ErrorKind::Store { .. } => {
            return Some(
                "check that the data directory (ZBOOKS_DATA_DIR) is writable by you".to_owned(),
            );
        }
        ErrorKind::Redirected { status, .. } => {
            return catalog::by_status(*status).map(|entry| entry.action.to_owned());
        }
        _ => {}
    }
    if let Some(failure) = err.failure() {
        if let Some(entry) = failure.code.and_then(catalog::by_code) {
            return Some(entry.fix.to_owned());
        }
        if let Some(entry) = failure
            .accounts_error
            .as_deref()
            .and_then(catalog::by_accounts_error)
        {
            return Some(entry.fix.to_owned());
        }
        if let Some(entry) = catalog::by_status(failure.status) {
            return Some(entry.action.to_owned());
        }
    }
    let entry = match err.class() {
        FailureClass::QuotaExhaustedDay => catalog::by_code(45),
        FailureClass::TokenThrottled => catalog::by_accounts_error("Access Denied"),
        _ => None,
    };
    entry.map(|e| e.fix.to_owned())
}

/// A client error as a CLI error: `headline`, then the error and each error below it.
pub fn client_error(headline: impl Into<String>, err: &Error) -> CliError {
    let mut causes = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        causes.push(e.to_string());
        source = e.source();
    }
    CliError {
        headline: headline.into(),
        causes: causes.iter().map(|c| zbooks_types::scrub(c)).collect(),
        hint: hint(err),
        exit_code: exit_code(err),
        code: err.code(),
        class: Some(err.class()),
    }
}

/// A store error as a CLI error (exit 6).
pub fn store_error(headline: impl Into<String>, err: &impl std::fmt::Display) -> CliError {
    CliError {
        headline: headline.into(),
        causes: vec![zbooks_types::scrub(&err.to_string())],
        hint: Some("check that the data directory (ZBOOKS_DATA_DIR) is writable by you".to_owned()),
        exit_code: exit::LOCAL_IO,
        code: None,
        class: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_map_to_documented_exit_codes() {
        assert_eq!(exit_code_for(FailureClass::AuthMisconfigured), exit::AUTH);
        assert_eq!(exit_code_for(FailureClass::QuotaExhaustedDay), exit::QUOTA);
        assert_eq!(exit_code_for(FailureClass::Duplicate), exit::ZOHO_REJECTED);
        assert_eq!(
            exit_code_for(FailureClass::TransientServer),
            exit::UNREACHABLE
        );
    }
}
