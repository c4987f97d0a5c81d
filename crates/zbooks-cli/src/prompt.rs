//! Reading what `zbooks auth login` asks for on standard input, and the secrets among it
//! (the client secret, the grant code) without showing them.
//!
//! On a terminal the secret is typed with the terminal's echo off, so it never appears on the
//! screen, in a scrollback or in a screen recording; the echo comes back when the line is read,
//! whatever happened. From a pipe or a file nothing is echoed anyway, and zbooks writes back
//! only the prompt. Nothing here prints what was read.

use std::io::{BufRead as _, IsTerminal as _};

use crate::error::CliError;
use crate::printer::Printer;

/// One trimmed, non-empty line of standard input after `prompt` (on stderr).
pub fn line(p: Printer, prompt: &str, what: &str) -> Result<String, CliError> {
    p.note(prompt);
    read(what)
}

/// [`line()`] for a secret: on a terminal the echo is off while it is typed.
pub fn secret(p: Printer, prompt: &str, what: &str) -> Result<String, CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return line(p, prompt, what);
    }
    // Echo off before the prompt shows: a person types only after seeing it, and the terminal
    // echoes as keys arrive, not as they are read.
    let hidden = hidden::Echo::off(&stdin)
        .map_err(|e| CliError::io("cannot turn off the terminal's echo", &e))?;
    p.note(&format!("{prompt} (typing is not shown)"));
    let read = read(what);
    drop(hidden);
    read
}

fn read(what: &str) -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::io(format!("cannot read the {what} from standard input"), &e))?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        return Err(CliError::usage(format!("no {what} given")));
    }
    Ok(line)
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
