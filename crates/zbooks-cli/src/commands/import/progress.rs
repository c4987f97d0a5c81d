//! The progress of `zbooks import` on stderr. On a terminal: indicatif bars, one per phase
//! (listing, creating, reading back), with the rate and a time left from the pacing plan
//! (calls left at the plan's per-minute limit, never the instantaneous rate, which means
//! nothing during a wait), and a spinner line for each wait with its reason and a countdown;
//! the notes printed meanwhile go above the bars ([`crate::printer::set_stderr_sink`]),
//! never onto them. Elsewhere (a pipe, a log file, CI): plain lines with no control
//! characters — one per phase change, one every tenth of the records, one per wait, and one
//! when a record is deferred after a server failure or adopted after a lost answer, so a run
//! never goes quiet for minutes with no word.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use zbooks_import::{Entity, ImportPlan, Phase, Progress};

use super::view::hm;
use crate::printer::{self, Printer};

/// How long a run at the plan's pace still takes: what the time left is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pacing {
    /// Calls a minute the plan allows.
    pub per_minute: u32,
    /// Calls a day the import may use.
    pub per_day: u32,
    /// The length of the limits' minute (60 s at Zoho).
    pub minute: Duration,
}

const DAY: Duration = Duration::from_hours(24);

impl Pacing {
    /// The time left for `calls_left` calls at the plan's per-minute limit, plus a day for
    /// each day's quota they need past the first (the run waits for the reset), plus the
    /// rest of a wait under way (`waiting`).
    pub(crate) fn eta(&self, calls_left: u64, waiting: Duration) -> Duration {
        let per_minute = u128::from(self.per_minute.max(1));
        let per_day = u64::from(self.per_day.max(1));
        let at_rate = u128::from(calls_left) * self.minute.as_nanos() / per_minute;
        let at_rate = Duration::from_nanos(u64::try_from(at_rate).unwrap_or(u64::MAX));
        let days = calls_left.saturating_sub(1) / per_day;
        waiting + at_rate + DAY * u32::try_from(days).unwrap_or(u32::MAX)
    }
}

/// The bars of a terminal.
struct Bars {
    multi: MultiProgress,
    listing: Option<ProgressBar>,
    creating: Option<ProgressBar>,
    waiting: Option<ProgressBar>,
    reading: Option<ProgressBar>,
}

enum Mode {
    Quiet,
    Lines,
    Bars(Bars),
}

/// Renders a run's progress on stderr (bars on a terminal, plain lines elsewhere).
pub(crate) struct ProgressView {
    printer: Printer,
    mode: Mode,
    pacing: Pacing,
    started: Instant,
    /// Whether the read-back phase has been shown.
    reading_back: bool,
    /// Whether the creating phase has been shown (its opening line told).
    creating: bool,
    listed: Vec<(Entity, u64)>,
    /// The settled count at which the next plain line is printed.
    next_line_at: u64,
    /// The settled count of the last plain line (a count is told once).
    line_at: Option<u64>,
    /// The wait last reported (its end), so a wait is told once.
    wait_until: Option<SystemTime>,
    /// Deferred and adopted counts last seen, to tell each new deferral and adoption.
    seen: Option<(u64, u64)>,
}

/// The wall clock, through the one gateway (a wait's end is a wall-clock time).
fn now() -> SystemTime {
    zbooks_types::Clock::now(&zbooks_types::SystemClock)
}

const TICK: Duration = Duration::from_millis(200);

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A spinner line for a wait: its reason and a countdown to `until`.
fn wait_spinner(multi: &MultiProgress, reason: &str, until: SystemTime) -> ProgressBar {
    let bar = multi.add(ProgressBar::new_spinner());
    let countdown = move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
        let left = until.duration_since(now()).unwrap_or(Duration::ZERO);
        let _ = w.write_str(&hm(left));
    };
    bar.set_style(
        style("{prefix:>10} {spinner} {countdown} {wide_msg}").with_key("countdown", countdown),
    );
    bar.set_prefix("waiting");
    bar.set_message(format!("for {reason}"));
    bar.enable_steady_tick(TICK);
    bar
}

