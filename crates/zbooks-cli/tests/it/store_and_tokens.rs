//! The store and the token under pressure, end to end: `import status` and `import failed`
//! on a store the user cannot write, and an import that meets a throttled accounts server.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};

use crate::Run;

fn sim(minute: Duration) -> SimThread {
    SimThread::start(
        SimConfig {
            minute,
            seed: 5,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    )
}

/// `zbooks` as the user of `dir`, talking to `sim`.
fn zbooks(sim: &SimThread, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
    cmd.args(args)
        .env_clear()
        .envs(cli_env(sim, dir))
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("ZBOOKS_PLAN", "professional")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn output(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

const CONTACTS: &str = "Display Name,Contact Type\nAsha Traders,customer\nBad Kind,alien\n";

#[cfg(unix)]
#[test]
fn import_status_and_failed_read_a_store_the_user_cannot_write() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    use std::os::unix::process::CommandExt as _;

    let zoho = sim(Duration::from_secs(1));
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, CONTACTS).unwrap();
    let run = output(zbooks(
        &zoho,
        dir,
        &[
            "import",
            csv.to_str().unwrap(),
            "--minute",
            "1s",
            "--settle",
            "0s",
        ],
    ));
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);

    // Permission bits do not stop root: as root, read as `nobody`, who owns the store but
    // may not write it; as anyone else, read as oneself. The import closed the store cleanly,
    // so there is no `-wal` or `-shm` file, and none can be made in the directory.
    let data = dir.join("data");
    let store = data.join("zbooks-state.sqlite3");
    let root = std::fs::metadata(&csv).unwrap().uid() == 0;
    let reader = 65534;
    if root {
        for path in [&data, &store] {
            std::os::unix::fs::chown(path, Some(reader), Some(reader)).unwrap();
        }
    }
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o500)).unwrap();
    let before = std::fs::read(&store).unwrap();
    let as_reader = |args: &[&str]| {
        let mut cmd = zbooks(&zoho, dir, args);
        if root {
            cmd.uid(reader).gid(reader);
        }
        output(cmd)
    };

    let status = as_reader(&["import", "status"]);
    assert_eq!(status.code, 0, "{}\n{}", status.stdout, status.stderr);
    assert!(status.stdout.contains("contacts.csv"), "{}", status.stdout);
    assert!(status.stdout.contains("failed 1"), "{}", status.stdout);
    let failed = as_reader(&["import", "failed", "--format", "json"]);
    assert_eq!(failed.code, 0, "{}\n{}", failed.stdout, failed.stderr);
    assert!(failed.stdout.contains("Bad Kind"), "{}", failed.stdout);

    assert_eq!(std::fs::read(&store).unwrap(), before, "the store changed");
    let names: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// A contacts file of `n` customers.
fn contacts(n: usize) -> String {
    let mut csv = String::from("Display Name,Contact Type\n");
    for i in 0..n {
        let _ = writeln!(csv, "Customer {i:03},customer");
    }
    csv
}

fn assert_each_once(zoho: &SimThread, n: usize) {
    let org = zoho.demo().organization_id;
    let counters = zoho.counters();
    for i in 0..n {
        let key = format!("{org}:contacts:contact_name=Customer {i:03}");
        assert_eq!(
            counters.records_per_natural_key.get(&key),
            Some(&1),
            "{key}"
        );
    }
}

#[test]
fn an_import_waits_out_a_token_window_another_tool_spent() {
    // The simulator's token window is ten of its minutes: 5 s here.
    let zoho = sim(Duration::from_millis(500));
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, contacts(3)).unwrap();
    // Another tool on the same refresh token, with its own token cache, spends the window.
    zoho.block_on(async {
        let other = zbooks_testkit::demo_client(&zoho, &zoho.demo())
            .token_store(std::sync::Arc::new(zbooks_client::MemoryStore::new()))
            .build()
            .unwrap();
        for _ in 0..10 {
            other.refresh_now().await.unwrap();
        }
    });
    let run = output(zbooks(
        &zoho,
        dir,
        &[
            "import",
            csv.to_str().unwrap(),
            "--minute",
            "500ms",
            "--settle",
            "0s",
        ],
    ));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("issue tokens again") && run.stderr.contains("asking again at"),
        "{}",
        run.stderr
    );
    assert!(zoho.counters().token_throttled >= 1);
    assert_each_once(&zoho, 3);
}

#[test]
fn an_import_uses_a_token_shorter_lived_than_the_refresh_margin() {
    // With a 2 s minute the CLI refreshes 10 s before expiry; the tokens live 8 s.
    let zoho = SimThread::start(
        SimConfig {
            minute: Duration::from_secs(2),
            token_lifetime: Duration::from_secs(8),
            seed: 6,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    );
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, contacts(20)).unwrap();
    let run = output(zbooks(
        &zoho,
        dir,
        &[
            "import",
            csv.to_str().unwrap(),
            "--minute",
            "2s",
            "--settle",
            "0s",
        ],
    ));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let counters = zoho.counters();
    // Twenty creates and the listing and read-back calls: a token each would be over 20.
    assert!(
        counters.token_requests <= 3,
        "{} token requests",
        counters.token_requests
    );
    assert_eq!(counters.token_throttled, 0);
    assert_each_once(&zoho, 20);
}
