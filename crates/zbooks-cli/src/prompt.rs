//! Questions on standard input and their answers: what `zbooks auth login` asks (the client id,
//! and unseen the client secret and the grant code) and what `zbooks config init` asks (the
//! sign-in address, the organization).
//!
//! Every question goes through a [`Console`], so that what matters is tested with scripted
//! answers and no terminal: a paste is trimmed (spaces, newlines, quotes), a whole redirect URL
//! pasted for a grant code gives up its `code=`, what was received is confirmed without being
//! shown ("client secret: received (64 characters)"), and the end of input is an error, never a
//! choice made for the user. [`Terminal`] is the real console: on a terminal a secret is typed
//! with the echo off, so it never appears on the screen, in a scrollback or in a screen
//! recording, and the echo comes back when the line is read, whatever happened. From a pipe or
//! a file nothing is echoed anyway. Nothing here prints what a secret answer was.

use std::io::{BufRead as _, IsTerminal as _};

use zbooks_types::Secret;

use crate::error::CliError;
use crate::printer::Printer;

/// Where questions go and answers come from.
pub trait Console {
    /// Asks `question` and reads one line of answer; `None` at the end of input. A `hidden`
    /// answer is typed unseen on a terminal.
    ///
    /// # Errors
    ///
    /// The input could not be read, or the terminal's echo could not be turned off.
    fn ask(&mut self, question: &str, hidden: bool) -> std::io::Result<Option<String>>;

    /// Says something that needs no answer (a confirmation).
    fn tell(&mut self, text: &str);
}

/// The console of the process: questions and confirmations on stderr, answers from standard
/// input, secrets typed with the terminal's echo off.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    printer: Printer,
}

impl Terminal {
    /// The process's console, writing through `printer`.
    pub fn new(printer: Printer) -> Terminal {
        Terminal { printer }
    }

    /// Whether standard input is a terminal (a person can answer as the question shows).
    pub fn is_interactive() -> bool {
        std::io::stdin().is_terminal()
    }
}

impl Console for Terminal {
    fn ask(&mut self, question: &str, hidden: bool) -> std::io::Result<Option<String>> {
        let stdin = std::io::stdin();
        if !hidden || !stdin.is_terminal() {
            self.printer.question(question);
            return read_stdin();
        }
        // Echo off before the question shows: a person types only after seeing it, and the
        // terminal echoes as keys arrive, not as they are read.
        let echo = hidden::Echo::off(&stdin)?;
        self.printer
            .question(&format!("{question} (typing is not shown; pasting works)"));
        let read = read_stdin();
        drop(echo);
        read
    }

    fn tell(&mut self, text: &str) {
        self.printer.note(text);
    }
}

fn read_stdin() -> std::io::Result<Option<String>> {
    let mut line = String::new();
    let n = std::io::stdin().lock().read_line(&mut line)?;
    Ok((n > 0).then_some(line))
}

/// One answer, read or refused: the end of input and an empty answer are errors naming `what`.
fn answer(
    console: &mut dyn Console,
    question: &str,
    what: &str,
    hidden: bool,
) -> Result<String, CliError> {
    let raw = console
        .ask(question, hidden)
        .map_err(|e| CliError::io(format!("cannot read the {what}"), &e))?
        .ok_or_else(|| CliError::usage(format!("no {what} given: standard input ended")))?;
    let cleaned = clean(&raw);
    if cleaned.is_empty() {
        return Err(CliError::usage(format!("no {what} given")));
    }
    Ok(cleaned)
}

/// A visible answer, trimmed; empty or missing is an error naming `what`.
///
/// # Errors
///
/// No answer, or the input could not be read.
pub fn line(console: &mut dyn Console, question: &str, what: &str) -> Result<String, CliError> {
    answer(console, question, what, false)
}

/// A visible answer that may be left empty (`None`: take the default); the end of input is
/// still an error, so a script never gets a default it did not ask for.
///
/// # Errors
///
/// The input ended or could not be read.
pub fn optional(
    console: &mut dyn Console,
    question: &str,
    what: &str,
) -> Result<Option<String>, CliError> {
    let raw = console
        .ask(question, false)
        .map_err(|e| CliError::io(format!("cannot read the {what}"), &e))?
        .ok_or_else(|| CliError::usage(format!("no {what} given: standard input ended")))?;
    let cleaned = clean(&raw);
    Ok((!cleaned.is_empty()).then_some(cleaned))
}

/// A yes-or-no answer, `default` on an empty line; the end of input is an error.
///
/// # Errors
///
/// The input ended or could not be read, or the answer is neither yes nor no.
pub fn confirm(console: &mut dyn Console, question: &str, default: bool) -> Result<bool, CliError> {
    let hint = if default { "[Y/n]" } else { "[y/N]" };
    let answer = optional(console, &format!("{question} {hint}"), "answer")?;
    match answer.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("y" | "yes") => Ok(true),
        Some("n" | "no") => Ok(false),
        Some(other) => Err(CliError::usage(format!("{other:?} is neither yes nor no"))),
    }
}

