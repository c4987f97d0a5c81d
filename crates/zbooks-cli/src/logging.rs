//! What the libraries log through `tracing` (a failed attempt, a store that could not be
//! written, every call at debug), shown on stderr at the level `-v` and `-q` pick.
//!
//! By default only errors show: the printer already says what a person needs, and a warning
//! per failed attempt would bury it during an import that rides out faults. Each `-v` shows one
//! level more (warnings and failed attempts, then information, then every call, then
//! everything); `-q` shows nothing. One filter and one line format is all this needs, so it is
//! a small [`Subscriber`] rather than tracing-subscriber. Lines are scrubbed like every other
//! text the CLI prints (docs/design.md promise 8), though events never carry a secret.

use std::fmt::{self, Write as _};
use std::io::{self, Write as _};

use anstyle::{AnsiColor, Style};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// The most verbose level shown for `-v` given `verbose` times, or `-q`.
pub fn level(verbose: u8, quiet: bool) -> LevelFilter {
    if quiet {
        return LevelFilter::OFF;
    }
    match verbose {
        0 => LevelFilter::ERROR,
        1 => LevelFilter::WARN,
        2 => LevelFilter::INFO,
        3 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    }
}

/// Installs the stderr log for the process at `max`; `color` styles the level names.
pub fn init(max: LevelFilter, color: bool) {
    let log = Log::new(max, color, move |line: &str| {
        let choice = if color {
            anstream::ColorChoice::Always
        } else {
            anstream::ColorChoice::Never
        };
        let mut stderr = anstream::AutoStream::new(io::stderr().lock(), choice);
        let _ = writeln!(stderr, "{line}");
    });
    // Only fails when a subscriber is already set (a test harness): that one stays.
    let _ = tracing::subscriber::set_global_default(log);
}

/// A subscriber that writes each enabled event as one line to `write`; spans are not shown.
pub struct Log<W> {
    max: LevelFilter,
    color: bool,
    write: W,
}

impl<W> fmt::Debug for Log<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Log")
            .field("max", &self.max)
            .field("color", &self.color)
            .finish_non_exhaustive()
    }
}

impl<W: Fn(&str) + Send + Sync + 'static> Log<W> {
    /// A log showing events up to `max`, each line handed to `write`.
    pub fn new(max: LevelFilter, color: bool, write: W) -> Self {
        Log { max, color, write }
    }

    fn line(&self, event: &Event<'_>) -> String {
        let meta = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let level = level_name(*meta.level());
        let level = if self.color {
            let style = level_style(*meta.level());
            format!("{style}{level}{style:#}")
        } else {
            level.to_owned()
        };
        let mut line = format!("{level} {}: {}", meta.target(), fields.message);
        line.push_str(&fields.rest);
        zbooks_types::scrub(&line)
    }
}

/// The most verbose level shown for events of `target`: zbooks's own at `max`; the libraries
/// beneath it (hyper's connection pool, ...) only their warnings, until `-vvvv` asks for
/// everything.
fn max_for(target: &str, max: LevelFilter) -> LevelFilter {
    if target.starts_with("zbooks") || max == LevelFilter::TRACE {
        max
    } else {
        max.min(LevelFilter::WARN)
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::ERROR => "ERROR",
        Level::WARN => "WARN",
        Level::INFO => "INFO",
        Level::DEBUG => "DEBUG",
        Level::TRACE => "TRACE",
    }
}

