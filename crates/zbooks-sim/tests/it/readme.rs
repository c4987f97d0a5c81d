//! The README's curl sequence, run against a fresh simulator: each `# →` line is checked, so
//! the README cannot rot. The runner understands exactly the shell the README uses: variable
//! assignments, `NAME=$(curl ... | jq -r .field)`, `curl` with `-s -o -w -X -H -d
//! --data-urlencode`, `for i in $(seq N); do curl ...; done`, `curl ... &` and `wait`.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;
use zbooks_sim::{Sim, SimConfig};

use crate::support::client;

/// Shell words of a line, with `$NAME` expanded outside single quotes.
fn words(line: &str, vars: &HashMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let expand = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, word: &mut String| {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if name.is_empty() {
            word.push('$');
        } else {
            word.push_str(
                vars.get(&name)
                    .unwrap_or_else(|| panic!("README uses ${name} before setting it")),
            );
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' if in_word => {
                out.push(std::mem::take(&mut word));
                in_word = false;
            }
            ' ' | '\t' => {}
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                word.push(n);
                            }
                        }
                        '$' => expand(&mut chars, &mut word),
                        _ => word.push(c),
                    }
                }
            }
            '$' => {
                in_word = true;
                expand(&mut chars, &mut word);
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// Runs one `curl` command line; answers the status and the JSON body (Null when not JSON).
async fn curl(http: reqwest::Client, args: Vec<String>) -> (u16, Value) {
    assert_eq!(args[0], "curl");
    let mut method = None;
    let mut url = None;
    let mut headers = Vec::new();
    let mut data: Vec<String> = Vec::new();
    let mut it = args.into_iter().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-s" | "-S" => {}
            "-o" | "-w" => {
                it.next();
            }
            "-X" => method = it.next(),
            "-H" => {
                let h = it.next().unwrap();
                let (k, v) = h.split_once(':').unwrap();
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
            "-d" | "--data" => data.push(it.next().unwrap()),
            "--data-urlencode" => {
                let d = it.next().unwrap();
                let (k, v) = d.split_once('=').unwrap();
                let encoded: String = form_urlencoded_byte_serialize(v);
                data.push(format!("{k}={encoded}"));
            }
            other if other.starts_with("http") => url = Some(other.to_owned()),
            other => panic!("the README runner does not know curl's {other}"),
        }
    }
    let method = method.unwrap_or_else(|| {
        if data.is_empty() {
            "GET".into()
        } else {
            "POST".into()
        }
    });
    let mut req = http.request(method.parse().unwrap(), url.expect("a URL"));
    let has_type = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    if !data.is_empty() {
        if !has_type {
            req = req.header("content-type", "application/x-www-form-urlencoded");
        }
        req = req.body(data.join("&"));
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// curl's `--data-urlencode`: the value percent-encoded as a form value.
fn form_urlencoded_byte_serialize(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Whether `actual` has everything `expected` has (`"…"` matches any value).
fn has(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(s), _) if s == "…" => !actual.is_null(),
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| has(ev, av))),
        _ => expected == actual,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_curl_sequence_answers_as_documented() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let http = client();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("## Zoho's answers")
        .expect("the README's curl section");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("SIM".into(), sim.accounts_url());
    let mut last: Vec<(u16, Value)> = Vec::new();
    let mut background: Vec<tokio::task::JoinHandle<(u16, Value)>> = Vec::new();
    let mut checked = 0;
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(expect) = line.strip_prefix("# →") {
            let expect = expect.trim();
            let (some, expect) = match expect.strip_prefix("some ") {
                Some(rest) => (true, rest),
                None => (false, expect),
            };
            let (status, json) = expect.split_once(' ').unwrap_or((expect, "null"));
            let status: u16 = status.parse().unwrap();
            let json: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{line}: {e}"));
            let ok =
                |(s, body): &(u16, Value)| *s == status && (json.is_null() || has(&json, body));
            if some {
                assert!(last.iter().any(ok), "{line}\ngot {last:?}");
                assert!(
                    last.iter().all(|r| ok(r) || r.0 == 200),
                    "{line}\ngot {last:?}"
                );
            } else {
                assert_eq!(last.len(), 1, "{line}: expectation without a command");
                assert!(ok(&last[0]), "{line}\ngot {} {}", last[0].0, last[0].1);
            }
            checked += 1;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line == "wait" {
            last.clear();
            for task in background.drain(..) {
                last.push(task.await.unwrap());
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("for i in $(seq ") {
            let (n, rest) = rest.split_once("); do ").unwrap();
            let command = rest.strip_suffix("; done").unwrap();
            for _ in 0..n.parse::<usize>().unwrap() {
                curl(http.clone(), words(command, &vars)).await;
            }
            last.clear();
            continue;
        }
        if let Some((name, value)) = line
            .split_once('=')
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        {
            if let Some(inner) = value.strip_prefix("$(").and_then(|v| v.strip_suffix(')')) {
                let (command, field) = inner.split_once(" | jq -r .").unwrap();
                let (_, body) = curl(http.clone(), words(command, &vars)).await;
                let v = body[field]
                    .as_str()
                    .unwrap_or_else(|| panic!("{line}: {body}"))
                    .to_owned();
                vars.insert(name.to_owned(), v);
            } else if !vars.contains_key(name) {
                let v = words(value, &vars).concat();
                vars.insert(name.to_owned(), v);
            }
            continue;
        }
        if let Some(command) = line.strip_suffix(" &") {
            background.push(tokio::spawn(curl(http.clone(), words(command, &vars))));
            continue;
        }
        assert!(
            line.starts_with("curl "),
            "the README runner does not understand: {line}"
        );
        last = vec![curl(http.clone(), words(line, &vars)).await];
    }
    assert!(checked >= 20, "only {checked} expectations found");
    let demo = sim.demo();
    assert_eq!(vars["CLIENT_ID"], demo.client_id);
    assert_eq!(vars["CLIENT_SECRET"], demo.client_secret);
    assert_eq!(vars["REFRESH"], demo.refresh_token);
    assert_eq!(vars["ORG"], demo.organization_id);
    assert_eq!(sim.counters().unmatched_routes, 0);
}
