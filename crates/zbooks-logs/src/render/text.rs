//! The terminal report: findings first (ranked, with evidence, samples and fix), then the
//! tables (codes, 429s, classes, endpoints, organizations, tokens), a timeline and the lines
//! that could not be read. Plain text, styled (anstyle, as the CLI's printer) only when asked
//! for: the caller's stream keeps or strips the styles.

use std::fmt::Write as _;

use anstyle::AnsiColor;

use crate::report::{Report, Severity};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint(anstyle::Style::new().bold(), text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint(anstyle::Style::new().dimmed(), text)
    }

    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<8}", s.as_str().to_ascii_uppercase());
        let fg = |c: AnsiColor| anstyle::Style::new().fg_color(Some(c.into()));
        match s {
            Severity::Critical => self.paint(fg(AnsiColor::Red).bold(), &label),
            Severity::Error => self.paint(fg(AnsiColor::Red), &label),
            Severity::Warning => self.paint(fg(AnsiColor::Yellow), &label),
            Severity::Info => self.paint(fg(AnsiColor::Cyan), &label),
        }
    }
}

/// Wraps `text` to `width` columns, every line after the first indented by `indent`.
fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let mut col = indent;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if col > indent && col + 1 + len > width {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            col = indent;
        } else if col > indent {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
    }
    out
}

fn span(first: Option<&String>, last: Option<&String>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f == l => f.clone(),
        (Some(f), Some(l)) => format!("{f} → {l}"),
        (Some(f), None) => f.clone(),
        _ => "no time".to_owned(),
    }
}

fn bar(value: u64, max: u64, width: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if max == 0 {
        return String::new();
    }
    let cells = usize::try_from(value.saturating_mul(width as u64 * 8) / max).unwrap_or(0);
    let mut s = "█".repeat(cells / 8);
    s.push_str(PARTS[cells % 8]);
    if s.is_empty() && value > 0 {
        s.push('▏');
    }
    s
}

