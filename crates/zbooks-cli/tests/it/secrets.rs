//! Secrets stay secret at the command line (issue 12 §7): `auth login` shows neither the
//! client secret nor the grant code, typed on a terminal or piped in; and `zbooks call` checks
//! the organization's plan once per store, not with an extra `GET /organizations` per call.

use std::io::{Read as _, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env, cli_login_env};

use crate::zbooks_with;

/// The login environment without the client secret, so `auth login` asks for it.
fn env_without_secret(sim: &SimThread, dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let mut env = cli_login_env(sim, dir);
    env.retain(|(k, _)| *k != "ZBOOKS_CLIENT_SECRET");
    env
}

#[test]
fn auth_login_reads_piped_secrets_without_writing_them_back() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let env = env_without_secret(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let secret = sim.demo().client_secret;
    let code = sim.mint_grant_code(&[]);
    let org = sim.demo().organization_id;
    let input = format!("{secret}\n{code}\n");
    let run = zbooks_with(
        &["auth", "login", "--org", &org],
        Some(input.as_bytes()),
        &pairs,
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("logged in:"), "{}", run.stdout);
    assert!(run.stderr.contains("client secret:"), "{}", run.stderr);
    for shown in [&run.stdout, &run.stderr] {
        assert!(!shown.contains(&secret), "the secret leaked:\n{shown}");
        assert!(!shown.contains(&code), "the code leaked:\n{shown}");
    }
}

