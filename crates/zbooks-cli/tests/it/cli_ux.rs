//! The command line's own manners: completion scripts for every shell, `-v`/`-q` choosing what
//! the client's log shows, colour only when asked or on a terminal, and `--help-all`.

use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_env};

use crate::{Run, zbooks, zbooks_with};

#[test]
fn completions_generate_for_every_shell_and_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = zbooks(&["completions", shell], None);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{shell}: {}", run.stderr);
        for word in ["import", "logs", "completions", "--format"] {
            assert!(run.stdout.contains(word), "{shell} script lacks {word}");
        }
        assert!(!run.stdout.contains('\u{1b}'), "{shell}: escape codes");
    }
    insta::assert_snapshot!(
        "completions_help",
        zbooks(&["completions", "--help"], None).stdout
    );
    let run = zbooks(&["completions", "tcsh"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("powershell"), "{}", run.stderr);
}

/// `zbooks <flags> call <call>` as a user logged in to the simulator.
fn call(sim: &SimThread, dir: &std::path::Path, flags: &[&str], call: &[&str]) -> Run {
    let env = cli_env(sim, dir);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut args = flags.to_vec();
    args.push("call");
    args.extend(call);
    zbooks_with(&args, None, &pairs)
}

/// A `call` that fails once the contact exists (a duplicate), at the given verbosity flags.
fn duplicate_call(sim: &SimThread, dir: &std::path::Path, flags: &[&str]) -> Run {
    let body = r#"{"contact_name": "Verbose Ltd"}"#;
    call(sim, dir, flags, &["POST", "/contacts", "-d", body])
}

#[test]
fn v_and_q_choose_what_the_client_s_log_shows() {
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = duplicate_call(&sim, dir.path(), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!first.stderr.contains("zbooks::call"), "{}", first.stderr);

    // The same create again is a duplicate: a failed attempt, logged at warn.
    let quiet_default = duplicate_call(&sim, dir.path(), &[]);
    assert_eq!(quiet_default.code, 4, "{}", quiet_default.stderr);
    assert!(
        !quiet_default.stderr.contains("WARN"),
        "{}",
        quiet_default.stderr
    );
    assert!(quiet_default.stderr.contains("error:"));

    let v = duplicate_call(&sim, dir.path(), &["-v"]);
    assert_eq!(v.code, 4, "{}", v.stderr);
    assert!(
        v.stderr.contains("WARN zbooks::call: zbooks attempt"),
        "{}",
        v.stderr
    );
    assert!(!v.stderr.contains("DEBUG"), "{}", v.stderr);

    // A call that succeeds is logged at debug: -vv does not show it, -vvv does.
    let vv = call(&sim, dir.path(), &["-vv"], &["GET", "/contacts"]);
    assert_eq!(vv.code, 0, "{}", vv.stderr);
    assert!(!vv.stderr.contains("DEBUG"), "{}", vv.stderr);
    let vvv = call(&sim, dir.path(), &["-vvv"], &["GET", "/contacts"]);
    assert_eq!(vvv.code, 0, "{}", vvv.stderr);
    assert!(
        vvv.stderr.contains("DEBUG zbooks::call: zbooks attempt"),
        "{}",
        vvv.stderr
    );
    // Not the libraries beneath (hyper's pool) until -vvvv.
    assert!(!vvv.stderr.contains("hyper"), "{}", vvv.stderr);
    let refresh = sim.demo().refresh_token;
    assert!(!vvv.stderr.contains(&refresh), "a secret in the log");

    // -q: the error still shows (it is the result), nothing else.
    let q = duplicate_call(&sim, dir.path(), &["-q"]);
    assert_eq!(q.code, 4, "{}", q.stderr);
    assert!(!q.stderr.contains("WARN"), "{}", q.stderr);
    assert!(q.stderr.starts_with("error:"), "{}", q.stderr);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    // The tests' runs set NO_COLOR and pipe stdout: plain.
    let plain = zbooks(&["explain", "45"], None);
    assert!(!plain.stdout.contains('\u{1b}'), "{}", plain.stdout);
    // A pipe without NO_COLOR is still plain under `auto`.
    let piped = zbooks_with(&["explain", "45", "--color", "auto"], None, &[]);
    assert!(!piped.stdout.contains('\u{1b}'), "{}", piped.stdout);
    // `always` wins over NO_COLOR and the pipe.
    let always = zbooks(&["explain", "45", "--color", "always"], None);
    assert!(always.stdout.contains("\u{1b}[1m"), "{}", always.stdout);
    // JSON is never styled.
    let json = zbooks(
        &["explain", "45", "--color", "always", "--format", "json"],
        None,
    );
    assert!(!json.stdout.contains('\u{1b}'), "{}", json.stdout);
}

#[test]
fn help_all_shows_the_testing_options_that_help_hides() {
    let help = zbooks(&["import", "--help"], None);
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(!help.stdout.contains("--minute"), "{}", help.stdout);
    assert!(help.stdout.contains("--help-all"), "{}", help.stdout);
    let all = zbooks(&["import", "--help-all"], None);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert!(all.stdout.contains("Testing:"), "{}", all.stdout);
    for flag in ["--minute", "--day", "--defer", "--settle", "--lease-ttl"] {
        assert!(all.stdout.contains(flag), "{flag}: {}", all.stdout);
    }
}
