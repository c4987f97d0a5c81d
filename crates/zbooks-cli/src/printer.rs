//! All output goes through the [`Printer`]: data to stdout, diagnostics and progress to
//! stderr, colour only when wanted, JSON output versioned (docs/style.md, "Lints and format").
//! The output format and colour choice the global flags pick are defined here, where they are
//! used, so the printer (a low layer) never imports the argument definitions.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};
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

/// Where stderr lines go instead of stderr itself while progress bars are drawn there (the
/// bars print them above themselves): a note is never glued onto a bar.
type StderrSink = Arc<dyn Fn(&str) + Send + Sync>;

static STDERR_SINK: Mutex<Option<StderrSink>> = Mutex::new(None);

/// Sends every stderr line of every [`Printer`] to `sink` (a progress display drawing on
/// stderr), or, with `None`, to stderr again.
pub fn set_stderr_sink(sink: Option<StderrSink>) {
    *STDERR_SINK.lock().unwrap_or_else(PoisonError::into_inner) = sink;
}

/// What shows a wait to a person while a progress display draws on stderr: given the reason
/// and the length, it starts showing it (a spinner with a countdown) and returns what ends it.
pub type WaitSink = Arc<dyn Fn(&str, Duration) -> Box<dyn FnOnce() + Send> + Send + Sync>;

static WAIT_SINK: Mutex<Option<WaitSink>> = Mutex::new(None);

/// Shows the client's waits through `sink` (a progress display), or, with `None`, as notes.
pub fn set_wait_sink(sink: Option<WaitSink>) {
    *WAIT_SINK.lock().unwrap_or_else(PoisonError::into_inner) = sink;
}

/// Starts showing a wait through the wait sink, when one is set: what ends the showing.
pub fn show_wait(reason: &str, length: Duration) -> Option<Box<dyn FnOnce() + Send>> {
    let sink = WAIT_SINK
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    sink.map(|show| show(reason, length))
}

/// Colour choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour stdout and stderr each when it is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The width text is wrapped to when stdout is not a terminal (a pipe, a file, a test) or the
/// terminal does not say: output that a script or a snapshot reads stays the same everywhere.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width text is wrapped to: below it, hanging indents leave no room for words.
const MIN_WIDTH: usize = 40;

/// Where and how a command writes.
///
/// Styles are [`anstyle`] values; every write goes through an [`anstream::AutoStream`] for its
/// own stream, which keeps the styles or strips them: stdout and stderr are decided apart (a
/// report piped to a file while its notes go to a terminal), and nothing reaches a pipe
/// coloured unless `--color always` asked for it.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// Text or JSON.
    pub format: OutputFormat,
    /// Whether stdout is coloured.
    pub color: bool,
    /// Whether stderr is coloured.
    pub color_stderr: bool,
    /// Whether diagnostics on stderr are suppressed (`-q`).
    pub quiet: bool,
    /// The width to wrap text to: the terminal's, or [`DEFAULT_WIDTH`].
    pub width: usize,
}

/// Whether a stream is coloured: `--color always` and `never` decide alone; `auto` colours a
/// terminal when `NO_COLOR` is unset (<https://no-color.org>).
pub fn use_color(choice: ColorChoice, is_terminal: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && !no_color,
    }
}

/// The width to wrap text to: the terminal's columns when stdout is a terminal that says
/// (never below a floor where wrapping stops making sense), else [`DEFAULT_WIDTH`].
pub fn text_width(terminal_columns: Option<u16>) -> usize {
    terminal_columns.map_or(DEFAULT_WIDTH, |c| usize::from(c).max(MIN_WIDTH))
}

