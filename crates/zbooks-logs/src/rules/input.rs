//! The input itself: lines that could not be read and lines too long to read, so a reader
//! knows what the analysis did not see.

use crate::analyze::{State, location};
use crate::report::{Finding, FindingKind, Sample, Severity};
use crate::util::push_sample;

use super::common::{finding, plural};

pub(super) fn unreadable_rule(state: &State, out: &mut Vec<Finding>) {
    let total: u64 = state.sources.iter().map(|s| s.unreadable).sum();
    if total == 0 {
        return;
    }
    let mut f = finding(
        FindingKind::UnreadableLines,
        Severity::Info,
        format!("{} could not be read", plural(total, "line", "lines")),
        total,
    );
    f.counts.insert("lines", total);
    for s in state.sources.iter().filter(|s| s.unreadable > 0) {
        f.evidence.push(format!(
            "{}: {}",
            s.name,
            plural(s.unreadable, "line", "lines")
        ));
    }
    for (loc, reason, text) in state.unreadable.iter().take(3) {
        f.samples.push(Sample {
            location: location(&state.sources, *loc),
            text: format!("{text}   [{reason}]"),
        });
    }
    "Nothing to fix in Zoho. If these lines should hold calls, check that the log is complete \
     (not cut mid-line) and in one of the formats read: zbooks event logs, HAR, or text with \
     Zoho's answers in it."
        .clone_into(&mut f.fix);
    out.push(f);
}

pub(super) fn long_lines_rule(state: &State, out: &mut Vec<Finding>) {
    let total: u64 = state.sources.iter().map(|s| s.long_lines).sum();
    if total == 0 {
        return;
    }
    let limit = crate::report::MAX_LINE_BYTES as u64;
    let mut f = finding(
        FindingKind::LongLines,
        Severity::Warning,
        format!(
            "{} longer than {} skipped unread",
            plural(total, "line", "lines"),
            human_bytes(limit)
        ),
        total,
    );
    f.counts.insert("lines", total);
    f.counts.insert("longest_bytes", state.longest_line);
    f.counts.insert("limit_bytes", limit);
    for (loc, bytes, text) in &state.long_lines {
        let at = location(&state.sources, *loc);
        f.evidence.push(format!(
            "{at}: {bytes} bytes ({}), not analysed",
            human_bytes(*bytes)
        ));
        push_sample(&mut f.samples, || Sample {
            location: at.clone(),
            text: format!("{text}   [{bytes} bytes, skipped]"),
        });
    }
    let listed = state.long_lines.len() as u64;
    if total > listed {
        f.evidence.push(format!(
            "and {} more",
            plural(total - listed, "line", "lines")
        ));
    }
    f.fix = format!(
        "Calls on these lines are missing from the analysis. A line this long is usually a \
         whole response or file dumped into the log, or a file that is not a log at all: log \
         one request and its answer per line with bodies cut short, or remove the dump, and \
         analyse again (lines up to {} are read).",
        human_bytes(limit)
    );
    out.push(f);
}

/// `1.0 MiB`, `4.0 GiB`, `512 bytes`.
pub(super) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return plural(n, "byte", "bytes");
    }
    #[expect(clippy::cast_precision_loss, reason = "a size shown with one decimal")]
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
