//! Many processes opening one fresh store at the same instant, as `zbooks` commands started
//! together by a script or a scheduler do: every one must succeed. The processes are this test
//! executable again, running only [`child_opens_the_store`], each held at a barrier (its stdin)
//! until all are started.

use std::io::Read as _;
use std::process::{Command, Stdio};

use super::*;

/// Set in a child: the store to open.
const CHILD_STORE: &str = "ZBOOKS_STORE_TEST_CONTENTION_CHILD";
const PROCESSES: usize = 16;
const TRIALS: usize = 60;

/// In a child (the variable set): wait at the barrier, then open the store and use it as a
/// command does. Not a test of its own: ignored unless a parent runs it.
#[test]
#[ignore = "a child process of many_processes_open_one_fresh_store_at_once"]
fn child_opens_the_store() {
    let Some(path) = std::env::var_os(CHILD_STORE) else {
        return;
    };
    let mut barrier = Vec::new();
    std::io::stdin().read_to_end(&mut barrier).unwrap();
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        store.journal_runs().await.unwrap();
        store.load_credentials("default").await.unwrap();
        let key = TokenKey::from_stored("k");
        store.load_token(&key).await.unwrap();
    });
}

#[test]
fn many_processes_open_one_fresh_store_at_once() {
    let exe = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for trial in 0..TRIALS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join(SqliteStore::FILE_NAME);
        let mut children = Vec::new();
        for _ in 0..PROCESSES {
            let child = Command::new(&exe)
                .args([
                    "--ignored",
                    "--exact",
                    "tests::contention::child_opens_the_store",
                    "--test-threads=1",
                    "--nocapture",
                ])
                .env(CHILD_STORE, &path)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            children.push(child);
        }
        // Release them all together.
        for child in &mut children {
            drop(child.stdin.take());
        }
        for child in children {
            let out = child.wait_with_output().unwrap();
            // A child that ran no test (a renamed function) would pass in silence.
            let ran = String::from_utf8_lossy(&out.stdout).contains("1 passed");
            if !out.status.success() || !ran {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let stdout = String::from_utf8_lossy(&out.stdout);
                // The line after the harness's "panicked at" line is the message.
                let lines: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
                let why = lines
                    .iter()
                    .position(|l| l.contains("panicked at"))
                    .and_then(|i| lines.get(i + 1))
                    .copied()
                    .unwrap_or("?")
                    .to_owned();
                failures.push(format!("trial {trial}: {why}"));
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for suffix in ["", "-wal", "-shm"] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                if let Ok(meta) = std::fs::metadata(&name) {
                    assert_eq!(
                        meta.permissions().mode() & 0o777,
                        0o600,
                        "{}",
                        std::path::Path::new(&name).display()
                    );
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} opens failed:\n{}",
        failures.len(),
        TRIALS * PROCESSES,
        failures.join("\n")
    );
}
