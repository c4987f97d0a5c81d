//! Inline SVG charts, written by hand: a few rectangles, lines and labels need no chart
//! library, and the output is small, deterministic and works offline.
//!
//! Every chart carries its data as attributes — the `<svg>` has `data-chart`, `data-bars`
//! (how many bars) and `data-total` (the sum they show); each bar has `data-v` — so the
//! page's check script and tests can verify that what is drawn is what was counted.

use std::fmt::Write as _;

use zbooks_types::FailureClass;

use crate::report::{OrgSeries, Timeline};
use crate::time::{self, MINUTE};

const W: f64 = 900.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 28.0;

/// Escapes text for HTML and SVG.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The colour of a failure class in every chart.
pub(crate) fn class_color(class: &str) -> &'static str {
    const COLORS: [&str; 13] = [
        "#d62728", "#8c564b", "#e377c2", "#ff7f0e", "#7f0000", "#bcbd22", "#9467bd", "#7f7f7f",
        "#17becf", "#1f77b4", "#2ca02c", "#000000", "#aaaaaa",
    ];
    FailureClass::ALL
        .iter()
        .position(|c| c.as_str() == class)
        .map_or("#aaaaaa", |i| COLORS[i % COLORS.len()])
}

#[expect(
    clippy::cast_precision_loss,
    reason = "chart coordinates: counts far below 2^52"
)]
fn f(v: u64) -> f64 {
    v as f64
}

#[expect(
    clippy::cast_precision_loss,
    reason = "chart coordinates: counts far below 2^52"
)]
fn fu(v: usize) -> f64 {
    v as f64
}

/// A round axis maximum at or above `v`.
fn nice_max(v: u64) -> u64 {
    let v = v.max(1);
    let mut step = 1u64;
    while step * 10 < v {
        step *= 10;
    }
    for m in [1, 2, 5, 10] {
        if step * m >= v {
            return step * m;
        }
    }
    step * 10
}

fn y_axis(out: &mut String, max: u64) {
    let plot_h = H - TOP - BOTTOM;
    for k in 0..=4u64 {
        let v = max * k / 4;
        let y = TOP + plot_h - plot_h * f(v) / f(max);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="tick">{v}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
}

fn x_labels(out: &mut String, start_ms: i64, bin_min: i64, n: usize) {
    let plot_w = W - LEFT - RIGHT;
    let picks = if n > 1 {
        vec![0, n / 2, n - 1]
    } else {
        vec![0]
    };
    for i in picks {
        let t = start_ms + i64::try_from(i).unwrap_or(0) * bin_min * MINUTE;
        let x = LEFT + plot_w * (fu(i) + 0.5) / fu(n.max(1));
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" class="tick">{}</text>"#,
            H - 8.0,
            esc(&time::format(t).replace('T', " ").replace('Z', ""))
        );
    }
}

/// The most calls in one minute, per bin, for one organization, with the limit of 100.
pub(crate) fn calls_per_minute(series: &OrgSeries, limit: u32) -> String {
    let n = series.peaks.len();
    let peak = series.peaks.iter().copied().max().unwrap_or(0);
    let max = nice_max(u64::from(peak.max(limit + limit / 5)));
    let total: u64 = series.peaks.iter().map(|v| u64::from(*v)).sum();
    let bars = series.peaks.iter().filter(|v| **v > 0).count();
    let over = series.peaks.iter().filter(|v| **v > limit).count();
    let start_ms = time::parse_iso(series.start.as_bytes()).unwrap_or(0);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" data-chart="calls-per-minute" data-org="{}" data-bars="{bars}" data-total="{total}" data-peak="{peak}" data-over="{over}" data-limit="{limit}" viewBox="0 0 {W} {H}" role="img" aria-label="calls per minute for organization {}">"#,
        esc(&series.organization),
        esc(&series.organization)
    );
    y_axis(&mut out, max);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let bw = plot_w / fu(n.max(1));
    for (i, v) in series.peaks.iter().enumerate() {
        if *v == 0 {
            continue;
        }
        let h = plot_h * f(u64::from(*v)) / f(max);
        let x = LEFT + bw * fu(i);
        let t = start_ms + i64::try_from(i).unwrap_or(0) * series.bin_minutes * MINUTE;
        let _ = write!(
            out,
            r#"<rect class="bar" data-v="{v}" x="{x:.2}" y="{:.2}" width="{:.2}" height="{h:.2}" fill="{}"><title>{}: {v} calls in the busiest minute</title></rect>"#,
            TOP + plot_h - h,
            (bw - 0.5).max(0.5),
            if *v > limit { "#d62728" } else { "#1f77b4" },
            esc(&time::format(t))
        );
    }
    let ly = TOP + plot_h - plot_h * f(u64::from(limit)) / f(max);
    let _ = write!(
        out,
        r##"<line class="limit" data-limit="{limit}" x1="{LEFT}" x2="{:.1}" y1="{ly:.1}" y2="{ly:.1}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="limit-label">limit {limit}/min</text>"##,
        W - RIGHT,
        W - RIGHT - 4.0,
        ly - 4.0
    );
    x_labels(&mut out, start_ms, series.bin_minutes, n);
    out.push_str("</svg>");
    out
}

