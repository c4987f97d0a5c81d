//! All output goes through the [`Printer`]: data to stdout, diagnostics and progress to
//! stderr, colour only when wanted, JSON output versioned (docs/style.md, "Lints and format").
//! The output format and colour choice the global flags pick are defined here, where they are
//! used, so the printer (a low layer) never imports the argument definitions.

use std::io::{self, IsTerminal, Write};

use clap::ValueEnum;
use serde::Serialize;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Text for people (`csv` is accepted too: `import failed` writes CSV as its text form).
    #[value(alias = "csv")]
    Text,
    /// JSON for scripts, with a `schema` version.
    Json,
}

/// Colour choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Where and how a command writes.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// Text or JSON.
    pub format: OutputFormat,
    /// Whether to colour stdout.
    pub color: bool,
    /// Whether diagnostics on stderr are suppressed (`-q`).
    pub quiet: bool,
    /// The width to wrap text to.
    pub width: usize,
}

impl Printer {
    /// A printer for the given choices; `no_color` is whether `NO_COLOR` is set.
    pub fn new(format: OutputFormat, color: ColorChoice, quiet: bool, no_color: bool) -> Self {
        let tty = io::stdout().is_terminal();
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Printer {
            format,
            color,
            quiet,
            width: 100,
        }
    }

    /// Writes text to stdout. A closed pipe (`| head`) is not an error worth reporting.
    pub fn out(&self, text: &str) {
        let mut stdout = io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Writes a JSON value and a newline to stdout.
    pub fn json<T: Serialize>(&self, value: &T) {
        let text = serde_json::to_string_pretty(value)
            .unwrap_or_else(|e| format!("{{\"error\":\"could not encode output: {e}\"}}"));
        self.out(&text);
        self.out("\n");
    }

    /// Writes a diagnostic line to stderr, unless quiet.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "{text}");
        }
    }

    /// Writes an error to stderr (never suppressed).
    pub fn error(&self, text: &str) {
        let _ = writeln!(io::stderr().lock(), "{text}");
    }

    /// `text` in bold, when colouring.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// `text` dimmed, when colouring.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// `text` in a colour chosen by severity: `"red"`, `"yellow"`, `"green"`, `"cyan"`.
    pub fn colored(&self, color: &str, text: &str) -> String {
        let code = match color {
            "red" => "31",
            "green" => "32",
            "yellow" => "33",
            "cyan" => "36",
            _ => "0",
        };
        self.paint(code, text)
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Wraps `text` to `width` columns, indenting continuation lines by `indent` spaces.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let room = width.saturating_sub(indent).max(20);
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > room {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_with_hanging_indent() {
        assert_eq!(wrap("aaa bbb ccc", 28, 4), "aaa bbb ccc");
        let wrapped = wrap(&"word ".repeat(20), 30, 4);
        assert!(wrapped.lines().all(|l| l.len() <= 30));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("    ")));
    }
}
