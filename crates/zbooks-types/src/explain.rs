//! Turns a [`Finding`] into an [`Explanation`]: what happened, its class, whether and when a
//! retry helps, the likely causes, the fix, and for a folklore meaning the correction.
//!
//! Pure and shared: `zbooks explain` renders it, `zbooks logs analyze` attaches it to its
//! findings, and CLI error hints use its fix, so every surface says the same thing.

use serde::Serialize;

use crate::catalog::{self, CatalogEntry, Evidence, Folklore, MessageDetails};
use crate::class::{FailureClass, Retry};
use crate::plan::Plan;
use crate::scan::Finding;

/// Everything zbooks can say about one finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// What the finding was: `code`, `status`, `body` or `accounts_error`.
    pub input: &'static str,
    /// Zoho's code, when there is one.
    pub code: Option<i64>,
    /// The HTTP status, when known from the input.
    pub status: Option<u16>,
    /// The accounts-server error, for accounts findings.
    pub accounts_error: Option<String>,
    /// The message that came with it, when the input had one.
    pub message: Option<String>,
    /// Whether the catalog knows it.
    pub known: bool,
    /// A short name.
    pub title: String,
    /// What happened.
    pub meaning: String,
    /// The failure class; `None` for success.
    pub class: Option<FailureClass>,
    /// Whether and when a retry helps.
    pub retry: Retry,
    /// The same, in a sentence.
    pub retry_text: &'static str,
    /// Likely causes, likeliest first.
    pub causes: Vec<String>,
    /// What to do.
    pub fix: String,
    /// How well this is established.
    pub evidence: Evidence,
    /// Where the fact comes from, in words.
    pub source: String,
    /// Zoho's own pages about it (URLs), for the user to read. Added to schema 1 without a
    /// bump: readers of schema 1 ignore fields they do not know.
    pub pages: Vec<&'static str>,
    /// A wrong meaning in circulation and what the user most likely faces instead.
    pub folklore: Option<Folklore>,
    /// What the message's variable parts say.
    pub details: MessageDetails,
    /// Observations specific to this input (a status that does not fit the code, the plan a
    /// daily limit reveals, ...).
    pub notes: Vec<String>,
}

/// Explains one finding.
pub fn explain(finding: &Finding) -> Explanation {
    match finding {
        Finding::Body {
            code,
            message,
            status,
        } => explain_code("body", *code, message.as_deref(), *status),
        Finding::Code { code, status } => explain_code("code", *code, None, *status),
        Finding::Status { status } => explain_status(*status),
        Finding::Accounts {
            error,
            description,
            status,
        } => explain_accounts(error, description.as_deref(), *status),
    }
}

fn from_entry(input: &'static str, entry: &CatalogEntry) -> Explanation {
    let (code, accounts_error) = match entry.key {
        catalog::ErrorKey::Code(code) => (Some(code), None),
        catalog::ErrorKey::Accounts(name) => (None, Some(name.to_owned())),
    };
    Explanation {
        input,
        code,
        status: None,
        accounts_error,
        message: None,
        known: entry.is_real(),
        title: entry.title.to_owned(),
        meaning: squash(entry.meaning),
        class: entry.class,
        retry: entry.retry,
        retry_text: entry.retry.describe(),
        causes: entry.causes.iter().map(|c| squash(c)).collect(),
        fix: squash(entry.fix),
        evidence: entry.evidence,
        source: squash(entry.source),
        pages: entry.pages.to_vec(),
        folklore: entry.folklore,
        details: MessageDetails::default(),
        notes: Vec::new(),
    }
}

