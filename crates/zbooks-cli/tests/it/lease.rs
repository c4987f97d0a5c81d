//! Two `zbooks import` runs on one organization (issue 12 §3): the second waits for the
//! first with a notice naming it, or refuses with `--no-wait` (exit 2) — whether it shares
//! the first's store or has its own on the same machine — and takes over at once when the
//! first is killed.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use zbooks_sim::{FaultAction, FaultRule, RunningSim, SimConfig};
use zbooks_testkit::{SimThread, cli_env};

use crate::Run;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../zbooks-import/fixtures/demo-company.xml"
);

const FAST: [&str; 6] = ["--minute", "1s", "--defer", "200ms", "--settle", "0s"];

/// `zbooks` against `sim`, with `home` as the user's home (so one machine-wide lock
/// directory) and `data` as its store's directory.
fn command(sim: &RunningSim, home: &Path, data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zbooks"));
    cmd.args(crate::without_tieout(args))
        .env_clear()
        .envs(cli_env(sim, home))
        .env("ZBOOKS_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("ZBOOKS_PLAN", "professional")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Waits until a lock file of `home`'s lock directory (`$XDG_RUNTIME_DIR/zbooks`, which
/// `cli_env` puts in `home`) names `pid` as its holder.
fn wait_for_holder(home: &Path, pid: u32) {
    let dir = home.join("run/zbooks");
    let wanted = format!("\"pid\":{pid}");
    for _ in 0..2000 {
        let held = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&wanted)));
        if held {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("pid {pid} never took the lease");
}

/// Lines of a child's stderr as they come.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn copy_as(dir: &Path, name: &str, extra: &[u8]) -> PathBuf {
    let mut bytes = std::fs::read(SAMPLE).unwrap();
    bytes.extend_from_slice(extra);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_second_import_in_the_organization_waits_for_the_first_or_refuses_with_no_wait() {
    let sim = SimThread::start(
        SimConfig {
            minute: Duration::from_secs(1),
            seed: 21,
            rate_limit_headers: false,
            ..SimConfig::default()
        },
        2,
    );
    // The first run's creates never come back: it holds the organization until killed.
    sim.set_faults(vec![
        FaultRule::on("POST", "/books/v3/*", FaultAction::Stall).every(1),
    ]);
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (store_a, store_b) = (home.join("data-a"), home.join("data-b"));
    // Overlapping inputs: the same records in two files (two journals).
    let one = copy_as(home, "one.xml", b"");
    let two = copy_as(home, "two.xml", b"\n");
    let (one, two) = (one.to_str().unwrap(), two.to_str().unwrap());

    let mut first_args = vec!["import", one];
    first_args.extend(FAST);
    let mut first = command(&sim, home, &store_a, &first_args).spawn().unwrap();
    let first_pid = first.id();
    wait_for_holder(home, first_pid);

    let mut refused_args = vec!["import", two, "--no-wait"];
    refused_args.extend(FAST);
    for (store, which) in [(&store_a, "the same store"), (&store_b, "another store")] {
        let refused = run(&mut command(&sim, home, store, &refused_args));
        assert_eq!(
            refused.code, 2,
            "{which}: {}\n{}",
            refused.stdout, refused.stderr
        );
        assert!(
            refused.stderr.contains(&format!("pid {first_pid}"))
                && refused.stderr.contains("one.xml")
                && refused.stderr.contains("since 20"),
            "{which}: the refusal names the other run: {}",
            refused.stderr
        );
    }

    // Without --no-wait, a run with its own store waits, saying for whom.
    let mut waiting_args = vec!["import", two];
    waiting_args.extend(FAST);
    let mut waiting = command(&sim, home, &store_b, &waiting_args)
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut waiting);
    let mut seen = Vec::new();
    loop {
        let line = lines.recv_timeout(Duration::from_mins(1)).unwrap();
        seen.push(line.clone());
        if line.contains("waiting: another import") {
            assert!(line.contains(&format!("pid {first_pid}")), "{line}");
            assert!(line.contains("one.xml"), "{line}");
            break;
        }
    }
    // The first is killed: its lock goes with it, and the waiting run takes over at once.
    sim.set_faults(Vec::new());
    first.kill().unwrap();
    first.wait().unwrap();
    let status = waiting.wait().unwrap();
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut waiting.stdout.take().unwrap(), &mut stdout).unwrap();
    seen.extend(lines.iter());
    let stderr = seen.join("\n");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("ended without letting go"), "{stderr}");
    assert!(stdout.contains("records: 44 of 44 agree"), "{stdout}");
    let counters = sim.counters();
    let doubled: Vec<_> = counters
        .records_per_natural_key
        .iter()
        .filter(|(_, n)| **n > 1)
        .collect();
    assert!(doubled.is_empty(), "duplicates: {doubled:?}");
}
