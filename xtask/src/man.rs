//! The man pages in `docs/man/`: `zbooks.1` and one page per subcommand (`zbooks-import.1`,
//! `zbooks-import-status.1`, ...), rendered by clap_mangen from the same command tree as
//! `--help`, with the testing-only options shown (a man page is the complete reference).
//! `cargo xtask regen` writes them and removes pages of commands that no longer exist; the
//! test below fails when the committed pages drift from the command tree.

use std::path::Path;

/// The folder the pages live in, from the workspace root.
pub(crate) const DIR: &str = "docs/man";

/// Every page as (file name, roff text), the top-level page first.
pub(crate) fn pages() -> Vec<(String, String)> {
    let mut command = zbooks_cli::args::command_all().disable_help_subcommand(true);
    command.build();
    let source = format!("zbooks {}", command.get_version().unwrap_or_default());
    let mut out = Vec::new();
    collect(&command, &source, &mut out);
    out
}

fn collect(command: &clap::Command, source: &str, out: &mut Vec<(String, String)>) {
    let man = clap_mangen::Man::new(command.clone())
        .source(source)
        .manual("zbooks manual");
    let mut text = Vec::new();
    man.render(&mut text)
        .expect("rendering into memory does not fail");
    out.push((
        man.get_filename(),
        String::from_utf8(text).expect("clap_mangen writes UTF-8"),
    ));
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        collect(sub, source, out);
    }
}

/// The `.1` files in the folder now, by name.
pub(crate) fn committed(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(DIR))
        .map(|dir| {
            dir.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".1"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_man_pages_are_current() {
        let root = crate::workspace_root();
        let pages = pages();
        let mut expected: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
        expected.sort();
        assert_eq!(
            committed(&root),
            expected,
            "docs/man/ lists other pages than the commands: run `cargo xtask regen`"
        );
        for (name, text) in &pages {
            let path = root.join(DIR).join(name);
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                on_disk == *text,
                "{} is not current: run `cargo xtask regen`",
                path.display()
            );
        }
    }

    #[test]
    fn every_command_has_a_page_that_names_it() {
        let pages = pages();
        let (first, top) = &pages[0];
        assert_eq!(first, "zbooks.1");
        for command in ["import", "completions", "logs", "doctor", "explain"] {
            assert!(
                pages
                    .iter()
                    .any(|(n, _)| *n == format!("zbooks-{command}.1")),
                "no page for {command}"
            );
            assert!(top.contains(command), "zbooks.1 does not name {command}");
        }
        assert!(pages.iter().any(|(n, _)| n == "zbooks-import-status.1"));
        let import = &pages
            .iter()
            .find(|(n, _)| n == "zbooks-import.1")
            .unwrap()
            .1;
        assert!(import.contains("minute"), "testing options are documented");
        assert!(!pages.iter().any(|(n, _)| n.contains("help")));
    }
}
