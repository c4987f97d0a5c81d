//! The HTML report as a person sees it: opened in headless Chromium at a laptop's size
//! (1280×800) and a phone's (390×844), screenshotted, and measured through the DOM — nothing
//! overflows its container, every chart's axis fits its data, the headline is the most severe
//! finding's title, the page's own chart check passed and no script failed.
//!
//! The browser test is `#[ignore]`d by default (it needs `/usr/bin/chromium`, Debian's
//! `chromium` package); CI installs it and runs
//! `cargo test -p zbooks-logs --test it -- --ignored html`.
#![expect(
    clippy::unwrap_used,
    reason = "the helpers below are part of the tests: a failure there is the test's failure"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use zbooks_logs::{AnalyzeOptions, Analyzer, Report};
use zbooks_types::event::CallEvent;

use crate::scenario::*;
use crate::temp_dir;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The sizes a person opens the report at: a laptop's and a phone's.
const SIZES: [(u32, u32); 2] = [(1280, 800), (390, 844)];

/// An organization far below the limit: 31 calls in its busiest minute.
const ORG_QUIET: &str = "60000006";

#[test]
fn html_report_is_self_contained() {
    let s = bunching();
    let r = crate::analyze_str("bunching.jsonl", &to_jsonl(&s.events));
    let html = r.to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(
            !html.contains(external),
            "the page must not load {external}"
        );
    }
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains(r#"data-chart="calls-per-minute""#));
    // No debug text for the reader: the chart check's verdict is a hidden element's attributes.
    assert!(!html.contains("verified"), "debug text in the page");
    assert!(html.contains(r#"<div id="zb-check" hidden data-ok="pending"></div>"#));
}

#[test]
fn the_headline_names_the_most_severe_finding_or_says_nothing_is_wrong() {
    let r = report();
    let top = r.most_severe().expect("the scenarios have findings");
    assert!(r.findings.iter().all(|f| f.severity >= top.severity));
    let html = r.to_html();
    let headline = html
        .split(r#"<span id="headline-title">"#)
        .nth(1)
        .and_then(|rest| rest.split("</span>").next())
        .expect("a headline");
    assert_eq!(headline, html_esc(&top.title));
    assert!(html.contains(&format!(
        r#"data-severity="{}" data-kind="{}""#,
        top.severity.as_str(),
        top.kind.as_str()
    )));

    let quiet = analyze_events(&quiet());
    assert!(quiet.findings.is_empty(), "{:#?}", quiet.findings);
    let html = quiet.to_html();
    assert!(
        html.contains(r#"<span id="headline-title">Nothing wrong found in 40 API calls</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"data-severity="none""#));
}

#[test]
#[ignore = "needs /usr/bin/chromium (Debian's chromium); CI runs it with --ignored html"]
fn html_report_in_headless_chromium_fits_laptop_and_phone_screens() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: apt-get install -y chromium"
    );
    let dir = temp_dir("html");
    let report = report();
    let html = report.to_html();
    let page = dir.join("report.html");
    std::fs::write(&page, &html).unwrap();

    for (width, height) in SIZES {
        // The check that measures the layout is the test's, put into a copy of the page.
        let measured = dir.join(format!("measured-{width}.html"));
        std::fs::write(&measured, with_layout_check(&html, width)).unwrap();

        // What a person sees: a screenshot, kept beside the page.
        let png = dir.join(format!("report-{width}x{height}.png"));
        let out = chromium(&dir, width, height)
            .arg(format!("--screenshot={}", png.display()))
            .arg(file_url(&page))
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.len() > 10_000,
            "{}: {} bytes",
            png.display(),
            bytes.len()
        );
        assert_eq!(
            &bytes[..8],
            b"\x89PNG\r\n\x1a\n",
            "{} is a PNG",
            png.display()
        );
        let png_width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let png_height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!(
            (png_width, png_height),
            (width, height),
            "{}",
            png.display()
        );

        // What the DOM says at that size.
        let dom = dump_dom(&dir, width, height, &measured);
        let layout = element(&dom, "zb-layout");
        assert_eq!(attr(layout, "data-width"), width.to_string(), "{layout}");
        assert_eq!(
            attr(layout, "data-narrow"),
            (width <= 720).to_string(),
            "{layout}"
        );
        assert_eq!(
            attr(layout, "data-overflow"),
            "0",
            "at {width}×{height} these overflow their container:\n{}",
            between(&dom, r#"<ol id="zb-overflow">"#, "</ol>").replace("<li>", "\n  ")
        );
        assert!(
            attr(layout, "data-checked").parse::<u32>().unwrap() > 500,
            "{layout}"
        );
        check_dom(&dom, &report);
    }
}

/// The layout check must see an overflow when there is one: a table of snake_case names as
/// the report drew its counts before, at a phone's width.
#[test]
#[ignore = "needs /usr/bin/chromium (Debian's chromium); CI runs it with --ignored html"]
fn html_layout_check_catches_a_table_wider_than_a_phone() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: apt-get install -y chromium"
    );
    let dir = temp_dir("html-control");
    let names = [
        "calls_before_first_45",
        "retried_after_server_error",
        "retried_after_no_answer",
        "median_minutes_to_first_57",
        "refused_as_duplicate",
    ];
    let table = format!(
        "<table><tr><th>{}</th></tr></table>",
        names.join("</th><th>")
    );
    let page = format!(
        r#"<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width,initial-scale=1"></head><body><main>{table}</main></body></html>"#
    );
    let path = dir.join("wide-table.html");
    std::fs::write(&path, with_layout_check(&page, 390)).unwrap();
    let dom = dump_dom(&dir, 390, 844, &path);
    let layout = element(&dom, "zb-layout");
    assert_ne!(attr(layout, "data-overflow"), "0", "{dom}");
    assert!(
        between(&dom, r#"<ol id="zb-overflow">"#, "</ol>").contains("table"),
        "{dom}"
    );
}

/// Every scenario, and an organization far below the limit, in one report.
fn report() -> Report {
    let mut a = Analyzer::new(AnalyzeOptions::default());
    for s in all() {
        a.feed_reader(&format!("{}.jsonl", s.name), to_jsonl(&s.events).as_bytes())
            .unwrap();
    }
    a.feed_events("quiet organization", quiet());
    a.finish()
}

/// 31 calls in one minute and 9 in the next, all answered: nothing wrong.
fn quiet() -> Vec<CallEvent> {
    let mut events = Vec::new();
    for i in 0..31 {
        events.push(ok(T0 + i * SEC, ORG_QUIET, "GET", "/books/v3/contacts"));
    }
    for i in 0..9 {
        events.push(ok(
            T0 + MIN + i * 5 * SEC,
            ORG_QUIET,
            "GET",
            "/books/v3/items",
        ));
    }
    events
}

fn analyze_events(events: &[CallEvent]) -> Report {
    let mut a = Analyzer::new(AnalyzeOptions::default());
    a.feed_events("events", events);
    a.finish()
}

/// What the report's DOM must show at any size.
fn check_dom(dom: &str, report: &Report) {
    // The page's script ran and found every chart consistent with its data.
    let check = element(dom, "zb-check");
    assert_eq!(attr(check, "data-ok"), "true", "{check}");
    let charts = dom.matches(r#"<svg class="chart""#).count();
    assert!(charts >= 9, "charts: {charts}");
    assert_eq!(attr(check, "data-charts"), charts.to_string());
    assert!(!dom.contains("verified"), "debug text in the page");

    // The headline is the most severe finding's title.
    let top = report.most_severe().unwrap();
    let headline = element(dom, "headline");
    assert_eq!(attr(headline, "data-severity"), top.severity.as_str());
    assert_eq!(attr(headline, "data-kind"), top.kind.as_str());
    assert_eq!(
        between(dom, r#"<span id="headline-title">"#, "</span>"),
        dom_text(&top.title)
    );

    // Every chart's value axis fits its data: its top tick at or above the data's maximum,
    // below twice it, and the last tick drawn is the top.
    let mut axes = 0;
    for svg in dom.split(r#"<svg class="chart""#).skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let head = &svg[..svg.find('>').unwrap()];
        if !head.contains("data-axis-max") {
            continue;
        }
        axes += 1;
        let max: u64 = attr(head, "data-max").parse().unwrap();
        let top: u64 = attr(head, "data-axis-max").parse().unwrap();
        let step: u64 = attr(head, "data-axis-step").parse().unwrap();
        assert!(top >= max, "{head}");
        assert!(max == 0 || top < 2 * max, "{head}");
        let ticks: Vec<u64> = svg
            .split(r#"data-tick=""#)
            .skip(1)
            .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(ticks.first(), Some(&0), "{head}");
        assert_eq!(ticks.last(), Some(&top), "{head}");
        assert!(ticks.windows(2).all(|w| w[1] - w[0] == step), "{head}");
    }
    // All but the two bar lists (codes, endpoints), which have no value axis.
    assert_eq!(axes, charts - 2, "axes");
    // The quiet organization's peak of 31 is drawn on 0..35 in steps of 5, the limit named.
    let quiet = chart_of(dom, ORG_QUIET);
    assert!(
        quiet.contains(r#"data-max="31" data-axis-max="35" data-axis-step="5""#),
        "{}",
        &quiet[..400]
    );
    assert!(quiet.contains("limit 100/min, above this scale"));
    // The bunched organization's 150 crosses the drawn limit.
    let bunch = chart_of(dom, ORG_BUNCH);
    assert!(bunch.contains(r#"data-peak="150""#), "{}", &bunch[..300]);
    assert!(bunch.contains(r#"data-over="3""#));
    assert!(bunch.contains(r#"data-limit="100""#));
    assert!(bunch.contains(r#"<line class="limit""#));

    // The charts and tables carry the data.
    assert!(dom.contains(r#"data-chart="errors-by-class""#));
    assert!(dom.contains(r#"data-key="44""#));
    assert!(dom.contains(r#"data-chart="endpoints""#));
    assert!(dom.contains(r#"data-kind="possible_duplicate_create""#));
    assert!(dom.contains(r#"data-44="150""#));
    assert!(dom.contains(r#"<dd data-count="calls_before_first_45">1000</dd>"#));
}

/// The calls-per-minute chart of one organization.
fn chart_of<'d>(dom: &'d str, org: &str) -> &'d str {
    dom.split("<svg")
        .find(|s| s.contains(&format!(r#"data-org="{org}""#)))
        .unwrap_or_else(|| panic!("no chart for {org}"))
}

/// The page with a script that measures, after layout, every element against its container
/// and writes the result into `#zb-layout`: the page must not scroll sideways, no box may
/// scroll its content sideways or reach past `<main>`, and no chart text may leave its
/// chart's drawing area.
///
/// Headless Chromium's `--dump-dom` lays a page out in a window at least 500 pixels wide (its
/// `--screenshot` honours 390), so for a narrower `width` the script first narrows the page's
/// root to `width` CSS pixels: the layout a phone gets, under the same media-query branch
/// (`data-narrow` says which branch applied).
fn with_layout_check(html: &str, width: u32) -> String {
    const CHECK: &str = r#"<div id="zb-layout"></div><ol id="zb-overflow"></ol><script>
(function(){
  var out=document.getElementById('zb-layout'),list=document.getElementById('zb-overflow');
  var bad=[],checked=0;
  if(window.innerWidth>WIDTH){document.documentElement.style.width=WIDTH+'px';}
  var width=Math.round(document.body.getBoundingClientRect().width);
  if(document.body.scrollWidth>width){bad.push('the page is wider than the screen: '+document.body.scrollWidth+' > '+width);}
  function name(el){var n=el.tagName.toLowerCase();if(el.id)n+='#'+el.id;if(el.getAttribute('class'))n+='.'+el.getAttribute('class').split(' ').join('.');if(el.getAttribute('data-chart'))n+='['+el.getAttribute('data-chart')+']';return n;}
  var doc=document.documentElement;
  if(doc.scrollWidth>window.innerWidth){bad.push('the page scrolls sideways: '+doc.scrollWidth+' > '+window.innerWidth);}
  var main=document.querySelector('main')||document.body;var box=main.getBoundingClientRect();
  main.querySelectorAll('*').forEach(function(el){
    if(el.closest('svg')&&el.tagName.toLowerCase()!=='svg'){
      if(el.tagName.toLowerCase()==='text'){
        checked++;var svg=el.ownerSVGElement,vb=svg.viewBox.baseVal,b=el.getBBox();
        if(b.x<-0.5||b.x+b.width>vb.width+0.5||b.y<-0.5||b.y+b.height>vb.height+0.5){bad.push(name(svg)+' text "'+el.textContent+'" leaves the chart');}
      }
      return;
    }
    checked++;
    if(el.clientWidth>0&&el.scrollWidth>el.clientWidth+1){bad.push(name(el)+': content '+el.scrollWidth+' wide in '+el.clientWidth);}
    var r=el.getBoundingClientRect();
    if(r.width>0&&(r.right>box.right+1||r.left<box.left-1)){bad.push(name(el)+': reaches '+Math.round(r.left)+'..'+Math.round(r.right)+' outside main '+Math.round(box.left)+'..'+Math.round(box.right));}
  });
  out.setAttribute('data-width',String(width));
  out.setAttribute('data-narrow',String(matchMedia('(max-width:720px)').matches));
  out.setAttribute('data-checked',String(checked));
  out.setAttribute('data-overflow',String(bad.length));
  bad.slice(0,40).forEach(function(t){var li=document.createElement('li');li.textContent=t;list.appendChild(li);});
})();
</script>"#;
    let at = html.rfind("</body>").expect("the page has a body");
    let check = CHECK.replace("WIDTH", &width.to_string());
    format!("{}{check}{}", &html[..at], &html[at..])
}

/// A headless Chromium of the given window size, alone with its own profile, offline.
fn chromium(dir: &Path, width: u32, height: u32) -> Command {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--window-size={width},{height}"))
    .arg(format!(
        "--user-data-dir={}",
        dir.join(format!("profile-{width}")).display()
    ));
    cmd
}

/// The DOM of `page` after its scripts ran, at the given window size; fails on any console
/// error or refused load.
fn dump_dom(dir: &Path, width: u32, height: u32, page: &Path) -> String {
    let out = chromium(dir, width, height)
        .arg("--dump-dom")
        .arg(file_url(page))
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {stderr}");
    for bad in ["CONSOLE", "Uncaught", "Refused to"] {
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(bad)).collect();
        assert!(lines.is_empty(), "console errors: {lines:#?}");
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", PathBuf::from(path).display())
}

/// The opening tag of the element with this id.
fn element<'d>(dom: &'d str, id: &str) -> &'d str {
    let at = dom
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in the DOM"));
    let start = dom[..at].rfind('<').unwrap();
    let end = at + dom[at..].find('>').unwrap();
    &dom[start..=end]
}

/// An attribute's value in a tag.
fn attr<'t>(tag: &'t str, name: &str) -> &'t str {
    let key = format!(r#" {name}=""#);
    let at = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    &tag[at..at + tag[at..].find('"').unwrap()]
}

/// The text between the first `open` and the next `close`.
fn between<'d>(dom: &'d str, open: &str, close: &str) -> &'d str {
    let at = dom
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in the DOM"))
        + open.len();
    &dom[at..at + dom[at..].find(close).unwrap()]
}

/// Text as the report escapes it.
fn html_esc(s: &str) -> String {
    dom_text(s).replace('"', "&quot;").replace('\'', "&#39;")
}

/// Text as a DOM dump writes it back.
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
