//! The rules: each reads the syntax tree of one scope (a function's body, or the statements of
//! a script outside any function) and reports [`Finding`]s. The facts behind each rule and
//! their sources are in docs/deluge-checker.md.
//!
//! The analysis is flow-insensitive where that is enough (which variables carry a call's
//! answer, which are tested) and ordered where order is the point (an answer used before the
//! test of its `code`). A finding never quotes a secret it found: only what kind it is and
//! how long.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ast::{Expr, Param, Pos, Script, Stmt, walk_stmts};

/// How serious a finding is: an error makes `zbooks deluge check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The script will break or leak; exit 1.
    Error,
    /// The script works until the data grows or something fails.
    Warning,
}

impl Level {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// A rule: its id, its level and the fix it suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The id shown in every finding: `unchecked-response`.
    pub id: &'static str,
    /// Its level.
    pub level: Level,
    /// What it finds, in a few words.
    pub summary: &'static str,
    /// What to do instead.
    pub fix: &'static str,
}

/// Text that is not Deluge (the parser's error as a finding).
pub const PARSE_ERROR: Rule = Rule {
    id: "parse-error",
    level: Level::Error,
    summary: "the script is not valid Deluge",
    fix: "correct the syntax at this place; Zoho's editor refuses to save the script as it is",
};
/// A Books task or `invokeurl` whose answer is never tested.
pub const UNCHECKED_RESPONSE: Rule = Rule {
    id: "unchecked-response",
    level: Level::Error,
    summary: "a call's answer is never tested",
    fix: "keep the answer and test it before going on: `if (resp.get(\"code\") == 0) { … } else { … }` \
          (or test that the record is there), and record what failed",
};
/// An answer's record read before its `code` is tested.
pub const USED_BEFORE_CHECK: Rule = Rule {
    id: "response-used-before-check",
    level: Level::Warning,
    summary: "an answer's record is read before its code is tested",
    fix: "move the test of `code` (or of the record's presence) before the first read of the record",
};
/// `organisation_id`: a parameter Zoho does not read.
pub const ORGANISATION_ID: Rule = Rule {
    id: "organisation-id-misspelt",
    level: Level::Error,
    summary: "`organisation_id` is not a parameter of the Books API",
    fix: "write `organization_id` (with a z): Zoho ignores `organisation_id` and the call goes to \
          the user's default organization, or fails",
};
/// A Books call with no organization.
pub const MISSING_ORGANIZATION_ID: Rule = Rule {
    id: "missing-organization-id",
    level: Level::Error,
    summary: "a Books API call names no organization",
    fix: "pass `organization_id`: `organization.get(\"organization_id\")` in a Books custom \
          function, or a setting, never a literal",
};
/// An organization id written as a literal.
pub const HARDCODED_ORGANIZATION_ID: Rule = Rule {
    id: "hardcoded-organization-id",
    level: Level::Warning,
    summary: "an organization id is written into the script",
    fix: "read it from `organization.get(\"organization_id\")` (Books passes `organization` to \
          custom functions): a literal id breaks in a sandbox or a copied organization",
};
/// API calls in a fixed loop over the minute's budget.
pub const UNPACED_LOOP: Rule = Rule {
    id: "unpaced-api-loop",
    level: Level::Warning,
    summary: "a loop makes more API calls than Zoho allows in a minute, with no pause",
    fix: "process at most 90 calls a run (count, then `break`) and let the schedule take the \
          rest, or use one call that takes many records",
};
/// API calls in a loop over data: their number grows with the data.
pub const CALLS_GROW_WITH_DATA: Rule = Rule {
    id: "calls-grow-with-data",
    level: Level::Warning,
    summary: "a loop over data makes API calls for each item",
    fix: "fetch once outside the loop (one list call with a filter) and look items up in a map, \
          or cap the calls a run (count, then `break`): Zoho allows 100 calls a minute per \
          organization and answers more with HTTP 429, code 44",
};
/// A secret written into a script.
pub const SECRET: Rule = Rule {
    id: "secret-in-script",
    level: Level::Error,
    summary: "a token, client secret or password is written into the script",
    fix: "revoke it now (it is in every copy and export of this script), then use a connection \
          (`connection: \"name\"`, Settings → Connections) that holds and refreshes credentials",
};
/// A raw Authorization header on `invokeurl`.
pub const RAW_AUTHORIZATION: Rule = Rule {
    id: "raw-authorization-header",
    level: Level::Warning,
    summary: "`invokeurl` sets an Authorization header itself",
    fix: "drop the header and pass `connection: \"name\"`: a connection keeps the token out of \
          the script and refreshes it when it expires",
};
/// A Books task called without its connection argument.
pub const TASK_WITHOUT_CONNECTION: Rule = Rule {
    id: "books-task-without-connection",
    level: Level::Warning,
    summary: "a `zoho.books` task is called without a connection",
    fix: "add the connection's link name as the last argument: the authtoken these calls once \
          used is retired",
};
/// Failures only logged or mailed as fixed text.
pub const FAILURE_WITHOUT_DATA: Rule = Rule {
    id: "failure-without-data",
    level: Level::Warning,
    summary: "a failure is only logged or mailed, with nothing about what failed",
    fix: "say which record failed and why: include its id or number and Zoho's answer \
          (`resp.get(\"code\")`, `resp.get(\"message\")`), and keep it where a person looks \
          (a mail to an owner, a note on the record)",
};

