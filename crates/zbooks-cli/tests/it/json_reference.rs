//! Every command's `--format json` output checked against docs/reference/json.md: the envelope,
//! the error, and each command's `data` against the JSON Schema written under its heading. A
//! key a command prints that the page does not describe fails the test, so the page stays the
//! reference. The schemas use a small part of JSON Schema (type, enum, required, properties,
//! additionalProperties, items, `$ref` into `$defs`, and `"format": "money"`), checked here.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use zbooks_sim::SimConfig;
use zbooks_testkit::{SimThread, cli_login_env};

use crate::{Run, zbooks_with};

/// The page, read from the repository.
fn page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reference/json.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The JSON block after each `## ` / `### ` heading, by the heading's text (for `### \`cmd\``,
/// the command in backticks).
fn schemas(page: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut heading: Option<String> = None;
    let mut block: Option<String> = None;
    for line in page.lines() {
        if let Some(text) = &mut block {
            if line.trim_start() == "```" {
                let name = heading.take().expect("a block under a heading");
                let schema: Value = serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("the schema under {name:?} is not JSON: {e}"));
                out.insert(name, schema);
                block = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if let Some(h) = line
            .strip_prefix("### ")
            .or_else(|| line.strip_prefix("## "))
        {
            heading = Some(h.trim().trim_matches('`').to_owned());
        } else if line.trim_start() == "```json" && heading.is_some() {
            block = Some(String::new());
        }
    }
    out
}

/// Whether `text` is money as the page defines it: digits, a point, two or more digits.
fn is_money(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let Some((whole, fraction)) = digits.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() >= 2
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks `value` against `schema` (within `root`, for `$ref`), adding what is wrong.
fn check(schema: &Value, value: &Value, root: &Value, at: &str, wrong: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        let target = &root["$defs"][name];
        assert!(target.is_object(), "{at}: no $defs/{name}");
        check(target, value, root, at, wrong);
        return;
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let actual = type_of(value);
        let fits =
            allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !fits {
            wrong.push(format!(
                "{at}: a {actual}, the page says {allowed:?}: {value}"
            ));
            return;
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array)
        && !choices.contains(value)
    {
        wrong.push(format!("{at}: {value} is none of {choices:?}"));
    }
    if schema.get("format").and_then(Value::as_str) == Some("money")
        && !value.as_str().is_some_and(is_money)
    {
        wrong.push(format!(
            "{at}: {value} is not money (a decimal string, two decimals)"
        ));
    }
    if let Value::Object(map) = value {
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(key) {
                wrong.push(format!("{at}: `{key}` is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, v) in map {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => check(s, v, root, &format!("{at}.{key}"), wrong),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    wrong.push(format!("{at}: `{key}` is not on the page"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(s, item, root, &format!("{at}[{i}]"), wrong);
        }
    }
}

/// No duration written as Rust's `{secs, nanos}`, anywhere.
fn no_duration_objects(value: &Value, at: &str, wrong: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.len() == 2 && map.contains_key("secs") && map.contains_key("nanos") {
                wrong.push(format!("{at}: a duration as {{secs, nanos}}, not seconds"));
            }
            for (k, v) in map {
                no_duration_objects(v, &format!("{at}.{k}"), wrong);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                no_duration_objects(v, &format!("{at}[{i}]"), wrong);
            }
        }
        _ => {}
    }
}

/// Checks one command's stdout: one envelope, its error if any, and its data against the page.
fn check_output(
    schemas: &BTreeMap<String, Value>,
    heading: &str,
    stdout: &str,
    wrong: &mut Vec<String>,
) -> Value {
    let envelope: Value = match serde_json::from_str(stdout.trim()) {
        Ok(v) => v,
        Err(e) => {
            wrong.push(format!(
                "{heading}: stdout is not one JSON document ({e}):\n{stdout}"
            ));
            return Value::Null;
        }
    };
    let at = format!("`{heading}`");
    check(
        &schemas["The envelope"],
        &envelope,
        &schemas["The envelope"],
        &at,
        wrong,
    );
    if envelope["error"].is_object() {
        let error = &schemas["error"];
        check(
            error,
            &envelope["error"],
            error,
            &format!("{at}.error"),
            wrong,
        );
    }
    if let Some(schema) = schemas.get(heading) {
        check(
            schema,
            &envelope["data"],
            schema,
            &format!("{at}.data"),
            wrong,
        );
    } else if !envelope["data"].is_null() {
        wrong.push(format!(
            "{at}: prints data, and the page has no schema for it"
        ));
    }
    no_duration_objects(&envelope, &at, wrong);
    envelope
}

#[test]
fn every_commands_json_is_what_the_reference_page_says() {
    // The import queue on PostgreSQL, in a schema of this test's own.
    crate::journal_pg::in_schema(|schema| {
        let queue = format!(
            "{}?options=-c%20search_path%3D{schema}",
            crate::journal_pg::URL
        );
        check_every_command(&queue);
    });
}

#[expect(clippy::unwrap_used, reason = "the body of a test: fails loudly")]
fn check_every_command(queue: &str) {
    let schemas = schemas(&page());
    let sim = SimThread::start(SimConfig::default(), 1);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let contacts = dir.path().join("contacts.jsonl");
    std::fs::write(
        &contacts,
        "{\"entity\": \"contact\", \"payload\": {\"contact_name\": \"Json Ref One\"}}\n\
         {\"entity\": \"invoice\", \"payload\": {\"customer_name\": \"Json Ref One\", \
         \"invoice_number\": \"JR-1\", \"date\": \"2026-04-01\", \
         \"line_items\": [{\"name\": \"Work\", \"rate\": 1250.5, \"quantity\": 1}]}}\n",
    )
    .unwrap();
    let events = dir.path().join("events.jsonl");
    // A script with a warning only (a literal organization id): exit 0, one finding.
    let script = dir.path().join("script.dg");
    std::fs::write(
        &script,
        "r = zoho.books.getRecords(\"items\", \"60012345678\", {}, \"books\");\n\
         if (r.get(\"code\") != 0) { info r.get(\"message\"); }\n",
    )
    .unwrap();
    let script = script.to_string_lossy().into_owned();
    let mut env = cli_login_env(&sim, dir.path());
    env.push(("ZBOOKS_CONFIG", config.to_string_lossy().into_owned()));
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = |args: &[&str]| -> Run {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        zbooks_with(&all, None, &pairs)
    };
    let contacts = contacts.to_string_lossy().into_owned();
    let events = events.to_string_lossy().into_owned();
    let code = sim.mint_grant_code(&[]);
    let org = sim.demo().organization_id;
    let login = zbooks_with(
        &["auth", "login", "--code", &code, "--org", &org],
        None,
        &pairs,
    );
    assert_eq!(login.code, 0, "{}", login.stderr);
    // Each heading of the page, and the arguments that produce it here.
    let commands: Vec<(&str, Vec<&str>)> = vec![
        ("explain 44", vec!["explain", "44"]),
        ("explain --list", vec!["explain", "--list"]),
        ("config show", vec!["config", "show"]),
        (
            "config set plan standard",
            vec!["config", "set", "plan", "standard"],
        ),
        ("config unset plan", vec!["config", "unset", "plan"]),
        ("auth status", vec!["auth", "status"]),
        ("doctor", vec!["doctor"]),
        ("call GET /contacts", vec!["call", "GET", "/contacts"]),
        (
            "import contacts.jsonl --dry-run",
            vec!["import", &contacts, "--dry-run"],
        ),
        (
            "import contacts.jsonl",
            vec!["import", &contacts, "--log-file", &events],
        ),
        ("quota", vec!["quota"]),
        ("import status", vec!["import", "status"]),
        (
            "import contacts.jsonl --queue URL",
            vec!["import", &contacts, "--queue", queue],
        ),
        (
            "worker --queue URL",
            vec![
                "worker", "--queue", queue, "--minute", "1s", "--poll", "50ms",
            ],
        ),
        (
            "import status --queue URL",
            vec!["import", "status", "--queue", queue],
        ),
        (
            "logs analyze events.jsonl",
            vec!["logs", "analyze", &events],
        ),
        ("alert list", vec!["alert", "list"]),
        ("webhooks list", vec!["webhooks", "list"]),
        ("deluge check script.dg", vec!["deluge", "check", &script]),
        ("demo", vec!["demo"]),
        (
            "tieout --tally-export sample-company.xml --tolerance 1000000",
            vec![
                "tieout",
                "--tally-export",
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../zbooks-import/fixtures/tally/sample-company.xml"
                ),
                "--tolerance",
                "1000000",
            ],
        ),
    ];
    let mut wrong = Vec::new();
    let mut covered = vec!["sim"];
    let mut printed = BTreeMap::new();
    for (heading, args) in &commands {
        let out = run(args);
        let envelope = check_output(&schemas, heading, &out.stdout, &mut wrong);
        if envelope["ok"] != Value::Bool(true) {
            wrong.push(format!(
                "`{heading}` was not ok: {envelope:#}\n{}",
                out.stderr
            ));
        }
        covered.push(heading);
        printed.insert(*heading, envelope);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The import's money, as the page says: two decimals at least, input and Zoho alike.
    let envelope = &printed["import contacts.jsonl"];
    let lines = envelope["data"]["reconciliation"]["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("{envelope:#}"));
    assert!(
        lines
            .iter()
            .any(|l| l["input"]["amount"] == "1250.50" && l["zoho"]["amount"] == "1250.50"),
        "{envelope:#}"
    );

    // Failures are envelopes too: a usage error clap finds, and a command that fails.
    let usage = zbooks_with(&["quota", "--bogus", "--format", "json"], None, &pairs);
    let v = check_output(&schemas, "quota --bogus", &usage.stdout, &mut wrong);
    assert_eq!(usage.code, 2);
    assert_eq!(
        (v["ok"].clone(), v["error"]["kind"].clone()),
        (Value::Bool(false), "usage".into())
    );
    assert_eq!(v["command"], "quota");
    let unknown = run(&["call", "GET", "/nosuchthing"]);
    let v = check_output(
        &schemas,
        "call GET /nosuchthing",
        &unknown.stdout,
        &mut wrong,
    );
    assert_eq!(v["ok"], false, "{v:#}");
    assert!(
        v["error"]["message"].is_string() || v["data"]["status"] == 404,
        "{v:#}"
    );

    // The simulator's one line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args(["sim", "--port", "0", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(!first.trim().contains('\n'));
    check_output(&schemas, "sim", &first, &mut wrong);

    // The gateway's one line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args(["gateway", "--listen", "127.0.0.1:0", "--format", "json"])
        .env_clear()
        .envs(pairs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    check_output(&schemas, "gateway", &first, &mut wrong);
    covered.push("gateway");

    // Every command schema on the page is exercised here.
    for heading in schemas.keys() {
        if heading != "The envelope" && heading != "error" && !covered.contains(&heading.as_str()) {
            wrong.push(format!("the page's `{heading}` is run by no case here"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checker_refuses_what_the_page_does_not_say() {
    let schema: Value = serde_json::from_str(
        r##"{"type": "object", "required": ["a"], "additionalProperties": false,
            "properties": {"a": {"type": "string", "format": "money"}, "b": {"$ref": "#/$defs/n"}},
            "$defs": {"n": {"type": "integer", "enum": [1]}}}"##,
    )
    .unwrap();
    let mut wrong = Vec::new();
    let value = serde_json::json!({"a": "12.5", "b": 2, "c": {"secs": 1, "nanos": 0}});
    check(&schema, &value, &schema, "x", &mut wrong);
    no_duration_objects(&value, "x", &mut wrong);
    assert_eq!(wrong.len(), 4, "{wrong:#?}");
    let mut fine = Vec::new();
    check(
        &schema,
        &serde_json::json!({"a": "12.50", "b": 1}),
        &schema,
        "x",
        &mut fine,
    );
    assert!(fine.is_empty(), "{fine:#?}");
    assert!(is_money("-0.50") && is_money("853545.00") && is_money("1.234"));
    assert!(!is_money("853545") && !is_money("1.5") && !is_money(".50"));
}
