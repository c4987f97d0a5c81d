//! Every hint that names a zbooks command names one that works: each `zbooks ...` command and
//! each `--flag` that a hint, an error, a problem, the error catalog or a help text suggests is
//! parsed by the real command tree (`zbooks_cli::args::Cli`), in `--help` mode, and an unknown
//! subcommand or flag fails the test.
//!
//! Exhaustive by construction where it can be: every catalog entry and status, and the help of
//! every command in the tree; the free-text hints of the code are found by reading every string
//! literal of the crates whose words reach a user (test modules left out), so a hint added
//! tomorrow is checked without anyone listing it here.

use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use zbooks_cli::args::Cli;
use zbooks_types::catalog::{ENTRIES, STATUSES};

/// Words that follow "zbooks" in prose without being a command ("zbooks does not know ...").
/// A word after "zbooks" that is neither a command nor listed here fails the test: either the
/// command does not exist, or the sentence is prose and its word belongs here.
const PROSE: &[&str] = &[
    "at",
    "caches",
    "command",
    "did",
    "does",
    "estimates",
    "event",
    "follows",
    "keeps",
    "on",
    "or",
    "plans",
    "process",
    "processes",
    "reads",
    "report",
    "revokes",
    "sends",
    "to",
    "will",
    "writes",
];

/// The crates whose texts reach a user, and why the others are left out.
const SOURCES: &[&str] = &[
    "crates/zbooks-cli/src",
    "crates/zbooks-import/src",
    "crates/zbooks-types/src",
    "crates/zbooks-client/src",
    "crates/zbooks-store/src",
    "crates/zbooks-logs/src",
    // Left out: zbooks-sim (its texts are Zoho's answers, not zbooks's advice), zbooks-testkit
    // and xtask (never shipped).
];

/// Stands for a placeholder given as a positional value (`zbooks completions SHELL`).
const PLACEHOLDER: &str = "PLACEHOLDER";

/// A string literal of a source file: the line it starts on and its value.
struct Literal {
    line: usize,
    text: String,
}

/// A token of Rust source, as far as finding string literals needs.
enum Tok {
    Str(Literal),
    Punct(char),
    Ident(String),
}