/// A secret (the client secret), typed unseen or pasted; what was received is confirmed by its
/// length only.
///
/// # Errors
///
/// No answer, or the input could not be read.
pub fn secret(console: &mut dyn Console, question: &str, what: &str) -> Result<Secret, CliError> {
    let value = answer(console, question, what, true)?;
    console.tell(&format!("{what}: received ({})", characters(&value)));
    Ok(Secret::new(value))
}

/// The grant code, typed unseen or pasted: the code itself, or the whole redirect URL it came
/// back on (its `code=` is taken). Confirmed by its length only.
///
/// # Errors
///
/// No answer, a URL without a code (or with Zoho's `error=`), or the input could not be read.
pub fn grant_code(console: &mut dyn Console, question: &str) -> Result<Secret, CliError> {
    let raw = answer(console, question, "grant code", true)?;
    let (code, from_url) = grant_code_of(&raw)?;
    console.tell(&format!(
        "grant code: received ({}{})",
        characters(&code),
        if from_url {
            ", taken from the pasted redirect URL"
        } else {
            ""
        }
    ));
    Ok(Secret::new(code))
}

fn characters(value: &str) -> String {
    let n = value.chars().count();
    format!("{n} character{}", if n == 1 { "" } else { "s" })
}

/// A pasted answer cleaned: surrounding whitespace and newlines, and one pair of surrounding
/// quotes (a value copied out of a shell line or a JSON file), removed.
pub fn clean(raw: &str) -> String {
    let trimmed = raw.trim();
    let unquoted = ['"', '\'', '`']
        .iter()
        .find_map(|q| {
            trimmed
                .strip_prefix(*q)
                .and_then(|rest| rest.strip_suffix(*q))
        })
        .unwrap_or(trimmed);
    unquoted.trim().to_owned()
}

/// The grant code in `text`: the text itself, or the `code` parameter of a pasted redirect
/// URL (`https://…/callback?code=1000.…&location=in&accounts-server=…`), and whether it came
/// from a URL.
///
/// # Errors
///
/// A URL that carries Zoho's `error=` (the user denied access) or no `code=` at all; or
/// nothing left after cleaning.
pub fn grant_code_of(text: &str) -> Result<(String, bool), CliError> {
    let text = clean(text);
    let looks_like_url = text.contains("://") || text.contains('?') || text.contains("code=");
    if !looks_like_url {
        if text.is_empty() {
            return Err(CliError::usage("no grant code given"));
        }
        return Ok((text, false));
    }
    let query = text
        .split_once('?')
        .map_or(text.as_str(), |(_, q)| q)
        .split('#')
        .next()
        .unwrap_or_default();
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| percent_decode(v))
    };
    if let Some(error) = param("error") {
        return Err(CliError::usage(format!(
            "the pasted redirect URL carries no grant code but Zoho's error {error:?}"
        ))
        .with_hint(
            "generate a new code in the console's Self Client (Generate Code) and paste it",
        ));
    }
    match param("code").map(|c| c.trim().to_owned()) {
        Some(code) if !code.is_empty() => Ok((code, true)),
        _ => Err(
            CliError::usage("the pasted text looks like a URL but has no `code=` in it").with_hint(
                "paste the grant code itself (1000.…), or the whole redirect URL with its code",
            ),
        ),
    }
}

/// `%2F` → `/`, `+` → space: a URL query value as its text. A broken escape is kept as is.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(unix)]
mod hidden {
    use std::io::Stdin;

    use rustix::termios::{LocalModes, OptionalActions, Termios, tcgetattr, tcsetattr};

    /// The terminal's echo turned off, until dropped.
    pub(super) struct Echo<'a> {
        stdin: &'a Stdin,
        saved: Termios,
    }

    impl<'a> Echo<'a> {
        pub(super) fn off(stdin: &'a Stdin) -> std::io::Result<Echo<'a>> {
            let saved = tcgetattr(stdin)?;
            let mut quiet = saved.clone();
            quiet.local_modes.remove(LocalModes::ECHO);
            // Still show the newline, as `sudo` and `ssh` do.
            quiet.local_modes.insert(LocalModes::ECHONL);
            tcsetattr(stdin, OptionalActions::Now, &quiet)?;
            Ok(Echo { stdin, saved })
        }
    }

    impl Drop for Echo<'_> {
        fn drop(&mut self) {
            let _ = tcsetattr(self.stdin, OptionalActions::Now, &self.saved);
        }
    }
}

#[cfg(not(unix))]
mod hidden {
    use std::io::Stdin;

    /// No terminal control here: refuse to read a secret with the echo on.
    pub(super) struct Echo;