/// Every rule, in the order the docs list them.
pub const RULES: &[Rule] = &[
    PARSE_ERROR,
    UNCHECKED_RESPONSE,
    USED_BEFORE_CHECK,
    ORGANISATION_ID,
    MISSING_ORGANIZATION_ID,
    HARDCODED_ORGANIZATION_ID,
    UNPACED_LOOP,
    CALLS_GROW_WITH_DATA,
    SECRET,
    RAW_AUTHORIZATION,
    TASK_WITHOUT_CONNECTION,
    FAILURE_WITHOUT_DATA,
];

/// Zoho's limit of calls a minute per organization (docs/deluge-checker.md).
const MINUTE_LIMIT: usize = 100;

/// One thing found in a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Where.
    #[serde(flatten)]
    pub pos: Pos,
    /// The rule's id.
    pub rule: &'static str,
    /// The rule's level.
    pub level: Level,
    /// What was found here.
    pub message: String,
    /// What to do.
    pub fix: &'static str,
}

impl Finding {
    fn new(rule: Rule, pos: Pos, message: impl Into<String>) -> Self {
        Finding {
            pos,
            rule: rule.id,
            level: rule.level,
            message: message.into(),
            fix: rule.fix,
        }
    }
}

/// Runs every rule over `script`, findings in source order.
pub fn check(script: &Script) -> Vec<Finding> {
    let mut findings = Vec::new();
    Scope::new(&script.body, &[]).check(&mut findings);
    for f in &script.functions {
        let params: Vec<String> = f.params.iter().map(|(_, n)| n.clone()).collect();
        Scope::new(&f.body, &params).check(&mut findings);
    }
    findings.sort_by(|a, b| (a.pos, a.rule).cmp(&(b.pos, b.rule)));
    // One finding per rule and place (a literal id passed to two tasks is one literal).
    findings.dedup_by(|a, b| a.pos == b.pos && a.rule == b.rule);
    findings
}

/// The `zoho.books` tasks whose argument order is documented: the task, its arguments with the
/// connection, and the index of the organization id (docs/deluge-checker.md, "Books tasks").
const BOOKS_TASKS: &[(&str, usize, Option<usize>)] = &[
    ("getOrganizations", 1, None),
    ("createRecord", 4, Some(1)),
    ("getRecords", 4, Some(1)),
    ("getRecordsByID", 4, Some(1)),
    ("updateRecord", 5, Some(1)),
];

/// Whether `e` is a call to a `zoho.books` task; its task name.
fn books_task(e: &Expr) -> Option<String> {
    if let Expr::Call { callee, .. } = e {
        let path = callee.path()?;
        let task = path.strip_prefix("zoho.books.")?;
        if !task.contains('.') {
            return Some(task.to_owned());
        }
    }
    None
}

/// Whether `e` is a call whose answer comes from Zoho Books or a URL: a `zoho.books` task or
/// `invokeurl` (the calls the answer-testing rules follow).
fn is_response_call(e: &Expr) -> bool {
    matches!(e, Expr::InvokeUrl { .. }) || books_task(e).is_some()
}

/// Whether `e` is a call that goes over the network and counts against a limit: the above,
/// another Zoho service's task (`zoho.crm.updateRecord`), or the old `getUrl`/`postUrl`.
fn is_api_call(e: &Expr) -> bool {
    if is_response_call(e) {
        return true;
    }
    let Expr::Call { callee, .. } = e else {
        return false;
    };
    let Some(path) = callee.path() else {
        return false;
    };
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["zoho", service, _] => !matches!(*service, "encryption" | "encoding" | "map" | "list"),
        [name] => matches!(*name, "getUrl" | "postUrl" | "invokeUrl"),
        _ => false,
    }
}

/// How a call is named in a message.
fn call_name(e: &Expr) -> String {
    match e {
        Expr::InvokeUrl { .. } => "invokeurl".to_owned(),
        Expr::Call { callee, .. } => callee.path().unwrap_or_else(|| "the call".to_owned()),
        _ => "the call".to_owned(),
    }
}