/// The string literals of Rust source, escapes and line continuations resolved, comments and
/// `#[cfg(test)]` items left out.
fn string_literals(src: &str) -> Vec<Literal> {
    let toks = lex(src);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if is_cfg_test(&toks[i..]) {
            i += 7;
            // Skip the item, statement, field, variant or match arm: to its `;` or `,`, or
            // over its `{ ... }`; at the end of the block around it, it ended without either.
            let mut depth = 0usize;
            while i < toks.len() {
                match &toks[i] {
                    Tok::Punct(';' | ',') if depth == 0 => break,
                    Tok::Punct('{' | '(' | '[') => depth += 1,
                    Tok::Punct('}' | ')' | ']') => {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                        if depth == 0 && matches!(&toks[i], Tok::Punct('}')) {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        } else if let Tok::Str(lit) = &toks[i] {
            out.push(Literal {
                line: lit.line,
                text: lit.text.clone(),
            });
        }
        i += 1;
    }
    out
}

fn is_cfg_test(toks: &[Tok]) -> bool {
    let want = ["#", "[", "cfg", "(", "test", ")", "]"];
    toks.len() >= want.len()
        && toks.iter().zip(want).all(|(t, w)| match t {
            Tok::Punct(c) => w.len() == 1 && w.starts_with(*c),
            Tok::Ident(s) => s == w,
            Tok::Str(_) => false,
        })
}

#[expect(
    clippy::many_single_char_names,
    reason = "a lexer's cursors over the source"
)]
fn lex(src: &str) -> Vec<Tok> {
    let b: Vec<char> = src.chars().collect();
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut toks = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < b.len() {
        let c = b[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            let (text, end, lines) = cooked(&b, i + 1);
            toks.push(Tok::Str(Literal { line, text }));
            line += lines;
            i = end;
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 3;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1; // a lifetime
            }
        } else if is_ident(c) {
            let start = i;
            // A prefixed string: b"", c"", r"", r#""#, br"".
            let mut j = i;
            if matches!(c, 'b' | 'c') {
                j += 1;
            }
            if at(j) == 'r' && (at(j + 1) == '"' || at(j + 1) == '#') {
                let mut k = j + 1;
                let mut hashes = 0;
                while at(k) == '#' {
                    hashes += 1;
                    k += 1;
                }
                if at(k) == '"' {
                    let body = k + 1;
                    let mut e = body;
                    loop {
                        if e >= b.len() {
                            break;
                        }
                        if b[e] == '"' && (1..=hashes).all(|h| at(e + h) == '#') {
                            break;
                        }
                        e += 1;
                    }
                    let text: String = b[body..e.min(b.len())].iter().collect();
                    let lines = text.matches('\n').count();
                    toks.push(Tok::Str(Literal { line, text }));
                    line += lines;
                    i = e + 1 + hashes;
                    continue;
                }
            }
            if j > i && at(j) == '"' {
                let (text, end, lines) = cooked(&b, j + 1);
                toks.push(Tok::Str(Literal { line, text }));
                line += lines;
                i = end;
                continue;
            }
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            toks.push(Tok::Ident(b[start..i].iter().collect()));
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    toks
}

/// A `"..."` literal's value from `start` (after the quote): the text, the index after the
/// closing quote, and the newlines crossed.
fn cooked(b: &[char], start: usize) -> (String, usize, usize) {
    let mut text = String::new();
    let (mut i, mut lines) = (start, 0);
    while i < b.len() && b[i] != '"' {
        if b[i] == '\\' {
            i += 1;
            match b.get(i).copied().unwrap_or('\0') {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                'r' | '0' => {}
                '\n' => {
                    // A line continuation: the newline and the next line's indent vanish.
                    lines += 1;
                    while i + 1 < b.len() && b[i + 1].is_whitespace() {
                        if b[i + 1] == '\n' {
                            lines += 1;
                        }
                        i += 1;
                    }
                }
                'u' => {
                    while i < b.len() && b[i] != '}' {
                        i += 1;
                    }
                    text.push('?');
                }
                'x' => {
                    i += 2;
                    text.push('?');
                }
                other => text.push(other),
            }
            i += 1;
        } else {
            if b[i] == '\n' {
                lines += 1;
            }
            text.push(b[i]);
            i += 1;
        }
    }
    (text, i + 1, lines)
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs")
            // Test modules in files of their own (`#[cfg(test)] mod tests;`).
            && !path.components().any(|c| c.as_os_str() == "tests")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The command tree, and what each mention is checked against.
struct Tree {
    root: clap::Command,
}

impl Tree {
    fn new() -> Self {
        let mut root = Cli::command();
        root.build();
        Tree { root }
    }

    /// The command at `path` (names below the root).
    fn at(&self, path: &[&str]) -> &clap::Command {
        let mut cmd = &self.root;
        for name in path {
            cmd = cmd
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("no command {path:?}"));
        }
        cmd
    }

    /// The argument a flag names in `cmd` (globals are propagated by `build`).
    fn flag<'a>(cmd: &'a clap::Command, flag: &str) -> Option<&'a clap::Arg> {
        let name = flag.split('=').next().unwrap_or(flag);
        cmd.get_arguments().find(|a| {
            if let Some(long) = name.strip_prefix("--") {
                a.get_long() == Some(long)
                    || a.get_all_aliases().into_iter().flatten().any(|x| x == long)
            } else {
                let mut chars = name.chars().skip(1);
                let short = chars.next();
                chars.next().is_none() && short.is_some() && a.get_short() == short
            }
        })
    }

    /// Every long flag of `cmd` and the commands below it.
    fn longs(cmd: &clap::Command, out: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            if let Some(long) = a.get_long() {
                out.push(format!("--{long}"));
                for alias in a.get_all_aliases().into_iter().flatten() {
                    out.push(format!("--{alias}"));
                }
            }
        }
        out.push("--help".to_owned());
        out.push("--version".to_owned());
        out.push(zbooks_cli::args::HELP_ALL.to_owned());
        for sub in cmd.get_subcommands() {
            Tree::longs(sub, out);
        }
    }

    /// Parses a command line (after `zbooks`) with `--help` appended: `Err` says what is wrong.
    fn check(&self, words: &[String]) -> Result<(), String> {
        // Placeholders in a flag's place take a value the flag accepts.
        let mut argv = vec!["zbooks".to_owned()];
        let mut cmd = &self.root;
        let mut i = 0;
        while i < words.len() {
            let Some(w) = synopsis(&words[i]) else {
                i += 1;
                continue;
            };
            let w = &w;
            if let Some(sub) = cmd.find_subcommand(w) {
                cmd = sub;
                argv.push(w.clone());
            } else if w.starts_with('-') && w.len() > 1 && w != "--" {
                argv.push(w.clone());
                if let Some(arg) = Tree::flag(cmd, w)
                    && arg.get_action().takes_values()
                    && !w.contains('=')
                {
                    // A value the flag accepts stands in for a placeholder, or for the value
                    // a sentence leaves out ("leave room with --daily-budget").
                    let stand_in = || {
                        arg.get_possible_values()
                            .first()
                            .map_or_else(|| "1".to_owned(), |v| v.get_name().to_owned())
                    };
                    match words.get(i + 1) {
                        Some(value) if value.starts_with('-') && value.len() > 1 => {
                            argv.push(stand_in());
                        }
                        Some(value) => {
                            i += 1;
                            let value = synopsis(value).unwrap_or_default();
                            argv.push(if is_placeholder(&value) {
                                stand_in()
                            } else {
                                value.clone()
                            });
                        }
                        None => argv.push(stand_in()),
                    }
                }
            } else if is_placeholder(w) {
                argv.push(PLACEHOLDER.to_owned());
            } else {
                argv.push(w.clone());
            }
            i += 1;
        }
        argv.push("--help".to_owned());
        match self.root.clone().try_get_matches_from(&argv) {
            Ok(_) => Err(format!("{argv:?} parsed without showing help")),
            Err(e) if e.kind() == ErrorKind::DisplayHelp => Ok(()),
            Err(e)
                if e.kind() == ErrorKind::InvalidValue
                    && matches!(
                        e.get(ContextKind::InvalidValue),
                        Some(ContextValue::String(v)) if v == PLACEHOLDER
                    ) =>
            {
                Ok(())
            }
            Err(e) => Err(format!("{argv:?}: {}", first_line(&e.to_string()))),
        }
    }
}

