//! The error catalog: every code Zoho Books answers with, every accounts-server error, and
//! every HTTP status Zoho (or a gateway in front of it) uses — what it means, its class, whether
//! and how a retry helps, the likely causes and the fix, each with its evidence tag.
//!
//! The codes that circulate with wrong meanings (2 as "invalid ID", 5 as "internal error", 45
//! as the per-minute limit, 57 as "invalid access token", 6024 as "invalid organization ID",
//! 1002 as "transaction error") are here too, so `zbooks explain` can give Zoho's real meaning
//! and say what the user most likely faces instead.
//!
//! The texts are ours; the facts come from zoho-books-reference.md (§1.3, §1.4, §1.5, §2, §3),
//! whose evidence tags each entry carries, and each entry names the Zoho pages a user can read
//! ([`pages`]): `zbooks explain` cites those, never our reference's sections. `docs/error-catalog.md` is generated from this table
//! by [`render_markdown`], and a test fails when the two drift apart.

use std::fmt::{self, Write as _};

use serde::Serialize;

use self::pages::{
    CRM_TOKEN_VALIDITY, DELUGE_FETCH_RECORDS, ERRORS, INCREASE_DAILY_LIMIT, INTRODUCTION,
    INVOICE_CONTACTS, INVOICE_CUSTOMER_PAYMENTS, INVOICE_ERRORS, INVOICE_INVOICES, MULTI_DC, OAUTH,
    SCOPES, TOKEN_LIMITS, TOKEN_VALIDITY,
};
use crate::class::{FailureClass, Retry};

/// How well a fact is established (the tags of zoho-books-reference.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Confirmed by a Zoho-owned source (\[C\]).
    Confirmed,
    /// Observed in real responses from Zoho's servers (\[O\]).
    Observed,
    /// Claimed by a third party without a pasted response (\[3P\]).
    ThirdParty,
    /// Our inference, not verified (\[I\]).
    Inferred,
    /// Contradicted by a better source; folklore (\[X\]).
    Contradicted,
}

impl Evidence {
    /// The reference's tag (`\[C\]`, `\[O\]`, ...).
    pub fn tag(self) -> &'static str {
        match self {
            Evidence::Confirmed => "[C]",
            Evidence::Observed => "[O]",
            Evidence::ThirdParty => "[3P]",
            Evidence::Inferred => "[I]",
            Evidence::Contradicted => "[X]",
        }
    }

    /// The tag as a word, for people (`zbooks explain --list`): no brackets to decode.
    pub fn label(self) -> &'static str {
        match self {
            Evidence::Confirmed => "confirmed",
            Evidence::Observed => "observed",
            Evidence::ThirdParty => "third-party",
            Evidence::Inferred => "inferred",
            Evidence::Contradicted => "folklore",
        }
    }

    /// A few words on what the tag means.
    pub fn describe(self) -> &'static str {
        match self {
            Evidence::Confirmed => "confirmed by Zoho's own documentation",
            Evidence::Observed => "observed in real Zoho responses",
            Evidence::ThirdParty => "claimed by third parties, not verified",
            Evidence::Inferred => "inferred, not verified",
            Evidence::Contradicted => "folklore: contradicted by Zoho's documentation",
        }
    }
}

/// What a catalog entry is keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ErrorKey {
    /// A Books API `code`.
    Code(i64),
    /// An accounts-server `error` value (`invalid_client`, `Access Denied`).
    Accounts(&'static str),
}

impl fmt::Display for ErrorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKey::Code(code) => write!(f, "code {code}"),
            ErrorKey::Accounts(error) => write!(f, "accounts error {error:?}"),
        }
    }
}

/// A meaning that circulates for a code and is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Folklore {
    /// What third-party guides say the code means.
    pub claim: &'static str,
    /// What the user most likely faces instead, and how to tell.
    pub likely_instead: &'static str,
}

/// One catalogued error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogEntry {
    /// The code or accounts error.
    pub key: ErrorKey,
    /// A short name (`per-minute limit`).
    pub title: &'static str,
    /// Zoho's message, or its patterns (`<Resource>` marks a part that varies). Empty when
    /// Zoho documents no message.
    pub messages: &'static [&'static str],
    /// The HTTP status it usually comes with, if known.
    pub status: Option<u16>,
    /// How well that status is established.
    pub status_evidence: Evidence,
    /// Its class; `None` for success (code 0).
    pub class: Option<FailureClass>,
    /// Whether and when a retry helps.
    pub retry: Retry,
    /// What happened, in a sentence or two.
    pub meaning: &'static str,
    /// The likely causes, likeliest first.
    pub causes: &'static [&'static str],
    /// What to do about it.
    pub fix: &'static str,
    /// How well the meaning is established.
    pub evidence: Evidence,
    /// Where the fact comes from, in words (no evidence tag, no section of our reference).
    pub source: &'static str,
    /// Zoho's own pages a user can read about it ([`pages`]): what `zbooks explain` cites.
    pub pages: &'static [&'static str],
    /// A wrong meaning in circulation, if any.
    pub folklore: Option<Folklore>,
}

impl CatalogEntry {
    /// Whether Zoho documents or was seen to send this error (false for codes known only from
    /// folklore or third-party fakes).
    pub fn is_real(&self) -> bool {
        !matches!(self.evidence, Evidence::Contradicted | Evidence::ThirdParty)
    }
}

/// One HTTP status and what it means from Zoho.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StatusEntry {
    /// The status.
    pub status: u16,
    /// Zoho's own name for it, or the gateway's.
    pub name: &'static str,
    /// What it means for a Books call.
    pub meaning: &'static str,
    /// The class it implies when the body says nothing more; `None` for success.
    pub class: Option<FailureClass>,
    /// Whether and when a retry helps.
    pub retry: Retry,
    /// What to do.
    pub action: &'static str,
    /// How well this is established.
    pub evidence: Evidence,
    /// Zoho's own pages a user can read about it ([`pages`]).
    pub pages: &'static [&'static str],
}