fn explain_code(
    input: &'static str,
    code: i64,
    message: Option<&str>,
    status: Option<u16>,
) -> Explanation {
    let mut ex = if let Some(entry) = catalog::by_code(code) {
        let mut ex = from_entry(input, entry);
        if let Some(expected) = entry.status
            && let Some(seen) = status
            && seen != expected
            && entry.class.is_some()
        {
            if (200..300).contains(&seen) {
                ex.notes.push(format!(
                    "It came with HTTP {seen}: a non-zero code is an error even on a success \
                     status, so judge by the code."
                ));
            } else {
                ex.notes.push(format!(
                    "Zoho usually sends it with HTTP {expected}; here it came with {seen}, which \
                     may mean a proxy or wrapper changed the status."
                ));
            }
        }
        ex
    } else {
        unknown_code(input, code, status)
    };
    ex.code = Some(code);
    ex.status = status.or(ex.status);
    if let Some(message) = message {
        ex.message = Some(message.to_owned());
        ex.details = catalog::refine(code, message);
        add_detail_notes(&mut ex);
    }
    if code == 0
        && let Some(seen) = status
        && !(200..300).contains(&seen)
    {
        let (class, retry, meaning) = catalog::status_implies(seen);
        ex.class = class;
        ex.retry = retry;
        ex.retry_text = retry.describe();
        ex.notes.push(format!(
            "Code 0 came with HTTP {seen}, which is not a success: {meaning}."
        ));
    }
    ex
}

fn unknown_code(input: &'static str, code: i64, status: Option<u16>) -> Explanation {
    let (class, retry, status_meaning) = status.map_or(
        (
            Some(FailureClass::Unknown),
            Retry::Never,
            "no status was given",
        ),
        catalog::status_implies,
    );
    let meaning = match status {
        Some(s) => format!(
            "Code {code} is not in zbooks's catalog, and no Zoho source documents it. Its HTTP \
             status {s} implies {status_meaning}."
        ),
        None => format!(
            "Code {code} is not in zbooks's catalog, and no Zoho source documents it. Give the \
             HTTP status that came with it (for example `zbooks explain 'HTTP 400 \
             {{\"code\":{code},\"message\":\"...\"}}'`) for what the status implies."
        ),
    };
    Explanation {
        input,
        code: Some(code),
        status,
        accounts_error: None,
        message: None,
        known: false,
        title: format!("unknown code {code}"),
        meaning,
        class,
        retry,
        retry_text: retry.describe(),
        causes: Vec::new(),
        fix: "Read Zoho's message that came with the code; it usually names the field or record \
              at fault. If the message is unclear, send Zoho support the request time and body."
            .to_owned(),
        evidence: Evidence::Inferred,
        source: "not catalogued".to_owned(),
        pages: vec![catalog::pages::ERRORS],
        folklore: None,
        details: MessageDetails::default(),
        notes: Vec::new(),
    }
}

fn add_detail_notes(ex: &mut Explanation) {
    if let Some(limit) = ex.details.daily_limit {
        let plan = Plan::from_daily_limit(limit).map_or_else(
            || {
                " (no standard plan has this limit: it was likely raised by Zoho support)"
                    .to_owned()
            },
            |p| {
                let also = if p == Plan::Premium {
                    " (or Elite, Ultimate)"
                } else {
                    ""
                };
                format!(", which is the {p} plan{also}")
            },
        );
        ex.notes.push(format!(
            "The daily limit in the message is {} calls{plan}.",
            thousands(limit)
        ));
    }
    if let Some(resource) = &ex.details.resource {
        ex.notes.push(format!(
            "The {resource} named in the call does not exist in this organization."
        ));
    }
    if let Some(param) = &ex.details.parameter {
        if param == "organization_id" {
            ex.notes.push(
                "The parameter is organization_id: it is missing, empty, a placeholder or not a \
                 number. Every call except GET /organizations needs ?organization_id=<id> of an \
                 organization GET /organizations lists for this token."
                    .to_owned(),
            );
        } else {
            ex.notes.push(format!(
                "The parameter at fault is {param}: check its value."
            ));
        }
    }
    if let Some(name) = &ex.details.name {
        ex.notes.push(format!(
            "A contact named \"{name}\" already exists: look it up and reuse its id."
        ));
    }
    if let Some(org) = &ex.details.organization {
        ex.notes.push(format!(
            "The organization id sent was {org}; the token's user is not a member of it."
        ));
    }
}