/// A word of a synopsis as a value to give: `[--from` → `--from`, `tally|csv|jsonl]` →
/// `tally`, `[-q k=v]...` → `-q`, `k=v`; `None` for an optional placeholder (`[OPTIONS]`).
fn synopsis(word: &str) -> Option<String> {
    let optional = word.starts_with('[');
    let bare = word
        .trim_start_matches('[')
        .trim_end_matches("...")
        .trim_end_matches(']');
    let w = if bare.contains('|') && !bare.starts_with(['<', '{']) {
        // The first alternative.
        bare.split('|').next().unwrap_or_default()
    } else {
        bare
    };
    (!(optional && is_placeholder(w))).then(|| w.to_owned())
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// `<id>`, `{dc}`, `FILE`, `N`, `...`: a value the text leaves to the reader.
fn is_placeholder(w: &str) -> bool {
    (w.starts_with('<') && w.ends_with('>'))
        || w.contains('{')
        || w.contains("...")
        || w.contains('…')
        || (!w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
}

/// Splits a command line as a shell would (quotes, `<a placeholder>` kept whole), up to a
/// comment, a redirection, a pipe or a `&&`.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    word.push(q);
                }
            }
            '<' if !in_word => {
                in_word = true;
                word.push(c);
                for q in chars.by_ref() {
                    word.push(q);
                    if q == '>' {
                        break;
                    }
                }
            }
            // `(ZBOOKS_CLIENT_ID set)` after an example reads as a comment, like `# ...`.
            '#' | '|' | '>' | ';' | '(' if !in_word => break,
            '&' if !in_word && chars.peek() == Some(&'&') => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// What to check a text against, and where it came from.
struct Place<'a> {
    /// For failure messages.
    name: String,
    /// The command whose flags a bare `--flag` in the text belongs to (`None`: any command).
    command: Option<&'a [&'a str]>,
    /// Whether a bare `--flag` is zbooks's (not in the docs, which show cargo's and others').
    bare_flags: bool,
}

/// What the check found wrong, and how many commands and flags it checked.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    commands: usize,
    flags: usize,
}

