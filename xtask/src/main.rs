//! Repository chores, run as `cargo xtask <task>` (the alias is in `.cargo/config.toml`).
//!
//! `cargo xtask regen` rewrites every generated file from its vendored input, so there is one
//! way to regenerate, and CI can prove the committed files are current by running it on a fresh
//! clone and failing on `git diff --exit-code`. Each generator lives beside what it documents
//! (the catalog, the CLI's variable registry, the simulator's OpenAPI reader); the drift tests in
//! those crates call the same generators, so a test and this task never disagree.
//!
//! `cargo xtask modules` prints each crate's module cycles (see `modules.rs`) and fails when a
//! crate listed as strict has one.
//!
//! `cargo xtask bench [--quick]` builds the release binaries, runs every registered benchmark
//! and prints one table of figures, targets and same-run baselines (see `bench.rs`).
//!
//! The xtask is never shipped and nothing depends on it.
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a developer's command: its output is the point, and it has no printer to go through"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

// The simulator's tests read Zoho's OpenAPI files with this module, to validate answers and to
// check `src/generated.rs`; compiling the same file here makes the generator one piece of code.
#[path = "../../crates/zbooks-sim/tests/it/openapi.rs"]
#[expect(
    dead_code,
    reason = "the simulator's tests also validate answers with this module; the xtask only generates"
)]
mod openapi;

mod bench;
mod man;
mod modules;

const USAGE: &str = "usage: cargo xtask regen|modules|bench\n\n\
    regen   rewrite every generated file from its vendored input:\n\
    \x20       crates/zbooks-sim/src/generated.rs  from spec/zoho-openapi/\n\
    \x20       docs/error-catalog.md               from crates/zbooks-types/src/catalog.rs\n\
    \x20       docs/reference/env.md               from crates/zbooks-cli/src/env.rs\n\
    \x20       docs/man/*.1                        from the CLI's command tree (crates/zbooks-cli)\n\
    modules print the cycles among each crate's modules; fail on one in a strict crate\n\
    bench [--quick] [NAME...]\n\
    \x20       build the release binaries, run every benchmark (or those named) and print\n\
    \x20       one table: each figure, its target, and its baseline measured in the same run\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["regen"] => match regen(&workspace_root()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        ["modules"] => match modules::report(&workspace_root()) {
            Ok((report, failed)) => {
                print!("{report}");
                if failed {
                    eprintln!("error: a strict crate has a module cycle");
                    ExitCode::FAILURE
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        ["bench", rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| (*s).to_owned()).collect();
            match bench::run(&workspace_root(), &rest) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the xtask sits in the workspace root")
        .to_path_buf()
}

/// Writes each generated file and says which ones changed.
fn regen(root: &Path) -> Result<(), String> {
    write(
        root,
        "docs/error-catalog.md",
        &zbooks_types::catalog::render_markdown(),
    )?;
    write(
        root,
        "docs/reference/env.md",
        &zbooks_cli::env::render_reference(),
    )?;

    for (name, text) in man::pages() {
        write(root, &format!("{}/{name}", man::DIR), &text)?;
    }
    let current: Vec<String> = man::pages().into_iter().map(|(name, _)| name).collect();
    for stale in man::committed(root) {
        if !current.contains(&stale) {
            let path = root.join(man::DIR).join(&stale);
            std::fs::remove_file(&path).map_err(|e| format!("remove {}: {e}", path.display()))?;
            eprintln!("{:>9} {}/{stale}", "removed", man::DIR);
        }
    }

    // Written as generated, then laid out by rustfmt with the workspace's rustfmt.toml, so the
    // committed file is byte for byte what this task writes.
    let generated = root.join("crates/zbooks-sim/src/generated.rs");
    let before = std::fs::read(&generated).unwrap_or_default();
    std::fs::write(&generated, openapi::generate())
        .map_err(|e| format!("write {}: {e}", generated.display()))?;
    let status = Command::new("rustfmt")
        .arg("--edition=2024")
        .arg(&generated)
        .current_dir(root)
        .status()
        .map_err(|e| format!("run rustfmt: {e}"))?;
    if !status.success() {
        return Err(format!("rustfmt failed on {}", generated.display()));
    }
    let after = std::fs::read(&generated).unwrap_or_default();
    report(root, &generated, before != after);
    Ok(())
}

fn write(root: &Path, file: &str, text: &str) -> Result<(), String> {
    let path = &root.join(file);
    let before = std::fs::read_to_string(path).unwrap_or_default();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))?;
    report(root, path, before != text);
    Ok(())
}

fn report(root: &Path, path: &Path, changed: bool) {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let what = if changed { "rewritten" } else { "unchanged" };
    eprintln!("{what:>9} {}", shown.display());
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every file a clone holds that could read or link something: sources, manifests,
    /// scripts and docs. Vendored data (`spec/`, fixtures) is reference text, not checked.
    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !matches!(
                    name.as_ref(),
                    "target" | ".git" | "corpus" | "artifacts" | "spec"
                ) {
                    files(&path, out);
                }
            } else if [
                ".rs", ".toml", ".md", ".sh", ".py", ".yml", ".yaml", ".json", ".html",
            ]
            .iter()
            .any(|ext| name.ends_with(ext))
                || name == "run"
            {
                out.push(path);
            }
        }
    }

    #[test]
    fn nothing_in_the_repository_reads_or_links_outside_it() {
        let root = super::workspace_root();
        let mut all = Vec::new();
        files(&root, &mut all);
        assert!(
            all.len() > 50,
            "found only {} files under {}",
            all.len(),
            root.display()
        );
        // Built from parts so this file does not match itself.
        let sibling = ["..", "/shared"].concat();
        let mut offenders = Vec::new();
        for path in &all {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            for (n, line) in text.lines().enumerate() {
                if line.contains(&sibling) {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "the repository must stand alone (vendor what it needs):\n{}",
            offenders.join("\n")
        );
    }
}