fn explain_status(status: u16) -> Explanation {
    if let Some(entry) = catalog::by_status(status) {
        let mut notes = Vec::new();
        if status == 429 {
            notes.push(
                "A 429 alone does not say which limit: give the body's code (44, 45 or 1070) \
                 for the exact advice."
                    .to_owned(),
            );
        }
        return Explanation {
            input: "status",
            code: None,
            status: Some(status),
            accounts_error: None,
            message: None,
            known: true,
            title: format!("HTTP {status} {}", entry.name),
            meaning: squash(entry.meaning),
            class: entry.class,
            retry: entry.retry,
            retry_text: entry.retry.describe(),
            causes: Vec::new(),
            fix: squash(entry.action),
            evidence: entry.evidence,
            source: "Zoho Books v3 errors page; gateway statuses from connector docs".to_owned(),
            pages: entry.pages.to_vec(),
            folklore: None,
            details: MessageDetails::default(),
            notes,
        };
    }
    let (class, retry, meaning) = catalog::status_implies(status);
    Explanation {
        input: "status",
        code: None,
        status: Some(status),
        accounts_error: None,
        message: None,
        known: false,
        title: format!("HTTP {status}"),
        meaning: format!(
            "Zoho Books does not document HTTP {status}; by its range it is {meaning}."
        ),
        class,
        retry,
        retry_text: retry.describe(),
        causes: Vec::new(),
        fix: "Check what answered: a proxy, a firewall or a wrong host can send statuses Zoho \
              does not."
            .to_owned(),
        evidence: Evidence::Inferred,
        source: "HTTP status ranges".to_owned(),
        pages: vec![catalog::pages::ERRORS],
        folklore: None,
        details: MessageDetails::default(),
        notes: Vec::new(),
    }
}

fn explain_accounts(error: &str, description: Option<&str>, status: Option<u16>) -> Explanation {
    let mut ex = if let Some(entry) = catalog::by_accounts_error(error) {
        from_entry("accounts_error", entry)
    } else {
        Explanation {
            input: "accounts_error",
            code: None,
            status: None,
            accounts_error: Some(error.to_owned()),
            message: None,
            known: false,
            title: format!("accounts error {error:?}"),
            meaning: format!(
                "The accounts server refused the token request with \"{error}\", which zbooks's \
                 catalog does not know. It answers errors with HTTP 200: the body tells."
            ),
            class: Some(FailureClass::AuthMisconfigured),
            retry: Retry::Never,
            retry_text: Retry::Never.describe(),
            causes: Vec::new(),
            fix: "Check the grant type, redirect URI, client id and secret and the data center's \
                  accounts server against the request."
                .to_owned(),
            evidence: Evidence::Inferred,
            source: "not catalogued".to_owned(),
            pages: vec![catalog::pages::OAUTH, catalog::pages::TOKEN_LIMITS],
            folklore: None,
            details: MessageDetails::default(),
            notes: Vec::new(),
        }
    };
    ex.status = status;
    ex.message = description.map(str::to_owned);
    if status == Some(200) {
        ex.notes.push(
            "It came with HTTP 200: the accounts server reports errors in the body, so a 200 \
             from it is not a success by itself."
                .to_owned(),
        );
    }
    ex
}

/// `5000` → `5,000`.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Collapses the runs of spaces that line continuations leave in the catalog's texts.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn explain_input(input: &str) -> Explanation {
        explain(&scan(input).unwrap()[0].finding)
    }

    #[test]
    fn folklore_codes_get_the_correction() {
        for code in ["2", "5", "45", "57", "6024", "1002"] {
            let ex = explain_input(code);
            assert!(ex.folklore.is_some(), "{code}");
        }
        assert!(!explain_input("5").known);
        assert!(explain_input("57").known);
    }

    #[test]
    fn daily_limit_names_the_plan() {
        let ex = explain_input(
            r#"{"code":45,"message":"The API call for this organization has exceeded the maximum call rate limit of 5,000."}"#,
        );
        assert_eq!(ex.details.daily_limit, Some(5000));
        assert!(
            ex.notes.iter().any(|n| n.contains("professional")),
            "{:?}",
            ex.notes
        );
    }

    #[test]
    fn unknown_code_says_what_its_status_implies() {
        let ex = explain_input(r#"HTTP 400 {"code":77777,"message":"Something new"}"#);
        assert!(!ex.known);
        assert_eq!(ex.class, Some(FailureClass::Validation));
        assert!(ex.meaning.contains("400"));
    }

    #[test]
    fn non_zero_code_on_200_is_noted() {
        let ex = explain_input(
            r#"HTTP/1.1 200 OK {"code":57,"message":"You are not authorized to perform this operation"}"#,
        );
        assert_eq!(ex.status, Some(200));
        assert!(ex.notes[0].contains("non-zero code is an error"));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