/// Every expression of a scope's statements (blocks included), in source order.
fn all_exprs(stmts: &[Stmt]) -> Vec<&Expr> {
    let mut out = Vec::new();
    walk_stmts(stmts, &mut |s| {
        for e in s.exprs() {
            e.walk(&mut |x| out.push(x));
        }
    });
    out
}

/// A literal that looks like a Zoho organization id: digits only, six or more.
fn id_literal(e: &Expr) -> Option<Pos> {
    let (text, pos) = match e {
        Expr::Number(n, p) | Expr::Str(n, p) => (n, *p),
        _ => return None,
    };
    (text.len() >= 6 && text.bytes().all(|b| b.is_ascii_digit())).then_some(pos)
}

/// One function's body (or a script's top), and what is known about its variables.
struct Scope<'a> {
    stmts: &'a [Stmt],
    /// Values assigned to each name.
    assigns: BTreeMap<&'a str, Vec<&'a Expr>>,
    /// `(key, value)` of each `name.put(key, value)`.
    puts: BTreeMap<&'a str, Vec<(&'a Expr, &'a Expr)>>,
    /// The function's parameters: the record data Books passes in.
    params: &'a [String],
    /// For each name, the calls (by position) whose answer it carries.
    sources: BTreeMap<String, BTreeSet<Pos>>,
}

impl<'a> Scope<'a> {
    fn new(stmts: &'a [Stmt], params: &'a [String]) -> Self {
        let mut assigns: BTreeMap<&str, Vec<&Expr>> = BTreeMap::new();
        walk_stmts(stmts, &mut |s| {
            if let Stmt::Assign {
                target: Expr::Ident(name, _),
                value,
                ..
            } = s
            {
                assigns.entry(name.as_str()).or_default().push(value);
            }
        });
        let mut puts: BTreeMap<&str, Vec<(&Expr, &Expr)>> = BTreeMap::new();
        for e in all_exprs(stmts) {
            if let Expr::Call { callee, args, .. } = e
                && let Expr::Member { object, name, .. } = &**callee
                && let Expr::Ident(var, _) = &**object
                && name == "put"
                && let [k, v] = args.as_slice()
            {
                puts.entry(var.as_str()).or_default().push((k, v));
            }
        }
        let mut scope = Scope {
            stmts,
            assigns,
            puts,
            params,
            sources: BTreeMap::new(),
        };
        scope.trace_sources();
        scope
    }

    /// The calls whose answers flow into `e`: calls in it, and the answers its names carry.
    fn sources_of(&self, e: &Expr) -> BTreeSet<Pos> {
        let mut out = BTreeSet::new();
        e.walk(&mut |x| {
            if is_response_call(x) {
                out.insert(x.pos());
            } else if let Expr::Ident(name, _) = x
                && let Some(s) = self.sources.get(name)
            {
                out.extend(s.iter().copied());
            }
        });
        out
    }

    /// Follows answers through assignments, loop variables and `put`/`add` into collections,
    /// until nothing changes.
    fn trace_sources(&mut self) {
        let mut flows: Vec<(String, &'a Expr)> = Vec::new();
        walk_stmts(self.stmts, &mut |s| match s {
            Stmt::Assign {
                target: Expr::Ident(name, _),
                value,
                ..
            } => flows.push((name.clone(), value)),
            Stmt::ForEach { var, iterable, .. } => flows.push((var.clone(), iterable)),
            _ => {}
        });
        for e in all_exprs(self.stmts) {
            if let Expr::Call { callee, args, .. } = e
                && let Expr::Member { object, name, .. } = &**callee
                && let Expr::Ident(var, _) = &**object
                && matches!(
                    name.as_str(),
                    "put" | "add" | "addAll" | "putAll" | "insert"
                )
            {
                for a in args {
                    flows.push((var.clone(), a));
                }
            }
        }
        for _ in 0..=flows.len() {
            let mut changed = false;
            for (name, value) in &flows {
                let found = self.sources_of(value);
                let entry = self.sources.entry(name.clone()).or_default();
                let before = entry.len();
                entry.extend(found);
                changed |= entry.len() != before;
            }
            if !changed {
                break;
            }
        }
    }

    fn check(&self, findings: &mut Vec<Finding>) {
        self.answers(findings);
        self.organization(findings);
        self.secrets(findings);
        self.invokeurl_headers(findings);
        self.loops(self.stmts, findings);
        self.failures(self.stmts, findings);
    }

    /// The conditions of the scope: `if (…)`, `while (…)`, and the first argument of the
    /// expression form `if(c, a, b)`.
    fn conditions(&self) -> Vec<&'a Expr> {
        let mut out = Vec::new();
        walk_stmts(self.stmts, &mut |s| {
            if let Stmt::If { cond, .. } | Stmt::While { cond, .. } = s {
                out.push(cond);
            }
        });
        for e in all_exprs(self.stmts) {
            if let Expr::Call { callee, args, .. } = e
                && matches!(&**callee, Expr::Ident(n, _) if n == "if")
                && let Some(c) = args.first()
            {
                out.push(c);
            }
        }
        out
    }