impl ProgressView {
    /// A view on stderr for a run paced at `minute`-long minutes (bars when stderr is a
    /// terminal, lines otherwise, nothing when quiet).
    pub(crate) fn new(printer: Printer, minute: Duration) -> Self {
        let mode = if printer.quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let sink = multi.clone();
            printer::set_stderr_sink(Some(Arc::new(move |line: &str| {
                let _ = sink.println(line);
            })));
            // The client's own waits (its pacing, a pause after a 44, a backoff) as spinners
            // with their reason and a countdown, like the importer's.
            let waits = multi.clone();
            printer::set_wait_sink(Some(Arc::new(move |reason: &str, length: Duration| {
                let bar = wait_spinner(&waits, reason, now() + length);
                Box::new(move || bar.finish_and_clear())
            })));
            Mode::Bars(Bars {
                multi,
                listing: None,
                creating: None,
                waiting: None,
                reading: None,
            })
        } else {
            Mode::Lines
        };
        ProgressView {
            printer,
            mode,
            pacing: Pacing {
                per_minute: 100,
                per_day: 1000,
                minute,
            },
            started: Instant::now(),
            reading_back: false,
            creating: false,
            listed: Vec::new(),
            next_line_at: 0,
            line_at: None,
            wait_until: None,
            seen: None,
        }
    }

    /// The plan is known: its pace makes the time left. The listing ends here.
    pub(crate) fn planned(&mut self, plan: &ImportPlan) {
        self.pacing.per_minute = plan.per_minute;
        self.pacing.per_day = plan.per_day;
        self.end_listing();
    }

    /// The listing of an entity ended with `records` in Zoho.
    pub(crate) fn listed(&mut self, entity: Entity, records: u64) {
        self.listed.push((entity, records));
        let so_far = self
            .listed
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect::<Vec<_>>()
            .join(" · ");
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Lines => self
                .printer
                .note(&format!("listing: Zoho holds {records} {entity} record(s)")),
            Mode::Bars(bars) => {
                let bar = bars.listing.get_or_insert_with(|| {
                    let bar = bars.multi.add(ProgressBar::new_spinner());
                    bar.set_style(style("{prefix:>10} {spinner} {wide_msg}"));
                    bar.set_prefix("listing");
                    bar.enable_steady_tick(TICK);
                    bar
                });
                bar.set_message(format!("what Zoho holds: {so_far}"));
            }
        }
    }

    /// The listing spinner becomes one plain line above where the bars go, so that what is
    /// printed next (the plan, on stdout) starts on a clean line.
    fn end_listing(&mut self) {
        if let Mode::Bars(bars) = &mut self.mode
            && let Some(bar) = bars.listing.take()
        {
            bar.finish_and_clear();
            let so_far = self
                .listed
                .iter()
                .map(|(e, n)| format!("{e} {n}"))
                .collect::<Vec<_>>()
                .join(" · ");
            let _ = bars
                .multi
                .println(format!("listed what Zoho holds: {so_far}"));
        }
    }

    /// A wait before anything can be listed or sent (the accounts server's cool-down).
    pub(crate) fn waiting(&mut self, reason: &str, until: SystemTime) {
        self.wait(reason, until, None);
    }

    fn wait(&mut self, reason: &str, until: SystemTime, left: Option<u64>) {
        if self.wait_until == Some(until) {
            return;
        }
        self.wait_until = Some(until);
        let wait = until.duration_since(now()).unwrap_or(Duration::ZERO);
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Lines => {
                let mut line = format!("waiting {} for {reason}", hm(wait));
                if let Some(left) = left {
                    let eta = self.pacing.eta(left, wait);
                    let _ = write!(line, "; about {} left", hm(eta));
                }
                self.printer.note(&line);
            }
            Mode::Bars(bars) => {
                if let Some(old) = bars.waiting.take() {
                    old.finish_and_clear();
                }
                bars.waiting = Some(wait_spinner(&bars.multi, reason, until));
            }
        }
    }

    fn end_wait(&mut self) {
        self.wait_until = None;
        if let Mode::Bars(bars) = &mut self.mode
            && let Some(bar) = bars.waiting.take()
        {
            bar.finish_and_clear();
        }
    }

    /// The executor's progress.
    pub(crate) fn show(&mut self, progress: &Progress) {
        match &progress.phase {
            Phase::Listed { entity, records } => self.listed(*entity, *records),
            Phase::Waiting { reason, until } => {
                let left = progress.total.saturating_sub(progress.settled);
                self.wait(reason, *until, Some(left));
                self.update_creating(progress);
            }
            Phase::ReadingBack => {
                self.end_wait();
                self.update_creating(progress);
                if self.reading_back {
                    return;
                }
                self.reading_back = true;
                match &mut self.mode {
                    Mode::Quiet => {}
                    Mode::Lines => self
                        .printer
                        .note("reading back: listing Zoho again for the reconciliation"),
                    Mode::Bars(bars) => {
                        if let Some(bar) = &bars.creating {
                            bar.finish();
                        }
                        let bar = bars.multi.add(ProgressBar::new_spinner());
                        bar.set_style(style("{prefix:>10} {spinner} {wide_msg}"));
                        bar.set_prefix("reading");
                        bar.set_message("Zoho back for the reconciliation");
                        bar.enable_steady_tick(TICK);
                        bars.reading = Some(bar);
                    }
                }
            }
            _ => {
                self.end_wait();
                self.update_creating(progress);
            }
        }
    }

    /// The numbers of the creating phase: the bar, or a line every tenth of the records.
    #[expect(
        clippy::cast_precision_loss,
        reason = "a rate for people; counts stay far below 2^52"
    )]
    fn update_creating(&mut self, progress: &Progress) {
        let left = progress.total.saturating_sub(progress.settled);
        // During a wait the time left is its rest plus the calls at the plan's pace.
        let waiting = self.wait_until.map_or(Duration::ZERO, |u| {
            u.duration_since(now()).unwrap_or(Duration::ZERO)
        });
        let eta = self.pacing.eta(left, waiting);
        let done_now = progress.settled.saturating_sub(progress.settled_before);
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = done_now as f64 / elapsed;
        let counts = format!(
            "created {} · adopted {} · already there {} · failed {} · deferred {}",
            progress.created,
            progress.adopted,
            progress.present,
            progress.failed,
            progress.deferred
        );
        let first = !self.creating;
        if first {
            self.creating = true;
            self.end_listing();
            self.seen = Some((progress.deferred, progress.adopted));
            self.next_line_at = progress.settled;
        }
        let events = self.news(progress);
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Lines => {
                for event in events {
                    self.printer.note(&event);
                }
                if first {
                    self.printer.note(&format!(
                        "creating: {left} of {} record(s) to settle; about {} at {} calls a minute",
                        progress.total,
                        hm(eta),
                        self.pacing.per_minute
                    ));
                }
                let step = progress.total.div_ceil(10).max(1);
                let due = progress.settled >= self.next_line_at || left == 0;
                if due && (!first || left == 0) && self.line_at != Some(progress.settled) {
                    self.line_at = Some(progress.settled);
                    let percent = (progress.settled * 100)
                        .checked_div(progress.total)
                        .unwrap_or(100);
                    self.printer.note(&format!(
                        "creating: {}/{} ({percent}%) · {counts} · {rate:.1}/s · about {} left",
                        progress.settled,
                        progress.total,
                        hm(eta)
                    ));
                }
                while self.next_line_at <= progress.settled {
                    self.next_line_at += step;
                }
            }
            Mode::Bars(bars) => {
                for event in events {
                    let _ = bars.multi.println(event);
                }
                let bar = bars.creating.get_or_insert_with(|| {
                    let bar = bars.multi.add(ProgressBar::new(progress.total));
                    // The spinner turns between records too: a slow answer is not a hang.
                    bar.set_style(
                        style("{prefix:>10} {spinner} [{bar:25}] {pos}/{len} {wide_msg}")
                            .progress_chars("=> "),
                    );
                    bar.set_prefix("creating");
                    bar.enable_steady_tick(TICK);
                    bar
                });
                bar.set_position(progress.settled);
                bar.set_message(format!("{rate:.1}/s · about {} left · {counts}", hm(eta)));
            }
        }
    }

    /// Lines for what changed that a person should hear of at once: a record deferred after
    /// a server failure, a create adopted after its answer was lost.
    fn news(&mut self, progress: &Progress) -> Vec<String> {
        let mut out = Vec::new();
        let Some((deferred, adopted)) = self.seen else {
            return out;
        };
        if progress.deferred > deferred {
            out.push(format!(
                "deferred {} record(s): Zoho failed on its side (a server error); each is sent \
                 again after a pause, looked up first when it may have landed",
                progress.deferred - deferred
            ));
        }
        if progress.adopted > adopted {
            out.push(format!(
                "adopted {} record(s): a create whose answer was lost was found in Zoho by its \
                 key, and not sent again",
                progress.adopted - adopted
            ));
        }
        self.seen = Some((progress.deferred, progress.adopted));
        out
    }

    /// The run ended: the bars are left as they stand, the display let go, and stderr is
    /// stderr again.
    pub(crate) fn finish(&mut self) {
        self.end_wait();
        self.end_listing();
        if let Mode::Bars(bars) = &mut self.mode {
            if let Some(bar) = bars.creating.take() {
                bar.finish();
            }
            if let Some(bar) = bars.reading.take() {
                bar.finish_and_clear();
            }
            printer::set_stderr_sink(None);
            printer::set_wait_sink(None);
            self.mode = Mode::Quiet;
        }
    }
}

