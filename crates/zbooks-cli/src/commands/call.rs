//! `zbooks call METHOD PATH`: any Books endpoint, through every resilience of the client
//! (pacing, daily ledger, single-flight refresh, retries that never re-send a create blindly),
//! with the body checked locally first: a stray comma is reported with its line and column,
//! and nothing is sent.

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Read as _};

use clap::Args;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use zbooks_client::Method;

use crate::context::{self, Context};
use crate::error::CliError;
use crate::printer::{OutputFormat, Printer};
use crate::settings::{GlobalArgs, Settings};
use crate::{CommandResult, exit, render};
use zbooks_types::resource::ORGANIZATIONS;

/// The largest body read from a file or standard input.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// `zbooks call`.
#[derive(Debug, Args)]
#[command(after_help = "\
The organization id is added from the profile; the Authorization header is zbooks's own. The
body is checked before anything is sent. Exit codes follow the failure's class (see `zbooks
--help`).

Examples:
  zbooks call GET /contacts -q per_page=5
  zbooks call POST /contacts --data '{\"contact_name\": \"Bowman & Co\"}'
  zbooks call PUT /invoices/460000000012345 --data @invoice.json -i
  zbooks call GET /organizations")]
pub struct CallArgs {
    /// The HTTP method: GET, POST, PUT or DELETE.
    #[arg(value_name = "METHOD")]
    pub method: String,
    /// The path below the Books base (`/contacts`, `invoices/123`); a query string may follow.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// A query parameter, `key=value`; repeat for more.
    #[arg(short = 'q', long = "query", value_name = "KEY=VALUE")]
    pub query: Vec<String>,
    /// The JSON body: inline, `@FILE`, or `-` for standard input.
    #[arg(short = 'd', long, value_name = "JSON|@FILE|-")]
    pub data: Option<String>,
    /// Also print the status line and the response headers.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// An extra request header, `Name: value`; repeat for more (not Authorization).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Print only errors and the response on stdout (here `-q` is --query: write --quiet, or
    /// `zbooks -q call ...`).
    // The global `--quiet` under its own id, so clap does not give `call` the global `-q`
    // (settings.rs, `GlobalArgs::quiet`); the value reaches `GlobalArgs` as the global's.
    #[arg(long = "quiet", id = "quiet", help_heading = crate::settings::HEADING_OUTPUT)]
    pub quiet: bool,
}

/// Runs `zbooks call`.
pub fn run(args: &CallArgs, settings: &Settings, global: &GlobalArgs, p: Printer) -> CommandResult {
    let method = parse_method(&args.method)?;
    let (path, mut query) = split_path(&args.path);
    for q in &args.query {
        let (k, v) = q.split_once('=').ok_or_else(|| {
            CliError::usage(format!("query parameter {q:?} is not key=value"))
                .with_hint("write -q per_page=5; repeat -q for more")
        })?;
        query.push((k.to_owned(), v.to_owned()));
    }
    let mut headers = Vec::new();
    for h in &args.headers {
        let (name, value) = h.split_once(':').ok_or_else(|| {
            CliError::usage(format!(
                "header {:?} is not `Name: value`",
                zbooks_types::scrub(h)
            ))
        })?;
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("authorization") {
            let scheme = value.split(' ').next().unwrap_or_default();
            let mut err =
                CliError::usage("zbooks writes the Authorization header itself; nothing was sent");
            err.causes.push(if scheme == "Zoho-oauthtoken" {
                "a second Authorization header would make the request ambiguous".to_owned()
            } else {
                format!(
                    "the scheme `{scheme}` is not Zoho's: Zoho answers anything but \
                     `Zoho-oauthtoken <token>` with 401 and code 14"
                )
            });
            return Err(err.with_hint(
                "drop -H Authorization: zbooks sends `Authorization: Zoho-oauthtoken <token>` \
                 from the login; `zbooks doctor --header -` checks the header your own code sends",
            ));
        }
        headers.push((name.to_owned(), value.to_owned()));
    }
    let body = match &args.data {
        None => None,
        Some(data) => {
            if method == Method::GET || method == Method::DELETE {
                return Err(
                    CliError::usage(format!("{method} takes no body; nothing was sent"))
                        .with_hint("pass parameters with -q key=value"),
                );
            }
            let (text, origin) = read_data(data)?;
            Some(check_json(&text, &origin)?)
        }
    };
    context::runtime()?.block_on(async {
        let ctx = Context::new(settings, global.log_file.as_deref(), p).await?;
        send(
            &ctx,
            method,
            &path,
            query,
            headers,
            body.as_ref(),
            args.include,
        )
        .await
    })
}

fn parse_method(text: &str) -> Result<Method, CliError> {
    match text.to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PUT" => Ok(Method::PUT),
        "DELETE" => Ok(Method::DELETE),
        _ => Err(CliError::usage(format!("unknown method {text:?}"))
            .with_hint("Zoho Books takes GET, POST, PUT and DELETE")),
    }
}

/// The path and the parameters of a query string written into it.
fn split_path(path: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    (path.to_owned(), params)
}

/// The body text and where it came from (for messages).
fn read_data(data: &str) -> Result<(String, String), CliError> {
    if data == "-" {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(MAX_BODY)
            .read_to_string(&mut text)
            .map_err(|e| CliError::io("cannot read the body from standard input", &e))?;
        return Ok((text, "standard input".to_owned()));
    }
    if let Some(file) = data.strip_prefix('@') {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::io(format!("cannot read the body from {file}"), &e))?;
        return Ok((text, file.to_owned()));
    }
    Ok((data.to_owned(), "--data".to_owned()))
}

/// A body checked as JSON: sent as the user wrote it, read for its natural key.
#[derive(Debug)]
struct CallBody {
    /// The parsed body (numbers through `f64`: only for reading names, never for sending).
    value: Value,
    /// The user's text, sent byte for byte so `12345678901234567.89` reaches Zoho as written.
    raw: Box<RawValue>,
}

/// Parses the body, or says where it breaks: line, column and the line itself.
fn check_json(text: &str, origin: &str) -> Result<CallBody, CliError> {
    let parsed = serde_json::from_str::<Value>(text).and_then(|value| {
        RawValue::from_string(text.to_owned()).map(|raw| CallBody { value, raw })
    });
    parsed.map_err(|err| {
        let (line, column) = (err.line(), err.column());
        let reason = err.to_string();
        let reason = reason
            .rsplit_once(" at line ")
            .map_or(reason.as_str(), |(r, _)| r)
            .to_owned();
        let mut causes = vec![format!("{reason} at {origin}:{line}:{column}")];
        if let Some(source_line) = text.lines().nth(line.saturating_sub(1)) {
            let shown: String = source_line.chars().take(120).collect();
            let mut excerpt = format!("{line} | {}", zbooks_types::scrub(&shown));
            // Under the line as the error prints it, after "  caused by: ".
            let pad = "  caused by: ".len() + line.to_string().len() + 3 + column.saturating_sub(1);
            let _ = write!(excerpt, "\n{:>pad$}^", "");
            causes.push(excerpt);
        }
        CliError {
            headline: format!(
                "the body is not valid JSON (line {line}, column {column}); nothing was sent"
            ),
            causes,
            hint: Some(format!(
                "{}Zoho answers a malformed body with code 1038 (JSON is not well formed)",
                if reason.contains("trailing comma") {
                    "remove the comma before the closing bracket (JSON allows none there); "
                } else {
                    "fix the JSON at that line and column; "
                }
            )),
            exit_code: exit::USAGE,
            code: None,
            class: None,
        }
    })
}

async fn send(
    ctx: &Context,
    method: Method,
    path: &str,
    mut query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<&CallBody>,
    include: bool,
) -> CommandResult {
    let p = ctx.printer;
    let mut client = ctx.client()?;
    let bare = path.trim_start_matches('/').trim_start_matches("books/v3/");
    // An organization_id written as a parameter wins over the profile's.
    if let Some(i) = query.iter().position(|(k, _)| k == "organization_id") {
        let (_, org) = query.remove(i);
        client = client.for_organization(org);
    } else if bare.trim_end_matches('/') != ORGANIZATIONS.bare_path() {
        ctx.organization_id()?;
    }
    let mut request = client.request(method.clone(), path);
    for (k, v) in query {
        request = request.query(k, v);
    }
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    if let Some(body) = body {
        // A create names its record by the resource's natural key, so the event log (and
        // `logs analyze`) can tell when the same record was sent twice.
        if method == Method::POST
            && let Some(key) = natural_key(bare, &body.value)
        {
            request = request.natural_key(key);
        }
        request = request.json(&body.raw);
    }
    let response = request
        .send()
        .await
        .map_err(|e| render::client_error(format!("{method} {path} failed"), &e))?;
    let parsed: Option<Value> = serde_json::from_slice(response.bytes()).ok();
    if p.format == OutputFormat::Json {
        p.json(&json!({
            "status": response.status,
            "headers": include.then(|| response
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                .collect::<std::collections::BTreeMap<_, _>>()),
            "body": parsed,
        }));
        return Ok(exit::OK);
    }
    let mut out = String::new();
    if include {
        let _ = writeln!(out, "HTTP {}", response.status);
        for (name, value) in &response.headers {
            let _ = writeln!(out, "{name}: {}", value.to_str().unwrap_or("(binary)"));
        }
        out.push('\n');
    }
    match parsed {
        Some(value) if std::io::stdout().is_terminal() => {
            out.push_str(&serde_json::to_string_pretty(&value).unwrap_or_default());
            out.push('\n');
        }
        _ => {
            out.push_str(&String::from_utf8_lossy(response.bytes()));
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    p.out_data(out.as_bytes());
    Ok(exit::OK)
}

/// `contact:Acme Ltd` for a create on a resource with a natural key in the body.
fn natural_key(bare_path: &str, body: &serde_json::Value) -> Option<String> {
    use zbooks_client::resources::defs;
    let path = format!("/{}", bare_path.trim_end_matches('/'));
    let def = [
        defs::CONTACTS,
        defs::ITEMS,
        defs::INVOICES,
        defs::CUSTOMER_PAYMENTS,
        defs::BILLS,
        defs::VENDOR_PAYMENTS,
        defs::JOURNALS,
        defs::CHART_OF_ACCOUNTS,
        defs::TAXES,
    ]
    .into_iter()
    .find(|def| def.path == path)?;
    let value = body.get(def.name_field)?;
    let value = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    (!value.is_empty()).then(|| format!("{}:{value}", def.singular))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_comma_is_located() {
        let err = check_json("{\n  \"contact_name\": \"A\",\n}\n", "--data").unwrap_err();
        assert!(
            err.headline.contains("line 3, column 1"),
            "{}",
            err.headline
        );
        assert!(err.causes[0].contains("trailing comma"), "{:?}", err.causes);
        assert_eq!(err.exit_code, exit::USAGE);
        assert!(check_json("{\"a\": 1}", "--data").is_ok());
    }

    #[test]
    fn the_body_is_sent_as_written() {
        let text = "{\"name\": \"Bolt\", \"rate\": 12345678901234567.89,\n \"line_items\": [{\"quantity\": 0.1, \"rate\": 1E2}]}";
        let body = check_json(text, "--data").unwrap();
        let sent = serde_json::to_string(&body.raw).unwrap();
        assert_eq!(sent, text);
    }

    #[test]
    fn query_strings_in_paths_become_parameters() {
        let (path, q) = split_path("/contacts?per_page=5&page=2");
        assert_eq!(path, "/contacts");
        assert_eq!(
            q,
            [("per_page".into(), "5".into()), ("page".into(), "2".into())]
        );
    }
}