impl Printer {
    /// A printer for the given choices; `no_color` is whether `NO_COLOR` is set.
    pub fn new(format: OutputFormat, color: ColorChoice, quiet: bool, no_color: bool) -> Self {
        let stdout_tty = io::stdout().is_terminal();
        let columns = if stdout_tty {
            terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| w.0)
        } else {
            None
        };
        Printer {
            format,
            color: use_color(color, stdout_tty, no_color),
            color_stderr: use_color(color, io::stderr().is_terminal(), no_color),
            quiet,
            width: text_width(columns),
        }
    }

    /// Writes text to stdout, its styles kept or stripped as stdout wants. A closed pipe
    /// (`| head`) is not an error worth reporting.
    pub fn out(&self, text: &str) {
        if self.color == self.color_stderr {
            // Styled for stdout, or nothing styled at all: nothing to strip.
            self.out_data(text.as_bytes());
            return;
        }
        let mut stdout = AutoStream::new(io::stdout().lock(), stream_choice(self.color));
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Writes machine output to stdout byte for byte: a response body, a completion script.
    pub fn out_data(&self, bytes: &[u8]) {
        let mut stdout = io::stdout().lock();
        let _ = stdout.write_all(bytes);
        let _ = stdout.flush();
    }

    /// Gives the command's result as JSON: it becomes the `data` of the one envelope
    /// (`crate::envelope`) written to stdout when the command ends, never styled, never
    /// wrapped.
    pub fn json<T: Serialize>(&self, value: &T) {
        crate::envelope::set_data(value);
    }

    /// Writes a diagnostic line to stderr, unless quiet.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            self.stderr_line(text);
        }
    }

    /// Writes an error to stderr (never suppressed).
    pub fn error(&self, text: &str) {
        self.stderr_line(text);
    }

    /// Writes a question to stderr (never suppressed: `-q` silences notes, not what a command
    /// waits for an answer to).
    pub fn question(&self, text: &str) {
        self.stderr_line(text);
    }

    fn stderr_line(&self, text: &str) {
        let sink = STDERR_SINK
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(sink) = sink {
            sink(text);
            return;
        }
        let mut stderr = AutoStream::new(io::stderr().lock(), stream_choice(self.color_stderr));
        let _ = writeln!(stderr, "{text}");
    }

    /// `text` in bold, when colouring.
    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// `text` dimmed, when colouring.
    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    /// `text` in a colour chosen by severity: `"red"`, `"yellow"`, `"green"`, `"cyan"`.
    pub fn colored(&self, color: &str, text: &str) -> String {
        let color = match color {
            "red" => AnsiColor::Red,
            "green" => AnsiColor::Green,
            "yellow" => AnsiColor::Yellow,
            "cyan" => AnsiColor::Cyan,
            _ => return text.to_owned(),
        };
        self.paint(Style::new().fg_color(Some(color.into())), text)
    }

    /// `text` in `style` when either stream is coloured (the stream it is written to strips
    /// what it must not show); plain otherwise, so a string that ends up in a file or a JSON
    /// value carries no escape codes.
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color || self.color_stderr {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

/// anstream's choice for a stream whose colour is already decided: the decision is ours
/// (flags and `NO_COLOR` through the settings' environment gateway), not anstream's own
/// reading of the environment.
fn stream_choice(color: bool) -> anstream::ColorChoice {
    if color {
        anstream::ColorChoice::Always
    } else {
        anstream::ColorChoice::Never
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
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_terminal() {
        assert!(use_color(ColorChoice::Always, false, true));
        assert!(!use_color(ColorChoice::Never, true, false));
        assert!(use_color(ColorChoice::Auto, true, false));
        assert!(!use_color(ColorChoice::Auto, true, true), "NO_COLOR");
        assert!(
            !use_color(ColorChoice::Auto, false, false),
            "not a terminal"
        );
    }

    #[test]
    fn width_is_the_terminal_s_or_the_default() {
        assert_eq!(text_width(None), DEFAULT_WIDTH);
        assert_eq!(text_width(Some(160)), 160);
        assert_eq!(text_width(Some(72)), 72);
        assert_eq!(text_width(Some(10)), MIN_WIDTH);
    }

    #[test]
    fn styles_are_plain_text_when_no_stream_is_coloured() {
        let mut p = Printer {
            format: OutputFormat::Text,
            color: false,
            color_stderr: false,
            quiet: false,
            width: DEFAULT_WIDTH,
        };
        assert_eq!(p.bold("ok"), "ok");
        assert_eq!(p.colored("red", "FAIL"), "FAIL");
        p.color = true;
        assert_eq!(p.bold("ok"), "\u{1b}[1mok\u{1b}[0m");
        assert_eq!(p.colored("green", "ok"), "\u{1b}[32mok\u{1b}[0m");
    }

    #[test]
    fn wraps_with_hanging_indent() {
        assert_eq!(wrap("aaa bbb ccc", 28, 4), "aaa bbb ccc");
        let wrapped = wrap(&"word ".repeat(20), 30, 4);
        assert!(wrapped.lines().all(|l| l.len() <= 30));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("    ")));
    }
}