    impl Echo {
        pub(super) fn off(_stdin: &Stdin) -> std::io::Result<Echo> {
            Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                "hidden input needs a Unix terminal here; set ZBOOKS_CLIENT_SECRET or pass the \
                 code with --code",
            ))
        }
    }
}

/// A console that answers from a script and keeps everything it was shown: for tests of the
/// questions' logic, here and in the commands.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Scripted {
    /// The answers still to give, first first (each a raw line, newline and all).
    pub answers: std::collections::VecDeque<String>,
    /// Everything shown: questions and confirmations.
    pub shown: Vec<String>,
}

#[cfg(test)]
impl Scripted {
    pub(crate) fn new(answers: &[&str]) -> Scripted {
        Scripted {
            answers: answers.iter().map(|a| (*a).to_owned()).collect(),
            shown: Vec::new(),
        }
    }

    pub(crate) fn screen(&self) -> String {
        self.shown.join("\n")
    }
}

#[cfg(test)]
impl Console for Scripted {
    fn ask(&mut self, question: &str, _hidden: bool) -> std::io::Result<Option<String>> {
        self.shown.push(question.to_owned());
        Ok(self.answers.pop_front())
    }

    fn tell(&mut self, text: &str) {
        self.shown.push(text.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "canary-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123";

    #[test]
    fn a_pasted_secret_is_trimmed_and_confirmed_by_its_length_only() {
        let mut console = Scripted::new(&[&format!("  {CANARY}\r\n")]);
        let got = secret(&mut console, "client secret:", "client secret").unwrap();
        assert_eq!(got.expose(), CANARY);
        let screen = console.screen();
        assert!(
            screen.contains("client secret: received (66 characters)"),
            "{screen}"
        );
        assert!(!screen.contains("canary"), "{screen}");
    }

    #[test]
    fn a_quoted_paste_loses_its_quotes() {
        assert_eq!(clean("'abc'\n"), "abc");
        assert_eq!(clean(" \"abc\" "), "abc");
        assert_eq!(clean("`abc`"), "abc");
        assert_eq!(clean("'abc"), "'abc");
    }

    #[test]
    fn the_code_is_taken_from_a_pasted_redirect_url() {
        let url = "https://example.com/callback?code=1000.abc123.def456&location=in\
                   &accounts-server=https%3A%2F%2Faccounts.zoho.in\n";
        let mut console = Scripted::new(&[url]);
        let code = grant_code(&mut console, "grant code:").unwrap();
        assert_eq!(code.expose(), "1000.abc123.def456");
        let screen = console.screen();
        assert!(
            screen.contains(
                "grant code: received (18 characters, taken from the pasted redirect URL)"
            ),
            "{screen}"
        );
        assert!(!screen.contains("abc123"), "{screen}");
        assert_eq!(
            grant_code_of("code=1000.x.y").unwrap(),
            ("1000.x.y".to_owned(), true)
        );
        assert_eq!(
            grant_code_of("  1000.x.y \n").unwrap(),
            ("1000.x.y".to_owned(), false)
        );
        assert_eq!(
            grant_code_of("https://x/cb?state=1&code=1000.a%2Eb#frag").unwrap(),
            ("1000.a.b".to_owned(), true)
        );
    }

    #[test]
    fn a_url_without_a_code_or_with_an_error_is_refused() {
        let err = grant_code_of("https://example.com/callback?error=access_denied").unwrap_err();
        assert!(err.headline.contains("access_denied"), "{}", err.headline);
        let err = grant_code_of("https://example.com/callback?state=1").unwrap_err();
        assert!(err.headline.contains("code="), "{}", err.headline);
    }

    #[test]
    fn the_end_of_input_and_an_empty_answer_are_errors_not_defaults() {
        let mut console = Scripted::new(&[]);
        let err = secret(&mut console, "client secret:", "client secret").unwrap_err();
        assert!(
            err.headline.contains("standard input ended"),
            "{}",
            err.headline
        );
        let mut console = Scripted::new(&["  \n"]);
        let err = grant_code(&mut console, "grant code:").unwrap_err();
        assert_eq!(err.headline, "no grant code given");
        let mut console = Scripted::new(&[]);
        assert!(confirm(&mut console, "use it?", true).is_err());
    }

    #[test]
    fn confirm_takes_the_default_on_enter() {
        let mut console = Scripted::new(&["\n", "n\n", "YES\n", "maybe\n"]);
        assert!(confirm(&mut console, "use it?", true).unwrap());
        assert!(!confirm(&mut console, "use it?", true).unwrap());
        assert!(confirm(&mut console, "use it?", false).unwrap());
        assert!(confirm(&mut console, "use it?", false).is_err());
        assert!(console.screen().contains("use it? [Y/n]"));
    }

    #[test]
    fn percent_escapes_decode_and_broken_ones_stay() {
        assert_eq!(percent_decode("a%2Fb+c"), "a/b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
