//! The HTML report: one self-contained page (inline CSS, inline SVG, a few lines of inline
//! script) that opens offline and from a file. A Content-Security-Policy forbids every
//! network load, so nothing can leak out of the page or be fetched into it.
//!
//! The inline script only checks the charts: every chart's bars must add up to the totals it
//! declares; it writes the verdict into `#zb-check` (`data-ok="true"`), which a headless
//! browser's DOM dump shows, proving the page rendered and ran without errors.

use std::fmt::Write as _;

use zbooks_types::plan::CALLS_PER_MINUTE;

use super::svg::{self, esc};
use crate::report::Report;

const STYLE: &str = r"
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.muted{color:#666}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e2e2e2;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}
.finding{background:#fff;border:1px solid #e2e2e2;border-left:6px solid #999;border-radius:6px;padding:10px 14px;margin:10px 0}
.sev-critical{border-left-color:#b00020}.sev-error{border-left-color:#d62728}.sev-warning{border-left-color:#e6a100}.sev-info{border-left-color:#17becf}
.badge{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;padding:1px 6px;border-radius:4px;background:#eee;margin-right:6px}
.kind{font-family:ui-monospace,Menlo,monospace;font-size:12px;color:#666}
pre{background:#f4f4f4;padding:8px;border-radius:4px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
th,td{border:1px solid #e2e2e2;padding:4px 8px;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #e2e2e2;border-radius:6px;margin:6px 0}
svg .tick,svg .label,svg .value{font-size:11px;fill:#444}svg .limit-label{font-size:12px;fill:#d62728;font-weight:600}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.fix{background:#f1f8f1;border-radius:4px;padding:6px 8px}
";

const SCRIPT: &str = r"
(function(){
  var out=document.getElementById('zb-check');
  try{
    var charts=document.querySelectorAll('svg.chart');var bad=[];
    charts.forEach(function(svg){
      var bars=svg.querySelectorAll('rect.bar');var sum=0;
      bars.forEach(function(r){sum+=Number(r.getAttribute('data-v'));});
      if(bars.length!==Number(svg.getAttribute('data-bars'))||sum!==Number(svg.getAttribute('data-total'))){bad.push(svg.getAttribute('data-chart'));}
      if(svg.getAttribute('data-chart')==='calls-per-minute'&&!svg.querySelector('line.limit')){bad.push('limit line');}
    });
    var findings=document.querySelectorAll('section.finding').length;
    if(bad.length){out.setAttribute('data-ok','false');out.textContent='chart check failed: '+bad.join(', ');console.error('zbooks report: '+out.textContent);}
    else{out.setAttribute('data-ok','true');out.setAttribute('data-charts',String(charts.length));out.setAttribute('data-findings',String(findings));out.textContent='charts verified: '+charts.length+', findings: '+findings;}
  }catch(e){out.setAttribute('data-ok','false');out.textContent='check error: '+e;throw e;}
})();
";

fn opt(s: Option<&String>) -> String {
    s.map_or_else(|| "—".to_owned(), |v| esc(v))
}

impl Report {
    /// One self-contained HTML page: charts (calls per minute per organization against the
    /// limit, failures over time by class, codes, endpoints), the findings with their
    /// evidence and the tables. It loads nothing from the network.
    pub fn to_html(&self) -> String {
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
                .map(|s| esc(&s.name))
                .collect::<Vec<_>>()
                .join(", "),
            opt(t.first.as_ref()),
            opt(t.last.as_ref()),
            self.now
                .as_ref()
                .map_or_else(String::new, |n| format!(" · now {}", esc(n)))
        );
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
        out.push_str(r#"<p id="zb-check" data-ok="pending">charts not checked (scripts off)</p>"#);

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
                first = opt(f.first.as_ref()),
                last = opt(f.last.as_ref())
            );
            if !f.counts.is_empty() {
                out.push_str("<table class=\"counts\"><tr>");
                for k in f.counts.keys() {
                    let _ = write!(out, "<th>{}</th>", esc(k));
                }
                out.push_str("</tr><tr>");
                for (k, v) in &f.counts {
                    let _ = write!(out, r#"<td class="n" data-count="{}">{v}</td>"#, esc(k));
                }
                out.push_str("</tr></table>");
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
        out.push_str("<table><tr><th>code</th><th>count</th><th>status</th><th>meaning</th><th>class</th><th>orgs</th><th>first</th><th>last</th></tr>");
        for c in &self.codes {
            let statuses: Vec<String> = c.statuses.iter().map(ToString::to_string).collect();
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&c.code.map_or_else(
                    || c.accounts_error.clone().unwrap_or_default(),
                    |n| n.to_string()
                )),
                c.count,
                statuses.join(", "),
                esc(&c.title),
                c.class.map_or("", |k| k.as_str()),
                c.organizations,
                opt(c.first.as_ref()),
                opt(c.last.as_ref())
            );
        }
        out.push_str("</table>");

        out.push_str("<h2>Endpoints</h2>");
        let endpoint_rows: Vec<(String, u64, String)> = self
            .endpoints
            .iter()
            .take(10)
            .map(|e| (e.endpoint.clone(), e.calls, e.endpoint.clone()))
            .collect();
        out.push_str(&svg::hbars("endpoints", &endpoint_rows, "#1f77b4"));
        out.push_str(
            "<table><tr><th>endpoint</th><th>calls</th><th>failed</th><th>codes</th></tr>",
        );
        for e in &self.endpoints {
            let codes: Vec<String> = e.codes.iter().map(|(c, n)| format!("{c}×{n}")).collect();
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
                esc(&e.endpoint),
                e.calls,
                e.failed,
                codes.join(" ")
            );
        }
        out.push_str("</table>");

        out.push_str("<h2>Organizations</h2><table><tr><th>organization</th><th>calls</th><th>failed</th><th>peak/min</th><th>peak/60 s</th><th>minutes over 100</th><th>in flight</th><th>quota (UTC day)</th></tr>");
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
            let _ = write!(
                out,
                r#"<tr data-org="{}"><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
                esc(&o.organization),
                esc(&o.organization),
                o.calls,
                o.failed,
                o.peak_per_minute,
                o.peak_60s,
                o.minutes_over_limit,
                o.peak_in_flight
                    .map_or_else(|| "—".to_owned(), |p| p.to_string()),
                esc(&quota)
            );
        }
        out.push_str("</table>");

        let tk = &self.tokens;
        let _ = write!(
            out,
            "<h2>Token requests</h2><p>{} requests: {} succeeded, {} throttled, {} refused; at most {} within 10 minutes (Zoho allows 10).</p>",
            tk.requests, tk.succeeded, tk.throttled, tk.refused, tk.peak_10min
        );

        out.push_str("<h2>Sources</h2><table><tr><th>source</th><th>format</th><th>lines</th><th>records</th><th>unreadable</th><th>stopped</th></tr>");
        for s in &self.sources {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td>{}{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
                esc(&s.name),
                s.format,
                if s.gzip { " (gzip)" } else { "" },
                s.lines,
                s.records,
                s.unreadable,
                s.error.as_ref().map_or_else(String::new, |e| esc(e))
            );
        }
        out.push_str("</table>");
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