/// Zoho's own pages that the catalog cites, so a user can read the fact where Zoho states it.
/// Each is listed in docs/zoho-books-reference.md or docs/zoho-validation-evidence.md beside the
/// facts it supports (a test checks that).
pub mod pages {
    /// Zoho Books API v3: errors (the codes and HTTP statuses Zoho documents).
    pub const ERRORS: &str = "https://www.zoho.com/books/api/v3/errors/";
    /// Zoho Books API v3: introduction (organization id, data centers, API call limit,
    /// concurrent rate limiter).
    pub const INTRODUCTION: &str = "https://www.zoho.com/books/api/v3/introduction/";
    /// Zoho Books API v3: OAuth (the Authorization header, scopes, data centers).
    pub const OAUTH: &str = "https://www.zoho.com/books/api/v3/oauth";
    /// Zoho Books knowledge base: asking Zoho to raise the daily API limit.
    pub const INCREASE_DAILY_LIMIT: &str =
        "https://www.zoho.com/books/kb/automation/increase-daily-limit-api";
    /// Zoho Deluge help: fetching Books records, with Zoho's failure examples.
    pub const DELUGE_FETCH_RECORDS: &str = "https://www.zoho.com/deluge/help/books/fetch-records";
    /// Zoho Accounts: token limits.
    pub const TOKEN_LIMITS: &str = "https://www.zoho.com/accounts/protocol/oauth/token-limits.html";
    /// Zoho Accounts: scopes.
    pub const SCOPES: &str = "https://www.zoho.com/accounts/protocol/oauth/scope.html";
    /// Zoho Accounts: multiple data centers.
    pub const MULTI_DC: &str = "https://www.zoho.com/accounts/protocol/oauth/multi-dc.html";
    /// Zoho's token validity page (refresh tokens, `invalid_code`).
    pub const TOKEN_VALIDITY: &str =
        "https://www.zoho.com/developer/docs/vertical-solutions/api/v2/token-validity.html";
    /// Zoho CRM's token validity page (the token throttle's wording).
    pub const CRM_TOKEN_VALIDITY: &str =
        "https://zoho.com/crm/developer/docs/api/v4/token-validity.html";
    /// Zoho Invoice API v3: errors.
    pub const INVOICE_ERRORS: &str = "https://www.zoho.com/invoice/api/v3/errors/";
    /// Zoho Invoice API v3: contacts, with its error table.
    pub const INVOICE_CONTACTS: &str = "https://www.zoho.com/invoice/api/v3/contacts/";
    /// Zoho Invoice API v3: invoices, with its error table.
    pub const INVOICE_INVOICES: &str = "https://www.zoho.com/invoice/api/v3/invoices/";
    /// Zoho Invoice API v3: customer payments, with its error table.
    pub const INVOICE_CUSTOMER_PAYMENTS: &str =
        "https://www.zoho.com/invoice/api/v3/customer-payments/";

    /// Every page above.
    pub const ALL: &[&str] = &[
        ERRORS,
        INTRODUCTION,
        OAUTH,
        INCREASE_DAILY_LIMIT,
        DELUGE_FETCH_RECORDS,
        TOKEN_LIMITS,
        SCOPES,
        MULTI_DC,
        TOKEN_VALIDITY,
        CRM_TOKEN_VALIDITY,
        INVOICE_ERRORS,
        INVOICE_CONTACTS,
        INVOICE_INVOICES,
        INVOICE_CUSTOMER_PAYMENTS,
    ];
}

const MSG_44: &str = "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.";
const MSG_44_UI: &str = "For security reasons your account has been blocked as you have exceeded the maximum number of requests per minute that can originate from one account.";
const MSG_45: &str =
    "The API call for this organization has exceeded the maximum call rate limit of <limit>.";
const MSG_1070: &str = "You have reached the maximum number of in process requests allowed. Kindly try again after some time.";
const MSG_14: &str = "The request could not be authenticated as the authentication value you entered is invalid. Enter a valid authentication value and try again.";
/// Code 57's message.
pub const MSG_57: &str = "You are not authorized to perform this operation";

/// What a redirect means: Zoho's API and accounts hosts do not redirect, so one comes from a
/// wrong host or something in between. zbooks never follows it (issue 12 §7).
const REDIRECT_MEANING: &str = "Zoho Books and its accounts server do not redirect API \
                                calls: the URL names the wrong host (an old domain, http for \
                                https, a typo) or a proxy or captive portal answered. zbooks \
                                does not follow it, so the token, organization and body stay \
                                with the host that was configured.";
const REDIRECT_ACTION: &str = "Check the target the error shows. If it is truly Zoho (the \
                               data center's own host), set it as ZBOOKS_API_URL or \
                               ZBOOKS_ACCOUNTS_URL (or --dc); otherwise fix the proxy or \
                               network that answered.";