    /// unchecked-response and response-used-before-check.
    fn answers(&self, findings: &mut Vec<Finding>) {
        // The first place each answer is tested.
        let mut tested: BTreeMap<Pos, Pos> = BTreeMap::new();
        for cond in self.conditions() {
            cond.walk(&mut |x| {
                let found = if is_response_call(x) {
                    std::iter::once(x.pos()).collect()
                } else if let Expr::Ident(name, _) = x {
                    self.sources.get(name).cloned().unwrap_or_default()
                } else {
                    BTreeSet::new()
                };
                for call in found {
                    let at = tested.entry(call).or_insert(x.pos());
                    *at = (*at).min(x.pos());
                }
            });
        }
        // An answer returned is the caller's to test.
        let mut handed = BTreeSet::new();
        let mut discarded = BTreeSet::new();
        walk_stmts(self.stmts, &mut |s| match s {
            Stmt::Return { value: Some(v), .. } => handed.extend(self.sources_of(v)),
            Stmt::Expr(e) if is_response_call(e) => {
                discarded.insert(e.pos());
            }
            _ => {}
        });
        for e in all_exprs(self.stmts) {
            if !is_response_call(e) {
                continue;
            }
            let pos = e.pos();
            if discarded.contains(&pos) {
                findings.push(Finding::new(
                    UNCHECKED_RESPONSE,
                    pos,
                    format!(
                        "the answer of {} is thrown away: a refused or failed call goes unnoticed",
                        call_name(e)
                    ),
                ));
            } else if !tested.contains_key(&pos) && !handed.contains(&pos) {
                findings.push(Finding::new(
                    UNCHECKED_RESPONSE,
                    pos,
                    format!(
                        "the answer of {} is never tested (its `code`, or that the record is \
                         there): a refused call goes on as if it had worked",
                        call_name(e)
                    ),
                ));
            }
        }
        // Reads of a record before the test of its answer.
        let conditions: BTreeSet<Pos> = self.conditions().iter().map(|c| c.pos()).collect();
        let mut reported = BTreeSet::new();
        let mut in_condition_until = Pos::default();
        let mut reads = Vec::new();
        walk_stmts(self.stmts, &mut |s| {
            for e in s.exprs() {
                e.walk(&mut |x| reads.push(x));
            }
        });
        for x in reads {
            if conditions.contains(&x.pos()) {
                in_condition_until = x.pos();
            }
            if let Expr::Call { callee, args, pos } = x
                && let Expr::Member { object, name, .. } = &**callee
                && let Expr::Ident(var, _) = &**object
                && name == "get"
                && let Some(Expr::Str(key, _)) = args.first()
                && !matches!(key.as_str(), "code" | "message")
                && *pos != in_condition_until
            {
                for call in self.sources.get(var).into_iter().flatten() {
                    if let Some(first_test) = tested.get(call)
                        && *pos < *first_test
                        && reported.insert(*call)
                    {
                        findings.push(Finding::new(
                            USED_BEFORE_CHECK,
                            *pos,
                            format!(
                                "`{var}.get(\"{key}\")` reads the answer before it is tested \
                                 at {first_test}: when Zoho refuses the call this reads nothing"
                            ),
                        ));
                    }
                }
            }
        }
    }

