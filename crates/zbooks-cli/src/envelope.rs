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
use serde_json::Value;
#[cfg(test)]
use serde_json::json;

use crate::error::CliError;
use crate::exit;

/// The version of the envelope and of every command's `data` in it.
pub const SCHEMA: u32 = 2;

/// Whether `command` ends with an envelope under `--format json`. Four do not: `sim` and
/// `webhooks serve` write their envelope at once (they run until stopped), `completions` writes a shell script, and
/// `import failed` writes JSON Lines, one failed record a line, which `zbooks import` reads
/// again once corrected: records, not a report.
pub fn ends_with_envelope(command: &str) -> bool {
    !matches!(
        command,
        "sim" | "gateway" | "webhooks serve" | "completions" | "import failed"
    )
}

/// The data a command produced, waiting for its exit code: compact JSON text, its keys in the
/// order the command's types give them (a `serde_json::Value` would sort them).
static PENDING: Mutex<Option<String>> = Mutex::new(None);

/// Keeps `data` as the command's output; a later call replaces it (a command has one result).
pub fn set_data<T: Serialize>(data: &T) {
    let text = serde_json::to_string(data)
        .unwrap_or_else(|e| Value::String(format!("could not encode the output: {e}")).to_string());
    if let Ok(mut pending) = PENDING.lock() {
        *pending = Some(text);
    }
}

/// Takes the data kept by [`set_data`], if any.
fn take_data() -> Option<String> {
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

/// A failure as the envelope's `error`, its keys in the documented order.
#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: &'static str,
    code: Option<i64>,
    class: Option<zbooks_types::FailureClass>,
    message: &'a str,
    causes: &'a [String],
    hint: Option<&'a str>,
}

impl<'a> ErrorBody<'a> {
    fn of(err: &'a CliError) -> Self {
        ErrorBody {
            kind: kind_of(err.exit_code),
            code: err.code,
            class: err.class,
            message: &err.headline,
            causes: &err.causes,
            hint: err.hint.as_deref(),
        }
    }
}

/// The envelope, its keys in the documented order; `data` is the command's own JSON text.
#[derive(Serialize)]
struct Envelope<'a> {
    schema: u32,
    command: &'a str,
    ok: bool,
    exit_code: u8,
    data: Option<&'a serde_json::value::RawValue>,
    error: Option<ErrorBody<'a>>,
}

/// The envelope of `command` that ended with `exit_code`, its data (JSON text) and its
/// failure, as compact JSON text.
pub fn envelope(
    command: &str,
    exit_code: u8,
    data: Option<&str>,
    error: Option<&CliError>,
) -> String {
    let data = data.and_then(|d| serde_json::value::RawValue::from_string(d.to_owned()).ok());
    let envelope = Envelope {
        schema: SCHEMA,
        command,
        ok: exit_code == exit::OK && error.is_none(),
        exit_code,
        data: data.as_deref(),
        error: error.map(ErrorBody::of),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Indents compact JSON text as `serde_json::to_string_pretty` would (two spaces, `": "`),
/// keeping its keys in their order.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the envelope of a command that has ended (pretty, one document on stdout).
pub fn finish(command: &str, exit_code: u8, error: Option<&CliError>) {
    let text = pretty(&envelope(command, exit_code, take_data().as_deref(), error));
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

/// Writes a successful envelope at once, on one line, for a command that keeps running (the
/// simulator): a script reads the first line.
pub fn write_line<T: Serialize>(command: &str, data: &T) {
    let data = serde_json::to_string(data).ok();
    let text = envelope(command, exit::OK, data.as_deref(), None);
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_indents_like_serde_json_and_keeps_the_keys_order() {
        for v in [
            json!({"b": 1, "a": [1, {"x": "a \\\" , : { ["}, [], {}], "c": null}),
            json!([]),
            json!({"s": "é\n", "n": -1.5e-7, "t": true}),
        ] {
            let compact = serde_json::to_string(&v).unwrap();
            assert_eq!(pretty(&compact), serde_json::to_string_pretty(&v).unwrap());
        }
        assert_eq!(pretty(r#"{"z":1,"a":2}"#), "{\n  \"z\": 1,\n  \"a\": 2\n}");
    }

    #[test]
    fn a_failure_carries_kind_code_class_message_and_hint() {
        let mut err = CliError::usage("no file to import").with_hint("zbooks import FILE");
        err.code = Some(44);
        let v: Value =
            serde_json::from_str(&envelope("import", err.exit_code, None, Some(&err))).unwrap();
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
        let data = Some(r#"{"n":1}"#);
        let ok: Value = serde_json::from_str(&envelope("doctor", 0, data, None)).unwrap();
        assert_eq!(ok["ok"], json!(true));
        let v: Value = serde_json::from_str(&envelope("doctor", exit::AUTH, data, None)).unwrap();
        assert_eq!(v["ok"], json!(false));
        assert_eq!(v["data"]["n"], json!(1));
        assert_eq!(v["error"], Value::Null);
    }
}
