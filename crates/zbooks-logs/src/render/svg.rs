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

/// A value axis from 0 in "nice" steps (1, 2 or 5 times a power of ten) that fits the data:
/// its top tick is at or above the data's maximum and, for any maximum of 1 or more, below
/// twice it (a peak of 31 gets 0..35 in steps of 5, not 0..200).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Axis {
    /// The distance between ticks.
    pub(crate) step: u64,
    /// The top tick (a multiple of `step`).
    pub(crate) top: u64,
}

/// The most intervals an axis is cut into (ticks are one more).
const MAX_INTERVALS: u64 = 8;

impl Axis {
    /// The axis for data whose largest value is `max` (0 when there is none: 0..1).
    pub(crate) fn fit(max: u64) -> Axis {
        let max = max.max(1);
        // The smallest power of ten above a fiftieth of the maximum (1 at least: counts are
        // whole); 1, 2, 5, 10, 20 or 50 times it cuts the maximum in at most 8 intervals.
        let mut magnitude = 1u64;
        while magnitude <= max / 50 {
            magnitude *= 10;
        }
        for m in [1, 2, 5, 10, 20, 50] {
            let step = magnitude.saturating_mul(m);
            let intervals = max.div_ceil(step);
            if intervals <= MAX_INTERVALS {
                return Axis {
                    step,
                    top: intervals.saturating_mul(step),
                };
            }
        }
        Axis {
            step: max,
            top: max,
        }
    }

    /// The tick values, from 0 to `top`.
    pub(crate) fn ticks(self) -> impl Iterator<Item = u64> {
        (0..=self.top / self.step).map(move |k| k * self.step)
    }
}

/// Draws the value axis: a grid line and a label per tick.
fn y_axis(out: &mut String, axis: Axis) {
    let plot_h = H - TOP - BOTTOM;
    for v in axis.ticks() {
        let y = TOP + plot_h - plot_h * f(v) / f(axis.top);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="tick" data-tick="{v}">{v}</text>"##,
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
        // The first and last labels start and end at the plot's edges, so neither is cut.
        let (x, anchor) = if n > 1 && i == 0 {
            (LEFT, "start")
        } else if n > 1 && i == n - 1 {
            (W - RIGHT, "end")
        } else {
            (LEFT + plot_w * (fu(i) + 0.5) / fu(n.max(1)), "middle")
        };
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" class="tick">{}</text>"#,
            H - 8.0,
            esc(&time::format(t).replace('T', " ").replace('Z', ""))
        );
    }
}

/// The most calls in one minute, per bin, for one organization, with the limit of 100.
pub(crate) fn calls_per_minute(series: &OrgSeries, limit: u32) -> String {
    let n = series.peaks.len();
    let peak = series.peaks.iter().copied().max().unwrap_or(0);
    // The axis fits the data; the limit is drawn when it is on the scale, else named.
    let axis = Axis::fit(u64::from(peak));
    let max = axis.top;
    let limit_shown = u64::from(limit) <= max;
    let total: u64 = series.peaks.iter().map(|v| u64::from(*v)).sum();
    let bars = series.peaks.iter().filter(|v| **v > 0).count();
    let over = series.peaks.iter().filter(|v| **v > limit).count();
    let start_ms = time::parse_iso(series.start.as_bytes()).unwrap_or(0);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" data-chart="calls-per-minute" data-org="{}" data-bars="{bars}" data-total="{total}" data-peak="{peak}" data-over="{over}" data-limit="{limit}" data-limit-shown="{limit_shown}" data-max="{peak}" data-axis-max="{max}" data-axis-step="{}" viewBox="0 0 {W} {H}" role="img" aria-label="calls per minute for organization {}">"#,
        esc(&series.organization),
        axis.step,
        esc(&series.organization)
    );
    y_axis(&mut out, axis);
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
    if limit_shown {
        let ly = TOP + plot_h - plot_h * f(u64::from(limit)) / f(max);
        let _ = write!(
            out,
            r##"<line class="limit" data-limit="{limit}" x1="{LEFT}" x2="{:.1}" y1="{ly:.1}" y2="{ly:.1}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="limit-label">limit {limit}/min</text>"##,
            W - RIGHT,
            W - RIGHT - 4.0,
            ly - 4.0
        );
    } else {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" class="limit-label limit-off">limit {limit}/min, above this scale</text>"#,
            W - RIGHT - 4.0,
            TOP + 12.0
        );
    }
    x_labels(&mut out, start_ms, series.bin_minutes, n);
    out.push_str("</svg>");
    out
}