    /// The string literals an expression is built from, following names to their values.
    fn literals(&self, e: &'a Expr, depth: usize, out: &mut Vec<(&'a str, Pos)>) {
        e.walk(&mut |x| match x {
            Expr::Str(s, p) => out.push((s.as_str(), *p)),
            Expr::Ident(name, _) if depth < 4 => {
                for v in self.assigns.get(name.as_str()).into_iter().flatten() {
                    self.literals(v, depth + 1, out);
                }
            }
            _ => {}
        });
    }

    /// The keys (lowercased) and values of a map, following a name to its literals and puts.
    fn map_entries(&self, e: &'a Expr, depth: usize, out: &mut Vec<(String, &'a Expr, Pos)>) {
        match e {
            Expr::Map(pairs, _) => {
                for (k, v) in pairs {
                    if let Expr::Str(key, p) = k {
                        out.push((key.to_ascii_lowercase(), v, *p));
                    }
                }
            }
            Expr::Ident(name, _) if depth < 4 => {
                for v in self.assigns.get(name.as_str()).into_iter().flatten() {
                    self.map_entries(v, depth + 1, out);
                }
                for (k, v) in self.puts.get(name.as_str()).into_iter().flatten() {
                    if let Expr::Str(key, p) = k {
                        out.push((key.to_ascii_lowercase(), v, *p));
                    }
                }
            }
            _ => {}
        }
    }

    /// organisation-id-misspelt, missing-organization-id, hardcoded-organization-id,
    /// books-task-without-connection.
    fn organization(&self, findings: &mut Vec<Finding>) {
        let exprs = all_exprs(self.stmts);
        for e in &exprs {
            if let Expr::Str(s, pos) = e {
                if s.contains("organisation_id") {
                    findings.push(Finding::new(
                        ORGANISATION_ID,
                        *pos,
                        "`organisation_id` (with an s): the Books API reads `organization_id` and \
                         ignores this one",
                    ));
                }
                if let Some(rest) = s.split("organization_id=").nth(1)
                    && rest.bytes().take_while(u8::is_ascii_digit).count() >= 6
                {
                    findings.push(Finding::new(
                        HARDCODED_ORGANIZATION_ID,
                        *pos,
                        "the URL carries a literal organization id",
                    ));
                }
            }
            // A literal id as the value of an `organization_id` key.
            let mut entries = Vec::new();
            if let Expr::Map(..) = e {
                self.map_entries(e, 4, &mut entries);
            }
            if let Expr::Call { callee, args, .. } = e
                && let Expr::Member { name, .. } = &**callee
                && name == "put"
                && let [Expr::Str(k, p), v] = args.as_slice()
            {
                entries.push((k.to_ascii_lowercase(), v, *p));
            }
            for (key, value, _) in entries {
                if key == "organization_id"
                    && let Some(at) = id_literal(value)
                {
                    findings.push(Finding::new(
                        HARDCODED_ORGANIZATION_ID,
                        at,
                        "`organization_id` is given a literal id",
                    ));
                }
            }
        }
        for e in &exprs {
            if let Some(task) = books_task(e) {
                self.books_task_organization(e, &task, findings);
            } else if let Expr::InvokeUrl { params, pos } = e {
                self.invokeurl_organization(params, *pos, findings);
            }
        }
    }

    fn books_task_organization(&self, e: &'a Expr, task: &str, findings: &mut Vec<Finding>) {
        let Expr::Call { args, pos, .. } = e else {
            return;
        };
        let known = BOOKS_TASKS.iter().find(|(name, _, _)| *name == task);
        if let Some((_, arity, _)) = known
            && args.len() + 1 == *arity
        {
            findings.push(Finding::new(
                TASK_WITHOUT_CONNECTION,
                *pos,
                format!(
                    "zoho.books.{task} takes {arity} arguments, the last the connection; \
                     this call passes {}",
                    args.len()
                ),
            ));
        }
        // Tasks not in the table take the organization second as well.
        let org_index = known.map_or(Some(1), |(_, _, i)| *i);
        let Some(index) = org_index else {
            return;
        };
        let org = args.get(index);
        let empty = match org {
            None | Some(Expr::Null(_)) => true,
            Some(Expr::Str(s, _)) => s.trim().is_empty(),
            _ => false,
        };
        if empty {
            findings.push(Finding::new(
                MISSING_ORGANIZATION_ID,
                org.map_or(*pos, Expr::pos),
                format!("zoho.books.{task} is given no organization id"),
            ));
            return;
        }
        let Some(org) = org else { return };
        if let Some(at) = id_literal(org) {
            findings.push(Finding::new(
                HARDCODED_ORGANIZATION_ID,
                at,
                format!("zoho.books.{task} is given a literal organization id"),
            ));
        } else if let Expr::Ident(name, _) = org {
            for v in self.assigns.get(name.as_str()).into_iter().flatten() {
                if let Some(at) = id_literal(v) {
                    findings.push(Finding::new(
                        HARDCODED_ORGANIZATION_ID,
                        at,
                        format!(
                            "`{name}` holds a literal organization id, passed to zoho.books.{task}"
                        ),
                    ));
                }
            }
        }
    }

    fn invokeurl_organization(&self, params: &'a [Param], pos: Pos, findings: &mut Vec<Finding>) {
        let Some(url) = params.iter().find(|p| p.key == "url") else {
            return;
        };
        let mut texts = Vec::new();
        self.literals(&url.value, 0, &mut texts);
        let is_books = texts.iter().any(|(t, _)| {
            t.contains("/books/v3") || t.contains("books.zoho.") || t.contains("/books/api/v3")
        });
        if !is_books {
            return;
        }
        let mut named = texts
            .iter()
            .any(|(t, _)| t.contains("organization_id") || t.contains("organisation_id"));
        for p in params {
            if matches!(p.key.as_str(), "parameters" | "headers" | "body") {
                let mut entries = Vec::new();
                self.map_entries(&p.value, 0, &mut entries);
                named |= entries.iter().any(|(k, _, _)| {
                    k == "organization_id"
                        || k == "organisation_id"
                        || k == "x-com-zoho-books-organizationid"
                });
            }
        }
        if !named {
            findings.push(Finding::new(
                MISSING_ORGANIZATION_ID,
                pos,
                "this call to the Books API names no `organization_id` (not in the URL, the \
                 parameters or the headers)",
            ));
        }
    }

    /// secret-in-script.
    fn secrets(&self, findings: &mut Vec<Finding>) {
        let exprs = all_exprs(self.stmts);
        for e in &exprs {
            if let Expr::Str(s, pos) = e
                && let Some(kind) = secret_in_text(s)
            {
                findings.push(Finding::new(
                    SECRET,
                    *pos,
                    format!(
                        "{kind} is written into the script (a string of {} characters)",
                        s.chars().count()
                    ),
                ));
            }
            let mut entries = Vec::new();
            if let Expr::Map(..) = e {
                self.map_entries(e, 4, &mut entries);
            }
            if let Expr::Call { callee, args, .. } = e
                && let Expr::Member { name, .. } = &**callee
                && name == "put"
                && let [Expr::Str(k, p), v] = args.as_slice()
            {
                entries.push((k.to_ascii_lowercase(), v, *p));
            }
            for (key, value, _) in entries {
                if is_secret_name(&key)
                    && let Expr::Str(text, at) = value
                    && looks_like_a_secret(text)
                    && secret_in_text(text).is_none()
                {
                    findings.push(Finding::new(
                        SECRET,
                        *at,
                        format!(
                            "`{key}` is given a literal value ({} characters)",
                            text.chars().count()
                        ),
                    ));
                }
            }
        }
        walk_stmts(self.stmts, &mut |s| {
            if let Stmt::Assign {
                target: Expr::Ident(name, _),
                value: Expr::Str(text, at),
                ..
            } = s
                && is_secret_name(&name.to_ascii_lowercase())
                && looks_like_a_secret(text)
                && secret_in_text(text).is_none()
            {
                findings.push(Finding::new(
                    SECRET,
                    *at,
                    format!(
                        "`{name}` holds a literal secret ({} characters)",
                        text.chars().count()
                    ),
                ));
            }
        });
    }

    /// raw-authorization-header.
    fn invokeurl_headers(&self, findings: &mut Vec<Finding>) {
        for e in all_exprs(self.stmts) {
            let Expr::InvokeUrl { params, .. } = e else {
                continue;
            };
            let connection = params.iter().any(|p| p.key == "connection");
            for p in params.iter().filter(|p| p.key == "headers") {
                let mut entries = Vec::new();
                self.map_entries(&p.value, 0, &mut entries);
                for (key, _, at) in entries {
                    if key == "authorization" {
                        findings.push(Finding::new(
                            RAW_AUTHORIZATION,
                            at,
                            if connection {
                                "an Authorization header next to `connection`: the header's \
                                 token overrides the connection's and expires within the hour"
                            } else {
                                "an Authorization header built by the script instead of a \
                                 connection: the token is in the script and expires within the hour"
                            },
                        ));
                    }
                }
            }
        }
    }

    /// unpaced-api-loop and calls-grow-with-data, for the outermost loops that make calls.
    fn loops(&self, stmts: &'a [Stmt], findings: &mut Vec<Finding>) {
        for s in stmts {
            let (body, pos, fixed) = match s {
                Stmt::ForEach { iterable, body, .. } => {
                    (body, s.pos(), self.fixed_length(iterable))
                }
                Stmt::While { body, .. } => (body, s.pos(), None),
                _ => {
                    for block in s.blocks() {
                        self.loops(block, findings);
                    }
                    continue;
                }
            };
            let (calls, data_inside) = self.calls_in(body);
            if calls == 0 || is_paced(body) {
                continue;
            }
            let what = match s {
                Stmt::ForEach { var, .. } => format!("`for each {var}`"),
                _ => "`while`".to_owned(),
            };
            match fixed {
                Some(n) if !data_inside => {
                    if n * calls > MINUTE_LIMIT {
                        findings.push(Finding::new(
                            UNPACED_LOOP,
                            pos,
                            format!(
                                "{what} makes {calls} API call(s) for each of {n} items, {} calls \
                                 at once with no pause: more than the {MINUTE_LIMIT} a minute Zoho allows",
                                n * calls
                            ),
                        ));
                    }
                }
                _ => findings.push(Finding::new(
                    CALLS_GROW_WITH_DATA,
                    pos,
                    format!(
                        "{what} makes {calls} API call(s) for each item{}: the calls grow with the \
                         data, past {MINUTE_LIMIT} a minute Zoho answers 429 (code 44)",
                        if data_inside {
                            " and loops over data inside"
                        } else {
                            ""
                        }
                    ),
                )),
            }
        }
    }

    /// The number of items of a list written into the script (a literal, or a name only ever
    /// given literals), `None` for data.
    fn fixed_length(&self, e: &Expr) -> Option<usize> {
        match e {
            Expr::List(items, _) => items
                .iter()
                .all(|i| matches!(i, Expr::Number(..) | Expr::Str(..)))
                .then_some(items.len()),
            Expr::Ident(name, _) if !self.params.contains(name) => {
                let values = self.assigns.get(name.as_str())?;
                let lengths: Option<Vec<usize>> = values
                    .iter()
                    .map(|v| match v {
                        Expr::List(..) => self.fixed_length(v),
                        _ => None,
                    })
                    .collect();
                lengths?.into_iter().max()
            }
            _ => None,
        }
    }

    /// The API calls a loop body makes on each pass (a nested loop's counted once) and whether
    /// it holds a loop over data.
    fn calls_in(&self, body: &'a [Stmt]) -> (usize, bool) {
        let mut calls = 0;
        let mut data = false;
        walk_stmts(body, &mut |s| {
            for e in s.exprs() {
                e.walk(&mut |x| {
                    if is_api_call(x) {
                        calls += 1;
                    }
                });
            }
            match s {
                Stmt::ForEach { iterable, .. } if self.fixed_length(iterable).is_none() => {
                    data = true;
                }
                Stmt::While { .. } => data = true,
                _ => {}
            }
        });
        (calls, data && calls > 0)
    }

    /// failure-without-data: the failure branches of tests of answers, and `catch` blocks
    /// around calls.
    fn failures(&self, stmts: &'a [Stmt], findings: &mut Vec<Finding>) {
        walk_stmts(stmts, &mut |s| match s {
            Stmt::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                if self.sources_of(cond).is_empty() {
                    return;
                }
                let failure = match success_in_then(cond) {
                    Some(true) => otherwise.as_deref(),
                    Some(false) => Some(then.as_slice()),
                    None => None,
                };
                if let Some(block) = failure {
                    failure_block(block, findings);
                }
            }
            Stmt::Try { body, catch, .. } if self.calls_in(body).0 > 0 => {
                failure_block(catch, findings);
            }
            _ => {}
        });
    }
}