fn level_style(level: Level) -> Style {
    let color = match level {
        Level::ERROR => AnsiColor::Red,
        Level::WARN => AnsiColor::Yellow,
        Level::INFO => AnsiColor::Green,
        Level::DEBUG => AnsiColor::Blue,
        Level::TRACE => AnsiColor::Magenta,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

impl<W: Fn(&str) + Send + Sync + 'static> Subscriber for Log<W> {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        // `sometimes`, not `never`: interest is cached per callsite for every subscriber in
        // the process, and a scoped one (a test's) must not switch a callsite off for others.
        if self.enabled(metadata) {
            Interest::always()
        } else {
            Interest::sometimes()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Not `is_event()`: an `enabled!` check (a hint) asks about events too.
        !metadata.is_span() && *metadata.level() <= max_for(metadata.target(), self.max)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(self.max)
    }

    // Spans are never enabled, so these are not called for them; tracing still needs an id.
    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        (self.write)(&self.line(event));
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// An event's message, then its other fields as ` name=value`; absent values are skipped.
#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

// The first `message` is the event's text; a later one is a field of that name (a call
// event's Zoho message), shown like any other field.
impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" && self.message.is_empty() {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" && self.message.is_empty() {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn each_v_shows_one_level_more_and_q_shows_nothing() {
        assert_eq!(level(0, false), LevelFilter::ERROR);
        assert_eq!(level(1, false), LevelFilter::WARN);
        assert_eq!(level(2, false), LevelFilter::INFO);
        assert_eq!(level(3, false), LevelFilter::DEBUG);
        assert_eq!(level(4, false), LevelFilter::TRACE);
        assert_eq!(level(9, false), LevelFilter::TRACE);
        assert_eq!(level(0, true), LevelFilter::OFF);
    }

    fn captured(max: LevelFilter) -> Vec<String> {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let log = Log::new(max, false, move |line: &str| {
            sink.lock().unwrap().push(line.to_owned());
        });
        tracing::subscriber::with_default(log, || {
            tracing::error!(target: "zbooks::test", "broken");
            tracing::warn!(target: "zbooks::test", organization_id = "123", status = 500_u16, "failed attempt");
            tracing::info!(target: "zbooks::test", "info");
            tracing::debug!(target: "zbooks::test", path = %"/contacts", "every call");
            tracing::trace!(target: "zbooks::test", "trace");
        });
        lines.lock().unwrap().clone()
    }

    #[test]
    fn the_log_shows_events_up_to_its_level_one_line_each() {
        assert_eq!(captured(level(0, false)), ["ERROR zbooks::test: broken"]);
        assert_eq!(
            captured(level(1, false)),
            [
                "ERROR zbooks::test: broken",
                "WARN zbooks::test: failed attempt organization_id=\"123\" status=500",
            ]
        );
        let debug = captured(level(3, false));
        assert_eq!(debug.len(), 4, "{debug:?}");
        assert_eq!(debug[3], "DEBUG zbooks::test: every call path=/contacts");
        assert_eq!(captured(level(4, false)).len(), 5);
        assert!(captured(level(0, true)).is_empty());
    }

    #[test]
    fn enabled_checks_see_the_level_and_spans_are_off() {
        let log = Log::new(LevelFilter::DEBUG, false, |_: &str| {});
        tracing::subscriber::with_default(log, || {
            assert!(tracing::enabled!(target: "zbooks::call", Level::DEBUG));
            assert!(!tracing::enabled!(target: "zbooks::call", Level::TRACE));
            assert!(tracing::info_span!("attempt").is_disabled());
        });
    }

    #[test]
    fn the_libraries_beneath_show_their_warnings_until_everything_is_asked() {
        assert_eq!(
            max_for("zbooks::call", LevelFilter::DEBUG),
            LevelFilter::DEBUG
        );
        assert_eq!(
            max_for("zbooks_client::send", LevelFilter::DEBUG),
            LevelFilter::DEBUG
        );
        assert_eq!(
            max_for("hyper_util::client", LevelFilter::DEBUG),
            LevelFilter::WARN
        );
        assert_eq!(
            max_for("hyper_util::client", LevelFilter::ERROR),
            LevelFilter::ERROR
        );
        assert_eq!(
            max_for("hyper_util::client", LevelFilter::TRACE),
            LevelFilter::TRACE
        );
    }

    #[test]
    fn a_message_field_after_the_text_is_a_field() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let log = Log::new(LevelFilter::WARN, false, move |line: &str| {
            sink.lock().unwrap().push(line.to_owned());
        });
        tracing::subscriber::with_default(log, || {
            tracing::warn!(target: "zbooks::call", message = "already exists", "zbooks {}", "attempt");
        });
        let lines = lines.lock().unwrap();
        assert_eq!(
            lines[0],
            "WARN zbooks::call: zbooks attempt message=\"already exists\""
        );
    }

    #[test]
    fn the_log_scrubs_what_it_prints() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let log = Log::new(LevelFilter::WARN, false, move |line: &str| {
            sink.lock().unwrap().push(line.to_owned());
        });
        tracing::subscriber::with_default(log, || {
            tracing::warn!(target: "zbooks::test", header = "Authorization: Zoho-oauthtoken sim-secretcanary", "sent");
        });
        let lines = lines.lock().unwrap();
        assert!(!lines[0].contains("secretcanary"), "{lines:?}");
    }
}