/// Every catalogued Books code and accounts-server error.
pub const ENTRIES: &[CatalogEntry] = &[
    CatalogEntry {
        key: ErrorKey::Code(0),
        title: "success",
        messages: &["success", "The <resource> has been created."],
        status: Some(200),
        status_evidence: Evidence::Confirmed,
        class: None,
        retry: Retry::Never,
        meaning: "The call succeeded. Creates answer 201, everything else 200; the payload sits \
                  under a singular key (invoice) or a plural one with page_context (invoices).",
        causes: &[],
        fix: "Nothing to fix. Judge success by code 0 together with a 2xx status, never by the \
              status or the message alone.",
        evidence: Evidence::Confirmed,
        source: "Zoho Books v3 errors and introduction pages; Zoho's OpenAPI examples",
        pages: &[ERRORS, INTRODUCTION],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(1000),
        title: "internal error",
        messages: &["Internal error"],
        status: Some(500),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::TransientServer),
        retry: Retry::Backoff,
        meaning: "Zoho failed on its side while handling the call.",
        causes: &[
            "a passing fault or deployment at Zoho",
            "a payload that trips a server bug, when the same record fails every time",
        ],
        fix: "Retry with capped exponential backoff, minutes apart rather than seconds; a create \
              may have landed, so look it up by its natural key first. If one record fails every \
              time, simplify its payload or send Zoho support the time of the call.",
        evidence: Evidence::Confirmed,
        source: "Zoho Books v3 errors page",
        pages: &[ERRORS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(1002),
        title: "record does not exist",
        messages: &["<Resource> does not exist."],
        status: Some(404),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::NotFound),
        retry: Retry::Never,
        meaning: "The record the call names (by id in the path or in the body) does not exist in \
                  this organization.",
        causes: &[
            "the record was deleted, for example in the web UI",
            "the id belongs to another organization than the organization_id sent",
            "the id was read as a floating-point number and lost digits (Zoho ids are long \
             digit strings: keep them strings)",
            "an id cached from an earlier sandbox or a restored backup",
        ],
        fix: "Do not retry the same id. Look the record up again by its natural key (number, \
              name, reference) and use the id Zoho returns now; check that organization_id is \
              the organization the id came from.",
        evidence: Evidence::Confirmed,
        source: "Zoho Books v3 errors page: {\"code\":1002,\"message\":\"Invoice does not exist.\"}",
        pages: &[ERRORS],
        folklore: Some(Folklore {
            claim: "\"transaction error\"",
            likely_instead: "1002 means the record named in the call does not exist; there is no \
                             documented \"transaction error\" code. If a transaction really failed \
                             on Zoho's side, the code is 1000 (HTTP 500).",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(44),
        title: "per-minute limit",
        messages: &[MSG_44, MSG_44_UI],
        status: Some(429),
        status_evidence: Evidence::Confirmed,
        class: Some(FailureClass::RateLimitedMinute),
        retry: Retry::AfterMinuteWindow,
        meaning: "The organization made more than 100 calls within a minute. Zoho blocks the whole \
                  organization, for every app and user calling it, until the minute is over.",
        causes: &[
            "calls sent in bursts instead of paced (for example a loop or parallel workers)",
            "several integrations calling the same organization, each assuming it has the \
             whole budget",
            "a retry loop that resends at once after an error",
        ],
        fix: "Pause every call to this organization for the rest of the minute (at least 60 s), \
              then pace calls evenly below 100 a minute, shared across every process and \
              integration that calls the organization.",
        evidence: Evidence::Confirmed,
        source: "Zoho Books v3 introduction, \"API Call Limit\"",
        pages: &[INTRODUCTION],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(45),
        title: "daily quota spent",
        messages: &[MSG_45],
        status: Some(429),
        status_evidence: Evidence::Confirmed,
        class: Some(FailureClass::QuotaExhaustedDay),
        retry: Retry::NextDay,
        meaning: "The organization has used its plan's calls for the day (Free 1,000, Standard \
                  2,000, Professional 5,000, Premium/Elite/Ultimate 10,000). The number in the \
                  message is the plan's daily limit, not a per-minute rate.",
        causes: &[
            "a migration or sync that makes one call per record used the day's calls",
            "a loop or a retry storm",
            "other integrations on the same organization share the same daily quota",
        ],
        fix: "Stop: retrying today only wastes calls. Save progress and resume after the quota \
              resets (Zoho does not publish when; zbooks estimates it). Leave room for other \
              integrations (zbooks import --daily-budget), or ask Zoho support to raise the \
              daily limit for a migration, giving the organization id, volume and duration.",
        evidence: Evidence::Confirmed,
        source: "Zoho Books v3 introduction, \"API Call Limit\"; Zoho's knowledge base on raising \
                 the daily limit",
        pages: &[INTRODUCTION, INCREASE_DAILY_LIMIT],
        folklore: Some(Folklore {
            claim: "the per-minute rate limit",
            likely_instead: "45 is the daily quota. The per-minute limit is code 44. Waiting a \
                             minute and retrying will not help: the organization is out of calls \
                             until the day resets.",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(1070),
        title: "too many calls in flight",
        messages: &[MSG_1070],
        status: Some(429),
        status_evidence: Evidence::Confirmed,
        class: Some(FailureClass::ConcurrencyLimited),
        retry: Retry::ShortBackoff,
        meaning: "Too many calls to the organization were in process at the same moment (Free 5, \
                  paid plans 10, a \"soft\" limit).",
        causes: &[
            "too many parallel workers or an unbounded fan-out (for example one task per record)",
            "several processes calling the same organization at once",
        ],
        fix: "Retry after a short jittered pause and lower the number of calls in flight (5 on \
              Free, at most 10 on paid plans, shared across processes).",
        evidence: Evidence::Confirmed,
        source: "Zoho Books v3 introduction, \"Concurrent Rate Limiter\"",
        pages: &[INTRODUCTION],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(14),
        title: "no usable Authorization header",
        messages: &[MSG_14],
        status: Some(401),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::AuthMisconfigured),
        retry: Retry::Never,
        meaning: "Zoho could not read an access token from the request: the Authorization header \
                  is missing or not in the form Zoho expects.",
        causes: &[
            "a scheme other than \"Zoho-oauthtoken\" (or \"Bearer\", which Zoho Accounts also \
             documents), such as \"Basic\" or \"Token\"",
            "no Authorization header at all (for example lost in a proxy or a redirect)",
            "the token has quotes, a newline or spaces around it",
            "the deprecated \"Zoho-authtoken\" scheme of the old authtoken system",
        ],
        fix: "Send exactly \"Authorization: Zoho-oauthtoken <access_token>\". Retrying the same \
              request will not help.",
        evidence: Evidence::Observed,
        source: "live probes of all eight data centers; the header's form from Zoho's OAuth page",
        pages: &[OAUTH],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(57),
        title: "not authorized",
        messages: &[MSG_57],
        status: Some(401),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::AuthExpired),
        retry: Retry::AfterRefresh,
        meaning: "Zoho refused the access token for this operation: it has expired (access \
                  tokens live one hour), was revoked, belongs to another data center, or lacks the \
                  scope this endpoint needs.",
        causes: &[
            "the access token is older than an hour and was never refreshed",
            "the token lacks the scope: items, taxes and organizations need ZohoBooks.settings.*, \
             journals and chart of accounts ZohoBooks.accountants.*",
            "the token was revoked, or pushed out by newer tokens of the same refresh token",
            "the token was minted by another data center's accounts server than the API host \
             called (use the token response's api_domain)",
        ],
        fix: "Refresh the access token once and replay once. If a fresh token gets 57 again, do \
              not retry: add the missing scope (ZohoBooks.<module>.<OPERATION>, or \
              ZohoBooks.fullaccess.all) and authorize again, and check that the API host is the \
              api_domain the token response named.",
        evidence: Evidence::Observed,
        source: "live probe (garbage token → 401/57); production logs of a missing scope; \
                 scopes and token lifetimes from Zoho's OAuth pages",
        pages: &[OAUTH, SCOPES, TOKEN_LIMITS],
        folklore: Some(Folklore {
            claim: "\"Invalid Access Token\"",
            likely_instead: "Zoho's message is \"You are not authorized to perform this \
                             operation\", and it covers a missing scope as well as an expired \
                             token. Refresh once; if a fresh token fails the same way, the \
                             token lacks a scope.",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(2),
        title: "invalid parameter value",
        messages: &["Invalid value passed for <parameter>"],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        meaning: "A query or body parameter has a value Zoho does not accept; the message names \
                  the parameter.",
        causes: &[
            "a filter value Zoho does not know (filter_by, sort_column)",
            "a date not in yyyy-mm-dd form, or a number or enum out of range",
            "organization_id a placeholder or malformed (\"Invalid value passed for \
             organization_id\"); left out by a user of several organizations it is code 6024",
        ],
        fix: "Correct the parameter the message names. For organization_id, send the numeric id \
              of one of the organizations GET /organizations lists for this token.",
        evidence: Evidence::Confirmed,
        source: "Zoho Deluge help, fetch records failure example",
        pages: &[DELUGE_FETCH_RECORDS],
        folklore: Some(Folklore {
            claim: "\"Invalid ID\"",
            likely_instead: "2 means a parameter value is invalid, and the message names which \
                             one. A record id that does not exist is code 1002 \"<Resource> does \
                             not exist.\"",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(4),
        title: "invalid or unacceptable value",
        messages: &["Invalid value passed for <field or label>"],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        meaning: "A field or parameter is missing, or present but not acceptable in this \
                  organization; the message names the field (its API key or its label).",
        causes: &[
            "a required body field or query parameter missing (\"Invalid value passed for \
             Date\")",
            "a value that breaks a rule, for example an amount a journal cannot take",
            "a number or name Zoho keeps unique and another record already holds (invoice_number \
             with ignore_auto_number_generation, an item's name): no real payload shows the \
             code for these, 4 is the likeliest",
        ],
        fix: "Correct the field the message names. If it is a number or name that must be \
              unique, look the record up by it: it may already exist (a create whose answer was \
              lost, or another run), and then reuse it.",
        evidence: Evidence::Observed,
        source: "real payloads in public code",
        pages: &[ERRORS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(15),
        title: "text too long or wrong shape",
        messages: &["Please ensure that the <field> has less than <N> characters."],
        status: Some(400),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        meaning: "Zoho's length guard: a text longer than the field takes, or a value of the \
                  wrong shape (an object or array where Zoho expects text, text where it \
                  expects a list, or a list under a key Zoho does not know).",
        causes: &[
            "a name, number or address line longer than its documented maximum",
            "line_items sent form-encoded or as a string instead of a JSON array",
            "a misspelt key holding a list (\"line_items2\"): unknown keys with plain values \
             are dropped silently, with lists or objects they are refused",
        ],
        fix: "Shorten the field the message names to fewer than N characters, or send it in the \
              shape Zoho's API documents; check the key's spelling.",
        evidence: Evidence::Observed,
        source: "real payloads in public issues",
        pages: &[ERRORS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(6041),
        title: "user not in organization",
        messages: &["This user is not associated with the CompanyID/CompanyName:<organization>."],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::BlockedOrg),
        retry: Retry::Never,
        meaning: "The organization_id sent is not one the token's user belongs to.",
        causes: &[
            "organization_id copied from another account, a colleague or an example",
            "the user was removed from the organization",
            "a token from another Zoho user than the one who owns the organization",
        ],
        fix: "Call GET /organizations with the same token and use one of the organization ids it \
              lists (zbooks doctor lists them with their names), or authorize as a user of the \
              organization.",
        evidence: Evidence::Confirmed,
        source: "Zoho Deluge help, invalid organization ID example",
        pages: &[DELUGE_FETCH_RECORDS, INTRODUCTION],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(3062),
        title: "duplicate contact name",
        messages: &["The customer \"<name>\" already exists. Please specify a different name."],
        status: Some(400),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::Duplicate),
        retry: Retry::Never,
        meaning: "A contact with this contact_name already exists in the organization; contact \
                  names are unique per organization.",
        causes: &[
            "a create was sent again after a lost response, and the first one landed",
            "the contact already exists from an earlier import or from the web UI",
            "two source records map to the same name",
        ],
        fix: "Do not resend. Look the contact up by name (GET /contacts?contact_name=...) and \
              reuse its id, or give the new contact a distinct name.",
        evidence: Evidence::Observed,
        source: "production logs in public code; Zoho Invoice's contacts error table",
        pages: &[INVOICE_CONTACTS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(24016),
        title: "payment over the balance due",
        messages: &["The amount entered is more than the balance due for this invoice"],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        meaning: "A customer payment applies more to an invoice (amount_applied) than the \
                  invoice still has due.",
        causes: &[
            "the invoice was already paid, in part or in full, by an earlier payment (a payment \
             sent twice after a lost response, or recorded in the web UI too)",
            "amount_applied computed from the invoice's total instead of its balance",
            "a credit note or write-off already reduced the balance",
        ],
        fix: "Read the invoice (GET /invoices/{id}) and apply at most its balance; if the \
              payment was sent before, look it up (GET /customerpayments?customer_id=...) \
              instead of sending it again.",
        evidence: Evidence::Inferred,
        source: "Zoho Invoice's customer-payments error table, the sister product's; no Books \
                 payload seen",
        pages: &[INVOICE_CUSTOMER_PAYMENTS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(1038),
        title: "JSON not well formed",
        messages: &["JSON is not well formed"],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        meaning: "Zoho could not read the request body as the JSON it expects.",
        causes: &[
            "a syntax error in the JSON (a trailing comma, single quotes, an unescaped quote)",
            "plain form fields sent instead of a JSON body or the JSONString form field",
            "a body double-encoded as a JSON string",
        ],
        fix: "Send the payload as a JSON object body (Content-Type: application/json), or as the \
              legacy form field JSONString=<json>; validate it locally before sending.",
        evidence: Evidence::Observed,
        source: "public troubleshooting notes of a live integration",
        pages: &[ERRORS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(103_001),
        title: "trial expired",
        messages: &[
            "Your trial of Zoho Books is over. Please upgrade to a paid plan to enjoy our service.",
        ],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::BlockedOrg),
        retry: Retry::Never,
        meaning: "The organization's Zoho Books trial has ended; writes fail until it is on a \
                  paid plan.",
        causes: &["the trial period ran out and no plan was bought"],
        fix: "Upgrade the organization to a paid plan in Zoho Books (a person must do it), or \
              use another organization.",
        evidence: Evidence::Observed,
        source: "a production incident note in public code",
        pages: &[INTRODUCTION],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(9017),
        title: "user has no organization",
        messages: &["This user is not associated with any organization."],
        status: None,
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::BlockedOrg),
        retry: Retry::Never,
        meaning: "The authorized user belongs to no organization (seen on Zoho Invoice; Books \
                  likely behaves the same).",
        causes: &[
            "the token belongs to a user who never created or joined an organization",
            "authorized with the wrong Zoho account",
        ],
        fix: "Authorize as a user of the organization, or create the organization first.",
        evidence: Evidence::Observed,
        source: "public code note on Zoho Invoice",
        pages: &[INVOICE_ERRORS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(1001),
        title: "duplicate number (unverified)",
        messages: &["Invoice Number already exist"],
        status: Some(400),
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        meaning: "Zoho Invoice's documentation lists 1001 for a duplicate invoice number; no real \
                  Zoho Books response with it has been found, and third-party fakes use it as a \
                  generic \"already exists\". zbooks does not take it for a duplicate: a create \
                  refused with it is settled by looking the record up.",
        causes: &[
            "an invoice number sent with ignore_auto_number_generation that another invoice \
             already holds, for example after a create whose response was lost",
        ],
        fix: "Look the record up by its natural key and reuse it instead of creating it again.",
        evidence: Evidence::ThirdParty,
        source: "Zoho Invoice's invoices error table and third-party fakes; no Books payload",
        pages: &[INVOICE_INVOICES],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Code(5),
        title: "not a documented Zoho code",
        messages: &[],
        status: None,
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        meaning: "Zoho documents no code 5, and no real Zoho response with it has been found.",
        causes: &[],
        fix: "Read the HTTP status and the message that came with it; a real server error is \
              code 1000 with HTTP 500, a wrong URL is HTTP 404.",
        evidence: Evidence::Contradicted,
        source: "third-party guides and fakes only; not on Zoho's errors page",
        pages: &[ERRORS],
        folklore: Some(Folklore {
            claim: "\"Internal Error\" (some fakes: \"Invalid URL Passed\")",
            likely_instead: "a server error, which Zoho reports as code 1000 \"Internal error\" \
                             (HTTP 500, retry with backoff), or a wrong URL, which is HTTP 404 \
                             (fix the path and the data center host).",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(6024),
        title: "organization not chosen",
        messages: &[
            "This user belongs to multiple organizations, hence the parameter \
             CompanyID/CompanyName is required for associating this user to a specific \
             organization.",
        ],
        status: Some(400),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::BlockedOrg),
        retry: Retry::Never,
        meaning: "The call named no organization (organization_id missing or empty) and the \
                  token's user belongs to several organizations, so Zoho cannot pick one. The \
                  answer's error_info lists them (organization_id, name, is_default_org). A \
                  user of one organization gets that one without the parameter.",
        causes: &[
            "organization_id left out of the query (or sent empty), e.g. a client that only \
             ever tested with a single-organization user",
            "the user was added to a second organization, so the call that used to default \
             now has a choice to make",
            "a connector that takes organizations[0] or nothing, and a user of several \
             organizations",
        ],
        fix: "Send organization_id on every Books call: pick one of the organizations in \
              error_info (or GET /organizations) explicitly, never the first one or the \
              default blindly. With zbooks: --org <id>, ZBOOKS_ORG_ID or `organization_id` in \
              the profile; `zbooks doctor` lists the choices with their names.",
        evidence: Evidence::Observed,
        source: "production log on Zoho's shared finance platform (Zoho Inventory, HTTP 400, \
                 code 6024, the organizations in error_info)",
        pages: &[INTRODUCTION],
        folklore: Some(Folklore {
            claim: "\"Invalid Organization ID\"",
            likely_instead: "6024 is real but means the organization_id is MISSING and the \
                             user belongs to several organizations: add organization_id. A \
                             wrong or foreign organization id is code 6041 \"This user is not \
                             associated with the CompanyID/CompanyName:<id>.\", and a \
                             malformed one \"Invalid value passed for organization_id\" \
                             (HTTP 400).",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(37),
        title: "not a documented Zoho code",
        messages: &[],
        status: None,
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        meaning: "Zoho documents no code 37; only third-party fakes use it.",
        causes: &[],
        fix: "Check the HTTP method against the endpoint's documentation.",
        evidence: Evidence::ThirdParty,
        source: "third-party fakes only; not on Zoho's errors page",
        pages: &[ERRORS],
        folklore: Some(Folklore {
            claim: "\"HTTP method not allowed\"",
            likely_instead: "a wrong method is HTTP 405 from Zoho; check the verb (for example PUT \
                             to update, not POST).",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(4001),
        title: "not a documented Zoho code",
        messages: &[],
        status: None,
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        meaning: "Zoho documents no code 4001; third-party fakes use it for a bad organization id.",
        causes: &[],
        fix: "Check the organization id against GET /organizations.",
        evidence: Evidence::ThirdParty,
        source: "third-party fakes only; not on Zoho's errors page",
        pages: &[ERRORS],
        folklore: Some(Folklore {
            claim: "an invalid organization id",
            likely_instead: "Zoho answers a wrong organization id with code 6041, a missing \
                             one from a user of several organizations with code 6024, and a \
                             malformed one with \"Invalid value passed for organization_id\" \
                             (HTTP 400).",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(6018),
        title: "not a documented Zoho code",
        messages: &[],
        status: None,
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        meaning: "Zoho documents no code 6018; third-party fakes use it for a lock-out.",
        causes: &[],
        fix: "If calls are being refused for volume, look for code 44 (per-minute) or 45 (daily) \
              in the real responses.",
        evidence: Evidence::ThirdParty,
        source: "third-party fakes only; not on Zoho's errors page",
        pages: &[ERRORS],
        folklore: Some(Folklore {
            claim: "an account lock-out",
            likely_instead: "an organization blocked for volume gets 429 with code 44 (rest of \
                             the minute) or 45 (rest of the day).",
        }),
    },
    CatalogEntry {
        key: ErrorKey::Code(36),
        title: "not a documented Zoho code",
        messages: &[],
        status: None,
        status_evidence: Evidence::Inferred,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        meaning: "Zoho documents no code 36; it appears only in third-party fakes.",
        causes: &[],
        fix: "Read the HTTP status and Zoho's message that came with it.",
        evidence: Evidence::ThirdParty,
        source: "third-party fakes only; not on Zoho's errors page",
        pages: &[ERRORS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Accounts("invalid_code"),
        title: "grant code or refresh token refused",
        messages: &["{\"error\":\"invalid_code\"}"],
        status: Some(200),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::AuthMisconfigured),
        retry: Retry::Never,
        meaning: "The accounts server refused the code it was given: a grant code that expired or \
                  was already used, or a refresh token that was revoked or is wrong. It answers \
                  with HTTP 200, so only the body tells.",
        causes: &[
            "the grant code is older than its few minutes of validity",
            "the grant code was already exchanged once (codes are single-use)",
            "the refresh token was revoked, or pushed out by a 21st refresh token for the same \
             user and client",
            "a refresh token sent to another data center's accounts server",
        ],
        fix: "For a grant code: generate a new one in Zoho's API console (Self Client) and \
              exchange it at once. For a refresh token: authorize again (zbooks auth login) and \
              avoid creating more than 20 refresh tokens per user and client.",
        evidence: Evidence::Confirmed,
        source: "Zoho token-validity docs; issue threads showing HTTP 200",
        pages: &[TOKEN_VALIDITY, TOKEN_LIMITS],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Accounts("invalid_client"),
        title: "client refused",
        messages: &["{\"error\":\"invalid_client\"}"],
        status: Some(200),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::AuthMisconfigured),
        retry: Retry::Never,
        meaning: "The accounts server does not know this client id and secret pair. It answers \
                  with HTTP 200, so only the body tells.",
        causes: &[
            "the accounts server of the wrong data center (for example accounts.zoho.com for a \
             client created on accounts.zoho.eu)",
            "a wrong or rotated client secret, or a client id with a typo",
            "the client was deleted in the API console",
        ],
        fix: "Use the accounts server of the data center where the client was created (zbooks \
              doctor asks the others and says where it seems to live), and copy the client id \
              and secret again from the API console.",
        evidence: Evidence::Observed,
        source: "issue threads with a raw HTTP 200 {\"error\":\"invalid_client\"}; data \
                 centers from Zoho's multi-DC page",
        pages: &[MULTI_DC, OAUTH],
        folklore: None,
    },
    CatalogEntry {
        key: ErrorKey::Accounts("Access Denied"),
        title: "token requests throttled",
        messages: &[
            "You have made too many requests continuously. Please try again after some time.",
            "Token creation throttle limit reached. Please reuse the valid tokens you currently \
             have.",
        ],
        status: Some(200),
        status_evidence: Evidence::Observed,
        class: Some(FailureClass::TokenThrottled),
        retry: Retry::AfterCooldown,
        meaning: "The accounts server stopped minting access tokens for this refresh token: more \
                  than 10 token requests within 10 minutes. It answers with HTTP 200 (sometimes \
                  400) and error \"Access Denied\" — not a success.",
        causes: &[
            "a token refreshed on every call instead of cached for its hour",
            "several processes or servers each refreshing on their own",
            "a retry loop around a failing refresh",
        ],
        fix: "Stop asking for tokens for the rest of the 10-minute window. Cache the access token \
              (across processes too) and refresh only shortly before it expires or after a 401 \
              with code 57, one refresher at a time.",
        evidence: Evidence::Confirmed,
        source: "Zoho token-limits and token-validity pages",
        pages: &[TOKEN_LIMITS, CRM_TOKEN_VALIDITY],
        folklore: None,
    },
];

/// Every HTTP status Zoho Books uses, and the gateway statuses in front of it.
pub const STATUSES: &[StatusEntry] = &[
    StatusEntry {
        status: 200,
        name: "OK",
        meaning: "The call was answered. Success only when the body's code is 0; the accounts \
                  server also answers its errors with 200.",
        class: None,
        retry: Retry::Never,
        action: "Read the body: code 0 is success, any other code is an error, and an accounts \
                 body with an \"error\" key is a failure.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 201,
        name: "Created",
        meaning: "A create succeeded (all creates except expenses, which answer 200).",
        class: None,
        retry: Retry::Never,
        action: "Read the new record's id from the body and keep it as a string.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 301,
        name: "Moved Permanently",
        meaning: REDIRECT_MEANING,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        action: REDIRECT_ACTION,
        evidence: Evidence::Inferred,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 302,
        name: "Found",
        meaning: REDIRECT_MEANING,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        action: REDIRECT_ACTION,
        evidence: Evidence::Inferred,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 303,
        name: "See Other",
        meaning: REDIRECT_MEANING,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        action: REDIRECT_ACTION,
        evidence: Evidence::Inferred,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 307,
        name: "Temporary Redirect",
        meaning: REDIRECT_MEANING,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        action: REDIRECT_ACTION,
        evidence: Evidence::Inferred,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 308,
        name: "Permanent Redirect",
        meaning: REDIRECT_MEANING,
        class: Some(FailureClass::Unknown),
        retry: Retry::Never,
        action: REDIRECT_ACTION,
        evidence: Evidence::Inferred,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 400,
        name: "Bad request",
        meaning: "Zoho refused the request as it stands: an invalid parameter (2), malformed JSON \
                  (1038), a duplicate (3062) or a wrong or missing organization (6041, \
                  organization_id).",
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        action: "Read the code and message, fix the request or the data, and do not resend \
                 unchanged.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 401,
        name: "Unauthorized (Invalid AuthToken)",
        meaning: "The access token was refused: code 57 for an expired, revoked, other-data-center \
                  or under-scoped token; code 14 for a missing or malformed Authorization header. \
                  Zoho uses 401 (not 403) for a missing scope.",
        class: Some(FailureClass::AuthExpired),
        retry: Retry::AfterRefresh,
        action: "On code 57 refresh once and replay once; on 14, or 57 again with a fresh token, \
                 fix the header, the scopes or the data center.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 403,
        name: "Forbidden",
        meaning: "Not among Zoho Books' documented statuses (Zoho Invoice and Billing list it). \
                  From a Books URL it most likely comes from a proxy or firewall in between.",
        class: Some(FailureClass::AuthMisconfigured),
        retry: Retry::Never,
        action: "Check what answered (a proxy, a firewall) and the host; a missing Books scope \
                 shows as 401 with code 57, not 403.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS, INVOICE_ERRORS],
    },
    StatusEntry {
        status: 404,
        name: "URL Not Found",
        meaning: "Either the URL matches no Books endpoint, or (with code 1002) the record named \
                  does not exist.",
        class: Some(FailureClass::NotFound),
        retry: Retry::Never,
        action: "With code 1002, look the record up again by its natural key. Without it, check \
                 the path (/books/v3/...), its spelling and the data center host.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 405,
        name: "Method Not Allowed",
        meaning: "The endpoint exists but not with this HTTP method.",
        class: Some(FailureClass::Validation),
        retry: Retry::Never,
        action: "Use the method the endpoint documents (PUT to update, POST to create, DELETE to \
                 delete).",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 429,
        name: "Rate Limit Exceeded",
        meaning: "A limit was hit, and the body's code says which: 44 the per-minute limit (the \
                  whole organization blocked for the rest of the minute), 45 the daily quota \
                  (stop until tomorrow), 1070 too many calls in flight. Zoho sends no Retry-After.",
        class: Some(FailureClass::RateLimitedMinute),
        retry: Retry::AfterMinuteWindow,
        action: "Read the code. 44: pause every call to the organization for the rest of the \
                 minute, then pace below 100 a minute. 45: stop and resume after the daily reset. \
                 1070: retry shortly with fewer calls in flight.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS, INTRODUCTION],
    },
    StatusEntry {
        status: 500,
        name: "Internal Error",
        meaning: "Zoho failed on its side (code 1000).",
        class: Some(FailureClass::TransientServer),
        retry: Retry::Backoff,
        action: "Retry with capped exponential backoff, minutes apart; reconcile a create by its \
                 natural key before resending it.",
        evidence: Evidence::Confirmed,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 502,
        name: "Bad Gateway",
        meaning: "A gateway in front of Zoho got no valid answer from it; the body is often an \
                  HTML page, not Zoho's JSON.",
        class: Some(FailureClass::TransientServer),
        retry: Retry::Backoff,
        action: "Retry with backoff; the request may have reached Zoho, so look a create up by \
                 its natural key before resending it.",
        evidence: Evidence::ThirdParty,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 503,
        name: "Service Unavailable",
        meaning: "Zoho or its gateway is overloaded or in maintenance; the body is often HTML.",
        class: Some(FailureClass::TransientServer),
        retry: Retry::Backoff,
        action: "Retry with backoff, minutes apart; a create may have landed, so reconcile it \
                 first.",
        evidence: Evidence::ThirdParty,
        pages: &[ERRORS],
    },
    StatusEntry {
        status: 504,
        name: "Gateway Timeout",
        meaning: "A gateway gave up waiting for Zoho; the call may still have been carried out.",
        class: Some(FailureClass::TransientServer),
        retry: Retry::Backoff,
        action: "Retry reads with backoff; look a create up by its natural key before sending it \
                 again.",
        evidence: Evidence::ThirdParty,
        pages: &[ERRORS],
    },
];

/// The catalog entry for a Books `code`.
pub fn by_code(code: i64) -> Option<&'static CatalogEntry> {
    ENTRIES.iter().find(|e| e.key == ErrorKey::Code(code))
}

/// The catalog entry for an accounts-server `error` value; case and `_`/space differences are
/// ignored (`access_denied` finds "Access Denied").
pub fn by_accounts_error(error: &str) -> Option<&'static CatalogEntry> {
    let wanted = normalize_accounts(error);
    ENTRIES.iter().find(|e| match e.key {
        ErrorKey::Accounts(name) => normalize_accounts(name) == wanted,
        ErrorKey::Code(_) => false,
    })
}

fn normalize_accounts(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The entry for an HTTP status, if Zoho or its gateways use it.
pub fn by_status(status: u16) -> Option<&'static StatusEntry> {
    STATUSES.iter().find(|s| s.status == status)
}

/// What an uncatalogued status implies, by its range: the class and retry advice.
pub fn status_implies(status: u16) -> (Option<FailureClass>, Retry, &'static str) {
    if let Some(entry) = by_status(status) {
        return (entry.class, entry.retry, entry.meaning);
    }
    match status {
        200..=299 => (
            None,
            Retry::Never,
            "a success status; success still needs code 0 in the body",
        ),
        400..=499 => (
            Some(FailureClass::Validation),
            Retry::Never,
            "a client error: the request must change before it can succeed",
        ),
        500..=599 => (
            Some(FailureClass::TransientServer),
            Retry::Backoff,
            "a server or gateway error: may pass; retry with backoff, reconciling creates first",
        ),
        _ => (
            Some(FailureClass::Unknown),
            Retry::Never,
            "not a status Zoho Books uses",
        ),
    }
}

/// What a code-specific message adds: the variable parts Zoho fills in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MessageDetails {
    /// The plan's daily limit named in a code-45 message (`... of 5,000`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_limit: Option<u32>,
    /// The resource named in a code-1002 message (`Invoice`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The parameter named in a code-2 message (`organization_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The name in a code-3062 message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organization in a code-6041 message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

impl MessageDetails {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        *self == MessageDetails::default()
    }
}

/// Reads the variable parts of a message for `code`: the daily limit of 45 (with or without
/// thousands separators), the resource of 1002, the parameter of 2, the name of 3062, the
/// organization of 6041.
pub fn refine(code: i64, message: &str) -> MessageDetails {
    let mut details = MessageDetails::default();
    let message = message.trim();
    match code {
        45 => {
            if let Some(pos) = message.rfind("limit of") {
                let digits: String = message[pos + "limit of".len()..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.' || *c == ' ')
                    .filter(char::is_ascii_digit)
                    .collect();
                details.daily_limit = digits.parse().ok();
            }
        }
        1002 => {
            if let Some(resource) = message.strip_suffix("does not exist.") {
                let resource = resource.trim();
                if !resource.is_empty() {
                    details.resource = Some(resource.to_owned());
                }
            }
        }
        2 => details.parameter = text_after(message, "passed for"),
        3062 => {
            if let (Some(start), Some(end)) = (message.find('"'), message.rfind('"'))
                && end > start + 1
            {
                details.name = Some(message[start + 1..end].to_owned());
            }
        }
        6041 => details.organization = text_after(message, "CompanyName:"),
        _ => {}
    }
    details
}

/// The text after `marker` to the end of the message, without a final period; `None` when the
/// marker is missing or nothing follows it.
fn text_after(message: &str, marker: &str) -> Option<String> {
    let pos = message.find(marker)?;
    let text = message[pos + marker.len()..]
        .trim()
        .trim_end_matches('.')
        .trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Renders the whole catalog as the Markdown reference in `docs/error-catalog.md`.
pub fn render_markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# Zoho Books error catalog\n\n\
         Generated from `crates/zbooks-types/src/catalog.rs` (a test fails when this file \
         drifts; regenerate with `cargo xtask regen`). \
         `zbooks explain <code>` prints the same entries.\n\n\
         Evidence: [C] confirmed by Zoho, [O] observed in real responses, [3P] third-party claim, \
         [I] our inference, [X] folklore contradicted by Zoho.\n\n\
         ## Books API codes and accounts-server errors\n\n\
         | key | title | status | class | retry | evidence | fix |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for e in ENTRIES {
        let status = e.status.map_or_else(
            || "unknown".to_owned(),
            |s| format!("{s} {}", e.status_evidence.tag()),
        );
        let class = e.class.map_or("success", FailureClass::as_str);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            e.key,
            e.title,
            status,
            class,
            e.retry.as_str(),
            e.evidence.tag(),
            md_cell(e.fix)
        );
    }
    out.push_str("\n## Folklore\n\n| code | what guides say | what it is |\n|---|---|---|\n");
    for e in ENTRIES {
        if let Some(f) = &e.folklore {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                e.key,
                md_cell(f.claim),
                md_cell(f.likely_instead)
            );
        }
    }
    out.push_str(
        "\n## HTTP statuses\n\n| status | name | class | retry | evidence | action |\n\
         |---|---|---|---|---|---|\n",
    );
    for s in STATUSES {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            s.status,
            s.name,
            s.class.map_or("success", FailureClass::as_str),
            s.retry.as_str(),
            s.evidence.tag(),
            md_cell(s.action)
        );
    }
    out.push_str("\n## Details\n");
    for e in ENTRIES {
        let _ = write!(
            out,
            "\n### {} — {}\n\n{}\n\n",
            e.key,
            e.title,
            md_text(e.meaning)
        );
        for m in e.messages {
            let _ = writeln!(out, "- message: `{m}`");
        }
        for c in e.causes {
            let _ = writeln!(out, "- cause: {}", md_text(c));
        }
        let _ = writeln!(out, "- retry: {}", e.retry.describe());
        let _ = writeln!(out, "- fix: {}", md_text(e.fix));
        let _ = writeln!(
            out,
            "- evidence: {} {} ({})",
            e.evidence.tag(),
            e.evidence.describe(),
            md_text(e.source)
        );
        let _ = writeln!(out, "- Zoho: {}", e.pages.join(", "));
    }
    out
}

/// Collapses the runs of spaces that line continuations leave in the texts.
fn md_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn md_cell(s: &str) -> String {
    md_text(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique() {
        for (i, a) in ENTRIES.iter().enumerate() {
            for b in &ENTRIES[i + 1..] {
                assert_ne!(a.key, b.key);
            }
        }
    }

    #[test]
    fn the_codes_that_catch_people_are_catalogued() {
        for code in [
            0, 2, 4, 5, 14, 44, 45, 57, 1000, 1002, 1038, 1070, 3062, 6024, 6041, 103_001,
        ] {
            assert!(by_code(code).is_some(), "code {code}");
        }
        for error in [
            "invalid_code",
            "invalid_client",
            "Access Denied",
            "access_denied",
        ] {
            assert!(by_accounts_error(error).is_some(), "{error}");
        }
        for status in [200, 201, 400, 401, 404, 405, 429, 500, 502, 503, 504] {
            assert!(by_status(status).is_some(), "{status}");
        }
    }

    #[test]
    fn limits_are_told_apart() {
        assert_eq!(
            by_code(44).unwrap().class,
            Some(FailureClass::RateLimitedMinute)
        );
        assert_eq!(
            by_code(45).unwrap().class,
            Some(FailureClass::QuotaExhaustedDay)
        );
        assert_eq!(
            by_code(1070).unwrap().class,
            Some(FailureClass::ConcurrencyLimited)
        );
        assert_eq!(by_code(45).unwrap().retry, Retry::NextDay);
    }

    #[test]
    fn refines_messages() {
        let m =
            "The API call for this organization has exceeded the maximum call rate limit of 5,000.";
        assert_eq!(refine(45, m).daily_limit, Some(5000));
        assert_eq!(
            refine(45, "…maximum call rate limit of 1000.").daily_limit,
            Some(1000)
        );
        assert_eq!(
            refine(45, "…maximum call rate limit of 10,000").daily_limit,
            Some(10_000)
        );
        assert_eq!(
            refine(1002, "Invoice does not exist.").resource.as_deref(),
            Some("Invoice")
        );
        assert_eq!(
            refine(2, "Invalid value passed for organization_id")
                .parameter
                .as_deref(),
            Some("organization_id")
        );
        assert_eq!(
            refine(
                3062,
                "The customer \"Acme Ltd\" already exists. Please specify a different name."
            )
            .name
            .as_deref(),
            Some("Acme Ltd")
        );
        assert_eq!(
            refine(
                6041,
                "This user is not associated with the CompanyID/CompanyName:123456."
            )
            .organization
            .as_deref(),
            Some("123456")
        );
        assert!(refine(57, MSG_57).is_empty());
    }

    #[test]
    fn every_entry_cites_zoho_pages_and_no_section_of_ours() {
        let reference = [
            include_str!("../../../docs/zoho-books-reference.md"),
            include_str!("../../../docs/zoho-validation-evidence.md"),
        ]
        .concat();
        for page in pages::ALL {
            assert!(
                reference.contains(page),
                "{page} is not listed in the reference"
            );
            let host = page
                .trim_start_matches("https://")
                .split('/')
                .next()
                .unwrap();
            assert!(
                host == "zoho.com" || host.ends_with(".zoho.com"),
                "{page} is not Zoho's"
            );
        }
        let cited = ENTRIES
            .iter()
            .map(|e| (e.key.to_string(), e.pages, e.source))
            .chain(STATUSES.iter().map(|s| (s.status.to_string(), s.pages, "")));
        for (key, cited, source) in cited {
            assert!(!cited.is_empty(), "{key} cites no Zoho page");
            for page in cited {
                assert!(pages::ALL.contains(page), "{key}: {page} not in pages::ALL");
            }
            for private in ["§", ".md", "[C", "[O]", "[I]", "[X]", "[3P]", "reference"] {
                assert!(
                    !source.contains(private),
                    "{key}'s source names {private:?}, which users do not have: {source}"
                );
            }
        }
    }

    #[test]
    fn catalog_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/error-catalog.md");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == render_markdown(),
            "docs/error-catalog.md is out of date: run `cargo xtask regen`"
        );
    }
}