/// Reports a failure block that only writes fixed text with `info` or `sendmail`.
fn failure_block(block: &[Stmt], findings: &mut Vec<Finding>) {
    let reports: Vec<&Stmt> = block
        .iter()
        .filter(|s| matches!(s, Stmt::Info { .. } | Stmt::SendMail { .. }))
        .collect();
    let Some(first) = reports.first() else {
        return;
    };
    let only_reports = block.iter().all(|s| {
        matches!(
            s,
            Stmt::Info { .. } | Stmt::SendMail { .. } | Stmt::Return { .. }
        )
    });
    let mentions_data = reports.iter().any(|s| match s {
        Stmt::Info { value, .. } => mentions_a_name(value),
        Stmt::SendMail { params, .. } => params
            .iter()
            .filter(|p| matches!(p.key.as_str(), "subject" | "message"))
            .any(|p| mentions_a_name(&p.value)),
        _ => false,
    });
    if only_reports && !mentions_data {
        let what = if matches!(first, Stmt::Info { .. }) {
            "`info`"
        } else {
            "`sendmail`"
        };
        findings.push(Finding::new(
            FAILURE_WITHOUT_DATA,
            first.pos(),
            format!(
                "on failure this only writes fixed text with {what}: which record failed and \
                 what Zoho answered are lost"
            ),
        ));
    }
}