impl Report {
    /// Checks every command and flag a text names.
    fn text(&mut self, tree: &Tree, text: &str, place: &Place<'_>) {
        // Byte ranges that belong to a command: their flags are that command's.
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let fail = |what: String, failures: &mut Vec<String>| {
            failures.push(format!("{}: {what}", place.name));
        };

        // 1. `zbooks ...` in backticks: the whole span is the command.
        let mut offset = 0;
        for (n, part) in text.split('`').enumerate() {
            let start = offset;
            offset += part.len() + 1;
            if n % 2 == 1 && part.trim_start().starts_with("zbooks ") {
                taken.push((start, start + part.len()));
                let words = shell_words(part.trim_start());
                self.commands += 1;
                if let Err(e) = tree.check(&words[1..]) {
                    fail(format!("`{part}`: {e}"), &mut self.failures);
                }
            }
        }

        // 2. A line (of a multi-line text) that is a command: `  zbooks import x.csv # ...`,
        //    or the command after a pipe (`tail app.log | zbooks explain -`).
        let mut offset = 0;
        let lines = if text.contains('\n') { text } else { "" };
        for line in lines.split('\n') {
            let start = offset;
            offset += line.len() + 1;
            if line.contains('`') || line.trim_start().starts_with("Usage:") {
                if line.trim_start().starts_with("Usage:") {
                    // clap's own usage line: right by construction, and in its own syntax.
                    taken.push((start, start + line.len()));
                }
                continue;
            }
            let trimmed = line.trim_start().trim_start_matches("$ ");
            let segment = if trimmed.starts_with("zbooks ") {
                Some(trimmed)
            } else {
                line.split_once("| zbooks ")
                    .map(|(_, rest)| &line[line.len() - rest.len() - "zbooks ".len()..])
            };
            let Some(segment) = segment else { continue };
            let words = shell_words(segment);
            if words
                .get(1)
                .is_some_and(|w| tree.root.find_subcommand(w).is_some() || w.starts_with('-'))
            {
                taken.push((start, start + line.len()));
                self.commands += 1;
                if let Err(e) = tree.check(&words[1..]) {
                    fail(format!("{segment:?}: {e}"), &mut self.failures);
                }
            }
        }

        // 3. `zbooks <command> ...` in running prose: as far as it reads as a command.
        for (pos, _) in text.match_indices("zbooks ") {
            if taken.iter().any(|(s, e)| (*s..*e).contains(&pos)) {
                continue;
            }
            let before = text[..pos].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
                continue;
            }
            let rest = &text[pos + "zbooks ".len()..];
            let (words, len) = prose_command(tree, rest);
            let Some(first) = words.first() else {
                // Not a word ("zbooks [OPTIONS]", "zbooks's"): not a command.
                continue;
            };
            if tree.root.find_subcommand(first).is_none() && !first.starts_with('-') {
                if !PROSE.contains(&first.as_str()) {
                    fail(
                        format!(
                            "\"zbooks {first}\" names no command (if it is prose, add {first:?} \
                             to PROSE): …{}…",
                            text[pos..].chars().take(60).collect::<String>()
                        ),
                        &mut self.failures,
                    );
                }
                continue;
            }
            taken.push((pos, pos + "zbooks ".len() + len));
            self.commands += 1;
            if let Err(e) = tree.check(&words) {
                fail(
                    format!("\"zbooks {}\": {e}", words.join(" ")),
                    &mut self.failures,
                );
            }
        }

        // 4. A bare `--flag`: it must be one of the command's the text is about.
        if !place.bare_flags {
            return;
        }
        let mut allowed = Vec::new();
        match place.command {
            Some(path) => {
                Tree::longs(tree.at(path), &mut allowed);
                for a in tree.root.get_arguments() {
                    allowed.extend(a.get_long().map(|l| format!("--{l}")));
                }
            }
            None => Tree::longs(&tree.root, &mut allowed),
        }
        for (pos, _) in text.match_indices("--") {
            if taken.iter().any(|(s, e)| (*s..*e).contains(&pos)) {
                continue;
            }
            let before = text[..pos].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_')) {
                continue;
            }
            let name: String = text[pos + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let name = name.trim_end_matches('-');
            if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                continue;
            }
            self.flags += 1;
            let flag = format!("--{name}");
            if !allowed.contains(&flag) {
                let whose = place.command.map_or_else(
                    || "any command".to_owned(),
                    |p| format!("zbooks {}", p.join(" ")),
                );
                fail(
                    format!("{flag} is not a flag of {whose}"),
                    &mut self.failures,
                );
            }
        }
    }
}