/// A paste as it arrives: the secret with spaces and a CRLF around it, the grant code inside
/// the whole redirect URL. Both are taken, each confirmed by its length only, and the next
/// step is printed.
#[test]
fn auth_login_takes_pasted_secrets_and_a_redirect_url_and_confirms_them_unseen() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let env = env_without_secret(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let secret = sim.demo().client_secret;
    let code = sim.mint_grant_code(&[]);
    let org = sim.demo().organization_id;
    let input = format!(
        "  {secret} \r\nhttps://example.com/callback?code={code}&location=in&accounts-server=https%3A%2F%2Faccounts.zoho.in\n"
    );
    let run = zbooks_with(
        &["auth", "login", "--org", &org],
        Some(input.as_bytes()),
        &pairs,
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let received = format!("client secret: received ({} characters)", secret.len());
    assert!(
        run.stderr.contains(&received),
        "{received}:\n{}",
        run.stderr
    );
    let received = format!(
        "grant code: received ({} characters, taken from the pasted redirect URL)",
        code.len()
    );
    assert!(
        run.stderr.contains(&received),
        "{received}:\n{}",
        run.stderr
    );
    assert!(run.stdout.contains("Next: zbooks doctor"), "{}", run.stdout);
    for shown in [&run.stdout, &run.stderr] {
        assert!(!shown.contains(&secret), "the secret leaked:\n{shown}");
        assert!(!shown.contains(&code), "the code leaked:\n{shown}");
    }
}

/// Everything `script`'s terminal shows, read on a thread (the pipe must keep draining).
fn drain(mut out: impl std::io::Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads from `rx` into `seen` until it holds `wanted` (or the child's output ends).
fn wait_for(rx: &mpsc::Receiver<Vec<u8>>, seen: &mut Vec<u8>, wanted: &str) {
    // A bound so that a broken build fails instead of hanging; not a timing assertion.
    let give_up = Instant::now() + Duration::from_mins(2);
    while !String::from_utf8_lossy(seen).contains(wanted) {
        let left = give_up.saturating_duration_since(Instant::now());
        let chunk = rx.recv_timeout(left).unwrap_or_else(|e| {
            panic!(
                "never saw {wanted:?} on the terminal ({e}):\n{}",
                String::from_utf8_lossy(seen)
            )
        });
        seen.extend_from_slice(&chunk);
    }
}

/// `zbooks ARGS` on a real pseudo-terminal (util-linux `script`) with `env`: the child, what
/// its terminal shows (drained on a thread) and its keyboard. `None`, after saying so, where
/// `script` is not installed: then no pseudo-terminal can be made and the test is skipped.
#[expect(
    clippy::print_stderr,
    reason = "a skipped test says why where the tester reads it"
)]
fn on_a_terminal(
    args: &str,
    env: &[(&'static str, String)],
) -> Option<(Child, mpsc::Receiver<Vec<u8>>, ChildStdin)> {
    let installed = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !installed {
        eprintln!(
            "SKIPPED: util-linux `script` is not installed, so no pseudo-terminal can be made \
             for `zbooks {args}`"
        );
        return None;
    }
    let command = format!(
        "'{}' {args}",
        env!("CARGO_BIN_EXE_zbooks").replace('\'', r"'\''")
    );
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_clear()
        .env("NO_COLOR", "1")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script starts");
    let rx = drain(child.stdout.take().expect("stdout is piped"));
    let stdin = child.stdin.take().expect("stdin is piped");
    Some((child, rx, stdin))
}

/// `auth login` on a real pseudo-terminal (util-linux `script`): what a person types for the
/// client secret and the grant code is not echoed back.
#[test]
fn auth_login_hides_secrets_typed_on_a_terminal() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let env = env_without_secret(&sim, dir.path());
    let secret = sim.demo().client_secret;
    let code = sim.mint_grant_code(&[]);
    let org = sim.demo().organization_id;
    let Some((mut child, rx, mut stdin)) = on_a_terminal(&format!("auth login --org {org}"), &env)
    else {
        return;
    };
    let mut seen = Vec::new();
    // Typed only once the prompt shows, as a person would: a terminal echoes keys as they
    // arrive, so keys sent earlier would be echoed whatever zbooks does.
    wait_for(&rx, &mut seen, "client secret:");
    stdin.write_all(format!("{secret}\r").as_bytes()).unwrap();
    stdin.flush().unwrap();
    wait_for(&rx, &mut seen, "grant code:");
    stdin.write_all(format!("{code}\r").as_bytes()).unwrap();
    stdin.flush().unwrap();
    wait_for(&rx, &mut seen, "Next: zbooks doctor");
    drop(stdin);
    let status = child.wait().unwrap();
    while let Ok(chunk) = rx.try_recv() {
        seen.extend_from_slice(&chunk);
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let screen = String::from_utf8_lossy(&seen);
    assert!(status.success(), "{screen}\n{stderr}");
    assert!(screen.contains("logged in:"), "{screen}");
    assert!(
        !screen.contains(&secret),
        "the secret was echoed:\n{screen}"
    );
    assert!(!screen.contains(&code), "the code was echoed:\n{screen}");
}

/// `auth login` on a terminal, for a user of several organizations and without `--org`: the
/// organizations are listed by name and id, and the one the person picks is kept.
#[test]
fn auth_login_on_a_terminal_asks_which_organization() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let env = cli_login_env(&sim, dir.path());
    let d = sim.demo();
    let code = sim.mint_grant_code(&[]);
    let Some((mut child, rx, mut stdin)) =
        on_a_terminal(&format!("auth login --code {code}"), &env)
    else {
        return;
    };
    let mut seen = Vec::new();
    wait_for(&rx, &mut seen, "which one (number or id)?");
    let screen = String::from_utf8_lossy(&seen).into_owned();
    for shown in [
        format!("1. {} Demo Books Pvt Ltd", d.organization_id),
        format!(
            "2. {} Expired Trial Traders",
            d.trial_expired_organization_id
        ),
    ] {
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&shown), "{shown}:\n{screen}");
    }
    stdin.write_all(b"2\r").unwrap();
    stdin.flush().unwrap();
    wait_for(&rx, &mut seen, "Next: zbooks doctor");
    drop(stdin);
    assert!(
        child.wait().unwrap().success(),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let status = zbooks_with(&["auth", "status", "--format", "json"], None, &pairs);
    let status = crate::data(&status.stdout);
    assert_eq!(
        status["organization_id"],
        d.trial_expired_organization_id.as_str()
    );
}

/// Two `zbooks call`s sharing a store ask for the organization's plan once between them.
#[test]
fn call_checks_the_organization_once_per_store() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let env = cli_env(&sim, dir.path());
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for _ in 0..2 {
        let run = zbooks_with(&["call", "GET", "/contacts"], None, &pairs);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    }
    let log = zbooks_testkit::log_lines(&sim);
    let organizations = log
        .iter()
        .filter(|l| l.starts_with("GET /books/v3/organizations "))
        .count();
    let contacts = log
        .iter()
        .filter(|l| l.starts_with("GET /books/v3/contacts "))
        .count();
    assert_eq!((organizations, contacts), (1, 2), "{log:#?}");
}