/// Whether a loop body waits between calls or stops after a bounded number: a call to a
/// function that pauses (`sleep`, `wait`, `pause`, `delay` in its name), or a `break` under a
/// test against a number no larger than the minute's limit.
fn is_paced(body: &[Stmt]) -> bool {
    let mut paced = false;
    walk_stmts(body, &mut |s| {
        for e in s.exprs() {
            e.walk(&mut |x| {
                if let Expr::Call { callee, .. } = x
                    && let Some(path) = callee.path()
                {
                    let last = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                    if ["sleep", "wait", "pause", "delay"]
                        .iter()
                        .any(|w| last.contains(w))
                    {
                        paced = true;
                    }
                }
            });
        }
        if let Stmt::If { cond, then, .. } = s
            && then.iter().any(|t| matches!(t, Stmt::Break(_)))
            && let Expr::Binary {
                op, left, right, ..
            } = cond
            && matches!(*op, "<" | "<=" | ">" | ">=" | "==")
        {
            for side in [left, right] {
                if let Expr::Number(n, _) = &**side
                    && n.parse::<usize>().is_ok_and(|n| n <= MINUTE_LIMIT)
                {
                    paced = true;
                }
            }
        }
    });
    paced
}

/// Whether a test of an answer holds on success in its `then` block (`code == 0`, a record
/// present) or on failure (`code != 0`, `isNull`); `None` when the shape says neither.
fn success_in_then(cond: &Expr) -> Option<bool> {
    match cond {
        Expr::Binary {
            op, left, right, ..
        } => match *op {
            "&&" | "||" => success_in_then(left),
            "==" | "!=" => {
                let equal = *op == "==";
                let zero = |e: &Expr| matches!(e, Expr::Number(n, _) | Expr::Str(n, _) if n == "0");
                let null = |e: &Expr| matches!(e, Expr::Null(_));
                if zero(left) || zero(right) {
                    Some(equal)
                } else if null(left) || null(right) {
                    Some(!equal)
                } else {
                    None
                }
            }
            _ => None,
        },
        Expr::Unary {
            op: "!", operand, ..
        } => success_in_then(operand).map(|s| !s),
        Expr::Call { callee, .. } => {
            let name = callee.path().or_else(|| match &**callee {
                Expr::Member { name, .. } => Some(name.clone()),
                _ => None,
            })?;
            let last = name.rsplit('.').next().unwrap_or("");
            match last {
                "containKey" | "containsKey" | "contains" => Some(true),
                "isNull" | "isEmpty" | "isBlank" => Some(false),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether an expression reads any variable (not only fixed text or Zoho's own names such as
/// `zoho.adminuserid`).
fn mentions_a_name(e: &Expr) -> bool {
    let mut found = false;
    e.walk(&mut |x| {
        if let Expr::Ident(name, _) = x
            && name != "zoho"
        {
            found = true;
        }
    });
    found
}

/// Names that hold a secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "client_secret",
        "clientsecret",
        "refresh_token",
        "refreshtoken",
        "access_token",
        "accesstoken",
        "authtoken",
        "password",
        "passwd",
        "api_key",
        "apikey",
        "secret",
    ]
    .iter()
    .any(|s| name.contains(s))
}

/// Text that looks like a credential, not a placeholder: eight characters or more, no spaces,
/// not a `${…}` placeholder.
fn looks_like_a_secret(text: &str) -> bool {
    text.chars().count() >= 8 && !text.contains(char::is_whitespace) && !text.contains("${")
}

/// The kind of secret `text` holds, if any: a Zoho OAuth token (`1000.<32 hex>.<32 hex>`), a
/// token after `Zoho-oauthtoken ` or `Bearer `, or a secret in a query string.
fn secret_in_text(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let hex = |s: &[u8]| s.iter().all(u8::is_ascii_hexdigit);
    for (i, _) in text.match_indices("1000.") {
        let rest = &bytes[i + 5..];
        if rest.len() >= 65 && hex(&rest[..32]) && rest[32] == b'.' && hex(&rest[33..65]) {
            return Some("a Zoho OAuth token");
        }
    }
    for prefix in ["Zoho-oauthtoken ", "Bearer "] {
        if let Some(rest) = text.split(prefix).nth(1)
            && rest.trim().chars().count() >= 8
        {
            return Some("a token after the Authorization scheme");
        }
    }
    for (key, kind) in [
        ("client_secret=", "a client secret"),
        ("refresh_token=", "a refresh token"),
        ("access_token=", "an access token"),
        ("password=", "a password"),
    ] {
        if let Some(rest) = text.split(key).nth(1) {
            let value: String = rest
                .chars()
                .take_while(|c| *c != '&' && !c.is_whitespace())
                .collect();
            if !value.is_empty() {
                return Some(kind);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_pattern_needs_both_hex_halves() {
        let token = format!("1000.{}.{}", "a1".repeat(16), "0f".repeat(16));
        assert_eq!(secret_in_text(&token), Some("a Zoho OAuth token"));
        assert_eq!(secret_in_text("1000.abc.def"), None);
        assert_eq!(secret_in_text("Zoho-oauthtoken "), None);
        assert!(secret_in_text("?refresh_token=x1&client_id=2").is_some());
        assert_eq!(secret_in_text("?refresh_token=&a=1"), None);
    }

    #[test]
    fn every_rule_has_a_unique_id_and_a_fix() {
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
        assert!(
            RULES
                .iter()
                .all(|r| !r.fix.is_empty() && !r.summary.is_empty())
        );
    }
}