/// Failures over time, stacked by class.
pub(crate) fn errors_by_class(timeline: &Timeline) -> String {
    let n = timeline.bins.len();
    let peak = timeline.bins.iter().map(|b| b.failed).max().unwrap_or(0);
    let axis = Axis::fit(peak);
    let max = axis.top;
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
        r#"<svg class="chart" data-chart="errors-by-class" data-bars="{bars}" data-total="{total}" data-max="{peak}" data-axis-max="{max}" data-axis-step="{}" viewBox="0 0 {W} {H}" role="img" aria-label="failures over time by class">"#,
        axis.step
    );
    y_axis(&mut out, axis);
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

/// The most characters of a bar's label drawn beside it (the whole label is its tooltip): what
/// fits left of the bars at the largest label size the page uses.
const LABEL_CHARS: usize = 40;

/// A label cut to [`LABEL_CHARS`], with `…` when cut.
fn shorten_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut out: String = label.chars().take(LABEL_CHARS - 1).collect();
    out.push('…');
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
            esc(&shorten_label(label)),
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
    fn escapes() {
        assert_eq!(esc("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
    }

    #[test]
    fn axes_take_nice_steps_that_fit_the_data() {
        let ticks = |max| Axis::fit(max).ticks().collect::<Vec<_>>();
        assert_eq!(ticks(31), [0, 5, 10, 15, 20, 25, 30, 35]);
        assert_eq!(Axis::fit(150), Axis { step: 20, top: 160 });
        assert_eq!(Axis::fit(100), Axis { step: 20, top: 100 });
        assert_eq!(Axis::fit(7), Axis { step: 1, top: 7 });
        assert_eq!(
            Axis::fit(1_000),
            Axis {
                step: 200,
                top: 1_000
            }
        );
        assert_eq!(Axis::fit(1), Axis { step: 1, top: 1 });
        assert_eq!(Axis::fit(0), Axis { step: 1, top: 1 });
    }

    #[test]
    fn every_axis_fits_within_twice_its_maximum() {
        let mut maxima: Vec<u64> = (1..=20_000).collect();
        maxima.extend((0..60).map(|e| 1u64 << e));
        maxima.extend([999_999, 1_000_001, u64::MAX / 3, u64::MAX / 2]);
        for max in maxima {
            let a = Axis::fit(max);
            assert!(a.top >= max, "{max}: {a:?}");
            assert!(a.top - max < max, "{max}: {a:?} reaches twice the maximum");
            assert_eq!(a.top % a.step, 0, "{max}: {a:?}");
            let intervals = a.top / a.step;
            assert!((1..=MAX_INTERVALS).contains(&intervals), "{max}: {a:?}");
            let lead = a.step / 10u64.pow(a.step.ilog10());
            assert!(
                [1, 2, 5].contains(&lead),
                "{max}: step {} is not nice",
                a.step
            );
            assert_eq!(a.step % 10u64.pow(a.step.ilog10()), 0, "{max}: {a:?}");
        }
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
        assert!(svg.contains(r#"data-max="150" data-axis-max="160" data-axis-step="20""#));
        assert!(svg.contains(r#"class="limit""#));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        let quiet = OrgSeries {
            peaks: vec![31, 12],
            ..series
        };
        let svg = calls_per_minute(&quiet, 100);
        assert!(svg.contains(r#"data-max="31" data-axis-max="35" data-axis-step="5""#));
        assert!(svg.contains(r#"data-limit-shown="false""#));
        assert!(!svg.contains(r#"class="limit""#));
        assert!(svg.contains("limit 100/min, above this scale"));
        assert!(svg.contains(r#"data-tick="35">35<"#));
        assert!(!svg.contains(r#"data-tick="40""#));
        let bars = hbars("codes", &[("44".to_owned(), 3, "44".to_owned())], "#000");
        assert!(bars.contains(r#"data-v="3" data-key="44""#));
        let long = "57 — an access token that is invalid or has expired, or was never given";
        let bars = hbars("codes", &[(long.to_owned(), 3, "57".to_owned())], "#000");
        assert!(
            bars.contains(">57 — an access token that is invalid or…<"),
            "{bars}"
        );
        assert!(bars.contains(&format!("<title>{}: 3</title>", esc(long))));
    }
}
