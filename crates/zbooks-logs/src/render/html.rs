//! The HTML report: one self-contained page (inline CSS, inline SVG, a few lines of inline
//! script) that opens offline and from a file. A Content-Security-Policy forbids every
//! network load, so nothing can leak out of the page or be fetched into it.
//!
//! It opens with a headline computed from the findings (the most severe one's title, or
//! "nothing wrong found"), and it fits any screen from a phone's up: long snake_case names,
//! paths and timestamps may break at their `_`, `/` and `T`, the tables turn into one card per
//! row on a narrow screen, and every chart's value axis is a "nice numbers" scale fitted to
//! its data ([`super::svg::Axis`]).
//!
//! The inline script shows nothing: it checks the charts (every chart's bars add up to the
//! totals it declares, its axis covers its data) and writes the verdict into the hidden
//! `#zb-check` (`data-ok="true"`), which a headless browser's DOM dump shows, proving the page
//! rendered and ran without errors.

use std::fmt::Write as _;

use zbooks_types::plan::CALLS_PER_MINUTE;

use super::svg::{self, esc};
use crate::report::{Report, Severity};

const STYLE: &str = r"
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px;overflow-wrap:anywhere}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.headline{font-size:18px;font-weight:600;background:#fff;border:1px solid #e2e2e2;border-left:6px solid #2ca02c;border-radius:6px;padding:10px 14px;margin:16px 0 4px}
.headline.sev-critical{border-left-color:#b00020}.headline.sev-error{border-left-color:#d62728}.headline.sev-warning{border-left-color:#e6a100}.headline.sev-info{border-left-color:#17becf}
.muted{color:#666}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e2e2e2;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}
.finding{background:#fff;border:1px solid #e2e2e2;border-left:6px solid #999;border-radius:6px;padding:10px 14px;margin:10px 0}
.sev-critical{border-left-color:#b00020}.sev-error{border-left-color:#d62728}.sev-warning{border-left-color:#e6a100}.sev-info{border-left-color:#17becf}
.badge{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;padding:1px 6px;border-radius:4px;background:#eee;margin-right:6px}
.kind{font-family:ui-monospace,Menlo,monospace;font-size:12px;color:#666}
dl.counts{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
dl.counts div{background:#f6f6f6;border-radius:4px;padding:3px 8px;max-width:100%}
dl.counts dt{display:inline;font-family:ui-monospace,Menlo,monospace;font-size:12px;color:#555}
dl.counts dd{display:inline;margin:0 0 0 6px;font-weight:600;font-variant-numeric:tabular-nums}
pre{background:#f4f4f4;padding:8px;border-radius:4px;font-size:12px;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
th,td{border:1px solid #e2e2e2;padding:4px 8px;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{display:block;width:100%;height:auto;background:#fff;border:1px solid #e2e2e2;border-radius:6px;margin:6px 0}
svg .tick,svg .label,svg .value{font-size:11px;fill:#444}svg .limit-label{font-size:12px;fill:#d62728;font-weight:600}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.fix{background:#f1f8f1;border-radius:4px;padding:6px 8px}
@media (max-width:720px){
main{padding:12px}
table.rows thead{display:none}
table.rows,table.rows tbody,table.rows tr,table.rows td{display:block;width:auto}
table.rows tr{border:1px solid #e2e2e2;border-radius:6px;margin:0 0 8px;padding:4px 0}
table.rows td{border:0;padding:2px 8px;text-align:left}
table.rows td::before{content:attr(data-label);display:inline-block;min-width:9em;color:#666;font-size:12px}
svg .tick,svg .limit-label{font-size:22px}svg .label,svg .value{font-size:15px}
}
";

const SCRIPT: &str = r"
(function(){
  var out=document.getElementById('zb-check');
  try{
    var charts=document.querySelectorAll('svg.chart');var bad=[];
    charts.forEach(function(svg){
      var name=svg.getAttribute('data-chart');
      var bars=svg.querySelectorAll('rect.bar');var sum=0;
      bars.forEach(function(r){sum+=Number(r.getAttribute('data-v'));});
      if(bars.length!==Number(svg.getAttribute('data-bars'))||sum!==Number(svg.getAttribute('data-total'))){bad.push(name);}
      if(svg.getAttribute('data-limit-shown')==='true'&&!svg.querySelector('line.limit')){bad.push(name+': limit line');}
      if(svg.hasAttribute('data-axis-max')){
        var max=Number(svg.getAttribute('data-max')),top=Number(svg.getAttribute('data-axis-max'));
        var ticks=svg.querySelectorAll('text.tick[data-tick]');var last=ticks.length?Number(ticks[ticks.length-1].getAttribute('data-tick')):-1;
        if(top<max||(max>0&&top>=2*max)||last!==top){bad.push(name+': axis');}
      }
    });
    var findings=document.querySelectorAll('section.finding').length;
    out.setAttribute('data-charts',String(charts.length));out.setAttribute('data-findings',String(findings));
    if(bad.length){out.setAttribute('data-ok','false');out.setAttribute('data-bad',bad.join(', '));console.error('zbooks report: chart check failed: '+bad.join(', '));}
    else{out.setAttribute('data-ok','true');}
  }catch(e){out.setAttribute('data-ok','false');out.setAttribute('data-bad','check error: '+e);throw e;}
})();
";

/// Escaped text that may break after `_`, `/`, `.`, `,` and a timestamp's `T`, so
/// `calls_before_first_45`, `/books/v3/invoices/{id}` and `2026-11-25T09:20:00Z` wrap where a
/// reader expects rather than overflow a narrow column.
pub(crate) fn breakable(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut prev_digit = false;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
        if matches!(c, '_' | '/' | '.' | ',') || (c == 'T' && prev_digit) {
            out.push_str("<wbr>");
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

/// A time cell: `—` when unknown, else breakable after its `T`.
fn time(s: Option<&String>) -> String {
    s.map_or_else(|| "—".to_owned(), |v| breakable(v))
}

/// Opens a table that turns into one card per row on a narrow screen; `heads` are the column
/// names, repeated in each cell's `data-label` by [`cell`].
fn table_head(out: &mut String, id: &str, heads: &[&str]) {
    let _ = write!(out, r#"<table class="rows" id="{id}"><thead><tr>"#);
    for h in heads {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
}

/// One cell: `html` is already escaped; `numeric` right-aligns it.
fn cell(out: &mut String, label: &str, numeric: bool, html: &str) {
    let _ = write!(
        out,
        r#"<td{} data-label="{}">{html}</td>"#,
        if numeric { r#" class="n""# } else { "" },
        esc(label)
    );
}

/// The headline: the most severe finding's title (the first in rank among equals), or that
/// nothing was found.
fn headline(report: &Report) -> String {
    match report.most_severe() {
        Some(top) => {
            let more = report.findings.len() - 1;
            let rest = if more == 0 {
                String::new()
            } else {
                let mut by: Vec<String> = Vec::new();
                for sev in [
                    Severity::Critical,
                    Severity::Error,
                    Severity::Warning,
                    Severity::Info,
                ] {
                    let n = report.findings.iter().filter(|f| f.severity == sev).count()
                        - usize::from(sev == top.severity);
                    if n > 0 {
                        let name = match (sev, n) {
                            (Severity::Error, 2..) => "errors",
                            (Severity::Warning, 2..) => "warnings",
                            _ => sev.as_str(),
                        };
                        by.push(format!("{n} {name}"));
                    }
                }
                format!(
                    r#"<p class="muted" id="headline-more">and {more} more finding{}: {}</p>"#,
                    if more == 1 { "" } else { "s" },
                    by.join(", ")
                )
            };
            format!(
                r#"<p id="headline" class="headline sev-{sev}" data-severity="{sev}" data-kind="{kind}" data-findings="{n}"><span class="badge">{sev}</span> <span id="headline-title">{title}</span></p>{rest}"#,
                sev = top.severity.as_str(),
                kind = top.kind.as_str(),
                n = report.findings.len(),
                title = esc(&top.title)
            )
        }
        None => format!(
            r#"<p id="headline" class="headline" data-severity="none" data-findings="0"><span id="headline-title">Nothing wrong found in {} API call{}</span></p>"#,
            report.totals.api_calls,
            if report.totals.api_calls == 1 {
                ""
            } else {
                "s"
            }
        ),
    }
}

/// A table the page shows after the analysis, from a source the analyzer does not read
/// itself (the CLI's alert queue and webhook log): a heading, one line saying what it holds,
/// and rows of plain text (escaped here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Appendix {
    /// The table's `id` in the page.
    pub id: String,
    /// The heading.
    pub title: String,
    /// One line under the heading (counts, where it was read).
    pub summary: String,
    /// The column names.
    pub heads: Vec<String>,
    /// The rows, one text per column.
    pub rows: Vec<Vec<String>>,
}

impl Report {
    /// One self-contained HTML page: charts (calls per minute per organization against the
    /// limit, failures over time by class, codes, endpoints), the findings with their
    /// evidence and the tables. It loads nothing from the network.
    pub fn to_html(&self) -> String {
        self.to_html_with(&[])
    }

    /// [`Report::to_html`], with `appendices` shown after the analysis's own tables.
    pub fn to_html_with(&self, appendices: &[Appendix]) -> String {
        let mut out = String::with_capacity(64 * 1024);
        let t = &self.totals;
        let _ = write!(
            out,
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"><title>zbooks logs analyze</title><style>{STYLE}</style></head><body><main data-schema="{}">"#,
            self.schema
        );
        let _ = write!(
            out,
            r#"<h1>zbooks logs analyze</h1><p class="muted">{} · {} → {} (UTC){}</p>"#,
            self.sources
                .iter()
                .map(|s| breakable(&s.name))
                .collect::<Vec<_>>()
                .join(", "),
            time(t.first.as_ref()),
            time(t.last.as_ref()),
            self.now
                .as_ref()
                .map_or_else(String::new, |n| format!(" · now {}", esc(n)))
        );
        out.push_str(&headline(self));
        let _ = write!(
            out,
            r#"<div class="cards"><div class="card"><b id="total-calls" data-v="{0}">{0}</b>API calls</div><div class="card"><b data-v="{1}">{1}</b>failed</div><div class="card"><b data-v="{2}">{2}</b>token requests</div><div class="card"><b data-v="{3}">{3}</b>findings</div><div class="card"><b data-v="{4}">{4}</b>lines read</div><div class="card"><b data-v="{5}">{5}</b>unreadable</div></div>"#,
            t.api_calls,
            t.failed,
            t.token_requests,
            self.findings.len(),
            t.lines,
            self.unreadable.total
        );
        out.push_str(r#"<div id="zb-check" hidden data-ok="pending"></div>"#);

        // Findings.
        let _ = write!(out, "<h2>Findings ({})</h2>", self.findings.len());
        if self.findings.is_empty() {
            out.push_str("<p>Nothing wrong found.</p>");
        }
        for f in &self.findings {
            let _ = write!(
                out,
                r#"<section class="finding sev-{sev}" data-kind="{kind}" data-count="{count}" data-rank="{rank}"><div><span class="badge">{sev}</span><span class="kind">#{rank} {kind}</span></div><h3>{title}</h3><p class="muted">{first} → {last}</p>"#,
                sev = f.severity.as_str(),
                kind = f.kind.as_str(),
                count = f.count,
                rank = f.rank,
                title = esc(&f.title),
                first = time(f.first.as_ref()),
                last = time(f.last.as_ref())
            );
            if !f.counts.is_empty() {
                out.push_str(r#"<dl class="counts">"#);
                for (k, v) in &f.counts {
                    let _ = write!(
                        out,
                        r#"<div><dt>{}</dt><dd data-count="{}">{v}</dd></div>"#,
                        breakable(k),
                        esc(k)
                    );
                }
                out.push_str("</dl>");
            }
            if !f.evidence.is_empty() {
                out.push_str("<ul>");
                for e in &f.evidence {
                    let _ = write!(out, "<li>{}</li>", esc(e));
                }
                out.push_str("</ul>");
            }
            if !f.samples.is_empty() {
                out.push_str("<pre class=\"samples\">");
                for s in &f.samples {
                    let _ = writeln!(out, "{}  {}", esc(&s.location), esc(&s.text));
                }
                out.push_str("</pre>");
            }
            let _ = write!(
                out,
                r#"<p class="fix"><b>Fix:</b> {}</p></section>"#,
                esc(&f.fix)
            );
        }

        // Charts.
        out.push_str("<h2>Calls per minute, by organization</h2>");
        if self.minute_series.is_empty() {
            out.push_str("<p class=\"muted\">No timed calls.</p>");
        }
        for s in &self.minute_series {
            let _ = write!(
                out,
                r#"<h3>Organization {} <span class="muted">(busiest minute per {}-minute point; limit {} a minute)</span></h3>"#,
                esc(&s.organization),
                s.bin_minutes,
                CALLS_PER_MINUTE
            );
            out.push_str(&svg::calls_per_minute(s, CALLS_PER_MINUTE));
        }
        let _ = write!(
            out,
            "<h2>Failures over time, by class <span class=\"muted\">({} min per bar)</span></h2>",
            self.timeline.bin_minutes
        );
        out.push_str(&svg::errors_by_class(&self.timeline));
        let mut classes: Vec<&str> = self
            .timeline
            .bins
            .iter()
            .flat_map(|b| b.by_class.keys().copied())
            .collect();
        classes.sort_unstable();
        classes.dedup();
        out.push_str("<p class=\"legend\">");
        for c in classes {
            let _ = write!(
                out,
                r#"<span><i style="background:{}"></i>{}</span>"#,
                svg::class_color(c),
                esc(c)
            );
        }
        out.push_str("</p>");

        out.push_str("<h2>Codes</h2>");
        let code_rows: Vec<(String, u64, String)> = self
            .codes
            .iter()
            .take(15)
            .map(|c| {
                let key = c.code.map_or_else(
                    || c.accounts_error.clone().unwrap_or_default(),
                    |n| n.to_string(),
                );
                (format!("{key} — {}", c.title), c.count, key)
            })
            .collect();
        out.push_str(&svg::hbars("codes", &code_rows, "#d62728"));
        let r = &self.rate_limits;
        let _ = write!(
            out,
            r#"<p id="rate-limits" data-429="{}" data-44="{}" data-45="{}" data-1070="{}">HTTP 429: {} — per-minute limit (44) {}, daily quota (45) {}, in flight (1070) {}, other {}</p>"#,
            r.http_429,
            r.code_44,
            r.code_45,
            r.code_1070,
            r.http_429,
            r.code_44,
            r.code_45,
            r.code_1070,
            r.other
        );
        let heads = [
            "code", "count", "status", "meaning", "class", "orgs", "first", "last",
        ];
        table_head(&mut out, "codes-table", &heads);
        for c in &self.codes {
            let statuses: Vec<String> = c.statuses.iter().map(ToString::to_string).collect();
            let key = c.code.map_or_else(
                || c.accounts_error.clone().unwrap_or_default(),
                |n| n.to_string(),
            );
            out.push_str("<tr>");
            cell(&mut out, heads[0], false, &breakable(&key));
            cell(&mut out, heads[1], true, &c.count.to_string());
            cell(&mut out, heads[2], false, &breakable(&statuses.join(", ")));
            cell(&mut out, heads[3], false, &esc(&c.title));
            cell(
                &mut out,
                heads[4],
                false,
                &breakable(c.class.map_or("", |k| k.as_str())),
            );
            cell(&mut out, heads[5], true, &c.organizations.to_string());
            cell(&mut out, heads[6], false, &time(c.first.as_ref()));
            cell(&mut out, heads[7], false, &time(c.last.as_ref()));
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");

        out.push_str("<h2>Endpoints</h2>");
        let endpoint_rows: Vec<(String, u64, String)> = self
            .endpoints
            .iter()
            .take(10)
            .map(|e| (e.endpoint.clone(), e.calls, e.endpoint.clone()))
            .collect();
        out.push_str(&svg::hbars("endpoints", &endpoint_rows, "#1f77b4"));
        let heads = ["endpoint", "calls", "failed", "codes"];
        table_head(&mut out, "endpoints-table", &heads);
        for e in &self.endpoints {
            let codes: Vec<String> = e.codes.iter().map(|(c, n)| format!("{c}×{n}")).collect();
            out.push_str("<tr>");
            cell(&mut out, heads[0], false, &breakable(&e.endpoint));
            cell(&mut out, heads[1], true, &e.calls.to_string());
            cell(&mut out, heads[2], true, &e.failed.to_string());
            cell(&mut out, heads[3], false, &esc(&codes.join(" ")));
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");

        out.push_str("<h2>Organizations</h2>");
        let heads = [
            "organization",
            "calls",
            "failed",
            "peak/min",
            "peak/60 s",
            "minutes over 100",
            "in flight",
            "quota (UTC day)",
        ];
        table_head(&mut out, "organizations-table", &heads);
        for o in &self.organizations {
            let quota = o.quota.as_ref().map_or_else(String::new, |q| {
                format!(
                    "{}: {} used{}, {}/h{}",
                    q.day,
                    q.used,
                    q.limit.map_or_else(String::new, |l| format!(" of {l}")),
                    q.pace_per_hour,
                    q.runs_out_at.as_ref().map_or_else(String::new, |t| {
                        if q.exhausted {
                            format!(", spent at {t}")
                        } else {
                            format!(", runs out at {t}")
                        }
                    })
                )
            });
            let _ = write!(out, r#"<tr data-org="{}">"#, esc(&o.organization));
            cell(&mut out, heads[0], false, &breakable(&o.organization));
            cell(&mut out, heads[1], true, &o.calls.to_string());
            cell(&mut out, heads[2], true, &o.failed.to_string());
            cell(&mut out, heads[3], true, &o.peak_per_minute.to_string());
            cell(&mut out, heads[4], true, &o.peak_60s.to_string());
            cell(&mut out, heads[5], true, &o.minutes_over_limit.to_string());
            cell(
                &mut out,
                heads[6],
                true,
                &o.peak_in_flight
                    .map_or_else(|| "—".to_owned(), |p| p.to_string()),
            );
            cell(&mut out, heads[7], false, &breakable(&quota));
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");

        let tk = &self.tokens;
        let _ = write!(
            out,
            "<h2>Token requests</h2><p>{} requests: {} succeeded, {} throttled, {} refused; at most {} within 10 minutes (Zoho allows 10).</p>",
            tk.requests, tk.succeeded, tk.throttled, tk.refused, tk.peak_10min
        );

        out.push_str("<h2>Sources</h2>");
        let heads = [
            "source",
            "format",
            "lines",
            "records",
            "unreadable",
            "stopped",
        ];
        table_head(&mut out, "sources-table", &heads);
        for s in &self.sources {
            out.push_str("<tr>");
            cell(&mut out, heads[0], false, &breakable(&s.name));
            cell(
                &mut out,
                heads[1],
                false,
                &format!(
                    "{}{}",
                    breakable(s.format),
                    if s.gzip { " (gzip)" } else { "" }
                ),
            );
            cell(&mut out, heads[2], true, &s.lines.to_string());
            cell(&mut out, heads[3], true, &s.records.to_string());
            cell(&mut out, heads[4], true, &s.unreadable.to_string());
            cell(
                &mut out,
                heads[5],
                false,
                &s.error.as_ref().map_or_else(String::new, |e| esc(e)),
            );
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        if !self.unreadable.lines.is_empty() {
            let _ = write!(
                out,
                "<h2>Unreadable lines ({})</h2><pre>",
                self.unreadable.total
            );
            for l in &self.unreadable.lines {
                let _ = writeln!(
                    out,
                    "{}  {}  [{}]",
                    esc(&l.location),
                    esc(&l.text),
                    esc(&l.reason)
                );
            }
            out.push_str("</pre>");
        }
        for a in appendices {
            let _ = write!(
                out,
                r#"<h2>{}</h2><p class="muted">{}</p>"#,
                esc(&a.title),
                esc(&a.summary)
            );
            if a.rows.is_empty() {
                continue;
            }
            let heads: Vec<&str> = a.heads.iter().map(String::as_str).collect();
            table_head(&mut out, &a.id, &heads);
            for row in &a.rows {
                out.push_str("<tr>");
                for (i, text) in row.iter().enumerate() {
                    cell(
                        &mut out,
                        heads.get(i).copied().unwrap_or(""),
                        false,
                        &breakable(text),
                    );
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
        }
        if !self.notes.is_empty() {
            out.push_str("<h2>Notes</h2><ul>");
            for n in &self.notes {
                let _ = write!(out, "<li>{}</li>", esc(n));
            }
            out.push_str("</ul>");
        }
        let _ = writeln!(out, "</main><script>{SCRIPT}</script></body></html>");
        out
    }
}
