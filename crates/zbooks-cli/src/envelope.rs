//! The one JSON shape every command prints with `--format json` (docs/reference/json.md):
//!
//! ```json
//! {"schema": 2, "command": "quota", "ok": true, "data": {...}, "error": null}
//! ```
//!
//! A command hands its data to the printer ([`crate::printer::Printer::json`]), which keeps it
//! here; `main` writes the envelope once the command has ended, when the exit code is known
//! (`ok` is whether it is 0) and a failure can be written as `error` in the same document. So
//! stdout holds exactly one JSON document, success or failure, and a script never has to tell
//! text from JSON. The simulator, which runs until stopped, writes its envelope at once, on one
//! line ([`write_line`]).
//!
//! Schema 1 was each command's own object with a `schema` key; schema 2 moves that object
//! under `data` unchanged except for durations (seconds, a number) and money (a decimal
//! string with at least two decimals). A reader of schema 1 sees `schema: 2` and can refuse
//! it; a reader of schema 2 never sees schema 1 from this version on.

use std::io::{self, Write as _};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::CliError;
use crate::exit;

/// The version of the envelope and of every command's `data` in it.
pub const SCHEMA: u32 = 2;

/// The data a command produced, waiting for its exit code.
static PENDING: Mutex<Option<Value>> = Mutex::new(None);

/// Keeps `data` as the command's output; a later call replaces it (a command has one result).
pub fn set_data<T: Serialize>(data: &T) {
    let value = serde_json::to_value(data).unwrap_or_else(
        |e| json!({"unencodable": format!("could not encode the output: {e}")}),
    );
    if let Ok(mut pending) = PENDING.lock() {
        *pending = Some(value);
    }
}

/// Takes the data kept by [`set_data`], if any.
fn take_data() -> Option<Value> {
    PENDING.lock().ok().and_then(|mut p| p.take())
}

/// The name an exit code goes by in `error.kind`.
pub fn kind_of(exit_code: u8) -> &'static str {
    match exit_code {
        exit::OK => "ok",
        exit::RECORDS_FAILED => "records_failed",
        exit::USAGE => "usage",
        exit::AUTH => "auth",
        exit::ZOHO_REJECTED => "zoho_rejected",
        exit::UNREACHABLE => "unreachable",
        exit::LOCAL_IO => "local_io",
        exit::QUOTA => "quota",
        exit::INTERRUPTED => "interrupted",
        _ => "other",
    }
}

/// A failure as the envelope's `error`.
pub fn error_value(err: &CliError) -> Value {
    json!({
        "kind": kind_of(err.exit_code),
        "exit_code": err.exit_code,
        "code": err.code,
        "class": err.class,
        "message": err.headline,
        "causes": err.causes,
        "hint": err.hint,
    })
}

/// The envelope of `command` that ended with `exit_code`, its data and its failure.
pub fn envelope(command: &str, exit_code: u8, data: Option<Value>, error: Option<&CliError>) -> Value {
    json!({
        "schema": SCHEMA,
        "command": command,
        "ok": exit_code == exit::OK && error.is_none(),
        "exit_code": exit_code,
        "data": data,
        "error": error.map(error_value),
    })
}

/// Writes the envelope of a command that has ended (pretty, one document on stdout).
pub fn finish(command: &str, exit_code: u8, error: Option<&CliError>) {
    let value = envelope(command, exit_code, take_data(), error);
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

/// Writes a successful envelope at once, on one line, for a command that keeps running (the
/// simulator): a script reads the first line.
pub fn write_line<T: Serialize>(command: &str, data: &T) {
    let data = serde_json::to_value(data).ok();
    let value = envelope(command, exit::OK, data, None);
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "{value}");
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_carries_kind_code_class_message_and_hint() {
        let mut err = CliError::usage("no file to import").with_hint("zbooks import FILE");
        err.code = Some(44);
        let v = envelope("import", err.exit_code, None, Some(&err));
        assert_eq!(v["schema"], json!(SCHEMA));
        assert_eq!(v["ok"], json!(false));
        assert_eq!(v["error"]["kind"], json!("usage"));
        assert_eq!(v["error"]["code"], json!(44));
        assert_eq!(v["error"]["message"], json!("no file to import"));
        assert_eq!(v["error"]["hint"], json!("zbooks import FILE"));
        assert_eq!(v["data"], Value::Null);
    }

    #[test]
    fn ok_is_whether_the_exit_code_is_zero() {
        let data = Some(json!({"n": 1}));
        assert_eq!(envelope("doctor", 0, data.clone(), None)["ok"], json!(true));
        let v = envelope("doctor", exit::AUTH, data, None);
        assert_eq!(v["ok"], json!(false));
        assert_eq!(v["data"]["n"], json!(1));
        assert_eq!(v["error"], Value::Null);
    }
}