impl Report {
    /// The terminal report; `color` adds ANSI colours.
    pub fn to_text(&self, color: bool) -> String {
        let st = Style { color };
        let mut out = String::new();
        let t = &self.totals;
        let _ = writeln!(
            out,
            "{}",
            st.bold(&format!(
                "zbooks logs analyze — {} source(s), {} lines, {} API calls, {} token requests",
                self.sources.len(),
                t.lines,
                t.api_calls,
                t.token_requests
            ))
        );
        let _ = writeln!(
            out,
            "time: {}    succeeded {}, failed {}, retries {}",
            span(t.first.as_ref(), t.last.as_ref()),
            t.succeeded,
            t.failed,
            t.retries
        );
        if t.probes > 0 {
            let _ = writeln!(
                out,
                "{}",
                st.dim(&format!(
                    "{} diagnostic probe(s) of zbooks doctor, left out of the findings",
                    t.probes
                ))
            );
        }
        for s in &self.sources {
            let _ = writeln!(
                out,
                "  {} {}",
                s.name,
                st.dim(&format!(
                    "({}{}; {} lines, {} records, {} unreadable{})",
                    s.format,
                    if s.gzip { ", gzip" } else { "" },
                    s.lines,
                    s.records,
                    s.unreadable,
                    s.error
                        .as_ref()
                        .map_or_else(String::new, |e| format!("; stopped: {e}"))
                ))
            );
        }

        let _ = writeln!(
            out,
            "\n{}",
            st.bold(&format!("FINDINGS ({})", self.findings.len()))
        );
        if self.findings.is_empty() {
            let _ = writeln!(out, "  Nothing wrong found.");
        }
        for f in &self.findings {
            let _ = writeln!(
                out,
                "{:>3}. {} {}  {}",
                f.rank,
                st.severity(f.severity),
                st.dim(f.kind.as_str()),
                wrap(&f.title, 100, 15)
            );
            let _ = writeln!(
                out,
                "     {}",
                st.dim(&span(f.first.as_ref(), f.last.as_ref()))
            );
            if !f.counts.is_empty() {
                let counts: Vec<String> =
                    f.counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let _ = writeln!(out, "     {}", wrap(&counts.join(" "), 100, 5));
            }
            for e in &f.evidence {
                let _ = writeln!(out, "     - {}", wrap(e, 100, 7));
            }
            for s in &f.samples {
                let _ = writeln!(
                    out,
                    "     {} {}",
                    st.dim(&format!("{}:", s.location)),
                    s.text
                );
            }
            let _ = writeln!(out, "     {} {}\n", st.bold("fix:"), wrap(&f.fix, 100, 10));
        }

        if !self.codes.is_empty() {
            let _ = writeln!(out, "{}", st.bold("CODES"));
            let _ = writeln!(
                out,
                "  {:<16} {:>8}  {:<9} {:<30} first → last",
                "code", "count", "status", "meaning"
            );
            for c in &self.codes {
                let name = c.code.map_or_else(
                    || c.accounts_error.clone().unwrap_or_default(),
                    |n| n.to_string(),
                );
                let statuses: Vec<String> = c.statuses.iter().map(ToString::to_string).collect();
                let _ = writeln!(
                    out,
                    "  {:<16} {:>8}  {:<9} {:<30} {}",
                    name,
                    c.count,
                    statuses.join(","),
                    c.title,
                    st.dim(&span(c.first.as_ref(), c.last.as_ref()))
                );
            }
            let r = &self.rate_limits;
            let _ = writeln!(
                out,
                "  429s: {} — per-minute limit (44) {}, daily quota (45) {}, in flight (1070) {}, other {}\n",
                r.http_429, r.code_44, r.code_45, r.code_1070, r.other
            );
        }

        if !self.classes.is_empty() {
            let _ = writeln!(out, "{}", st.bold("FAILURES BY CLASS"));
            for c in &self.classes {
                let _ = writeln!(
                    out,
                    "  {:<22} {:>8}  {:<46} {}",
                    c.class.as_str(),
                    c.count,
                    c.class.describe(),
                    st.dim(&span(c.first.as_ref(), c.last.as_ref()))
                );
            }
            out.push('\n');
        }

        if !self.endpoints.is_empty() {
            let _ = writeln!(out, "{}", st.bold("ENDPOINTS (most calls)"));
            for e in &self.endpoints {
                let codes: Vec<String> = e.codes.iter().map(|(c, n)| format!("{c}×{n}")).collect();
                let _ = writeln!(
                    out,
                    "  {:<52} {:>8} calls {:>7} failed  {}",
                    e.endpoint,
                    e.calls,
                    e.failed,
                    codes.join(" ")
                );
            }
            out.push('\n');
        }

        if !self.organizations.is_empty() {
            let _ = writeln!(out, "{}", st.bold("ORGANIZATIONS"));
            let _ = writeln!(
                out,
                "  {:<20} {:>8} {:>8} {:>9} {:>8} {:>6} {:>9}  quota (UTC day)",
                "organization", "calls", "failed", "peak/min", "peak/60s", "over", "in flight"
            );
            for o in &self.organizations {
                let quota = o.quota.as_ref().map_or_else(String::new, |q| {
                    format!(
                        "{} used {}{}, {}/h{}",
                        q.day,
                        q.used,
                        q.limit.map_or_else(String::new, |l| format!(" of {l}")),
                        q.pace_per_hour,
                        match (&q.runs_out_at, q.exhausted) {
                            (Some(t), true) => format!(", spent at {t}"),
                            (Some(t), false) => format!(", runs out at {t}"),
                            _ => String::new(),
                        }
                    )
                });
                let _ = writeln!(
                    out,
                    "  {:<20} {:>8} {:>8} {:>9} {:>8} {:>6} {:>9}  {}",
                    o.organization,
                    o.calls,
                    o.failed,
                    o.peak_per_minute,
                    o.peak_60s,
                    o.minutes_over_limit,
                    o.peak_in_flight
                        .map_or_else(|| "-".to_owned(), |p| p.to_string()),
                    quota
                );
            }
            out.push('\n');
        }

        let tk = &self.tokens;
        if tk.requests > 0 {
            let _ = writeln!(out, "{}", st.bold("TOKEN REQUESTS"));
            let _ = writeln!(
                out,
                "  {} requests: {} succeeded, {} throttled, {} refused; at most {} within 10 minutes{} (Zoho allows 10)\n",
                tk.requests,
                tk.succeeded,
                tk.throttled,
                tk.refused,
                tk.peak_10min,
                tk.peak_at
                    .as_ref()
                    .map_or_else(String::new, |t| format!(", up to {t}"))
            );
        }

        if !self.timeline.bins.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                st.bold(&format!(
                    "TIMELINE (UTC, {} min per row; █ calls, ▒ failures)",
                    self.timeline.bin_minutes
                ))
            );
            let max = self
                .timeline
                .bins
                .iter()
                .map(|b| b.calls.max(b.failed))
                .max()
                .unwrap_or(0);
            for b in &self.timeline.bins {
                let fails = bar(b.failed, max, 40).replace('█', "▒");
                let classes: Vec<String> =
                    b.by_class.iter().map(|(k, v)| format!("{k} {v}")).collect();
                let _ = writeln!(
                    out,
                    "  {} {:<41} {:>7} calls  {:<41} {:>6} failed {}",
                    &b.start[..16.min(b.start.len())],
                    bar(b.calls, max, 40),
                    b.calls,
                    if color {
                        st.paint(
                            anstyle::Style::new().fg_color(Some(AnsiColor::Red.into())),
                            &fails,
                        )
                    } else {
                        fails
                    },
                    b.failed,
                    st.dim(&classes.join(", "))
                );
            }
            out.push('\n');
        }

        if self.unreadable.total > 0 {
            let _ = writeln!(
                out,
                "{}",
                st.bold(&format!("UNREADABLE LINES ({})", self.unreadable.total))
            );
            for l in &self.unreadable.lines {
                let _ = writeln!(out, "  {}: {} — {}", l.location, l.reason, l.text);
            }
            out.push('\n');
        }
        for n in &self.notes {
            let _ = writeln!(out, "{} {}", st.dim("note:"), wrap(n, 100, 6));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_draws_bars() {
        assert_eq!(wrap("a b c", 3, 0), "a b\nc");
        assert_eq!(bar(8, 8, 1), "█");
        assert_eq!(bar(4, 16, 1), "▎");
        assert_eq!(bar(1, 16, 1), "▏");
        assert_eq!(bar(0, 16, 1), "");
    }
}