/// The words of a command met in prose after "zbooks ", and the length of text they take:
/// commands and subcommands, flags and their values, and values that cannot be English words
/// (`57`, `invoices.csv`, `<id>`); it stops at the first plain word or at punctuation that
/// ends a phrase.
fn prose_command(tree: &Tree, rest: &str) -> (Vec<String>, usize) {
    let mut words = Vec::new();
    let mut cmd = &tree.root;
    let mut len = 0;
    let mut expect_value = false;
    for raw in rest.split(' ') {
        let trimmed = raw.trim_start_matches('(');
        // Markup after a word ends the phrase (`analyze</h1>`).
        let (trimmed, markup) = match trimmed.find("</") {
            Some(at) => (&trimmed[..at], true),
            None => (trimmed, false),
        };
        let word = trimmed.trim_end_matches([')', ',', ';', ':', '.', '!', '?', '"', '\'']);
        let ends = markup || word.len() < trimmed.len() || raw.contains('\n');
        let word = word.split('\n').next().unwrap_or_default();
        if word.is_empty() || matches!(word, "&&" | "||" | "|" | ";" | ">" | "#") {
            break;
        }
        let plain = word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
        if expect_value {
            expect_value = false;
            words.push(word.to_owned());
        } else if word.starts_with('[') {
            // Usage syntax (`[OPTIONS]`): optional, nothing to check.
        } else if let Some(sub) = cmd.find_subcommand(word) {
            cmd = sub;
            words.push(word.to_owned());
        } else if word.starts_with('-') && word.len() > 1 {
            expect_value = Tree::flag(cmd, word)
                .is_some_and(|a| a.get_action().takes_values() && !word.contains('='));
            words.push(word.to_owned());
        } else if words.is_empty() {
            // The first word decides whether this is a command at all.
            if plain && word.starts_with(|c: char| c.is_ascii_lowercase()) {
                words.push(word.to_owned());
            }
            break;
        } else if !plain {
            words.push(word.to_owned());
        } else {
            break;
        }
        len += raw.len() + 1;
        if ends {
            break;
        }
    }
    (words, len)
}

/// The path below the root of the command a source file belongs to, when it belongs to one.
fn command_of(path: &Path) -> Option<&'static [&'static str]> {
    let p = path.to_string_lossy().replace('\\', "/");
    let table: &[(&str, &[&str])] = &[
        ("crates/zbooks-import/", &["import"]),
        ("commands/import", &["import"]),
        ("commands/doctor", &["doctor"]),
        ("commands/auth", &["auth"]),
        ("commands/call", &["call"]),
        ("commands/config", &["config"]),
        ("commands/demo", &["demo"]),
        ("commands/explain", &["explain"]),
        ("commands/logs", &["logs"]),
        ("commands/quota", &["quota"]),
        ("commands/sim", &["sim"]),
        ("commands/completions", &["completions"]),
    ];
    table
        .iter()
        .find(|(part, _)| p.contains(part))
        .map(|(_, cmd)| *cmd)
}

#[test]
fn every_command_a_hint_names_parses() {
    let tree = Tree::new();
    let mut report = Report::default();

    // The error catalog: every entry and every status, each text a user can be shown.
    for e in ENTRIES {
        let mut texts = vec![e.meaning, e.fix, e.source];
        texts.extend(e.causes);
        if let Some(f) = &e.folklore {
            texts.extend([f.claim, f.likely_instead]);
        }
        for text in texts {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            report.text(
                &tree,
                &text,
                &Place {
                    name: format!("catalog {}", e.key),
                    command: None,
                    bare_flags: true,
                },
            );
        }
    }
    for s in STATUSES {
        for text in [s.meaning, s.action] {
            report.text(
                &tree,
                text,
                &Place {
                    name: format!("catalog status {}", s.status),
                    command: None,
                    bare_flags: true,
                },
            );
        }
    }

    // The help of every command, as clap renders it (doc comments, examples, after-help).
    let mut paths: Vec<Vec<String>> = vec![Vec::new()];
    let mut i = 0;
    while i < paths.len() {
        let path = paths[i].clone();
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        for sub in tree.at(&refs).get_subcommands() {
            if sub.get_name() != "help" {
                let mut next = path.clone();
                next.push(sub.get_name().to_owned());
                paths.push(next);
            }
        }
        i += 1;
    }
    for path in &paths {
        let mut argv = vec!["zbooks".to_owned()];
        argv.extend(path.iter().cloned());
        argv.push("--help".to_owned());
        let err = tree.root.clone().try_get_matches_from(&argv).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DisplayHelp, "{argv:?}");
        let help = err.render().to_string();
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        report.text(
            &tree,
            &help,
            &Place {
                name: format!("`{}` help", argv[..argv.len() - 1].join(" ")),
                command: Some(&refs),
                bare_flags: true,
            },
        );
    }

    // Every string literal of the code whose words reach a user.
    let root = workspace();
    let mut files = Vec::new();
    for dir in SOURCES {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "only {} source files found", files.len());
    for file in &files {
        let src = std::fs::read_to_string(file).unwrap();
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        for lit in string_literals(&src) {
            report.text(
                &tree,
                &lit.text,
                &Place {
                    name: format!("{rel}:{}", lit.line),
                    command: command_of(file),
                    bare_flags: true,
                },
            );
        }
    }

    // The commands the README and the docs show, in their code blocks.
    let mut docs = vec![root.join("README.md")];
    let mut listed: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    listed.sort();
    docs.extend(listed);
    for doc in &docs {
        let text = std::fs::read_to_string(doc).unwrap();
        let rel = doc.strip_prefix(&root).unwrap_or(doc).display().to_string();
        let mut in_code = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            } else if in_code {
                // One line of a code block: the check of a multi-line text (a command line).
                report.text(
                    &tree,
                    &format!("{line}\n"),
                    &Place {
                        name: format!("{rel}:{}", n + 1),
                        command: None,
                        bare_flags: false,
                    },
                );
            }
        }
    }

    assert!(
        report.failures.is_empty(),
        "{} hint(s) name what zbooks does not have:\n  {}",
        report.failures.len(),
        report.failures.join("\n  ")
    );
    // The check saw the hints it exists for (a broken scanner would pass vacuously).
    assert!(
        report.commands > 40,
        "only {} commands checked",
        report.commands
    );
    assert!(report.flags > 40, "only {} flags checked", report.flags);
}