/// Failures over time, stacked by class.
pub(crate) fn errors_by_class(timeline: &Timeline) -> String {
    let n = timeline.bins.len();
    let peak = timeline.bins.iter().map(|b| b.failed).max().unwrap_or(0);
    let max = nice_max(peak);
    let total: u64 = timeline.bins.iter().map(|b| b.failed).sum();
    let bars: usize = timeline.bins.iter().map(|b| b.by_class.len()).sum();
    let start_ms = timeline
        .bins
        .first()
        .and_then(|b| time::parse_iso(b.start.as_bytes()))
        .unwrap_or(0);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" data-chart="errors-by-class" data-bars="{bars}" data-total="{total}" viewBox="0 0 {W} {H}" role="img" aria-label="failures over time by class">"#
    );
    y_axis(&mut out, max);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let bw = plot_w / fu(n.max(1));
    for (i, b) in timeline.bins.iter().enumerate() {
        let mut y = TOP + plot_h;
        for (class, v) in &b.by_class {
            let h = plot_h * f(*v) / f(max);
            y -= h;
            let _ = write!(
                out,
                r#"<rect class="bar" data-v="{v}" data-class="{class}" x="{:.2}" y="{y:.2}" width="{:.2}" height="{h:.2}" fill="{}"><title>{} {class}: {v}</title></rect>"#,
                LEFT + bw * fu(i),
                (bw - 1.0).max(0.5),
                class_color(class),
                esc(&b.start)
            );
        }
    }
    x_labels(&mut out, start_ms, timeline.bin_minutes, n);
    out.push_str("</svg>");
    out
}

/// Horizontal bars: one row per `(label, value, key)`; `key` goes in `data-key`.
pub(crate) fn hbars(chart: &str, rows: &[(String, u64, String)], color: &str) -> String {
    let row_h = 22.0;
    let label_w = 330.0;
    let h = TOP + row_h * fu(rows.len()) + 8.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let total: u64 = rows.iter().map(|r| r.1).sum();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" data-chart="{chart}" data-bars="{}" data-total="{total}" viewBox="0 0 {W} {h}" role="img" aria-label="{chart}">"#,
        rows.len()
    );
    let plot_w = W - label_w - 80.0;
    for (i, (label, v, key)) in rows.iter().enumerate() {
        let y = TOP + row_h * fu(i);
        let w = (plot_w * f(*v) / f(max)).max(1.0);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" class="label">{}</text><rect class="bar" data-v="{v}" data-key="{}" x="{label_w}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{color}"><title>{}: {v}</title></rect><text x="{:.1}" y="{:.1}" class="value">{v}</text>"#,
            label_w - 8.0,
            y + 15.0,
            esc(label),
            esc(key),
            row_h - 6.0,
            esc(label),
            label_w + w + 6.0,
            y + 15.0
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_maxima_and_escaping() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(120), 200);
        assert_eq!(nice_max(100), 100);
        assert_eq!(nice_max(7), 10);
        assert_eq!(esc("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
    }

    #[test]
    fn charts_carry_their_data() {
        let series = OrgSeries {
            organization: "1".to_owned(),
            bin_minutes: 1,
            start: "2026-11-25T10:00:00Z".to_owned(),
            peaks: vec![10, 0, 150],
        };
        let svg = calls_per_minute(&series, 100);
        assert!(svg.contains(r#"data-bars="2" data-total="160" data-peak="150" data-over="1""#));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        let bars = hbars("codes", &[("44".to_owned(), 3, "44".to_owned())], "#000");
        assert!(bars.contains(r#"data-v="3" data-key="44""#));
    }
}