impl Drop for ProgressView {
    fn drop(&mut self) {
        if matches!(self.mode, Mode::Bars(_)) {
            printer::set_stderr_sink(None);
            printer::set_wait_sink(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_is_the_calls_left_at_the_plan_s_pace_plus_the_wait() {
        let zoho = Pacing {
            per_minute: 100,
            per_day: 1000,
            minute: Duration::from_mins(1),
        };
        assert_eq!(zoho.eta(0, Duration::ZERO), Duration::ZERO);
        assert_eq!(zoho.eta(100, Duration::ZERO), Duration::from_mins(1));
        assert_eq!(zoho.eta(250, Duration::ZERO), Duration::from_secs(150));
        // A wait under way adds its rest; the pace does not change with it.
        assert_eq!(
            zoho.eta(50, Duration::from_secs(90)),
            Duration::from_mins(2)
        );
        // Past a day's quota, a day for each further day.
        assert_eq!(
            zoho.eta(1500, Duration::ZERO),
            DAY + Duration::from_mins(15)
        );
        assert_eq!(zoho.eta(1000, Duration::ZERO), Duration::from_mins(10));
        // A shortened minute (a simulator's) shortens it alike.
        let sim = Pacing {
            minute: Duration::from_secs(1),
            ..zoho
        };
        assert_eq!(sim.eta(250, Duration::ZERO), Duration::from_millis(2500));
        // A plan that says 0 a minute is read as 1, never a division by zero.
        let odd = Pacing {
            per_minute: 0,
            per_day: 0,
            ..zoho
        };
        assert_eq!(odd.eta(1, Duration::ZERO), Duration::from_mins(1));
    }
}