#[test]
fn the_checker_refuses_what_does_not_exist() {
    let tree = Tree::new();
    let check = |text: &str, command: Option<&[&str]>| {
        let mut report = Report::default();
        report.text(
            &tree,
            text,
            &Place {
                name: "test".to_owned(),
                command,
                bare_flags: true,
            },
        );
        report.failures
    };
    for good in [
        "run `zbooks auth login --dc <your data center>` again",
        "leave room (zbooks import --daily-budget) for others",
        "try a code (zbooks explain 57), or `zbooks explain --list`",
        "Examples:\n  zbooks import invoices.csv --mapping columns.json\n  tail -n 200 app.log | zbooks explain -",
        "`zbooks import failed --format csv` lists them",
        "set --dc {dc}, ZBOOKS_DC={dc}",
        "`zbooks completions SHELL`",
        "\nzbooks import <file> [--from tally|csv|jsonl] [--mapping FILE] [--dry-run]\n",
        "zbooks call <METHOD> <PATH> [-q k=v]... [--data JSON|@file|-] [-i]\n",
    ] {
        assert_eq!(check(good, None), Vec::<String>::new(), "{good}");
    }
    for bad in [
        "give the entity with `zbooks import in.jsonl --entity contact`",
        "leave room (zbooks import --budget) for others",
        "run zbooks frobnicate to fix it",
        "`zbooks auth renew`",
        "Examples:\n  zbooks import x.csv --fast",
    ] {
        assert_ne!(check(bad, None), Vec::<String>::new(), "{bad}");
    }
    // A bare flag belongs to the command its text is about.
    assert_eq!(
        check("run without --strict", Some(&["import"])),
        Vec::<String>::new()
    );
    assert_ne!(
        check("run without --strict", Some(&["doctor"])),
        Vec::<String>::new()
    );
    assert_ne!(check("pass --entity contact", None), Vec::<String>::new());
}

#[test]
fn the_lexer_finds_literals_and_skips_comments_and_tests() {
    let src = concat!(
        "// \"a comment\"\n",
        "/* \"a block\" /* nested \"x\" */ */\n",
        "let a = \"one \\\n",
        "         two\";\n",
        "let c = '\"';\n",
        "let l: &'static str = r#\"raw \"quoted\"\"#;\n",
        "fn f<'a>(x: &'a str) {}\n",
        "#[cfg(test)]\n",
        "mod tests {\n",
        "    const X: &str = \"in a test\";\n",
        "}\n",
        "let z = b\"bytes\";\n",
    );
    let texts: Vec<String> = string_literals(src).into_iter().map(|l| l.text).collect();
    assert_eq!(texts, ["one two", "raw \"quoted\"", "bytes"]);
}
