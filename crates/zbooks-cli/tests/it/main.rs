//! End-to-end tests of the `zbooks` binary: run it, check stdout, stderr and the exit code.

mod alert;
mod chaos;
mod cli_ux;
mod config;
mod deluge;
mod demo;
mod explain;
mod first_hour;
mod gateway;
mod hints;
mod import;
mod import_unread;
mod import_ux;
mod journal_pg;
mod json_reference;
mod lease;
mod logs;
mod logs_real;
mod plan;
mod queue_pg;
mod queue_pg_cut;
mod secrets;
mod shared_faults;
mod shared_state;
mod sim;
mod store_and_tokens;
mod tally_live;
mod tieout;
mod webhooks;

use std::io::Write as _;
use std::process::{Command, Stdio};

/// What one run of the binary printed.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// `args` with `--no-tieout` added to an import of a file: the tie-out that ends an import has
/// its own tests (`tieout.rs`), and the other import tests, about other things, keep the
/// import's own exit status.
pub(crate) fn without_tieout<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut out = args.to_vec();
    let import_of_file = args.first() == Some(&"import")
        && !matches!(args.get(1).copied(), Some("status" | "failed"));
    if import_of_file && !args.contains(&"--no-tieout") {
        out.push("--no-tieout");
    }
    out
}

/// Runs `zbooks` with `args`, feeding `stdin`, with colour off and a clean environment.
pub fn zbooks(args: &[&str], stdin: Option<&[u8]>) -> Run {
    zbooks_with(args, stdin, &[])
}

/// Runs `zbooks` as [`zbooks`] does, with these environment variables set.
pub fn zbooks_with(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
    cmd.args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("zbooks runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // The child may stop reading early (input too large): a broken pipe is fine.
        let _ = pipe.write_all(input);
        drop(pipe);
    }
    let out = child.wait_with_output().expect("zbooks finishes");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The `data` of the one JSON envelope a command printed with `--format json`
/// (docs/reference/json.md), after checking the envelope's own keys.
pub fn data(stdout: &str) -> serde_json::Value {
    let envelope: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{stdout}"));
    assert_eq!(envelope["schema"], 2, "{envelope:#}");
    assert!(envelope["command"].is_string(), "{envelope:#}");
    assert!(envelope["ok"].is_boolean(), "{envelope:#}");
    envelope["data"].clone()
}
